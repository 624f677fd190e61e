// The lab views in headless Chromium, through the JavaScript API and through
// real mouse and keyboard input on the canvas: the training lab's presets,
// A/B runs on the same seed and data, interventions mid-run, the background
// sweeps' progress and cancel button, and a screenshot of every view.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startBrowser, openPage, waitReady, screenshot } from "./harness.mjs";

let server, browser, page, context, errors;
before(async () => {
  server = await startServer();
  browser = await startBrowser();
  ({ page, context, errors } = await openPage(browser, server.url));
  assert.equal(await waitReady(page), true);
});
after(async () => { await context?.close(); await browser?.close(); server?.stop(); });

const state = () => page.evaluate(() => attnlab.state());
const waitFor = (fn, arg, timeout = 60000) =>
  page.waitForFunction(fn, arg, { timeout, polling: 100 });
// Clicks the middle of a widget the app reports in state().ui, the way a
// person does: move there, then press and release a little later (ImGui sees
// the hover, then the click).
async function click(name) {
  const r = (await state()).ui[name];
  assert.ok(r, `the app reports no widget ${name}`);
  await page.mouse.move((r[0] + r[2]) / 2, (r[1] + r[3]) / 2, { steps: 3 });
  await page.waitForTimeout(60);
  await page.mouse.down();
  await page.waitForTimeout(60);
  await page.mouse.up();
}

test("the tabs switch views with a real mouse click", async () => {
  await waitFor(() => attnlab.state().ui["tab.training"]);
  await click("tab.training");
  await waitFor(() => attnlab.state().view === "training");
  await click("tab.sandbox");
  await waitFor(() => attnlab.state().view === "sandbox");
});

test("every training preset loads, and a bad one is refused by name", async () => {
  await page.evaluate(() => attnlab.selectView("training"));
  for (const id of ["window-misses-introduction", "peaky-attention", "globals-do-not-calm-saturated-softmax", "too-many-globals"]) {
    const reply = await page.evaluate((id) => attnlab.training.load(id), id);
    assert.deepEqual(reply, { ok: true }, id);
    await waitFor((id) => attnlab.state().training.preset === id && attnlab.state().lab.runs.length === 2 &&
                          attnlab.state().lab.runs[0].history_points >= 0, id);
  }
  const bad = await page.evaluate(() => attnlab.training.load("no-such-preset"));
  assert.equal(bad.ok, false);
  assert.match(bad.errors[0], /^preset: unknown training preset/);
  const badScenario = await page.evaluate(() => attnlab.training.load({ config: { model: { heads: 7 } } }));
  assert.equal(badScenario.ok, false);
  assert.match(badScenario.errors[0], /^model\.heads: must be an integer from 1 to 4/);
});

test("A/B runs share seed and data, and the peaky run is measurably peakier", async () => {
  await page.evaluate(() => attnlab.training.load("peaky-attention"));
  await waitFor(() => attnlab.state().lab.runs.length === 2 && attnlab.state().training.preset === "peaky-attention");
  await page.evaluate(() => attnlab.training.step(20));
  const s = await waitFor(() => {
    const r = attnlab.state().lab.runs;
    return r.length === 2 && r[0].step >= 20 && r[1].step >= 20 && r[0].latest && r[1].latest && r;
  }).then((h) => h.jsonValue());
  const [a, b] = s;
  assert.equal(a.seed, b.seed);
  assert.equal(a.data_fingerprint, b.data_fingerprint);
  assert.equal(a.train_fingerprint, b.train_fingerprint);
  // EXPERIMENTS.md: logit scale 8 with a large q/k init gives ~0.9 of rows with a peak > 0.9 and logits in the
  // hundreds; logit scale 1 does not.
  assert.ok(a.latest.peaky > 0.6, `A peaky share ${a.latest.peaky}`);
  assert.ok(a.latest.max_logit > 100, `A largest logit ${a.latest.max_logit}`);
  assert.ok(b.latest.peaky < a.latest.peaky, `B ${b.latest.peaky} vs A ${a.latest.peaky}`);
});

test("space plays and pauses; switching global tokens on mid-run continues the run", async () => {
  await page.evaluate(() => attnlab.training.load("window-misses-introduction"));
  await waitFor(() => attnlab.state().training.preset === "window-misses-introduction" && attnlab.state().lab.runs.length === 2);
  await page.locator("canvas").focus();
  await page.keyboard.press("Space");
  await waitFor(() => attnlab.state().lab.playing && attnlab.state().lab.runs[0].step > 3);
  await page.keyboard.press("Space");
  await waitFor(() => !attnlab.state().lab.playing);
  const before = (await state()).lab.runs[0].step;
  const reply = await page.evaluate(() => attnlab.training.apply({ model: { globals: 2 } }, "a"));
  assert.deepEqual(reply, { ok: true });
  await click("training.play");  // a real click on Play
  await waitFor((n) => attnlab.state().lab.runs[0].step >= n + 25, before);
  await click("training.play");  // and on Pause
  await waitFor(() => !attnlab.state().lab.playing);
  const s = await state();
  const a = s.lab.runs[0];
  assert.equal(a.prefix, 2);
  assert.equal(a.diverged, null);
  assert.ok(a.events.some((e) => /model\.globals 0 -> 2/.test(e.event)), JSON.stringify(a.events));
  assert.equal(s.lab.runs[1].prefix, 1);  // B was left alone
  // Hover a heatmap cell with the mouse: the app shows a tooltip (drawn on the canvas).
  const r = s.ui["training.heatmap.a"];
  await page.mouse.move(r[0] + 20, r[3] - 20);
  await page.waitForTimeout(300);
  await screenshot(page, "training-1280x720");
});

test("a sweep reports progress and can be cancelled with the mouse", async () => {
  await page.evaluate(() => attnlab.selectView("memory"));
  assert.deepEqual(await page.evaluate(() => attnlab.command({ cmd: "memory.start", preset: "memory-cost" })), { ok: true });
  await waitFor(() => attnlab.state().memory.running && attnlab.state().memory.progress > 0.02);
  await click("memory.cancel");
  await waitFor(() => !attnlab.state().memory.running);
  await screenshot(page, "memory-1280x720");
});

test("the streaming experiment reports progress and can be cancelled", async () => {
  await page.evaluate(() => attnlab.selectView("streaming"));
  assert.deepEqual(await page.evaluate(() => attnlab.command({ cmd: "streaming.start", preset: "streaming-sinks" })), { ok: true });
  await waitFor(() => attnlab.state().streaming.running && attnlab.state().streaming.progress > 0.005);
  await page.evaluate(() => attnlab.command({ cmd: "streaming.cancel" }));
  await waitFor(() => !attnlab.state().streaming.running);
  await screenshot(page, "streaming-1280x720");
});

test("no console errors anywhere", () => {
  assert.deepEqual(errors, []);
});
