// Touch on a tablet-sized page (768x1024, a touch screen): a tap acts where
// the finger is, the first time and only once; a finger drags a sandbox
// slider; two fingers pinch the Pattern explorer's mask. Taps go through
// Playwright's touchscreen, drags and pinches through the DevTools protocol's
// touch events: both reach the page as real touch and pointer events.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openApp, screenshot } from "./harness.mjs";

let app, page, errors, cdp;
before(async () => {
  app = await openApp({ width: 768, height: 1024, touch: true });
  ({ page, errors } = app);
  assert.equal(app.ready, true);
  cdp = await app.context.newCDPSession(page);
});
after(async () => { await app?.close(); });

const state = () => page.evaluate(() => attnlab.state());
const waitFor = (fn, arg, timeout = 10000) => page.waitForFunction(fn, arg, { timeout, polling: 100 });
const centre = (r) => ({ x: (r[0] + r[2]) / 2, y: (r[1] + r[3]) / 2 });
async function rect(name) {
  const h = await waitFor((name) => attnlab.state().ui[name], name);
  return h.jsonValue();
}
async function tap(name) {
  const { x, y } = centre(await rect(name));
  await page.touchscreen.tap(x, y);
}
// One finger (or two) down, moved in `steps` steps, lifted: points are [[x, y], ...] per finger.
async function touchPath(from, to, steps = 8) {
  const at = (t) => from.map(([x, y], i) => ({ x: x + (to[i][0] - x) * t, y: y + (to[i][1] - y) * t, id: i }));
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: at(0) });
  for (let s = 1; s <= steps; ++s) {
    await page.waitForTimeout(30);
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: at(s / steps) });
  }
  await page.waitForTimeout(60);
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
}

test("a tap on each tab opens that tab, the first time", async () => {
  await rect("tab.training");
  const s = await state();
  const views = Object.keys(s.ui).filter((k) => k.startsWith("tab.")).map((k) => k.slice(4));
  assert.equal(views.length, 6, views.join(", "));
  // Every other tab in turn, then back to the first view: each tap changes the view.
  const order = [...views.filter((v) => v !== s.view), s.view];
  for (const view of order) {
    await tap("tab." + view);
    await waitFor((view) => attnlab.state().view === view, view).catch(async () => {
      assert.fail(`a tap on the ${view} tab left the view at ${(await state()).view}`);
    });
  }
  await screenshot(page, "touch-768x1024-sandbox");
});

test("Play starts by touch, and one tap toggles it once", async () => {
  await page.evaluate(() => { attnlab.selectView("training"); return attnlab.training.load("window-misses-introduction"); });
  await waitFor(() => attnlab.state().lab.runs.length === 2 && attnlab.state().ui["training.play"]);
  await tap("training.play");
  await waitFor(() => attnlab.state().lab.playing && attnlab.state().lab.runs[0].step > 0);
  // A tap handled twice (touch, then the browser's compatibility mouse click) would have paused it again.
  await page.waitForTimeout(1000);
  assert.equal((await state()).lab.playing, true, "one tap on Play left the lab paused");
  await tap("training.play");
  await waitFor(() => !attnlab.state().lab.playing);
});

test("a finger drags a sandbox logit up", async () => {
  await page.evaluate(() => attnlab.selectView("sandbox"));
  const r = await rect("sandbox.logit.0");
  const before = (await state()).sandbox.logits[0];
  const { x, y } = centre(r);
  const dy = (r[3] - r[1]) * 0.3;
  await touchPath([[x, y + dy]], [[x, y - dy]]);
  const after = await waitFor((v) => attnlab.state().sandbox.logits[0] > v + 0.5 && attnlab.state().sandbox.logits[0], before)
    .then((h) => h.jsonValue());
  assert.ok(after > before + 0.5, `logit ${before} -> ${after}`);
});

test("two fingers pinch the Pattern explorer's mask open", async () => {
  await page.evaluate(() => attnlab.selectView("patterns"));
  const r = await rect("patterns.mask");
  const before = (await state()).patterns.view.zoom;
  const { x, y } = centre(r);
  const w = Math.min(r[2] - r[0], r[3] - r[1]);
  await touchPath([[x - w * 0.08, y], [x + w * 0.08, y]], [[x - w * 0.3, y], [x + w * 0.3, y]], 10);
  const zoom = await waitFor((z) => attnlab.state().patterns.view.zoom > z * 2 && attnlab.state().patterns.view.zoom, before)
    .then((h) => h.jsonValue());
  // Fingers 3.75x further apart: 3 wheel steps per doubling, 1.25x each, is about 3.5x.
  assert.ok(zoom > before * 2 && zoom < before * 6, `zoom ${before} -> ${zoom}`);
  await page.waitForTimeout(300);  // the cursor leaves with the fingers: no tooltip in the picture
  await screenshot(page, "touch-768x1024-patterns-pinched");
});

test("one finger pans the zoomed mask, the way the content moves", async () => {
  const r = await rect("patterns.mask");
  const before = (await state()).patterns.view;
  assert.ok(before.zoom > 2, `the mask is not zoomed (${before.zoom}): the pinch test runs first`);
  const { x, y } = centre(r);
  const d = Math.min(r[2] - r[0], r[3] - r[1]) * 0.2;
  await touchPath([[x, y]], [[x - d, y - d]], 10);  // content dragged up and left: later queries and keys come into view
  const after = await waitFor((b) => { const v = attnlab.state().patterns.view; return v.query0 > b.query0 + 1 && v.key0 > b.key0 + 1 && v; },
                              before).then((h) => h.jsonValue());
  assert.equal(after.span, before.span, "a pan changed the zoom");
  // Moved by about the finger's distance in positions (span / side per pixel), not a jump.
  const moved = (after.key0 - before.key0) / (before.span / (r[2] - r[0]));
  assert.ok(moved > d * 0.5 && moved < d * 1.5, `moved ${moved.toFixed(0)} px of ${d.toFixed(0)}`);
});

// The layout upright: the Training lab's heatmaps stack above the plots at a readable size, and the
// exercise titles wrap inside their list instead of being cut at its edge.
test("upright at 768x1024: heatmaps a third of the width, exercise titles wrapped", async () => {
  await page.evaluate(() => { attnlab.selectView("training"); return attnlab.training.load("window-misses-introduction"); });
  await waitFor(() => attnlab.state().lab.runs.length === 2);
  for (const run of (await state()).lab.runs) {
    const r = await rect("training.heatmap." + run.id);
    assert.ok(r[2] - r[0] >= 256, `run ${run.id}'s heatmap is ${r[2] - r[0]} px wide`);
  }
  await screenshot(page, "touch-768x1024-training");
  await page.evaluate(() => attnlab.selectView("exercises"));
  await rect("exercises.item.window-fix");
  const s = await state();
  const items = Object.entries(s.ui).filter(([k]) => k.startsWith("exercises.item."));
  const heights = items.map(([, r]) => r[3] - r[1]);
  const line = Math.min(...heights);
  const wrapped = items.filter(([, r]) => r[3] - r[1] > line * 1.5);
  assert.ok(wrapped.length >= 1, `no title wraps: heights ${heights.join(", ")}`);
  await screenshot(page, "touch-768x1024-exercises");
});

// Upright, the Softmax sandbox stacks its settings under the chart: the bars keep the width for the weight
// over each bar and the value under each slider (beside the settings, 16 keys got 18 px each).
test("upright at 768x1024: the sandbox's bars take the page's width", async () => {
  await page.evaluate(() => attnlab.selectView("sandbox"));
  const r = await rect("sandbox.bars");
  assert.ok(r[2] - r[0] >= 600, `the bars are ${r[2] - r[0]} px wide`);
  await screenshot(page, "touch-768x1024-sandbox-upright");
});

test("no console errors", () => {
  assert.deepEqual(errors, []);
});
