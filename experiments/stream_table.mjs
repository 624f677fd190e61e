// Aggregates `attnlab run --json --stream-eval ...` outputs named
// <prefix>_<variant>_<seed>.json into a markdown table: per variant, the
// perplexity of each cache (median [min, max] over seeds), the first-token
// mass of the trained model on its own windows, and its sink heads.
import fs from "node:fs";
import path from "node:path";

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const cell = (xs, d = 3) => xs.length ? `${median(xs).toFixed(d)} [${Math.min(...xs).toFixed(d)}, ${Math.max(...xs).toFixed(d)}]` : "-";
const byVariant = new Map();
for (const file of process.argv.slice(2)) {
  const m = path.basename(file, ".json").match(/^[^_]+_(.+)_(\d+)$/);
  if (!m) continue;
  const j = JSON.parse(fs.readFileSync(file, "utf8"));
  if (!byVariant.has(m[1])) byVariant.set(m[1], []);
  byVariant.get(m[1]).push(j);
}
const caches = [...new Set([...byVariant.values()].flat().flatMap((j) => j.stream_eval.map((c) => c.cache)))];
console.log(`| variant | ${caches.map((c) => "perplexity " + c).join(" | ")} | 0+W vs best (%) | first-token mass (training windows) | sink heads (> 0.3) | bound-value accuracy | seeds |`);
console.log(`|${["", ...caches, "", "", "", "", ""].map(() => "---").join("|")}|`);
for (const [variant, runs] of byVariant) {
  const ppl = caches.map((c) => runs.map((j) => j.stream_eval.find((x) => x.cache === c)?.perplexity).filter(Number.isFinite));
  const worse = runs.map((j) => {
    const p = Object.fromEntries(j.stream_eval.map((x) => [x.cache, x.perplexity]));
    const best = Math.min(...Object.values(p));
    return 100 * (p[caches[0]] - best) / best;
  });
  const first = runs.map((j) => j.final.first_mass);
  const sinks = runs.map((j) => j.final.sink_heads);
  const bound = runs.map((j) => j.final["accuracy_bound value"]).filter(Number.isFinite);
  console.log(`| ${variant} | ${ppl.map((xs) => cell(xs)).join(" | ")} | ${cell(worse, 2)} | ${cell(first)} | ${cell(sinks, 0)} | ${cell(bound)} | ${runs.length} |`);
}
