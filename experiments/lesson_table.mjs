// The held count of each preset's lesson over the seeds in a folder of
// `attnlab lesson --json` outputs, and for each claim its margin (how far the
// left side is on the right side of its bound: left - right for >=, right -
// left for <=): held count, median margin with a 95% bootstrap interval
// (10,000 resamples, a fixed seed), and the lowest margin.
//   node experiments/lesson_table.mjs build/experiments/lessons
import fs from "node:fs";
import path from "node:path";
import { bootstrapMedian, median } from "./stats.mjs";

const dir = process.argv[2];
const runs = new Map();
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
  const j = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
  if (!runs.has(j.preset)) runs.set(j.preset, []);
  runs.get(j.preset).push(j);
}
const f3 = (x) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3));
for (const [preset, list] of runs) {
  list.sort((a, b) => a.seed - b.seed);
  const held = list.filter((r) => r.lesson.status === "held").length;
  const secs = median(list.map((r) => r.seconds));
  console.log(`\n### ${preset}: held in ${held} of ${list.length} seeds (${list.map((r) => r.seed).join(", ")}); median ${secs.toFixed(0)} s a seed natively\n`);
  console.log(`Not held: ${list.filter((r) => r.lesson.status !== "held").map((r) => `seed ${r.seed} (${r.lesson.status})`).join(", ") || "none"}\n`);
  console.log("| claim | held | median margin [95% bootstrap] | lowest margin |");
  console.log("|---|---|---|---|");
  const claims = list[0].lesson.values.map((v) => v.claim);
  claims.forEach((claim, i) => {
    const margins = [];
    let ok = 0;
    for (const r of list) {
      const v = r.lesson.values[i];
      if (v.held) ++ok;
      if (typeof v.left === "number" && typeof v.right === "number")
        margins.push(v.op === ">=" || v.op === ">" ? v.left - v.right : v.right - v.left);
    }
    const [lo, hi] = margins.length ? bootstrapMedian(margins) : [NaN, NaN];
    console.log(`| ${claim} | ${ok}/${list.length} | ${margins.length ? `${f3(median(margins))} [${f3(lo)}, ${f3(hi)}]` : "-"} | ${margins.length ? f3(Math.min(...margins)) : "-"} |`);
  });
}
