// One full training step, ours against @tensorflow/tfjs-backend-wasm, in one
// node process (one thread each, SIMD on), on the same batch and the same
// initial weights:
//   cd bench/peers && npm ci && node train_step.mjs [--quick] [--variants]
// Needs the wasm build: cmake --build --preset wasm --target peer_lib.
//
// The step: token embedding [V, C] + learned positions [T, C], one pre-LN
// block (layer norm, fused qkv projection, causal softmax attention per head
// with an additive mask, output projection, residual, layer norm, MLP
// C -> 4C GELU (tanh approximation) -> C, residual), final layer norm, output
// head [C, V], mean softmax cross-entropy; then the gradients of every
// parameter and one Adam update. Ours is attnlab::Model's forward, zero_grad,
// backward, update (the calls of Run::step); tfjs's is optimizer.minimize()
// (tf.variableGrads + tf.train.adam), the loss read back with dataSync().
//
// tfjs runs in two formulations of the same maths (see makeTfModel):
// "tuned", the fastest we found, and "plain", tf.matMul's own gradients.
// Prints ms per step (median of batches, after a warm-up so V8 has tiered the
// code up, as in peers.mjs), ours / tfjs, our GFLOP/s, the first losses of
// each (they agree: same weights, same maths), and tf.memory() around the
// timed tfjs steps. --variants times each tuned choice undone, one at a time.
import path from "node:path";
import { createRequire, register } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const quick = process.argv.includes("--quick");
const variants = process.argv.includes("--variants");

// The shape: one block, 256 tokens, width 128, 4 heads, FFN 4x, causal, batch 1.
const L = 1, T = 256, C = 128, H = 4, B = 1;
const V = 64;         // small, so the embedding and the head are a small part of the step
const LR = 3e-3;      // constant learning rate, both sides
const BETA1 = 0.9, BETA2 = 0.95, EPS = 1e-8;  // our TrainConfig defaults; tf.train.adam is told the same
const LOSS_STEPS = 30;

// ---- timing: median of batches, after a warm-up (the method of peers.mjs)
async function timeMs(fn, batches = quick ? 3 : 7, minBatchMs = quick ? 30 : 100) {
  const warmEnd = performance.now() + (quick ? 300 : 1000);  // let V8 tier the code up
  while (performance.now() < warmEnd) await fn();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let r = 0; r < reps; ++r) await fn();
    const ms = performance.now() - t0;
    if (ms >= minBatchMs) break;
    reps = Math.max(reps + 1, Math.ceil((reps * minBatchMs) / Math.max(ms, 0.01) * 1.2));
  }
  const per = [];
  for (let b = 0; b < batches; ++b) {
    const t0 = performance.now();
    for (let r = 0; r < reps; ++r) await fn();
    per.push((performance.now() - t0) / reps);
  }
  per.sort((a, b) => a - b);
  return per[Math.floor(batches / 2)];
}

// ---- ours
const libPath = path.resolve(here, "../../build/wasm/bench/attnlab-peer-lib.cjs");
const ours = await require(libPath)();
// Weight decay 0: tf.train.adam has none, so both run the same Adam update
// (our AdamW's decay is one more multiply-add per matrix element either way).
const setupOurs = () => ours._train_setup(L, C, H, T, V, B, LR, 0.0, 1);
setupOurs();
const tokens = Int32Array.from(ours.HEAP32.subarray(ours._train_tokens() >> 2, (ours._train_tokens() >> 2) + B * T));
const targets = Int32Array.from(ours.HEAP32.subarray(ours._train_targets() >> 2, (ours._train_targets() >> 2) + B * T));
const initial = {};  // our initial parameters by name, for tfjs to start from the same weights
for (let i = 0; i < ours._train_num_tensors(); ++i) {
  const off = (ours._train_params() >> 2) + ours._train_tensor_offset(i);
  initial[ours.UTF8ToString(ours._train_tensor_name(i))] =
    Float32Array.from(ours.HEAPF32.subarray(off, off + ours._train_tensor_size(i)));
}
const stepFlops = ours._train_step_flops();
const numParams = ours._train_num_params();

// ---- tfjs-backend-wasm
// tfjs-core's node bundle registers no gradients: the @tensorflow/tfjs union
// package does that by importing tfjs-core's dist/register_all_gradients.js,
// which we import here too. That file (and what it imports) is ES module
// code with extension-less relative imports, which node loads only with
// these two hooks. Its gradients land in tfjs's global registry, shared with
// the node bundle.
register("data:text/javascript," + encodeURIComponent(`
  const inCore = (url) => url && url.includes("/@tensorflow/tfjs-core/dist/");
  export async function resolve(specifier, context, next) {
    if (inCore(context.parentURL) && /^\\.\\.?\\//.test(specifier) && !specifier.endsWith(".js"))
      return next(specifier + ".js", context);
    return next(specifier, context);
  }
  export async function load(url, context, next) {
    if (inCore(url) && !url.endsWith("/tf-core.node.js")) return next(url, { ...context, format: "module" });
    return next(url, context);
  }`));
const tf = await import("@tensorflow/tfjs-core");
await import("@tensorflow/tfjs-core/dist/register_all_gradients.js");
const tfwasm = await import("@tensorflow/tfjs-backend-wasm");
tfwasm.setThreadsCount(1);
tfwasm.setWasmPaths(path.join(here, "node_modules/@tensorflow/tfjs-backend-wasm/dist/") + "/");
await tf.setBackend("wasm");

// Matmuls. tfjs-wasm's plain 2-D A·B runs on XNNPACK at ~20 GFLOP/s here,
// but a matmul with transposeA or transposeB (and a batched one) falls back
// to a scalar loop ~10x slower. tf.matMul's own gradient uses exactly those
// (dA = dY·Bᵀ, dB = Aᵀ·dY), so by default the backward runs on the slow
// path. "explicit" gives the matmuls a gradient that transposes with its own
// op and then calls a plain matmul: the same maths, on the fast path.
const mmExplicit = tf.customGrad((a, b, save) => {  // a·b
  save([a, b]);
  return { value: tf.matMul(a, b),
           gradFunc: (dy, [a, b]) => [tf.matMul(dy, tf.transpose(b)), tf.matMul(tf.transpose(a), dy)] };
});
const mmBtExplicit = tf.customGrad((a, b, save) => {  // a·bᵀ (scores = q·kᵀ)
  save([a, b]);
  return { value: tf.matMul(a, tf.transpose(b)),
           gradFunc: (dy, [a, b]) => [tf.matMul(dy, b), tf.matMul(tf.transpose(dy), a)] };
});

// A tfjs model of the same maths, its variables set to our initial weights.
// Each option picks one formulation (every one computes the same function
// and the same gradients; --variants times them):
//   matmul:    "explicit" (mmExplicit above) | "autodiff" (tf.matMul and its own gradient)
//   heads:     "split" (qkv split into per-head [T, d] tensors, 2-D matmuls per head) |
//              "batched" ([H, T, d] tensors and batched tf.matMul, with its own gradients)
//   gelu:      "sigmoid" | "tanh" (see gelu below)
//   layernorm: "custom" (the gradient written out) | "autodiff" (tf.moments and elementwise ops)
const TUNED = { matmul: "explicit", heads: "split", gelu: "sigmoid", layernorm: "custom" };
const PLAIN = { matmul: "autodiff", heads: "split", gelu: "tanh", layernorm: "autodiff" };
function makeTfModel({ matmul, heads, gelu: geluForm, layernorm }, tag) {
  const mm = matmul === "explicit" ? mmExplicit : (a, b) => tf.matMul(a, b);
  const mmBt = matmul === "explicit" ? mmBtExplicit : (a, b) => tf.matMul(a, tf.transpose(b));
  const d = C / H, scale = 1 / Math.sqrt(d), eps = 1e-5, gc = Math.sqrt(2 / Math.PI);
  const vars = {};
  const shapes = { wte: [V, C], wpe: [T, C], "lnf.w": [C], "lnf.b": [C], "head.w": [C, V], "head.b": [V] };
  for (let l = 0; l < L; ++l)
    Object.assign(shapes, {
      [`h${l}.ln1.w`]: [C], [`h${l}.ln1.b`]: [C], [`h${l}.attn.qkv.w`]: [C, 3 * C], [`h${l}.attn.qkv.b`]: [3 * C],
      [`h${l}.attn.proj.w`]: [C, C], [`h${l}.attn.proj.b`]: [C], [`h${l}.ln2.w`]: [C], [`h${l}.ln2.b`]: [C],
      [`h${l}.mlp.fc.w`]: [C, 4 * C], [`h${l}.mlp.fc.b`]: [4 * C], [`h${l}.mlp.proj.w`]: [4 * C, C],
      [`h${l}.mlp.proj.b`]: [C] });
  for (const [name, shape] of Object.entries(shapes)) {
    if (!initial[name]) throw new Error(`our model has no tensor ${name}`);
    vars[name] = tf.variable(tf.tensor(initial[name], shape), true, `${tag}${name}`);
  }
  const varList = Object.values(vars);
  if (Object.keys(initial).length !== varList.length) throw new Error("our model has tensors tfjs lacks");
  // The batch and the causal mask are data, made once (ours too holds the
  // batch as plain arrays across steps).
  const tok = tf.tensor1d(tokens, "int32");
  const labels = tf.cast(tf.oneHot(tf.tensor1d(targets, "int32"), V), "float32");
  const mask = tf.tidy(() => tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)), -1e9));
  // Embedding lookup wte[tok]. tf.gather's own gradient needs the kernel
  // UnsortedSegmentSum, which tfjs-wasm lacks; so "explicit" gathers and
  // scatters the gradient with onehot(tok)ᵀ·dy, and "autodiff" looks up by
  // the matmul onehot(tok)·wte (V = 64: small either way).
  const embed = (wte) => {
    const onehot = tf.cast(tf.oneHot(tok, V), "float32");
    if (matmul !== "explicit") return tf.matMul(onehot, wte);
    return tf.customGrad((w, save) => {
      save([onehot]);  // (what the gradient needs must be saved: the forward's other tensors are freed)
      return { value: tf.gather(w, tok), gradFunc: (dy, [oh]) => [tf.matMul(tf.transpose(oh), dy)] };
    })(wte);
  };
  const layerNormAutodiff = (x, w, b) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), w), b);
  };
  // The same layer norm with its gradient written out (fewer ops on the tape):
  //   dxhat = dy w;  dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat))
  const layerNormCustom = tf.customGrad((x, w, b, save) => {
    const { mean, variance } = tf.moments(x, -1, true);
    const rstd = tf.rsqrt(tf.add(variance, eps));
    const xhat = tf.mul(tf.sub(x, mean), rstd);
    save([xhat, rstd, w]);
    return { value: tf.add(tf.mul(xhat, w), b),
             gradFunc: (dy, [xhat, rstd, w]) => {
               const dxhat = tf.mul(dy, w);
               const dx = tf.mul(rstd, tf.sub(tf.sub(dxhat, tf.mean(dxhat, -1, true)),
                                               tf.mul(xhat, tf.mean(tf.mul(dxhat, xhat), -1, true))));
               return [dx, tf.sum(tf.mul(dy, xhat), 0), tf.sum(dy, 0)];
             } };
  });
  const layerNorm = layernorm === "custom" ? layerNormCustom : layerNormAutodiff;
  // GELU, tanh approximation: 0.5 x (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3).
  // Since 0.5 (1 + tanh(u)) = sigmoid(2u), "sigmoid" computes x sigmoid(2u):
  // the same function, but tfjs-wasm's Sigmoid is ~10x faster than its Tanh.
  const gelu = (x) => {
    const u = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), geluForm === "sigmoid" ? 2 * gc : gc);
    return geluForm === "sigmoid" ? tf.mul(x, tf.sigmoid(u)) : tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(u)));
  };
  const attention = (qkv) => {  // qkv [T, 3C] -> [T, C]
    if (heads === "split") {
      const parts = tf.split(qkv, 3 * H, 1);  // q_0..q_H-1, k_0.., v_0..: [T, d] each
      const outs = [];
      for (let h = 0; h < H; ++h) {
        const s = tf.add(mmBt(tf.mul(parts[h], scale), parts[H + h]), mask);
        outs.push(mm(tf.softmax(s), parts[2 * H + h]));
      }
      return tf.concat(outs, 1);
    }
    const [q, k, v] = tf.split(tf.transpose(tf.reshape(qkv, [T, 3, H, d]), [1, 2, 0, 3]), 3, 0)
      .map((t) => tf.reshape(t, [H, T, d]));
    const s = tf.add(tf.matMul(tf.mul(q, scale), tf.transpose(k, [0, 2, 1])), mask);
    return tf.reshape(tf.transpose(tf.matMul(tf.softmax(s), v), [1, 0, 2]), [T, C]);
  };
  const lossFn = () => {
    let x = tf.add(embed(vars.wte), vars.wpe);
    for (let l = 0; l < L; ++l) {
      const p = (n) => vars[`h${l}.${n}`];
      const qkv = tf.add(mm(layerNorm(x, p("ln1.w"), p("ln1.b")), p("attn.qkv.w")), p("attn.qkv.b"));
      x = tf.add(x, tf.add(mm(attention(qkv), p("attn.proj.w")), p("attn.proj.b")));
      const hid = gelu(tf.add(mm(layerNorm(x, p("ln2.w"), p("ln2.b")), p("mlp.fc.w")), p("mlp.fc.b")));
      x = tf.add(x, tf.add(mm(hid, p("mlp.proj.w")), p("mlp.proj.b")));
    }
    const logits = tf.add(mm(layerNorm(x, vars["lnf.w"], vars["lnf.b"]), vars["head.w"]), vars["head.b"]);
    return tf.losses.softmaxCrossEntropy(labels, logits);  // mean over the T targets
  };
  const optimizer = tf.train.adam(LR, BETA1, BETA2, EPS);
  return {
    step() {  // one step: forward, gradients, Adam update; returns the loss
      const cost = optimizer.minimize(lossFn, true, varList);
      const loss = cost.dataSync()[0];
      cost.dispose();
      return loss;
    },
    dispose() { tf.dispose([...varList, tok, labels, mask]); optimizer.dispose(); },
  };
}

// ---- run
const lossesOf = (step) => Array.from({ length: LOSS_STEPS }, () => step());
const shown = [0, 1, 2, 3, 4, 9, 19, LOSS_STEPS - 1];
const fmt = (ls) => shown.map((i) => ls[i].toFixed(3)).join(", ");
const maxDiff = (a, b) => Math.max(...a.map((x, i) => Math.abs(x - b[i])));

// Ours: the first losses, then (from the same start again) the timed steps.
const oursLosses = lossesOf(() => ours._train_step());
setupOurs();
const oursMs = await timeMs(() => { ours._train_step(); });
const clipMs = await timeMs(() => { ours._train_clip(1.0); });

// tfjs, tuned: the first losses, then the timed steps, counting tensors around them.
const tuned = makeTfModel(TUNED, "tuned/");
const tunedLosses = lossesOf(() => tuned.step());
const before = tf.memory();
const tunedMs = await timeMs(() => { tuned.step(); });
const after = tf.memory();
tuned.dispose();

// tfjs, plain: tf.matMul's own gradients, tanh, tf.moments.
const plain = makeTfModel(PLAIN, "plain/");
const plainLosses = [plain.step(), plain.step(), plain.step()];
const plainMs = await timeMs(() => { plain.step(); });
plain.dispose();

const flopShare = (2 * T * C * V * 3 * B) / stepFlops * 100;  // embedding-free: the head's matmul, fwd + bwd
console.log(`One training step in one node ${process.version} process, one thread each, SIMD on; ms per step ` +
            `(median of ${quick ? 3 : 7} batches after a warm-up).`);
console.log(`Shape: ${L} pre-LN block, ${T} tokens, width ${C}, ${H} heads, FFN ${4 * C}, causal, batch ${B}, learned ` +
            `positions; vocabulary ${V}, kept small: the output head is ${flopShare.toFixed(1)}% of the step's FLOPs. ` +
            `${numParams} parameters. Adam (lr ${LR}, betas ${BETA1}/${BETA2}, eps ${EPS}, no weight decay).`);
console.log("Same initial weights (ours, copied into tfjs), same fixed batch (targets = the next token).");
console.log("tfjs tuned: matmul gradients by explicit transpose + plain matmul, per-head 2-D attention, " +
            "GELU as x*sigmoid(2u), layer norm with its gradient written out; plain: tf.matMul's own gradients, " +
            "per-head attention, GELU with tanh, layer norm via tf.moments (autodiff).\n");
console.log("| step | ours ms | tfjs-wasm tuned ms | ours / tuned | tfjs-wasm plain ms | ours / plain | our FLOPs | our GFLOP/s |");
console.log("|---|---|---|---|---|---|---|---|");
console.log(`| ${L}x block, ${T}x${C}, ${H} heads, FFN ${4 * C}, causal, V ${V} | ${oursMs.toFixed(2)} | ` +
            `${tunedMs.toFixed(2)} | ${(oursMs / tunedMs).toFixed(2)} (${(tunedMs / oursMs).toFixed(1)}x faster) | ` +
            `${plainMs.toFixed(2)} | ${(oursMs / plainMs).toFixed(2)} (${(plainMs / oursMs).toFixed(1)}x faster) | ` +
            `${(stepFlops / 1e6).toFixed(1)} M | ${(stepFlops / oursMs / 1e6).toFixed(1)} |`);
console.log(`\nLosses at steps ${shown.map((i) => i + 1).join(", ")} (ln V = ${Math.log(V).toFixed(3)}):`);
console.log(`  ours:       ${fmt(oursLosses)}`);
console.log(`  tfjs tuned: ${fmt(tunedLosses)}   (max |ours - tfjs| over ${LOSS_STEPS} steps: ` +
            `${maxDiff(oursLosses, tunedLosses).toExponential(1)})`);
console.log(`  tfjs plain: ${plainLosses.map((x) => x.toFixed(3)).join(", ")} (steps 1-3)`);
console.log(`tf.memory() around the timed tuned steps: numTensors ${before.numTensors} -> ${after.numTensors}, ` +
            `numBytes ${before.numBytes} -> ${after.numBytes}` +
            `${before.numTensors === after.numTensors && before.numBytes === after.numBytes ? " (flat: no leak)" : " (LEAK)"}.`);
console.log(`Left out of both steps: Run::step also clips the gradient norm (Model::clip_grad_norm, ` +
            `${clipMs.toFixed(2)} ms here).`);

if (variants) {
  console.log("\ntfjs-wasm formulations, one option changed from tuned at a time (the same maths; ms per step, median):\n");
  console.log("| formulation | tfjs-wasm ms | loss at step 3 |");
  console.log("|---|---|---|");
  const rows = [["tuned", TUNED], ["gelu: tanh", { ...TUNED, gelu: "tanh" }],
                ["layernorm: autodiff", { ...TUNED, layernorm: "autodiff" }],
                ["matmul: autodiff (tf.matMul's own gradient)", { ...TUNED, matmul: "autodiff" }],
                ["heads: batched [H, T, d]", { ...TUNED, heads: "batched" }], ["plain", PLAIN],
                ["plain, heads: batched", { ...PLAIN, heads: "batched" }]];
  for (const [name, cfg] of rows) {
    const m = makeTfModel(cfg, `${name}/`);
    const ls = [m.step(), m.step(), m.step()];
    const ms = await timeMs(() => { m.step(); });
    m.dispose();
    console.log(`| ${name} | ${ms.toFixed(2)} | ${ls[2].toFixed(4)} |`);
  }
}
