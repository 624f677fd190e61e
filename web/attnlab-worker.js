// The Web Worker that trains: it loads the lab engine (attnlab-engine.js, our
// core compiled to wasm) and runs it in slices, so the page keeps drawing at
// full frame rate while a model trains. Protocol with the page:
//   page -> worker  {type: "command", id, cmd, quiet?}   (quiet: a message from another engine; no reply) |
//                   {type: "pace", runs, jobs}  (whether a run's / a job's slices may follow at once)
//   worker -> page  {type: "ready"} | {type: "reply", id, reply} |
//                   {type: "snapshot", json, arrays: {name: Float32Array}} |
//                   {type: "shard", messages: [[engine, cmd], ...]} (for the other engines) |
//                   {type: "error", message}
// The page may run several of these in parallel (src/core/lab/session.h).
"use strict";
// ?engine=fused: the build with relaxed SIMD's fused multiply-add (the page checked the browser has it).
importScripts(new URLSearchParams(self.location.search).get("engine") === "fused" ? "attnlab-engine-fused.js"
                                                                                  : "attnlab-engine.js");

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

// Whether the next slice may follow at once, per kind of work. The page decides from its cores and
// pools ("pace", attnlab-loader.js); until it says, a slice yields.
let flatOut = { runs: false, jobs: false };

function loop() {
  scheduled = false;
  try {
    if (engine._worker_tick(SLICE_MS)) sendSnapshot();
    sendOutbox();
  } catch (e) {
    postMessage({ type: "error", message: String(e && e.message || e) });
    return;
  }
  const busy = engine._worker_busy();  // bit 1: a Training-lab run, bit 2: a job
  if (busy === 0) schedule(50);
  else if ((!(busy & 1) || flatOut.runs) && (!(busy & 2) || flatOut.jobs)) scheduleNow();
  else schedule(0);  // the browser clamps a chain of these to 4 ms: a tenth of the core left to the page
}

function schedule(ms) {
  if (scheduled) return;
  scheduled = true;
  setTimeout(loop, ms);
}

// The next slice without the clamp of schedule(0) (the HTML spec's nesting rule), which left a busy worker
// idle a tenth of the time at 40 ms slices: a message to ourselves. The page's commands still come in between.
const wake = new MessageChannel();
wake.port1.onmessage = loop;
function scheduleNow() {
  if (scheduled) return;
  scheduled = true;
  wake.port2.postMessage(null);
}

onmessage = (event) => {
  const msg = event.data;
  if (msg.type === "pace") {
    flatOut = { runs: !!msg.runs, jobs: !!msg.jobs };
    return;
  }
  if (msg.type !== "command" || !api) return;
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
