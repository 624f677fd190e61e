// A whole lesson through the accessible page with the keyboard alone, as a
// screen reader user does it: Tab, Enter, Space and the arrows choose the
// Training lab, load the window preset, play it, and read the lesson's
// verdict on the page and from the live region; then an exercise is answered.
// The test reads state() for its assertions only; every action is a key.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openApp, screenshot } from "./harness.mjs";

const PRESET = "window-misses-introduction";  // shows its lesson in about 15 s with two engines
let app, page, errors;
before(async () => {
  app = await openApp();
  ({ page, errors } = app);
  assert.equal(app.ready, true);
  // Every change of the live region, with its time: read, never written, by the test.
  await page.evaluate(() => {
    window.__announced = [];
    const live = document.getElementById("access-live");
    new MutationObserver(() => { if (live.textContent) window.__announced.push({ t: performance.now(), text: live.textContent }); })
      .observe(live, { childList: true, characterData: true, subtree: true });
  });
});
after(async () => { await app?.close(); });

const state = () => page.evaluate(() => attnlab.state());
const focusedId = () => page.evaluate(() => document.activeElement?.id || "");
const announced = () => page.evaluate(() => window.__announced);
// Presses Tab (or Shift+Tab) until the control with this id has the focus.
async function tabTo(id, { back = false, max = 80 } = {}) {
  for (let i = 0; i < max; ++i) {
    if ((await focusedId()) === id) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  assert.fail(`${max} presses of ${back ? "Shift+Tab" : "Tab"} did not reach #${id} (focus on #${await focusedId()})`);
}
const waitFor = (fn, arg, timeout = 30000) => page.waitForFunction(fn, arg, { timeout, polling: 100 });

test("the Training lab's lesson, by keyboard alone", async () => {
  await page.evaluate(() => document.getElementById("canvas").focus());
  // From the canvas, Tab reaches the page's view buttons.
  await page.keyboard.press("Tab");
  assert.equal(await focusedId(), "acc-view-sandbox");
  await tabTo("acc-view-training");
  await page.keyboard.press("Enter");
  assert.equal((await state()).view, "training");

  await tabTo("acc-tr-preset");
  await page.keyboard.press("Home");  // the first scenario is the window preset
  assert.equal(await page.evaluate(() => document.activeElement.value), PRESET);
  await tabTo("acc-tr-load");
  await page.keyboard.press("Enter");
  await waitFor((id) => attnlab.state().training.preset === id && attnlab.state().lab.runs.length === 2, PRESET);
  // Loading rebuilt the view's controls; the focus stayed on the button.
  assert.equal(await focusedId(), "acc-tr-load");
  await screenshot(page, "access-keyboard-training-1280x720");

  // Space on Step takes one step, and only that: the key does not also reach the app, where Space plays.
  await tabTo("acc-tr-step");
  await page.keyboard.press("Space");
  await waitFor(() => attnlab.state().lab.runs.every((r) => r.step === 1), null, 10000);
  await page.waitForTimeout(1000);
  let s1 = await state();
  assert.equal(s1.lab.playing, false);
  assert.deepEqual(s1.lab.runs.map((r) => r.step), [1, 1]);

  // Nor do keys typed into the page's fields: Space in a number field leaves the run paused.
  await tabTo("acc-tr-globals");
  await page.keyboard.press("Space");
  await page.waitForTimeout(1500);
  assert.equal((await state()).lab.playing, false, "Space typed in a field of the page played the run");

  await tabTo("acc-tr-play", { back: true });
  assert.equal(await page.locator("#acc-tr-play").innerText(), "Play");
  await page.keyboard.press("Space");
  await waitFor(() => attnlab.state().lab.playing, null, 5000);
  await waitFor(() => document.getElementById("acc-tr-play").textContent === "Pause", null, 5000);

  // The verdict, once the core has judged the run.
  const s = await waitFor(() => { const l = attnlab.state().lab.lesson; return l && l.status !== "not yet" && attnlab.state(); }, null, 90000)
    .then((h) => h.jsonValue());
  assert.equal(s.lab.lesson.status, "held", s.lab.lesson.text);
  await waitFor((text) => document.getElementById("acc-tr-lesson").textContent.endsWith("Verdict: " + text), s.lab.lesson.text, 5000);
  const aria = await page.locator("#access").ariaSnapshot();
  assert.ok(aria.includes("Verdict: " + s.lab.lesson.text), aria);
  await waitFor((text) => window.__announced.some((a) => a.text.includes("Training lab verdict: " + text)), s.lab.lesson.text, 5000);
  // Said in a polite live region, which a screen reader reads out when it changes.
  assert.deepEqual(await page.evaluate(() => { const l = document.getElementById("access-live");
    return [l.getAttribute("role"), l.getAttribute("aria-live"), l.closest("[hidden],[aria-hidden=true]")]; }), ["status", "polite", null]);

  // While it trained, progress was announced, and never twice within 5 s (results may come sooner).
  const said = await announced();
  const progress = said.filter((a) => a.text.startsWith("Training, step "));
  assert.ok(progress.length >= 1, JSON.stringify(said));
  for (let i = 1; i < said.length; ++i)
    if (said[i].text.startsWith("Training, step "))
      assert.ok(said[i].t - said[i - 1].t >= 4900, `announced ${Math.round(said[i].t - said[i - 1].t)} ms apart: ${JSON.stringify(said.slice(Math.max(0, i - 2), i + 1))}`);
  const first = progress[0].text;
  assert.match(first, /^Training, step \d+ of 1200\. window 16: accuracy (\d+\.\d%|not measured yet), window 16 \+ 1 global: accuracy/);

  // Pause, with Space on the same button.
  await page.keyboard.press("Space");
  await waitFor(() => !attnlab.state().lab.playing, null, 5000);
});

test("an exercise answered by keyboard alone", async () => {
  await tabTo("acc-view-exercises", { back: true });
  await page.keyboard.press("Enter");
  assert.equal((await state()).view, "exercises");
  const ex = (await state()).exercises.current;
  assert.equal(ex.id, "window-fix");
  const right = ex.choices.findIndex((c) => c.id === "globals");
  await tabTo("acc-ex-choice-0");
  for (let i = 0; i < right; ++i) await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.querySelector("input[name=acc-ex-choice]:checked")?.value), "globals");
  await tabTo("acc-ex-check");
  await page.keyboard.press("Enter");
  await waitFor(() => attnlab.state().exercises.feedback.shown, null, 5000);
  const f = (await state()).exercises.feedback;
  assert.equal(f.correct, true);
  assert.equal(f.answer, "globals");
  await waitFor((text) => window.__announced.some((a) => a.text.includes("Correct. " + text)), f.text, 5000);
  assert.ok((await page.locator("#acc-ex-feedback").innerText()).startsWith("Correct. " + f.text));
  assert.equal((await state()).exercises.correct, 1);
});

test("no console errors", () => {
  assert.deepEqual(errors, []);
});
