// The Web Worker that trains: it loads the lab engine (attnlab-engine.js, our
// core compiled to wasm) and runs it in slices, so the page keeps drawing at
// full frame rate while a model trains. Protocol with the page:
//   page -> worker  {type: "command", id, cmd, quiet?}   (quiet: a message from another engine; no reply)
//   worker -> page  {type: "ready"} | {type: "reply", id, reply} |
//                   {type: "snapshot", json, arrays: {name: Float32Array}} |
//                   {type: "shard", messages: [[engine, cmd], ...]} (for the other engines) |
//                   {type: "error", message}
// The page may run several of these in parallel (src/core/lab/session.h).
"use strict";
importScripts("attnlab-engine.js");

let engine = null;
let api = null;
let scheduled = false;
const SLICE_MS = 40;  // work per slice; commands are answered between slices

function sendSnapshot() {
  const json = api.snapshot();
  const arrays = {};
  const transfer = [];
  const count = engine._worker_array_count();
  for (let i = 0; i < count; ++i) {
    const name = engine.UTF8ToString(engine._worker_array_name(i));
    const ptr = engine._worker_array_data(i) >> 2, size = engine._worker_array_size(i);
    const copy = new Float32Array(engine.HEAPF32.subarray(ptr, ptr + size));
    arrays[name] = copy;
    transfer.push(copy.buffer);
  }
  postMessage({ type: "snapshot", json, arrays }, transfer);
}

// Messages from this engine to the others, routed by the page.
function sendOutbox() {
  const text = api.outbox();
  if (text) postMessage({ type: "shard", messages: JSON.parse(text) });
}

// How many engines share the work of each kind, from the page's "shard" command (1 when it sends none).
const cores = Math.max(1, Number(navigator.hardwareConcurrency) || 1);
let engines = 1, jobEngines = 1;
// Runs A and B train on two engines at once, and on 2 cores that leaves none for the page: there a slice
// ends with a yield the browser delays (a zero-delay setTimeout, which it clamps to 4 ms), which leaves the
// page a tenth of each core and keeps its frames smooth (bench/frame_bench.mjs: 15% of frames missed a
// vsync so, 23% with no yield). A job's pool is sized to leave the page a core (attnlab-loader.js): there
// the next slice comes at once.
function oversubscribed(busy) {
  const busyEngines = Math.max(busy & 1 ? Math.min(2, engines) : 0, busy & 2 ? jobEngines : 0);
  return busyEngines >= cores;
}
const YIELD = -1;

function loop() {
  scheduled = false;
  try {
    if (engine._worker_tick(SLICE_MS)) sendSnapshot();
    sendOutbox();
  } catch (e) {
    postMessage({ type: "error", message: String(e && e.message || e) });
    return;
  }
  const busy = engine._worker_busy();  // 1: a Training-lab run, 2: a job, 3: both
  schedule(busy === 0 ? 50 : oversubscribed(busy) ? YIELD : 0);
}

// ms 0: the next slice at once; YIELD: after the browser's clamp; else after ms. Not setTimeout(loop, 0) for "at once": browsers clamp a
// chain of zero-delay timeouts to 4 ms each (the HTML spec's nesting rule),
// which left a busy worker idle a tenth of the time at 40 ms slices. A message
// to ourselves is not clamped, and the page's commands still come in between.
const wake = new MessageChannel();
wake.port1.onmessage = loop;

function schedule(ms) {
  if (scheduled) return;
  scheduled = true;
  if (ms === 0) wake.port2.postMessage(null);
  else setTimeout(loop, Math.max(0, ms));
}

onmessage = (event) => {
  const msg = event.data;
  if (msg.type !== "command" || !api) return;
  if (msg.cmd && msg.cmd.cmd === "shard") {
    engines = Math.max(1, Number(msg.cmd.count) || 1);
    jobEngines = Math.max(1, Number(msg.cmd.job_count) || 1);
  }
  let reply;
  try {
    reply = JSON.parse(api.command(JSON.stringify(msg.cmd)));
  } catch (e) {
    reply = { ok: false, errors: [String(e && e.message || e)] };
  }
  if (!msg.quiet) postMessage({ type: "reply", id: msg.id, reply });
  else if (!reply.ok) console.warn("[worker] a message from another engine was refused: " + JSON.stringify(reply));
  sendOutbox();
  schedule(0);
};

createAttnLabEngine({
  print: (t) => console.log("[worker] " + t),
  printErr: (t) => console.warn("[worker] " + t),
  onAbort: (what) => postMessage({ type: "error", message: "the training engine stopped: " + what }),
}).then((m) => {
  engine = m;
  api = {
    command: (json) => m.callWithText("worker_command", "string", json),  // through the heap: shard messages can be long
    snapshot: m.cwrap("worker_snapshot", "string", []),
    outbox: m.cwrap("worker_outbox", "string", []),
  };
  postMessage({ type: "ready" });
  schedule(0);
}, (e) => postMessage({ type: "error", message: "the training engine could not start: " + (e && e.message || e) }));
