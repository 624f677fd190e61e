// The search for where global tokens steady training (EXPERIMENTS.md, section
// 2d). Trains each named setting on each seed (`attnlab run --csv`, two at a
// time), averages each measure over a step range of the history (the last
// measurement alone is one noisy 50-step difference), and prints, per setting,
// the median [min, max] over seeds and, against the first setting, the paired
// per-seed difference: lower/higher counts, the median difference with its 95%
// bootstrap interval, and a sign test.
//
//   node experiments/steady_search.mjs --seeds 1,2,3 --steps-range 750,1500 \
//     --metrics jump_idle,drift_idle,accuracy_backcopy --out DIR \
//     --setting "w4=--task backcopy --window 4 ..." --setting "w4+r1=... --registers 1"
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { bootstrapMedian, median, signTest } from "./stats.mjs";

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf("--" + name); return i >= 0 ? args[i + 1] : fallback; };
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const attnlab = (process.env.ATTNLAB || path.join(ROOT, "build/native/src/attnlab")).split(" ");
const seeds = opt("seeds", "1,2,3").split(",");
const [from, to] = opt("steps-range", "0,1e9").split(",").map(Number);
const metrics = opt("metrics", "jump_idle,drift_idle,jump_active,drift_active").split(",");
const out = opt("out", path.join(ROOT, "build/experiments/steady"));
const jobs = Number(opt("jobs", "2"));
const settings = [];
for (let i = 0; i < args.length; ++i)
  if (args[i] === "--setting") {
    const s = args[i + 1], eq = s.indexOf("=");
    settings.push({ name: s.slice(0, eq), flags: s.slice(eq + 1).trim().split(/\s+/) });
  }
if (!settings.length) { console.error("steady_search: give at least one --setting NAME=FLAGS"); process.exit(2); }
fs.mkdirSync(out, { recursive: true });

// One run's history: the mean of each measure over [from, to] (accuracies: the last row's).
const summarize = (csvFile) => {
  const rows = fs.readFileSync(csvFile, "utf8").trim().split("\n").map((l) => l.split(","));
  const header = rows.shift();
  const col = (n) => header.indexOf(n);
  const res = {};
  for (const m of metrics) {
    const c = col(m);
    if (c < 0) throw new Error(`${csvFile}: no column ${m}`);
    if (m.startsWith("accuracy") || m === "eval_loss") { res[m] = Number(rows[rows.length - 1][c]); continue; }
    const vals = rows.filter((r) => +r[0] >= from && +r[0] <= to).map((r) => Number(r[c])).filter(Number.isFinite);
    res[m] = vals.reduce((a, b) => a + b, 0) / vals.length;
  }
  return res;
};

const queue = [];
for (const s of settings) for (const seed of seeds) queue.push({ s, seed });
const results = new Map(settings.map((s) => [s.name, new Map()]));
const started = Date.now();
let done = 0;
const worker = async () => {
  while (queue.length) {
    const { s, seed } = queue.shift();
    const file = path.join(out, `${s.name.replace(/[^\w.+-]/g, "_")}_s${seed}.csv`);
    if (!fs.existsSync(file)) {
      await new Promise((resolve, reject) =>
        execFile(attnlab[0], [...attnlab.slice(1), "run", ...s.flags, "--seed", seed, "--quiet", "--csv", file + ".tmp"],
          { maxBuffer: 1 << 26 }, (err) => (err ? reject(err) : resolve())));
      fs.renameSync(file + ".tmp", file);
    }
    results.get(s.name).set(seed, summarize(file));
    ++done;
    const left = ((Date.now() - started) / done) * (settings.length * seeds.length - done) / 1000;
    process.stderr.write(`\r${done}/${settings.length * seeds.length} runs, about ${Math.round(left)} s left   `);
  }
};
await Promise.all(Array.from({ length: jobs }, worker));
process.stderr.write("\n");

const f3 = (x) => (Number.isFinite(x) ? x.toFixed(3) : "–");
const sgn = (x) => (x >= 0 ? "+" : "−") + Math.abs(x).toFixed(3);
console.log(`Seeds ${seeds.join(", ")}; jump and drift averaged over steps ${from}–${to}; median [min, max] over seeds.\n`);
console.log(`| setting | ${metrics.join(" | ")} |`);
console.log(`|---|${metrics.map(() => "---").join("|")}|`);
for (const s of settings) {
  const r = [...results.get(s.name).values()];
  console.log(`| ${s.name} | ${metrics.map((m) => {
    const v = r.map((x) => x[m]);
    return `${f3(median(v))} [${f3(Math.min(...v))}, ${f3(Math.max(...v))}]`;
  }).join(" | ")} |`);
}
const base = settings[0].name;
console.log(`\nPer seed, (setting) − (${base}): lower / higher, median difference [95% bootstrap], sign test p.\n`);
console.log(`| setting | ${metrics.join(" | ")} |`);
console.log(`|---|${metrics.map(() => "---").join("|")}|`);
for (const s of settings.slice(1)) {
  console.log(`| ${s.name} | ${metrics.map((m) => {
    const d = seeds.map((seed) => results.get(s.name).get(seed)[m] - results.get(base).get(seed)[m]);
    const lower = d.filter((x) => x < 0).length, higher = d.filter((x) => x > 0).length;
    const [lo, hi] = bootstrapMedian(d);
    return `${lower}/${higher}, ${sgn(median(d))} [${sgn(lo)}, ${sgn(hi)}], p ${signTest(lower, higher).toFixed(2)}`;
  }).join(" | ")} |`);
}
