// The Pattern explorer in headless Chromium: settings through the page API
// (checked against hand-computed pairs and reach), zoom and pan on the mask
// with real mouse events, and a screenshot.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startBrowser, openPage, waitReady, screenshot, distinctColors } from "./harness.mjs";

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

// Pairs of a bidirectional window w over T tokens, plus one global token that
// sees and is seen by all N = T + 1 positions.
function windowAndGlobalPairs(T, w) {
  let band = 0;
  for (let t = 0; t < T; ++t) band += Math.min(T - 1, t + w) - Math.max(0, t - w) + 1;
  return band + T + (T + 1);
}

test("the pattern explorer: numbers through the API, zoom and pan with the mouse", async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  assert.equal(await waitReady(page), true);
  assert.deepEqual(await page.evaluate(() => attnlab.selectView("patterns")), { ok: true });
  const patterns = () => page.evaluate(() => attnlab.state().patterns);
  const set = (fields) => page.evaluate((f) => attnlab.command(Object.assign({ cmd: "patterns.set" }, f)), fields);
  assert.equal((await page.evaluate(() => attnlab.state())).view, "patterns");

  // A window of 8 and one global token over 1024 tokens: token 0 reaches the last token in 2 layers.
  assert.deepEqual(await set({ n: 1024, causal: false, window: 8, globals: 1, registers: 0, sinks: 0, layers: 4, source: 0 }),
                   { ok: true });
  let s = await patterns();
  assert.equal(s.positions, 1025);
  assert.equal(s.pairs, windowAndGlobalPairs(1024, 8));
  assert.equal(s.fullPairs, 1025 * 1025);
  assert.equal(s.firstToLastLayers, 2);
  assert.equal(s.reachLayers, 2);
  assert.equal(s.reachedWithin, true);
  assert.deepEqual(s.receptiveField, [1 + 8 + 1, 1025, 1025, 1025]);  // layer 1: the global and the window

  // Without the global token the window needs ceil(1023 / 8) = 128 layers.
  assert.deepEqual(await set({ globals: 0 }), { ok: true });
  s = await patterns();
  assert.equal(s.firstToLastLayers, 128);
  assert.equal(s.reachedWithin, false);
  assert.deepEqual(s.receptiveField, [9, 17, 25, 33]);

  // A bad field is refused by name with its range; the good ones still apply.
  const bad = await set({ n: 5, layers: 3, window: -7 });
  assert.equal(bad.ok, false);
  assert.deepEqual(bad.errors, ["n: must be an integer from 16 to 8192",
                                "window: must be -1 (full attention) or an integer from 0 to 8192"]);
  s = await patterns();
  assert.equal(s.settings.layers, 3);
  assert.equal(s.settings.n, 1024);
  assert.equal(s.settings.window, 8);
  assert.deepEqual(await set({ globals: 1 }), { ok: true });

  // Zoom with the wheel over the mask, then pan by dragging: real mouse events.
  await page.waitForFunction(() => attnlab.state().ui["patterns.mask"], null, { timeout: 10000 });
  const r = (await page.evaluate(() => attnlab.state())).ui["patterns.mask"];
  const cx = (r[0] + r[2]) / 2, cy = (r[1] + r[3]) / 2;
  await page.mouse.move(cx, cy, { steps: 3 });
  await page.waitForTimeout(100);
  for (let k = 0; k < 5; ++k) {
    await page.mouse.wheel(0, -100);
    await page.waitForTimeout(60);
  }
  await page.waitForFunction(() => attnlab.state().patterns.view.zoom > 2, null, { timeout: 10000 });
  const zoomed = (await patterns()).view;
  assert.ok(zoomed.zoom > 2 && zoomed.zoom < 10, `zoom ${zoomed.zoom}`);
  // Zooming keeps the pair under the mouse: the middle of the mask stays in the middle.
  assert.ok(Math.abs(zoomed.key0 + zoomed.span / 2 - 1025 / 2) < 8, JSON.stringify(zoomed));

  await page.mouse.down();
  await page.mouse.move(cx - 120, cy - 80, { steps: 8 });
  await page.mouse.up();
  await page.waitForTimeout(100);
  const after = await patterns(), panned = after.view;
  assert.ok(panned.key0 > zoomed.key0 + 10, `key0 ${zoomed.key0} -> ${panned.key0}`);
  assert.ok(panned.query0 > zoomed.query0 + 5, `query0 ${zoomed.query0} -> ${panned.query0}`);
  assert.equal(panned.zoom, zoomed.zoom);
  assert.ok(after.rasterMs < 50, `the mask took ${after.rasterMs} ms to compute`);

  // The Fit button (a real click) shows the whole mask again.
  const fit = (await page.evaluate(() => attnlab.state())).ui["patterns.fit"];
  await page.mouse.move((fit[0] + fit[2]) / 2, (fit[1] + fit[3]) / 2, { steps: 3 });
  await page.waitForTimeout(60);
  await page.mouse.down();
  await page.waitForTimeout(60);
  await page.mouse.up();
  await page.waitForFunction(() => attnlab.state().patterns.view.zoom === 1, null, { timeout: 10000 });

  // Move away so no tooltip covers the picture, then keep it.
  await page.mouse.move(5, 5);
  await page.waitForTimeout(400);
  const file = await screenshot(page, "patterns-1280x720");
  const colors = await distinctColors(browser, file);
  assert.ok(colors > 200, `the screenshot has only ${colors} distinct colours`);
  assert.deepEqual(errors, []);

  assert.deepEqual(await page.evaluate(() => attnlab.command({ cmd: "patterns.reset" })), { ok: true });
  assert.equal((await patterns()).settings.n, 256);
  await context.close();
});
