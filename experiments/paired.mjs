// Per-seed differences between two settings of one field, for each group:
// how often the second setting is lower/higher, the median difference with a
// 95% bootstrap interval (10,000 resamples of the seeds, a fixed seed), and
// a two-sided sign test's p-value (ties dropped).
//   node experiments/paired.mjs FILE.csv --by logit-scale --pair globals=0,4 --metrics jump,drift
import fs from "node:fs";

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf("--" + name); return i >= 0 ? args[i + 1] : fallback; };
const rows = fs.readFileSync(args[0], "utf8").trim().split("\n").map((l) => l.split(","));
const header = rows.shift();
const col = (name) => header.indexOf(name);
const by = opt("by", "").split(",").filter(Boolean);
const [field, values] = opt("pair", "").split("=");
const [first, second] = values.split(",");
const metrics = opt("metrics", "").split(",");
const groups = new Map();
for (const r of rows) {
  const key = by.map((b) => r[col(b)]).join(" ");
  if (!groups.has(key)) groups.set(key, new Map());
  const seeds = groups.get(key);
  const seed = r[col("seed")];
  if (!seeds.has(seed)) seeds.set(seed, {});
  seeds.get(seed)[r[col(field)]] = r;
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
// P(X <= k) for X ~ Binomial(n, 1/2).
const binomCdf = (k, n) => { let p = 0, c = 1; for (let i = 0; i <= k; ++i) { p += c; c = (c * (n - i)) / (i + 1); } return p / 2 ** n; };
const signTest = (lower, higher) => { const n = lower + higher; if (n === 0) return 1; return Math.min(1, 2 * binomCdf(Math.min(lower, higher), n)); };
// A small seeded generator (mulberry32), so the interval is the same on every run.
const rng = (seed) => () => { seed |= 0; seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const bootstrapMedian = (d, reps = 10000) => {
  const next = rng(12345), meds = [];
  for (let r = 0; r < reps; ++r) meds.push(median(d.map(() => d[Math.floor(next() * d.length)])));
  meds.sort((a, b) => a - b);
  return [meds[Math.floor(0.025 * reps)], meds[Math.floor(0.975 * reps)]];
};
console.log(`\nPer-seed difference (${field}=${second}) - (${field}=${first}):\n`);
console.log(`| ${[...by, "metric", "seeds", "lower", "higher", "median difference [95% bootstrap]", "sign test p"].join(" | ")} |`);
console.log(`|${[...by, "", "", "", "", "", ""].map(() => "---").join("|")}|`);
for (const [key, seeds] of groups)
  for (const m of metrics) {
    const d = [];
    for (const pair of seeds.values())
      if (pair[first] && pair[second]) d.push(Number(pair[second][col(m)]) - Number(pair[first][col(m)]));
    const lower = d.filter((x) => x < 0).length, higher = d.filter((x) => x > 0).length;
    const [lo, hi] = bootstrapMedian(d);
    console.log(`| ${[...key.split(" "), m, d.length, lower, higher,
                      `${median(d).toFixed(3)} [${lo.toFixed(3)}, ${hi.toFixed(3)}]`, signTest(lower, higher).toFixed(3)].join(" | ")} |`);
  }
