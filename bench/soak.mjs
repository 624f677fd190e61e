// A long session in headless Chromium. By default it trains: the Training
// lab's first preset plays for the whole time, started over (Reset, Play)
// whenever its runs finish. With --classroom it acts like a lesson instead:
// every view in turn, every Training-lab preset played for a while, the
// Memory and Streaming labs' jobs started and cancelled, links shared and
// reopened, exercises answered, presenter mode on and off (one action every
// 5 s). Each minute it prints the JS heap,
// the UI module's wasm memory, the p95 frame interval, and the steps done;
// at the end, the growth from the first minute to the last. Any console
// error is reported. (A benchmark, not a test: it takes minutes.)
//   node bench/soak.mjs [--minutes 10] [--classroom]
import { startServer, startBrowser, openPage, waitReady } from "../tests/browser/harness.mjs";

const arg = (name, fallback) => { const i = process.argv.indexOf("--" + name); return i > 0 ? process.argv[i + 1] : fallback; };
const minutes = Number(arg("minutes", "10"));
const classroom = process.argv.includes("--classroom");

const server = await startServer();
const browser = await startBrowser();
const { page, errors, context } = await openPage(browser, server.url, { width: 1280, height: 720 });
if ((await waitReady(page)) !== true) throw new Error("the page did not start");
const cdp = await context.newCDPSession(page);
await cdp.send("Performance.enable");
const metric = async (name) => (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === name)?.value ?? NaN;
await page.evaluate(() => {
  window.__frames = [];
  let last = performance.now();
  const tick = (t) => { window.__frames.push(t - last); last = t; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
});

const presets = ["window-misses-introduction", "peaky-attention", "globals-do-not-calm-saturated-softmax", "too-many-globals"];
const lesson = [
  async (i) => page.evaluate((p) => { attnlab.selectView("training"); attnlab.training.load(p); attnlab.training.play(); }, presets[i % presets.length]),
  async () => page.evaluate(() => attnlab.training.apply({ model: { globals: 4 } }, "b")),
  async () => page.evaluate(() => { attnlab.selectView("patterns"); attnlab.command({ cmd: "patterns.set", n: 4096, window: 16, globals: 4 }); }),
  async () => page.evaluate(() => { attnlab.selectView("memory"); attnlab.command({ cmd: "memory.start", preset: "memory-cost" }); }),
  async () => page.evaluate(() => attnlab.command({ cmd: "memory.cancel" })),
  async () => page.evaluate(() => { attnlab.selectView("streaming"); attnlab.command({ cmd: "streaming.start", preset: "streaming-sinks" }); }),
  async () => page.evaluate(() => attnlab.command({ cmd: "streaming.cancel" })),
  async () => page.evaluate(() => { const l = attnlab.share(); if (l.ok) attnlab.command({ cmd: "app.link", fragment: l.url.slice(l.url.indexOf("#")) }); }),
  async () => page.evaluate(() => { attnlab.selectView("exercises"); attnlab.exercises.answer("window-fix", "wider"); attnlab.exercises.answer("window-fix", "globals"); }),
  async () => page.evaluate(() => { attnlab.presenter(true); attnlab.selectView("training"); }),
  async () => page.evaluate(() => { attnlab.presenter(false); attnlab.selectView("sandbox"); attnlab.sandbox.set({ globals: [2, 2, 2, 2] }); }),
  async () => page.evaluate(() => { attnlab.selectView("training"); attnlab.training.play(); }),
];

// Training only: keep the runs going; start them over when they finish.
const training = [
  async () => page.evaluate(() => {
    const s = attnlab.state();
    if (!s.lab.loaded) { attnlab.selectView("training"); attnlab.training.load("window-misses-introduction"); }
    else if (s.lab.runs.every((r) => r.done)) attnlab.training.reset();
    attnlab.training.play();
  }),
];
const actions = classroom ? lesson : training;
console.log(classroom
  ? `soak: ${minutes} min at 1280x720, one action every 5 s (views, presets, sweeps, links, exercises, presenter)`
  : `soak: ${minutes} min at 1280x720 training "window-misses-introduction" (A and B), started over when done`);
console.log("| minute | JS heap MB | UI wasm MB | engine wasm MB | frames | frames drawn | p95 frame ms | max frame ms | frames > 100 ms | " +
            "max of our frame code ms (last 600 frames) | steps of run A so far | console errors |");
console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
const sample = async () => {
  const heap = (await metric("JSHeapUsedSize")) / 1048576;
  const s = await page.evaluate(() => { const s = attnlab.state(); return { ui: s.perf.wasm_memory_mb, engine: s.lab.engine_memory_mb, code: s.perf.max_ms, drawn: s.perf.drawn_frames }; });
  return { heap, total: s.ui, engine: s.engine, code: s.code, drawn: s.drawn };
};
const start = await sample();  // before anything ran (the engine may not be up yet: "-")
const rows = [];
const t0 = Date.now();
let k = 0, steps = 0, prevStep = 0;  // steps: trained by run A in all (it starts over)
for (let minute = 1; minute <= minutes; ++minute) {
  while (Date.now() - t0 < minute * 60000) {
    await actions[k % actions.length](Math.floor(k / actions.length));
    ++k;
    await page.waitForTimeout(5000);
    const now = await page.evaluate(() => attnlab.state().lab.runs[0]?.step ?? 0);
    steps += now >= prevStep ? now - prevStep : now;
    prevStep = now;
  }
  const frames = await page.evaluate(() => { const f = window.__frames; window.__frames = []; return f; });
  const sorted = frames.sort((a, b) => a - b);
  const p95 = sorted[Math.floor(0.95 * (sorted.length - 1))] ?? NaN;
  const m = await sample();
  const drawn = m.drawn - (rows.length ? rows[rows.length - 1].drawn : start.drawn);
  const max = sorted[sorted.length - 1] ?? NaN;
  const stalls = sorted.filter((t) => t > 100).length;
  rows.push(m);
  console.log(`| ${minute} | ${m.heap.toFixed(1)} | ${m.total.toFixed(1)} | ${m.engine.toFixed(1)} | ${sorted.length} | ${drawn} | ${p95.toFixed(1)} | ` +
              `${max.toFixed(1)} | ${stalls} | ${m.code.toFixed(1)} | ${steps} | ${errors.length} |`);
}
const first = rows[0], last = rows[rows.length - 1];
const mb = (x) => (typeof x === "number" ? x.toFixed(1) : "-");
console.log(`\nJS heap: ${mb(start.heap)} MB at the start, ${mb(first.heap)} MB after minute 1, ${mb(last.heap)} MB after minute ${rows.length} ` +
            `(${(last.heap / first.heap).toFixed(2)}x minute 1); UI wasm memory ${mb(start.total)} -> ${mb(first.total)} -> ${mb(last.total)} MB; ` +
            `engine wasm memory ${mb(start.engine)} -> ${mb(first.engine)} -> ${mb(last.engine)} MB; ${k} actions; ` +
            `${errors.length} console errors`);
if (errors.length) console.log(errors.slice(0, 10).join("\n"));
await browser.close();
server.stop();
