// Time to lesson: how long the class waits. Serves the built page, opens it in
// headless Chromium at 1280x720 and, for every Training-lab preset, loads it,
// sets the fastest speed, presses Play and records the seconds until the page
// shows the preset's lesson judged (lab.lesson: held or not held, read from the
// page's state, never from a copy here). For every Memory-lab and
// Streaming-lab preset it starts the job and records the seconds until it is
// done (and its lesson judged). A benchmark, never a test: the figures depend
// on the machine.
//   node bench/lesson_time.mjs [--only ID,ID] [--timeout 600] [--engines N] [--engine plain] [--site DIR]
// --engines N opens the page with ?engines=N (training Web Workers; the page's
// own choice otherwise, from navigator.hardwareConcurrency). --engine plain opens
// it with ?engine=plain (the engine without the fused multiply-add, which
// Chromium would otherwise load). --site DIR serves
// another build's site folder (build/wasm/web of an older checkout), for a
// before/after in one session.
// Needs the wasm build (tools/serve or cmake --build --preset wasm) and the
// native runner (for the list of presets: attnlab lesson --list).
// Writes the table to build/bench/lesson-time.txt as well.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startServer, startBrowser, openPage, waitReady } from "../tests/browser/harness.mjs";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const arg = (name, fallback) => { const i = process.argv.indexOf("--" + name); return i > 0 ? process.argv[i + 1] : fallback; };
const only = arg("only", "").split(",").filter(Boolean);
const timeoutMs = Number(arg("timeout", "600")) * 1000;
const engines = arg("engines", "");
const engineBuild = arg("engine", "");

// The presets and their views, from the engine itself.
const listing = execFileSync(path.join(ROOT, "build/native/src/attnlab"), ["lesson", "--list"], { encoding: "utf8" });
const presets = [...listing.matchAll(/^(\S+)\s+\((training|memory|streaming)\)/gm)]
  .map((m) => ({ id: m[1], view: m[2] }))
  .filter((p) => !only.length || only.includes(p.id));

const cpu = (() => {
  try { return execFileSync("lscpu", { encoding: "utf8" }).match(/^Model name:\s*(.+)$/m)[1].trim(); } catch { return os.cpus()[0]?.model ?? "unknown"; }
})();

const server = await startServer(arg("site", undefined));  // --site DIR: another build, for before/after
const browser = await startBrowser();
const query = [engines && "engines=" + engines, engineBuild && "engine=" + engineBuild].filter(Boolean).join("&");
const { page, errors } = await openPage(browser, server.url + (query ? "?" + query : ""), { width: 1280, height: 720 });
if ((await waitReady(page)) !== true) throw new Error("the page did not start");
const pool = await page.evaluate(() => ({ cores: navigator.hardwareConcurrency, build: attnlab.engineBuild() }));

const rows = [];
for (const p of presets) {
  process.stderr.write(`${p.id} ... `);
  let result;
  if (p.view === "training") {
    await page.evaluate((id) => { attnlab.selectView("training"); attnlab.training.load(id); }, p.id);
    // The new preset's runs, at step 0, with its lesson not yet judged (not the previous preset's verdict).
    await page.waitForFunction((id) => {
      const s = attnlab.state();
      return s.training.preset === id && s.lab.runs.length > 0 && s.lab.runs.every((r) => r.step === 0) &&
             s.lab.lesson && s.lab.lesson.status === "not yet";
    }, p.id, { timeout: 60000 });
    await page.evaluate(() => { attnlab.training.speed(0); attnlab.training.play(); });
    const t0 = Date.now();
    const handle = await page.waitForFunction(() => {
      const s = attnlab.state().lab;
      return s.lesson && s.lesson.status !== "not yet" && s.runs.every((r) => r.step > 0) &&
             { status: s.lesson.status, runs: s.runs.map((r) => ({ step: r.step })) };
    }, null, { timeout: timeoutMs, polling: 100 });
    const seconds = (Date.now() - t0) / 1000;
    const seen = await handle.jsonValue();
    await page.evaluate(() => attnlab.training.pause());
    const steps = seen.runs.map((r) => r.step);
    result = { seconds, status: seen.status, steps: steps.join(" / "),
               rate: steps.map((s) => (s / seconds).toFixed(1)).join(" / ") };
  } else {
    await page.evaluate((v) => attnlab.selectView(v), p.view);
    const reply = await page.evaluate(({ view, id }) => attnlab.command({ cmd: view + ".start", preset: id }), { view: p.view, id: p.id });
    if (!reply.ok) throw new Error(`${p.id}: ${JSON.stringify(reply)}`);
    await page.waitForFunction((view) => attnlab.state()[view].running, p.view, { timeout: 60000, polling: 50 });
    const t0 = Date.now();
    const handle = await page.waitForFunction((view) => {
      const s = attnlab.state()[view];
      return !s.running && s.lesson && s.lesson.status !== "not yet" && { status: s.lesson.status };
    }, p.view, { timeout: timeoutMs, polling: 200 });
    const seconds = (Date.now() - t0) / 1000;
    result = { seconds, status: (await handle.jsonValue()).status, steps: "job", rate: "" };
  }
  result.memory = await page.evaluate(() => attnlab.state().lab.engine_memory_mb);  // all workers' wasm memory so far
  pool.engines = await page.evaluate(() => attnlab.state().lab.engines);
  process.stderr.write(`${result.seconds.toFixed(1)} s (${result.status})\n`);
  rows.push({ ...p, ...result });
}
await browser.close();
server.stop();

const lines = [
  `Time to lesson, headless Chromium at 1280x720, ${new Date().toISOString().slice(0, 10)}; CPU: ${cpu}, ${os.cpus().length} cores; ` +
    `${pool.engines} training Web Workers (${engines ? "?engines=" + engines : "the page's choice"}; hardwareConcurrency ${pool.cores}), ` +
    `engine ${pool.build}`,
  "",
  "| preset | view | seconds | the lesson | steps (A / B) | steps/s per run | workers' memory so far (MB) |",
  "|---|---|---|---|---|---|---|",
  ...rows.map((r) => `| ${r.id} | ${r.view} | ${r.seconds.toFixed(1)} | ${r.status} | ${r.steps} | ${r.rate} | ${Math.round(r.memory)} |`),
];
if (errors.length) lines.push("", "console errors: " + JSON.stringify(errors));
console.log(lines.join("\n"));
fs.mkdirSync(path.join(ROOT, "build/bench"), { recursive: true });
fs.writeFileSync(path.join(ROOT, "build/bench/lesson-time.txt"), lines.join("\n") + "\n");
