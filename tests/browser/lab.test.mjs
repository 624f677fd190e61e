// The lab views in headless Chromium, through the JavaScript API and through
// real mouse and keyboard input on the canvas: the training lab's presets,
// A/B runs on the same seed and data, interventions mid-run, the background
// sweeps' progress and cancel button, and a screenshot of every view.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startBrowser, openPage, waitReady, screenshot, distinctColors } from "./harness.mjs";

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
    // The engines have built this preset's two runs, fresh, with the preset's settings (a run another
    // engine trains has no config until that engine reports it: never the previous preset's).
    const s = await waitFor((id) => {
      const st = attnlab.state();
      return st.training.preset === id && st.lab.scenario === id && st.lab.runs.length === 2 &&
             st.lab.runs.every((r) => r.config) && st;
    }, id).then((h) => h.jsonValue());
    const sc = s.training.scenario;
    for (const run of s.lab.runs) {
      assert.equal(run.step, 0, `${id} ${run.id}`);
      assert.equal(run.steps, sc.config.train.steps, `${id} ${run.id}`);
      assert.equal(run.config.model.window, sc.config.model.window ?? -1, `${id} ${run.id}`);
      assert.equal(run.config.task.kind, sc.config.task.kind, `${id} ${run.id}`);
    }
    assert.equal(s.lab.runs[0].label, sc.a_label, id);
    assert.equal(s.lab.runs[1].label, sc.b_label, id);
    for (const [field, value] of Object.entries(sc.b.model)) assert.equal(s.lab.runs[1].config.model[field], value, `${id} B ${field}`);
    // Its lesson is judged from the start, and says it is waiting (nothing measured at the end yet).
    const lesson = await waitFor((id) => attnlab.state().lab.lesson && attnlab.state().ui["lab.lesson"] &&
                                         attnlab.state().lab.lesson, id).then((h) => h.jsonValue());
    assert.equal(lesson.status, "not yet", `${id}: ${lesson.text}`);
    assert.equal(lesson.held, null);
    assert.match(lesson.text, /^Not judged yet: waiting for /);
    assert.ok(lesson.values.length >= 2, id);
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
  // Hover a heatmap cell with the mouse: the app shows a tooltip (drawn on the
  // canvas) for the cell under the mouse.
  const r = s.ui["training.heatmap.a"];
  await page.mouse.move(r[0] + 20, r[3] - 20, { steps: 3 });
  const hovered = await waitFor(() => attnlab.state().training.hover && attnlab.state().ui["training.tooltip"] &&
                                      attnlab.state()).then((h) => h.jsonValue());
  const side = hovered.lab.runs[0].heatmap.side, cell = (r[2] - r[0]) / side;
  const hover = hovered.training.hover;
  assert.equal(hover.run, "a");
  assert.equal(hover.key, Math.floor(20 / cell));
  assert.equal(hover.query, Math.floor((r[3] - 20 - r[1]) / cell));
  // Bottom left: the last queries and the first keys, far outside the +-16 window: not scored.
  assert.equal(hover.weight, -1, "a pair the window masks");
  const tip = hovered.ui["training.tooltip"];
  assert.ok(tip[0] >= r[0] && tip[1] >= r[1] - 40, `the tooltip ${tip} is by the mouse, not at the page's corner`);
  const file = await screenshot(page, "training-1280x720");
  // Text on a panel: the tooltip's box has antialiased text in it, not a flat colour.
  const colors = await distinctColors(browser, file, { x: Math.round(tip[0]), y: Math.round(tip[1]),
                                                       width: Math.round(tip[2] - tip[0]), height: Math.round(tip[3] - tip[1]) });
  assert.ok(colors > 20, `the tooltip area has ${colors} colours`);
  // On the diagonal every pair is scored: a weight.
  await page.mouse.move(r[2] - 20, r[3] - 20, { steps: 3 });
  const diagonal = await waitFor((k) => { const h = attnlab.state().training.hover; return h && h.key !== k && h; },
                                 hover.key).then((h) => h.jsonValue());
  assert.equal(diagonal.query, Math.floor((r[3] - 20 - r[1]) / cell));
  assert.equal(diagonal.key, Math.floor((r[2] - 20 - r[0]) / cell));
  assert.ok(diagonal.weight >= 0 && diagonal.weight <= 1, `weight ${diagonal.weight}`);
  await page.mouse.move(5, 5);
  await waitFor(() => attnlab.state().training.hover === null);
});

// A running job draws its progress bar (the bar and its text, not a flat
// box) and Cancel; once cancelled, both are gone and the start buttons are back.
async function expectJobControls(view, preset, shot) {
  await waitFor(({ view }) => attnlab.state()[view].running && attnlab.state().ui[view + ".progress"] &&
                              attnlab.state().ui[view + ".cancel"], { view });
  const running = await state();
  const bar = running.ui[view + ".progress"];
  const file = await screenshot(page, shot);
  const colors = await distinctColors(browser, file, { x: Math.round(bar[0]), y: Math.round(bar[1]),
                                                       width: Math.round(bar[2] - bar[0]), height: Math.round(bar[3] - bar[1]) });
  assert.ok(colors > 10, `${view}: the progress bar has ${colors} colours`);
  assert.ok(running[view].progress > 0 && running[view].progress < 1, `${view} progress ${running[view].progress}`);
  assert.equal(running[view].lesson?.status, "not yet", `${view}: the lesson waits for the job's results`);
  return async () => {
    await waitFor(({ view, preset }) => !attnlab.state()[view].running && !attnlab.state().ui[view + ".progress"] &&
                                        attnlab.state().ui[view + ".start." + preset], { view, preset });
    await screenshot(page, shot + "-cancelled");
  };
}

test("a sweep reports progress and can be cancelled with the mouse", async () => {
  await page.evaluate(() => attnlab.selectView("memory"));
  assert.deepEqual(await page.evaluate(() => attnlab.command({ cmd: "memory.start", preset: "memory-cost" })), { ok: true });
  await waitFor(() => attnlab.state().memory.running && attnlab.state().memory.progress > 0.02);
  const cancelled = await expectJobControls("memory", "memory-cost", "memory-1280x720");
  await click("memory.cancel");
  await cancelled();
});

test("the streaming experiment reports progress and can be cancelled", async () => {
  await page.evaluate(() => attnlab.selectView("streaming"));
  assert.deepEqual(await page.evaluate(() => attnlab.command({ cmd: "streaming.start", preset: "streaming-sinks" })), { ok: true });
  await waitFor(() => attnlab.state().streaming.running && attnlab.state().streaming.progress > 0.005);
  const cancelled = await expectJobControls("streaming", "streaming-sinks", "streaming-1280x720");
  await click("streaming.cancel");
  await cancelled();
});

test("no console errors anywhere", () => {
  assert.deepEqual(errors, []);
});
