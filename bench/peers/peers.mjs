// Attention forward, ours against onnxruntime-web and tfjs-backend-wasm, in
// one node process (one thread each, SIMD on), on the same data:
//   cd bench/peers && npm ci && node peers.mjs [--quick]
// Needs the wasm build: cmake --build --preset wasm --target peer_lib peer_lib_fused.
// Prints ms per call (median of batches) and ours / theirs (the median of the
// ratios of batches timed in turn, ours and theirs alternating), for both of our
// builds: plain SIMD128, and fused (relaxed SIMD's multiply-add, which the page
// loads where the browser has it; node 20 needs the flag set below).
import path from "node:path";
import v8 from "node:v8";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { attentionModel } from "./onnx_model.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const quick = process.argv.includes("--quick");

// ---- timing: median of batches, after a warm-up (V8 tiers up called functions)
// Warms fn up, then returns how many calls make a batch of at least minBatchMs.
async function warmAndCount(fn, minBatchMs) {
  const warmEnd = performance.now() + (quick ? 300 : 1000);  // let V8 tier the code up
  while (performance.now() < warmEnd) await fn();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let r = 0; r < reps; ++r) await fn();
    const ms = performance.now() - t0;
    if (ms >= minBatchMs) return reps;
    reps = Math.max(reps + 1, Math.ceil((reps * minBatchMs) / Math.max(ms, 0.01) * 1.2));
  }
}

async function timeMs(fn, batches = quick ? 3 : 7, minBatchMs = quick ? 30 : 100) {
  const reps = await warmAndCount(fn, minBatchMs);
  const per = [];
  for (let b = 0; b < batches; ++b) {
    const t0 = performance.now();
    for (let r = 0; r < reps; ++r) await fn();
    per.push((performance.now() - t0) / reps);
  }
  per.sort((a, b) => a - b);
  return per[Math.floor(batches / 2)];
}

// Several functions timed in turn, batch by batch (A B C A B C ...), so that a
// ratio of two is taken over the same stretch of a shared, noisy machine:
// returns each one's median ms and the median over rounds of each one's time
// over the last one's.
async function timeInterleaved(fns, rounds = quick ? 3 : 9, minBatchMs = quick ? 30 : 100) {
  const reps = [];
  for (const fn of fns) reps.push(await warmAndCount(fn, minBatchMs));
  const per = fns.map(() => []);
  for (let b = 0; b < rounds; ++b)
    for (const [i, fn] of fns.entries()) {
      const t0 = performance.now();
      for (let r = 0; r < reps[i]; ++r) await fn();
      per[i].push((performance.now() - t0) / reps[i]);
    }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const last = per[per.length - 1];
  return { ms: per.map(median), overLast: per.map((xs) => median(xs.map((x, b) => x / last[b]))) };
}

// ---- ours: the plain build and the fused one
v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
const ours = await require(path.resolve(here, "../../build/wasm/bench/attnlab-peer-lib.cjs"))();
const oursFused = await require(path.resolve(here, "../../build/wasm/bench/attnlab-peer-lib-fused.cjs"))();

// ---- peers
const ort = await import("onnxruntime-web");
ort.env.wasm.numThreads = 1;
ort.env.wasm.simd = true;
ort.env.wasm.wasmPaths = path.join(here, "node_modules/onnxruntime-web/dist/");
const tf = await import("@tensorflow/tfjs-core");
const tfwasm = await import("@tensorflow/tfjs-backend-wasm");
tfwasm.setThreadsCount(1);
tfwasm.setWasmPaths(path.join(here, "node_modules/@tensorflow/tfjs-backend-wasm/dist/") + "/");
await tf.setBackend("wasm");

function random(n, seed) {
  const a = new Float32Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; ++i) { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; a[i] = (x / 4294967296) * 2 - 1; }
  return a;
}

const ortRates = {};  // "HxNxd causal|bidirectional" -> onnxruntime-web GFLOP/s

async function runCase(H, N, d, causal) {
  const C = H * d;
  // The same q, k, v for everyone: ours reads them as qkv [N, 3C], the
  // peers as three [H, N, d] tensors.
  const q = random(H * N * d, 1), k = random(H * N * d, 2), v = random(H * N * d, 3);
  function setupOurs(lib) {
    lib._attention_setup(H, N, d, causal ? 1 : 0);
    const qkvPtr = lib._attention_qkv() >> 2;
    for (let h = 0; h < H; ++h)
      for (let i = 0; i < N; ++i)
        for (let c = 0; c < d; ++c) {
          const src = (h * N + i) * d + c, row = qkvPtr + i * 3 * C + h * d + c;
          lib.HEAPF32[row] = q[src];
          lib.HEAPF32[row + C] = k[src];
          lib.HEAPF32[row + 2 * C] = v[src];
        }
  }
  setupOurs(ours);
  setupOurs(oursFused);
  const session = await ort.InferenceSession.create(attentionModel(H, N, d, causal), { executionProviders: ["wasm"] });
  const feeds = { Q: new ort.Tensor("float32", q, [H, N, d]), K: new ort.Tensor("float32", k, [H, N, d]),
                  V: new ort.Tensor("float32", v, [H, N, d]) };
  const ortOut = (await session.run(feeds)).O.data;
  const timed = await timeInterleaved([() => ours._attention_run(), () => oursFused._attention_run(), () => session.run(feeds)]);
  const [oursMs, fusedMs, ortMs] = timed.ms;
  const [plainOverOrt, fusedOverOrt] = timed.overLast;

  // Agreement: each of our outputs against onnxruntime's.
  function maxDiffFromOrt(lib) {
    const outPtr = lib._attention_out() >> 2;
    let maxDiff = 0;
    for (let h = 0; h < H; ++h)
      for (let i = 0; i < N; ++i)
        for (let c = 0; c < d; ++c)
          maxDiff = Math.max(maxDiff, Math.abs(lib.HEAPF32[outPtr + i * C + h * d + c] - ortOut[(h * N + i) * d + c]));
    return maxDiff;
  }

  // tfjs-wasm, batched ([H, N, d] matmuls) and one head at a time.
  const tq = tf.tensor3d(q, [H, N, d]), tk = tf.tensor3d(k, [H, N, d]), tv = tf.tensor3d(v, [H, N, d]);
  const maskT = causal ? tf.tidy(() => tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([N, N]), -1, 0)), -1e9)) : null;
  // K is transposed by its own op: tfjs-wasm's transposed matmul is a slow path.
  const tfAttention = (Q, K, V) => tf.tidy(() => {
    const Kt = K.rank === 3 ? tf.transpose(K, [0, 2, 1]) : tf.transpose(K);
    let s = tf.mul(tf.matMul(Q, Kt), 1 / Math.sqrt(d));
    if (maskT) s = tf.add(s, maskT);
    return tf.matMul(tf.softmax(s), V);
  });
  const tfBatched = await timeMs(async () => { const o = tfAttention(tq, tk, tv); await o.data(); o.dispose(); });
  const heads = [];
  for (let h = 0; h < H; ++h)
    heads.push([tq, tk, tv].map((t) => tf.tidy(() => tf.squeeze(tf.slice(t, [h, 0, 0], [1, N, d]), [0]))));
  const tfPerHead = await timeMs(async () => {
    for (const [Q, K, V] of heads) { const o = tfAttention(Q, K, V); await o.data(); o.dispose(); }
  });
  [tq, tk, tv, maskT, ...heads.flat()].forEach((t) => t && t.dispose());

  const flops = 4 * d * H * (causal ? (N * (N + 1)) / 2 : N * N);
  ortRates[`${H}x${N}x${d} ${causal ? "causal" : "bidirectional"}`] = (4 * d * H * N * N) / ortMs / 1e6;
  const rate = (ms) => `${ms.toFixed(2)} (${(flops / ms / 1e6).toFixed(1)} GFLOP/s)`;
  console.log(`| ${H}x${N}x${d} ${causal ? "causal" : "bidirectional"} | ${rate(oursMs)} | ${rate(fusedMs)} | ` +
              `${ortMs.toFixed(2)} | ${plainOverOrt.toFixed(2)} | **${fusedOverOrt.toFixed(2)}** | ` +
              `${tfPerHead.toFixed(2)} | ${tfBatched.toFixed(2)} | ${(fusedMs / Math.min(tfPerHead, tfBatched)).toFixed(2)} | ` +
              `${maxDiffFromOrt(ours).toExponential(1)}, ${maxDiffFromOrt(oursFused).toExponential(1)} |`);
}

console.log(`Attention forward in one node ${process.version} process, one thread each, SIMD on; ms per call (median).`);
console.log("GFLOP/s count useful work (4*d per scored pair); the peers compute every pair and mask the causal ones.\n");
console.log("| case | ours ms (plain) | ours ms (fused) | onnxruntime-web ms | plain / ort | fused / ort | tfjs-wasm per head ms | " +
            "tfjs-wasm batched ms | fused / best tfjs | max |ours - ort|, plain, fused |");
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const [H, N, d] of quick ? [[8, 256, 64]] : [[8, 256, 64], [4, 512, 64], [1, 2048, 64]]) {
  await runCase(H, N, d, false);
  await runCase(H, N, d, true);
}

// The ceilings: how fast any wasm SIMD128 kernel can multiply and add on this
// CPU (bench/peer_lib.cpp, simd_peak_run), a multiply then an add (the plain
// build, and any wasm without relaxed SIMD) or one fused multiply-add (the fused
// build), and what ours/ort <= 0.8 would ask. onnxruntime-web computes every
// pair, so its rate counts N*N pairs.
const rounds = 1 << 16;
const ceiling = async (lib) => lib._simd_peak_flops(rounds) / (await timeMs(() => lib._simd_peak_run(rounds))) / 1e6;
const peak = await ceiling(ours), peakFused = await ceiling(oursFused);
console.log(`\nwasm SIMD128 ceiling on this CPU (12 chains, no memory): ${peak.toFixed(1)} GFLOP/s with a multiply ` +
            `then an add, ${peakFused.toFixed(1)} GFLOP/s with relaxed_madd.`);
console.log("| case | onnxruntime-web GFLOP/s | share of the multiply+add ceiling | ours/ort <= 0.8 needs | " +
            "share of the multiply+add ceiling | share of the fused ceiling |");
console.log("|---|---|---|---|---|---|");
for (const [name, rate] of Object.entries(ortRates)) {
  if (!name.endsWith("bidirectional")) continue;
  console.log(`| ${name} | ${rate.toFixed(1)} | ${(100 * rate / peak).toFixed(0)}% | ${(rate / 0.8).toFixed(1)} GFLOP/s | ` +
              `${(100 * rate / 0.8 / peak).toFixed(0)}% | ${(100 * rate / 0.8 / peakFused).toFixed(0)}% |`);
}
