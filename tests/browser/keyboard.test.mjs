// The keyboard alone: Tab leaves the canvas and Shift+Tab comes back (no
// keyboard trap, WCAG 2.1.2), with a visible focus ring, and keys other than
// Tab still reach the app (Space plays and pauses).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openApp, screenshot } from "./harness.mjs";

let app, page, errors;
before(async () => {
  app = await openApp();
  ({ page, errors } = app);
  assert.equal(app.ready, true);
});
after(async () => { await app?.close(); });

const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
const waitFor = (fn, arg, timeout = 10000) => page.waitForFunction(fn, arg, { timeout, polling: 100 });

const ring = () => page.evaluate(() => {
  const s = getComputedStyle(document.getElementById("canvas"));
  return { style: s.outlineStyle, width: s.outlineWidth };
});

test("Tab leaves the canvas and Shift+Tab comes back, with a focus ring", async () => {
  await page.evaluate(() => document.getElementById("canvas").focus());
  assert.equal(await focused(), "canvas");
  // Focused by the page on load, not by the keyboard: no ring around the whole app.
  assert.equal((await ring()).style, "none");
  await page.keyboard.press("Tab");
  assert.notEqual(await focused(), "canvas", "Tab left the focus on the canvas: a keyboard trap");
  await page.keyboard.press("Shift+Tab");
  assert.equal(await focused(), "canvas", "Shift+Tab did not bring the focus back to the canvas");
  // Reached by the keyboard: the ring is drawn (3 px, solid, inside the edge), until a pointer press.
  assert.deepEqual(await ring(), { style: "solid", width: "3px" });
  await screenshot(page, "keyboard-focus-ring-1280x720");
  await page.mouse.click(640, 700);
  assert.equal((await ring()).style, "none");
});

test("keys other than Tab still reach the app: Space plays and pauses", async () => {
  await page.evaluate(() => { attnlab.selectView("training"); return attnlab.training.load("window-misses-introduction"); });
  await waitFor(() => attnlab.state().lab.runs.length === 2 && attnlab.state().ui["training.play"]);
  await page.evaluate(() => document.getElementById("canvas").focus());
  await page.keyboard.press("Space");
  await waitFor(() => attnlab.state().lab.playing);
  await page.keyboard.press("Space");
  await waitFor(() => !attnlab.state().lab.playing);
});

test("no console errors", () => {
  assert.deepEqual(errors, []);
});
