// Runs every built-in exercise the way a student would, in headless Chromium:
// Run the experiment, wait until it has finished (or a time limit), answer
// with the course's intended choice, and print the feedback's "What your run
// measured" as the page fills it in. Slow (the memory sweeps train many
// models): tens of minutes.
//   node tools/exercise_tour.mjs [--limit-minutes 20] [--only ID]
// Needs the wasm build (tools/serve or tools/test builds it).
import fs from "node:fs";
import path from "node:path";
import { repoRoot, startServer, startBrowser, openPage, waitReady } from "../tests/browser/harness.mjs";

const arg = (name, fallback) => { const i = process.argv.indexOf("--" + name); return i > 0 ? process.argv[i + 1] : fallback; };
const limitMs = Number(arg("limit-minutes", "20")) * 60000;
const course = JSON.parse(fs.readFileSync(path.join(repoRoot, "src/core/course/exercises.json"), "utf8"));
const only = arg("only", "");
if (only) course.exercises = course.exercises.filter((e) => e.id === only);

const server = await startServer();
const browser = await startBrowser();
const { page, errors } = await openPage(browser, server.url, { width: 1280, height: 720 });
if ((await waitReady(page)) !== true) throw new Error("the page did not start");
await page.evaluate(() => attnlab.exercises.resetProgress());

const finished = (view) => page.evaluate((v) => {
  const s = attnlab.state();
  if (v === "training") return s.lab.runs.length > 0 && s.lab.runs.every((r) => r.done);
  if (v === "memory" || v === "streaming") return !s[v].running && s[v].results.length > 0;
  return true;
}, view);

for (const e of course.exercises) {
  const view = e.experiment?.view ?? "";
  const t0 = Date.now();
  const r = await page.evaluate((id) => attnlab.exercises.run(id), e.id);
  if (!r.ok) throw new Error(`${e.id}: Run the experiment: ${JSON.stringify(r)}`);
  await page.waitForTimeout(1000);
  // The new runs, not the previous exercise's finished ones.
  if (view === "training")
    await page.waitForFunction((p) => { const s = attnlab.state(); return s.training.preset === p && s.lab.runs.length > 0 && s.lab.runs.some((r) => !r.done); },
                               e.experiment.preset, { timeout: 60000, polling: 100 });
  if (view === "training") await page.evaluate(() => { attnlab.training.speed(0); attnlab.training.play(); });
  while (!(await finished(view)) && Date.now() - t0 < limitMs) await page.waitForTimeout(2000);
  const done = await finished(view);
  const answer = e.kind === "choice" ? e.choices.find((c) => c.correct).id : e.kind === "number" ? String(e.answer) : e.model_answer;
  await page.evaluate(({ id, answer }) => { attnlab.selectView("exercises"); attnlab.exercises.open(id); attnlab.exercises.answer(id, answer); },
                      { id: e.id, answer });
  const f = (await page.evaluate(() => attnlab.state().exercises.feedback));
  console.log(`## ${e.id}: ${e.title}`);
  console.log(`experiment: ${JSON.stringify(e.experiment)}; ${done ? "finished" : "stopped at the time limit"} after ` +
              `${((Date.now() - t0) / 1000).toFixed(0)} s; answer "${answer}" -> ${f.correct ? "correct" : "not correct"}`);
  console.log(`measured: ${f.measured}\n`);
}
if (errors.length) console.log("console errors:", errors);
await browser.close();
server.stop();
