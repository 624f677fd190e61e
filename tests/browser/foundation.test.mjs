// The page shell and the Softmax sandbox, end to end in headless Chromium.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startBrowser, openPage, waitReady, screenshot, distinctColors } from "./harness.mjs";

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

test("the sandbox loads, answers the API, and draws", async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  assert.equal(await waitReady(page), true);
  assert.equal(await page.title(), "Attention Lab");

  const before = await page.evaluate(() => attnlab.state());
  assert.equal(before.view, "sandbox");
  assert.equal(before.sandbox.weights.length, before.sandbox.logits.length);
  assert.ok(before.sandbox.measures.peaky, "the default row is peaky");

  // Flatten the row through the API: the entropy must rise.
  let reply = await page.evaluate(() => attnlab.sandbox.set({ logits: [0, 0.5, 0, 0.2, 0, 0.1, 1, 0, 0, 0.3] }));
  assert.deepEqual(reply, { ok: true });
  const flat = await page.evaluate(() => attnlab.state().sandbox.measures);
  assert.ok(flat.entropy > before.sandbox.measures.entropy + 1, `entropy ${before.sandbox.measures.entropy} -> ${flat.entropy}`);

  // Global tokens of comparable score take mass; it is reported.
  reply = await page.evaluate(() => attnlab.sandbox.set({ logits: [0, 0, 0, 0, 0, 0, 6, 0], globals: [5, 5, 5, 5] }));
  assert.deepEqual(reply, { ok: true });
  const s = await page.evaluate(() => attnlab.state().sandbox);
  assert.ok(s.measures.globalMass > 0.5, "global mass " + s.measures.globalMass);
  assert.ok(s.measures.peak < s.withoutGlobals.peak, "the peak falls with global tokens");

  // A bad value is refused with a message that names the field, and changes nothing.
  reply = await page.evaluate(() => attnlab.sandbox.set({ temperature: 0 }));
  assert.equal(reply.ok, false);
  assert.match(reply.errors[0], /^temperature: /);
  reply = await page.evaluate(() => attnlab.command({ cmd: "no.such" }));
  assert.equal(reply.ok, false);

  // Let a few frames draw, then check the canvas shows a real picture.
  await page.evaluate(() => attnlab.sandbox.reset());
  await page.evaluate(() => attnlab.sandbox.set({ globals: [2, 2, 2] }));
  await page.waitForTimeout(500);
  const file = await screenshot(page, "sandbox-1280x720");
  const colors = await distinctColors(browser, file);
  assert.ok(colors > 200, `the screenshot has only ${colors} distinct colours`);
  assert.deepEqual(errors, []);
  await context.close();
});

// Without a GPU a redraw costs whole frames, so the app draws only when the
// picture changes (src/app/gfx/redraw_gate.h). Nothing may go stale: a change
// through the API and a hover with the mouse must each reach the screen.
test("an unchanged picture is not redrawn; every change is", async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  assert.equal(await waitReady(page), true);
  const perf = () => page.evaluate(() => attnlab.state().perf);
  const shot = () => page.screenshot();
  await page.waitForTimeout(500);
  const idle0 = await perf();
  await page.waitForTimeout(1000);
  const idle1 = await perf();
  // The loop keeps running while idle, at the frame pacer's 15 a second (src/platform/frame_pacer.h).
  assert.ok(idle1.frames - idle0.frames >= 10, `the loop ran ${idle1.frames - idle0.frames} frames in 1 s`);
  assert.ok(idle1.frames - idle0.frames <= 20, `an idle page ran ${idle1.frames - idle0.frames} frames in 1 s (paced: 15)`);
  assert.ok(idle1.drawn_frames - idle0.drawn_frames <= 1,
            `an idle page drew ${idle1.drawn_frames - idle0.drawn_frames} frames in 1 s`);

  const before = await shot();
  await page.evaluate(() => attnlab.sandbox.set({ logits: [0, 0.5, 0, 0.2, 0, 0.1, 1, 0, 0, 0.3] }));
  await page.waitForTimeout(300);
  const changed = await perf();
  assert.ok(changed.drawn_frames > idle1.drawn_frames, "a new row was not drawn");
  const after = await shot();
  assert.notDeepEqual(after, before, "the screen still shows the old row");

  // A hover: the tab under the mouse lights up.
  const r = (await page.evaluate(() => attnlab.state().ui))["tab.training"];
  await page.mouse.move((r[0] + r[2]) / 2, (r[1] + r[3]) / 2, { steps: 3 });
  await page.waitForTimeout(300);
  assert.ok((await perf()).drawn_frames > changed.drawn_frames, "the hover was not drawn");
  assert.notDeepEqual(await shot(), after, "the hover does not show");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the canvas follows the window and the pixel ratio", async () => {
  const { page, context, errors } = await openPage(browser, server.url, { width: 1000, height: 640, scale: 2 });
  assert.equal(await waitReady(page), true);
  await page.waitForTimeout(200);
  let size = await page.evaluate(() => { const c = document.getElementById("canvas"); return [c.width, c.height]; });
  assert.deepEqual(size, [2000, 1280]);
  await page.setViewportSize({ width: 1400, height: 800 });
  await page.waitForTimeout(400);
  size = await page.evaluate(() => { const c = document.getElementById("canvas"); return [c.width, c.height]; });
  assert.deepEqual(size, [2800, 1600]);
  await screenshot(page, "sandbox-hidpi-1400x800@2x");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a clear message instead of a blank canvas when something is missing", async (t) => {
  const cases = [
    { name: "no WebGL2", message: /WebGL2 is not available/,
      init: () => { const get = HTMLCanvasElement.prototype.getContext;
        HTMLCanvasElement.prototype.getContext = function (kind, ...rest) { return kind === "webgl2" ? null : get.call(this, kind, ...rest); }; } },
    { name: "no WebAssembly SIMD", message: /WebAssembly SIMD is not available/,
      init: () => { WebAssembly.validate = () => false; } },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      const { page, context } = await openPage(browser, server.url, { init: c.init });
      const result = await waitReady(page);
      assert.match(String(result), /^rejected: /);
      assert.match(await page.locator("#error-title").textContent(), c.message);
      assert.equal(await page.locator("#error").isVisible(), true);
      await context.close();
    });
  }
  await t.test("the .wasm fails to download", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.route("**/attnlab.wasm", (route) => route.fulfill({ status: 404, body: "not found" }));
    await page.goto(server.url);
    const result = await waitReady(page);
    assert.match(String(result), /^rejected: /);
    assert.match(await page.locator("#error-text").textContent(), /404/);
    await screenshot(page, "error-wasm-missing");
    await context.close();
  });
});
