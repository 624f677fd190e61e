// Turns an `attnlab sweep` CSV into a markdown table: one row per point of
// the sweep (the swept fields), each metric as "median [min, max]" over the
// seeds, plus how many seeds converged or diverged.
//   node experiments/summarize.mjs FILE.csv --by window,globals --metrics accuracy_retrieval,peaky,jump [--digits 3]
import fs from "node:fs";

const args = process.argv.slice(2);
const file = args[0];
const opt = (name, fallback) => { const i = args.indexOf("--" + name); return i >= 0 ? args[i + 1] : fallback; };
const by = opt("by", "").split(",").filter(Boolean);
const metrics = opt("metrics", "").split(",").filter(Boolean);
const digits = Number(opt("digits", "3"));
const rows = fs.readFileSync(file, "utf8").trim().split("\n").map((l) => l.split(","));
const header = rows.shift();
const col = (name) => {
  const k = header.indexOf(name);
  if (k < 0) { console.error(`${file}: no column ${name} (have: ${header.join(", ")})`); process.exit(2); }
  return k;
};
const groups = new Map();
for (const r of rows) {
  const key = by.map((b) => r[col(b)]).join("\u0000");
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key).push(r);
}
const fmt = (x) => (Math.abs(x) >= 1000 ? x.toExponential(2) : x.toFixed(digits));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
console.log(`| ${[...by, ...metrics, "seeds", "converged", "diverged"].join(" | ")} |`);
console.log(`|${[...by, ...metrics, "", "", ""].map(() => "---").join("|")}|`);
for (const [key, rs] of groups) {
  const cells = key.split("\u0000");
  for (const m of metrics) {
    const xs = rs.map((r) => Number(r[col(m)])).filter((x) => r => true && Number.isFinite(x));
    cells.push(xs.length ? `${fmt(median(xs))} [${fmt(Math.min(...xs))}, ${fmt(Math.max(...xs))}]` : "-");
  }
  const conv = rs.map((r) => Number(r[col("converged_at")])).filter((x) => x >= 0);
  cells.push(String(rs.length));
  cells.push(`${conv.length}/${rs.length}${conv.length ? ` (median step ${median(conv)})` : ""}`);
  cells.push(`${rs.filter((r) => r[col("diverged_at")] !== "").length}/${rs.length}`);
  console.log(`| ${cells.join(" | ")} |`);
}
