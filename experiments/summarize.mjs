// Turns `attnlab sweep` CSVs into a markdown table: one row per point of the
// sweep (the swept fields given by --by) or per file (when there is no --by
// and several files: the file name is the row's label), each metric as
// "median [min, max]" over the seeds, plus how many seeds converged or diverged.
//   node experiments/summarize.mjs FILE.csv [FILE2.csv ...] [--by window,globals] --metrics a,b [--digits 3]
import fs from "node:fs";
import path from "node:path";

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf("--" + name); return i >= 0 ? args[i + 1] : fallback; };
const files = args.filter((a, i) => a.endsWith(".csv") && !(i > 0 && args[i - 1].startsWith("--")));
const by = opt("by", "").split(",").filter(Boolean);
const metrics = opt("metrics", "").split(",").filter(Boolean);
const digits = Number(opt("digits", "3"));
const labelByFile = by.length === 0;

const groups = new Map();
for (const file of files) {
  const rows = fs.readFileSync(file, "utf8").trim().split("\n").map((l) => l.split(","));
  const header = rows.shift();
  const col = (name) => {
    const k = header.indexOf(name);
    if (k < 0) { console.error(`${file}: no column ${name} (have: ${header.join(", ")})`); process.exit(2); }
    return k;
  };
  for (const r of rows) {
    const key = labelByFile ? path.basename(file, ".csv") : by.map((b) => r[col(b)]).join("\u0000");
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push({ get: (name) => r[col(name)] });
  }
}
const fmt = (x) => (Math.abs(x) >= 1000 ? x.toExponential(2) : x.toFixed(digits));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const keys = labelByFile ? ["variant"] : by;
console.log(`| ${[...keys, ...metrics, "seeds", "converged", "diverged"].join(" | ")} |`);
console.log(`|${[...keys, ...metrics, "", "", ""].map(() => "---").join("|")}|`);
for (const [key, rs] of groups) {
  const cells = key.split("\u0000");
  for (const m of metrics) {
    const xs = rs.map((r) => r.get(m)).filter((v) => v !== "").map(Number).filter(Number.isFinite);
    cells.push(xs.length ? `${fmt(median(xs))} [${fmt(Math.min(...xs))}, ${fmt(Math.max(...xs))}]` : "-");
  }
  const conv = rs.map((r) => Number(r.get("converged_at"))).filter((x) => x >= 0);
  cells.push(String(rs.length));
  cells.push(`${conv.length}/${rs.length}${conv.length ? ` (median step ${median(conv)})` : ""}`);
  cells.push(`${rs.filter((r) => r.get("diverged_at") !== "").length}/${rs.length}`);
  console.log(`| ${cells.join(" | ")} |`);
}
