// The app in a classroom, in headless Chromium: shared links (a round trip
// that replays the same run, and hostile links), exercise files (a bad one
// through the real file picker, and one from ?exercises=<url>), answering an
// exercise right and wrong with the mouse, progress surviving a reload,
// presenter mode, the downloads (CSV, PNG, scenario JSON and its import),
// and a page that asks nothing of any other server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startServer, startBrowser, openPage, waitReady, screenshot, distinctColors } from "./harness.mjs";

let server, browser;
before(async () => {
  server = await startServer();
  browser = await startBrowser();
});
after(async () => { await browser?.close(); server?.stop(); });

async function open(hashOrQuery = "", options = {}) {
  const opened = await openPage(browser, server.url + hashOrQuery, options);
  opened.requests = [];
  opened.page.on("request", (r) => opened.requests.push(r.url()));
  assert.equal(await waitReady(opened.page), true);
  return opened;
}
const state = (page) => page.evaluate(() => attnlab.state());
const waitFor = (page, fn, arg, timeout = 60000) => page.waitForFunction(fn, arg, { timeout, polling: 100 });
async function click(page, name) {
  await waitFor(page, (n) => !!attnlab.state().ui[n], name, 10000);
  const r = (await state(page)).ui[name];
  await page.mouse.move((r[0] + r[2]) / 2, (r[1] + r[3]) / 2, { steps: 3 });
  await page.waitForTimeout(60);
  await page.mouse.down();
  await page.waitForTimeout(60);
  await page.mouse.up();
}
async function download(page, trigger) {
  const [d] = await Promise.all([page.waitForEvent("download", { timeout: 20000 }), trigger()]);
  return { name: d.suggestedFilename(), bytes: fs.readFileSync(await d.path()) };
}

test("a shared link replays the same run: preset, view, settings and the intervention at its step", async () => {
  const a = await open();
  await a.page.evaluate(() => { attnlab.training.load("window-misses-introduction"); attnlab.selectView("training"); });
  await a.page.evaluate(() => attnlab.training.view(1, 1, -1));
  await a.page.evaluate(() => attnlab.training.step(8));
  await waitFor(a.page, () => attnlab.state().lab.runs.length === 2 && attnlab.state().lab.runs.every((r) => r.step === 8));
  assert.deepEqual(await a.page.evaluate(() => attnlab.training.apply({ model: { globals: 2 } }, "a")), { ok: true });
  await a.page.evaluate(() => attnlab.training.step(12));
  await waitFor(a.page, () => attnlab.state().lab.runs.every((r) => r.step === 20) && attnlab.state().lab.interventions.length === 1);
  const original = await state(a.page);
  assert.equal(original.lab.interventions[0].step, 8);
  const shared = await a.page.evaluate(() => attnlab.share());
  assert.equal(shared.ok, true);
  assert.match(shared.url, /#s=[A-Za-z0-9_-]+$/);
  assert.equal(await a.page.evaluate(() => location.href), shared.url);  // the address bar holds it too
  await a.context.close();

  const b = await open(shared.url.slice(shared.url.indexOf("#")));
  await waitFor(b.page, () => attnlab.state().lab.runs.length === 2);
  let s = await state(b.page);
  assert.equal(s.view, "training");
  assert.equal(s.training.preset, "window-misses-introduction");
  assert.deepEqual(s.training.view, { layer: 1, head: 1, query: -1 });
  assert.deepEqual(s.notices.filter((n) => n.error), []);
  await b.page.evaluate(() => attnlab.training.step(20));
  await waitFor(b.page, () => attnlab.state().lab.runs.every((r) => r.step === 20));  // A and B train in parallel
  s = await state(b.page);
  for (const id of [0, 1]) {  // bit-identical measures, the same seed and data
    assert.equal(s.lab.runs[id].latest.eval_loss, original.lab.runs[id].latest.eval_loss, "run " + id);
    assert.equal(s.lab.runs[id].data_fingerprint, original.lab.runs[id].data_fingerprint);
  }
  assert.deepEqual(s.lab.interventions, original.lab.interventions);
  assert.deepEqual(s.lab.runs[0].events, original.lab.runs[0].events);
  assert.match(s.lab.runs[0].events[0].event, /model\.globals 0 -> 2/);
  assert.deepEqual(b.errors, []);
  await b.context.close();
});

test("a hostile link is refused field by field, with notices, and nothing breaks", async () => {
  const hostile = "#view=training&preset=%3Cscript%3Ealert(1)%3C%2Fscript%3E&presenter=maybe&zzz=" + "x".repeat(20000) +
    "&exercise=../../etc&s=" + "!".repeat(50);
  const a = await open(hostile);
  await a.page.waitForTimeout(300);
  let s = await state(a.page);
  const text = s.share.notices.join("\n");
  assert.match(s.notices.map((n) => n.text).join("\n"), /The link was opened with defaults where it was wrong/);
  assert.match(text, /link: preset: "<script>alert\(1\)<\/script>" is not a preset/);
  assert.match(text, /link: presenter: must be true or false/);
  assert.equal(s.view, "training");         // the good field applied
  assert.equal(s.presenter, false);         // defaults for the bad ones
  assert.equal(s.training.preset, "");
  // Wrong types, out-of-range and huge numbers inside the JSON part.
  const evil = { v: 99, view: 7, training: { layer: 1e308, head: -1, speed: "fast", query: 3, extra: 1 },
                 scenario: { config: { model: { heads: 1e9, window: "wide" }, task: { length: -5 } }, evil: true },
                 sandbox: { logits: "many", temperature: 1e300 }, patterns: { n: 1e12, window: 4 },
                 presenter: "yes", unknown: "x".repeat(5000) };
  const b64 = (j) => a.page.evaluate((t) => btoa(t).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""), JSON.stringify(j));
  await a.page.evaluate((h) => { location.hash = h; }, "#s=" + await b64(evil));
  await waitFor(a.page, () => attnlab.state().share.notices.some((n) => /training\.layer/.test(n)));
  s = await state(a.page);
  const all = s.share.notices.join("\n");
  assert.match(all, /link: training\.layer: must be a number from 0 to 3/);
  assert.equal(s.training.view.query, 3);   // the one valid training field applied
  assert.equal(s.patterns.settings.window, 4);
  // Nesting 500 levels deep (it would overflow a recursive parser's stack).
  await a.page.evaluate((h) => { location.hash = h; }, "#s=" + await b64({ view: "sandbox", deep: JSON.parse("[".repeat(500) + "]".repeat(500)) }));
  await waitFor(a.page, () => attnlab.state().share.notices.some((n) => /more than 64 levels deep/.test(n)));
  // A link far too long is refused as a whole.
  await a.page.evaluate(() => { location.hash = "#s=" + "A".repeat(100000); });
  await waitFor(a.page, () => attnlab.state().share.notices.some((n) => /link: too long/.test(n)));
  assert.equal(await a.page.evaluate(() => typeof attnlab.state().view), "string");  // still answering
  assert.deepEqual(a.errors, []);
  await screenshot(a.page, "classroom-hostile-link");
  await a.context.close();
});

test("a bad exercise file, through the file picker, names each bad entry and field; the good ones load", async () => {
  const a = await open();
  await a.page.evaluate(() => attnlab.selectView("exercises"));
  const file = JSON.stringify({ title: "Week 3", exercises: [
    { id: "good-one", title: "Two plus two", question: "2 + 2 = ?", kind: "number", answer: 4, tolerance: 0 },
    { id: "Bad Id", title: "x", question: "q", kind: "choice", choices: [] },
    { id: "no-correct", title: "x", question: "q", kind: "choice", choices: [{ id: "a", text: "A" }, { id: "b", text: "B" }] },
    { id: "essay", title: "x", question: "q", kind: "essay" },
    "not an object",
  ] });
  const [chooser] = await Promise.all([a.page.waitForEvent("filechooser"), click(a.page, "exercises.pick_file")]);
  await chooser.setFiles({ name: "week3.json", mimeType: "application/json", buffer: Buffer.from(file) });
  await waitFor(a.page, () => attnlab.state().exercises.file === "week3.json");
  let s = (await state(a.page)).exercises;
  assert.ok(s.exercises.some((e) => e.id === "good-one" && e.source === "week3.json"));
  assert.equal(s.exercises.filter((e) => e.source === "week3.json").length, 1);
  const errs = s.fileErrors.join("\n");
  assert.match(errs, /exercise 2 \("Bad Id"\): id: may only use/);
  assert.match(errs, /exercise 3 \("no-correct"\): choices: no choice is marked "correct"/);
  assert.match(errs, /exercise 4 \("essay"\): kind: must be choice, number or text/);
  assert.match(errs, /exercise 5: entry: must be an object/);
  await screenshot(a.page, "classroom-bad-exercise-file");
  // Not JSON at all.
  assert.deepEqual(await a.page.evaluate(() => attnlab.exercises.load("{oops", "broken.json")), { ok: true });
  s = (await state(a.page)).exercises;
  assert.deepEqual(s.fileErrors, ["file: not valid JSON"]);
  // The example in README.md ("Writing an exercise file") loads cleanly and its experiments run.
  const readme = fs.readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const example = readme.match(/## Writing an exercise file[\s\S]*?```json\n([\s\S]*?)```/)[1];
  await a.page.evaluate((t) => attnlab.exercises.load(t, "readme-example.json"), example);
  s = (await state(a.page)).exercises;
  assert.deepEqual(s.fileErrors, []);
  assert.deepEqual(s.exercises.filter((e) => e.source === "readme-example.json").map((e) => e.id), ["reach", "pairs", "why"]);
  assert.deepEqual(await a.page.evaluate(() => attnlab.exercises.run("pairs")), { ok: true });
  await waitFor(a.page, () => attnlab.state().view === "patterns" && attnlab.state().patterns.settings.n === 256);
  assert.equal(await a.page.evaluate(() => attnlab.exercises.answer("pairs", "65536").ok), true);
  assert.equal((await state(a.page)).exercises.feedback.correct, true);
  assert.deepEqual(a.errors, []);
  await a.context.close();
  // From the address: a file the server does not have.
  const b = await open("?exercises=missing.json");
  await waitFor(b.page, () => attnlab.state().exercises.fileErrors.length > 0);
  s = await state(b.page);
  assert.equal(s.view, "exercises");
  assert.match(s.exercises.fileErrors[0], /missing\.json: the server answered 404/);
  await b.context.close();
});

test("answering with the mouse: a wrong choice, then the right one, with feedback; progress survives a reload", async () => {
  const a = await open();
  await a.page.evaluate(() => { attnlab.exercises.resetProgress(); attnlab.selectView("exercises"); attnlab.exercises.open("more-globals-free"); });
  await click(a.page, "exercises.choice.true");
  await click(a.page, "exercises.check");
  await waitFor(a.page, () => attnlab.state().exercises.feedback.shown);
  let f = (await state(a.page)).exercises.feedback;
  assert.equal(f.correct, false);
  assert.match(f.choiceFeedback, /cost grows with n times g/);
  assert.match(f.explanation, /price in compute/);
  assert.match(f.measured, /not measured yet/);  // this browser has not run the sweep
  await click(a.page, "exercises.choice.false");
  await click(a.page, "exercises.check");
  await waitFor(a.page, () => attnlab.state().exercises.feedback.correct === true);
  f = (await state(a.page)).exercises.feedback;
  assert.match(f.choiceFeedback, /^Right\./);
  await screenshot(a.page, "classroom-exercise-answered");
  // Numeric answer through the API: wrong, then right.
  let r = await a.page.evaluate(() => attnlab.exercises.answer("window-layers", "4"));
  assert.equal(r.ok, true);
  assert.equal((await state(a.page)).exercises.feedback.correct, false);
  r = await a.page.evaluate(() => attnlab.exercises.answer("window-layers", "lots"));
  assert.equal(r.ok, false);
  assert.match(r.errors[0], /Enter a number/);
  await a.page.evaluate(() => attnlab.exercises.answer("window-layers", 16));
  await a.page.reload();
  assert.equal(await waitReady(a.page), true);
  const p = (await state(a.page)).exercises.progress;
  assert.deepEqual(p["more-globals-free"], { answer: "false", correct: true });
  assert.deepEqual(p["window-layers"], { answer: "16", correct: true });
  assert.equal((await state(a.page)).exercises.correct, 2);
  await a.page.evaluate(() => attnlab.exercises.resetProgress());
  await a.page.reload();
  assert.equal(await waitReady(a.page), true);
  assert.deepEqual((await state(a.page)).exercises.progress, {});
  assert.deepEqual(a.errors, []);
  await a.context.close();
});

test("Run the experiment sets up the lab, and the feedback quotes what this run measured", async () => {
  const a = await open();
  await a.page.evaluate(() => { attnlab.selectView("exercises"); attnlab.exercises.open("window-fix"); });
  await click(a.page, "exercises.run");
  await waitFor(a.page, () => attnlab.state().view === "training" && attnlab.state().training.preset === "window-misses-introduction" &&
                             attnlab.state().lab.playing);
  await waitFor(a.page, () => (attnlab.state().results["window-misses-introduction"] || {}).b?.step >= 20, null, 120000);
  await a.page.evaluate(() => attnlab.training.pause());
  // A and B train in two workers, which stop together a few steps after the pause: wait until they have.
  await waitFor(a.page, () => { const l = attnlab.state().lab; return !l.playing && l.runs.every((r) => r.step === l.runs[0].step); });
  await a.page.waitForTimeout(300);
  await a.page.evaluate(() => attnlab.selectView("exercises"));
  await a.page.evaluate(() => attnlab.exercises.answer("window-fix", "globals"));
  await a.page.waitForTimeout(700);  // the feedback refreshes its numbers twice a second
  const s = await state(a.page);
  const res = s.results["window-misses-introduction"];
  const f = s.exercises.feedback;
  assert.equal(f.measuredMissing, false);
  // The text rounds with C's printf (0.0625 -> "0.062"; JavaScript's toFixed gives "0.063"): compare the number.
  const quoted = Number(f.measured.match(/window only, accuracy ([0-9.]+)/)[1]);
  assert.ok(Math.abs(quoted - res.a.accuracy) <= 0.00051, f.measured + " against " + res.a.accuracy);
  assert.ok(f.measured.includes(`${res.a.pairs} and ${res.b.pairs}`), f.measured);
  assert.equal(res.a.pairs, 3952);  // exact: the ±16 window's pairs at n = 128
  await screenshot(a.page, "classroom-exercise-measured");
  await a.context.close();
});

test("presenter mode: larger type, the demo script, big Play; works at 1280x720", async () => {
  const a = await open("", { width: 1280, height: 720 });
  await a.page.evaluate(() => { attnlab.training.load("peaky-attention"); attnlab.selectView("training"); });
  await waitFor(a.page, () => attnlab.state().lab.loaded && !!attnlab.state().ui["training.play"]);
  const before = (await state(a.page)).ui["training.play"];
  await click(a.page, "app.presenter");
  await waitFor(a.page, () => attnlab.state().presenter && !!attnlab.state().ui["app.script.next"]);
  const s = await state(a.page);
  const after = s.ui["training.play"];
  assert.ok((after[3] - after[1]) > 1.8 * (before[3] - before[1]), "Play is much taller in presenter mode");
  assert.equal(s.script.for, "Peaky attention on long inputs");
  await click(a.page, "app.script.next");
  await waitFor(a.page, () => attnlab.state().script.step === 1);
  for (const name of ["training.play", "training.step", "app.script.next", "app.presenter"]) {
    const r = (await state(a.page)).ui[name];
    assert.ok(r[2] <= 1280 && r[3] <= 720, name + " is on screen");
  }
  await screenshot(a.page, "classroom-presenter-1280x720");
  // The Softmax sandbox at presenter type: its columns are narrower than a weight's label, but the peak's
  // weight is still written over its bar (its neighbours, near 0, show none).
  await a.page.evaluate(() => attnlab.selectView("sandbox"));
  await waitFor(a.page, () => attnlab.state().view === "sandbox" && !!attnlab.state().ui["sandbox.bars"]);
  const sb = await state(a.page);
  const peak = sb.sandbox.measures.peakIndex, bars = sb.ui["sandbox.bars"], label = sb.ui["sandbox.weight." + peak];
  assert.ok(label, `no weight over the peak's bar (k${peak + 1}, ${sb.sandbox.weights[peak]})`);
  assert.ok(label[0] >= bars[0] && label[2] <= bars[2], "the label stays over the chart");
  const legend = sb.ui["sandbox.legend"];
  assert.ok(label[1] >= legend[3] || label[0] >= legend[2], `the label ${label} lies under the colour legend ${legend}`);
  await screenshot(a.page, "classroom-presenter-sandbox-1280x720");
  assert.deepEqual(a.errors, []);
  await a.context.close();
});

test("downloads: measures as CSV, the heatmap as PNG, the scenario as JSON that opens again", async () => {
  const a = await open();
  await a.page.evaluate(() => { attnlab.training.load("peaky-attention"); attnlab.selectView("training"); attnlab.training.step(10); });
  await waitFor(a.page, () => attnlab.state().lab.runs.length === 2 && attnlab.state().lab.runs.every((r) => r.step === 10) &&
                             !!attnlab.state().ui["training.heatmap.a"]);
  const csv = await download(a.page, () => a.page.evaluate(() => attnlab.exportFile("csv")));
  assert.equal(csv.name, "peaky-attention-measures.csv");
  const lines = csv.bytes.toString().trim().split("\n");
  assert.match(lines[0], /^run,step,lr,train_loss,eval_loss,accuracy_/);
  assert.equal(lines.filter((l) => l.startsWith("a (")).length, 2);  // steps 0 and 10
  assert.equal(lines.filter((l) => l.startsWith("b (")).length, 2);
  // The PNG, through the real menu.
  await click(a.page, "app.export");
  const png = await download(a.page, () => click(a.page, "app.export.png:training.heatmap.a"));
  assert.equal(png.name, "peaky-attention-heatmap-a.png");
  assert.deepEqual([...png.bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
  const r = (await state(a.page)).ui["training.heatmap.a"];
  assert.equal(png.bytes.readUInt32BE(16), Math.round(r[2] - r[0]));  // IHDR width: the heatmap's
  const file = path.join(os.tmpdir(), "attnlab-heatmap.png");
  fs.writeFileSync(file, png.bytes);
  const colours = await distinctColors(browser, file);
  assert.ok(colours > 20, "the PNG holds the heatmap, not a blank: " + colours + " colours");
  // The scenario file, then opened in a fresh page.
  await a.page.evaluate(() => attnlab.training.view(1, 0, 5));
  const json = await download(a.page, () => a.page.evaluate(() => attnlab.exportFile("scenario")));
  const scenario = JSON.parse(json.bytes.toString());
  assert.equal(scenario.preset, "peaky-attention");
  await a.context.close();
  const b = await open();
  await b.page.evaluate(() => attnlab.selectView("training"));
  await click(b.page, "app.export");
  const [chooser] = await Promise.all([b.page.waitForEvent("filechooser"), click(b.page, "app.export.import")]);
  await chooser.setFiles({ name: json.name, mimeType: "application/json", buffer: json.bytes });
  await waitFor(b.page, () => attnlab.state().training.preset === "peaky-attention");
  const s = await state(b.page);
  assert.deepEqual(s.training.view, { layer: 1, head: 0, query: 5 });
  assert.deepEqual(b.errors, []);
  await b.context.close();
});

test("the page asks nothing of any other server, before or after it is ready", async () => {
  const a = await open();
  await a.page.evaluate(() => { attnlab.training.load("window-misses-introduction"); attnlab.training.play(); });
  await a.page.waitForTimeout(2000);
  const foreign = a.requests.filter((u) => !u.startsWith(server.url) && !u.startsWith("data:") && !u.startsWith("blob:"));
  assert.deepEqual(foreign, []);
  await a.context.close();
});
