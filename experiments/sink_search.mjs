// The search for an attention sink in the StreamingLLM miniature: trains the
// streaming preset's plain model under each listed change, evaluates it with
// rolling caches 0+64 and 1+63 (and 4+60), and prints one row per run: the
// largest per-head first-token mass, the sink heads (> 0.3), and the
// perplexity ratio 0+64 / 1+63 (StreamingLLM's 160M model: 27.87 / 18.49 = 1.51).
//   node experiments/sink_search.mjs --seeds 1,2 [--language stream|backcopy] --out build/experiments/sinks \
//        "weight-decay=0.1 steps=3000" "lr=1e-2 steps=3000" ...
// Each argument is one setting: FLAG=VALUE pairs added to the base below
// (the old binding language of the stream task, or Bigram-Backcopy).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf("--" + name); return i >= 0 ? args.splice(i, 2)[1] : fallback; };
const seeds = opt("seeds", "1").split(",");
const out = opt("out", path.join(root, "build/experiments/sinks"));
const attnlab = process.env.ATTNLAB || path.join(root, "build/native/src/attnlab");
const language = opt("language", "stream");
fs.mkdirSync(out, { recursive: true });
// The Streaming lab's first preset (the binding language), and the
// Bigram-Backcopy base the search moved to, plain variant.
const base = language === "backcopy"
  ? { layers: 2, heads: 4, width: 32, causal: "true", positions: "rope", task: "backcopy", length: 64, symbols: 32,
      triggers: 2, "trigger-rate": 0.1, "eval-length": 256, "eval-size": 32, steps: 1500, batch: 16, lr: 3e-3,
      "log-every": 250 }
  : { layers: 2, heads: 4, width: 32, causal: "true", positions: "rope", task: "stream", length: 64,
      symbols: 16, bindings: 4, "bind-rate": 0.5, "eval-length": 256, "eval-size": 32, steps: 1500,
      batch: 16, lr: 3e-3, "log-every": 250 };
console.log("| setting | seed | steps/s | max head first-mass | sink heads | ppl 0+64 | ppl 1+63 | ppl 4+60 | 0+64 / 1+63 | next-token acc |");
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const setting of args) {
  const cfg = { ...base };
  for (const kv of setting.split(/\s+/).filter(Boolean)) { const [k, v] = kv.split("="); cfg[k] = v; }
  for (const seed of seeds) {
    const flags = Object.entries({ ...cfg, seed }).flatMap(([k, v]) => ["--" + k, String(v)]);
    const text = execFileSync(attnlab, ["run", ...flags, "--quiet", "--json", "--stream-eval", "0+64,1+63,4+60"],
                              { encoding: "utf8", maxBuffer: 1 << 26 });
    const j = JSON.parse(text);
    const file = path.join(out, `${setting.replace(/[^a-z0-9.=-]+/gi, "_") || "base"}_s${seed}.json`);
    fs.writeFileSync(file, text);
    const heads = j.final.per_head.map((h) => h.first_mass);
    const ppl = Object.fromEntries(j.stream_eval.map((e) => [e.cache, e.perplexity]));
    console.log(`| ${setting || "(base)"} | ${seed} | ${j.steps_per_second.toFixed(0)} | ${Math.max(...heads).toFixed(3)} | ` +
                `${j.final.sink_heads} of ${heads.length} | ${ppl["0+64"].toFixed(3)} | ${ppl["1+63"].toFixed(3)} | ` +
                `${ppl["4+60"].toFixed(3)} | ${(ppl["0+64"] / ppl["1+63"]).toFixed(3)} | ${j.final.accuracy.toFixed(3)} |`);
  }
}
