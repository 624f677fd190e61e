// The attnlab runner's command line, as a user meets it: --help names every
// flag, a bad flag or value exits with status 2 and a message naming the flag
// and its allowed range, a run prints its final measures as JSON, and
// --preset starts from a Training-lab preset.
//   node tests/cli/attnlab_cli.mjs RUNNER     (RUNNER: the attnlab binary, or "node attnlab.js")
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

const runner = process.argv.slice(2);
assert.ok(runner.length > 0, "usage: attnlab_cli.mjs RUNNER");
const run = (...args) => {
  const [cmd, ...pre] = runner[0].endsWith(".js") ? [process.execPath, ...runner] : runner;
  const r = spawnSync(cmd, [...pre, ...args], { encoding: "utf8", timeout: 120000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
};

// --help: every flag, with its range.
const help = run("--help");
assert.equal(help.status, 0);
for (const flag of ["--window", "--globals", "--softmax1", "--seed", "--steps", "--csv", "--json", "--over", "--preset"])
  assert.ok(help.out.includes(flag), "--help does not mention " + flag);
assert.match(help.out, /model\.globals: an integer from 0 to \d+/);

// Bad flags and values: status 2, the flag named, the range given.
const bad = [
  [["run", "--globals", "999"], /--globals: model\.globals: must be an integer from 0 to \d+/],
  [["run", "--window", "wide"], /--window: .*integer/],
  [["run", "--heads", "3", "--width", "32"], /heads|width/],
  [["run", "--lr", "-1"], /--lr: /],
  [["run", "--no-such-flag", "1"], /unknown flag --no-such-flag/],
  [["run", "--steps"], /--steps needs a value/],
  [["sweep", "--over", "globals=0,1"], /sweep needs --csv FILE/],
  [["sweep", "--over", "nothing=1", "--csv", "x.csv"], /--over: unknown field "nothing"/],
  [["run", "--preset", "nope"], /--preset: "nope" is not a Training-lab preset \(window-misses-introduction/],
  [["run", "--config", "/nonexistent.json"], /--config: cannot read/],
  [["lesson"], /lesson needs --preset ID/],
  [["lesson", "--preset", "nope"], /--preset: no preset "nope"/],
  [["lesson", "--preset", "peaky-attention", "--window", "3"], /lesson takes --preset, --seed/],
];
for (const [args, message] of bad) {
  const r = run(...args);
  assert.equal(r.status, 2, `${args.join(" ")}: status ${r.status}, stderr ${r.err}`);
  assert.match(r.err, message, args.join(" "));
}

// A short run prints one JSON object with the final measures.
const ok = run("run", "--task", "copy", "--length", "32", "--steps", "3", "--log-every", "1", "--quiet", "--json");
assert.equal(ok.status, 0, ok.err);
const j = JSON.parse(ok.out);
assert.equal(j.steps_done, 3);
assert.ok(Number.isFinite(j.final.eval_loss));

// --preset: run A, run B (its changes applied), and flags on top.
const a = JSON.parse(run("run", "--preset", "too-many-globals", "--steps", "1", "--quiet", "--json").out);
const b = JSON.parse(run("run", "--preset", "too-many-globals:b", "--steps", "1", "--quiet", "--json").out);
const c = JSON.parse(run("run", "--preset", "too-many-globals:b", "--globals", "2", "--steps", "1", "--quiet", "--json").out);
assert.equal(a.config.model.globals, 4);
assert.equal(b.config.model.globals, 64);
assert.equal(c.config.model.globals, 2);
assert.equal(a.config.task.kind, "copy");
// lesson: --list names every preset; a run too short to show its lesson exits 3 and says why.
const list = run("lesson", "--list");
assert.equal(list.status, 0, list.err);
for (const id of ["window-misses-introduction", "memory-capacity", "streaming-sinks"]) assert.ok(list.out.includes(id), id);
const short = run("lesson", "--preset", "peaky-attention", "--seed", "5", "--steps", "4", "--json", "--quiet");
assert.equal(short.status, 3, short.err);
const verdict = JSON.parse(short.out);
assert.equal(verdict.preset, "peaky-attention");
assert.equal(verdict.seed, 5);
assert.equal(verdict.lesson.status, "not held");
assert.match(verdict.lesson.text, /^Not shown in this run/);
console.log("attnlab command line: all checks passed");
