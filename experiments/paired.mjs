// Per-seed differences between two settings of one field, for each group:
// how often the second setting is lower/higher, the median difference with a
// 95% bootstrap interval (10,000 resamples of the seeds, a fixed seed), and
// a two-sided sign test's p-value (ties dropped).
//   node experiments/paired.mjs FILE.csv --by logit-scale --pair globals=0,4 --metrics jump,drift
import fs from "node:fs";
import { bootstrapMedian, median, signTest } from "./stats.mjs";

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
    console.log(`| ${[...(by.length ? key.split(" ") : []), m, d.length, lower, higher,
                      `${median(d).toFixed(3)} [${lo.toFixed(3)}, ${hi.toFixed(3)}]`, signTest(lower, higher).toFixed(3)].join(" | ")} |`);
  }
