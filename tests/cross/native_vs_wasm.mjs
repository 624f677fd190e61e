// The same run, natively and in wasm under node, must agree: the two builds
// sum floats in different orders (8-wide AVX2 against 4-wide SIMD128) and use
// different libm's, so they are not bit-identical, but after 60 steps every
// logged loss must agree to 1e-3 (relative) and every accuracy exactly.
//   node native_vs_wasm.mjs NATIVE_ATTNLAB WASM_ATTNLAB_JS
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const [nativeRunner, wasmRunner] = process.argv.slice(2);
if (!fs.existsSync(nativeRunner)) {
  console.error(`missing ${nativeRunner}: build the native preset first (tools/test does, before the wasm one)`);
  process.exit(1);
}
const args = ["run", "--task", "retrieval", "--length", "64", "--topics", "8", "--symbols", "8", "--width", "32",
              "--steps", "60", "--batch", "8", "--log-every", "10", "--eval-size", "64", "--seed", "3", "--quiet"];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attnlab-cross-"));
const nativeCsv = path.join(dir, "native.csv"), wasmCsv = path.join(dir, "wasm.csv");
execFileSync(nativeRunner, [...args, "--csv", nativeCsv], { stdio: "inherit" });
execFileSync(process.execPath, ["--no-experimental-fetch", wasmRunner, ...args, "--csv", wasmCsv], { stdio: "inherit" });

const read = (file) => fs.readFileSync(file, "utf8").trim().split("\n").map((l) => l.split(","));
const a = read(nativeCsv), b = read(wasmCsv);
const header = a[0];
let failures = 0, worst = 0;
if (a.length !== b.length || a.length < 6) { console.error(`row counts differ: ${a.length} vs ${b.length}`); process.exit(1); }
for (const column of ["train_loss", "eval_loss", "accuracy_retrieval"]) {
  const k = header.indexOf(column);
  for (let r = 1; r < a.length; ++r) {
    const x = Number(a[r][k]), y = Number(b[r][k]);
    const rel = Math.abs(x - y) / Math.max(Math.abs(x), 1e-12);
    worst = Math.max(worst, column.startsWith("accuracy") ? 0 : rel);
    const ok = column.startsWith("accuracy") ? x === y : rel <= 1e-3;
    if (!ok) { console.error(`${column} at step ${a[r][0]}: native ${x}, wasm ${y}`); ++failures; }
  }
}
fs.rmSync(dir, { recursive: true });
console.log(`native and wasm agree over ${a.length - 1} log points; worst relative loss difference ${worst.toExponential(2)}`);
process.exit(failures ? 1 : 0);
