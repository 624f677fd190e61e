// The lab engine as a WebAssembly module for a Web Worker (web/attnlab-worker.js
// drives it): commands in, snapshots out, training off the page's main thread.
// Only src/core is linked in; no GL, no ImGui.
#include <emscripten.h>

#include <chrono>
#include <string>

#include "core/lab/session.h"

namespace {

attnlab::LabSession g_lab;
attnlab::Snapshot g_snapshot;
std::string g_text;

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

extern "C" {

// {"cmd": ...} -> {"ok": ...} as JSON text (valid until the next call).
EMSCRIPTEN_KEEPALIVE const char* worker_command(const char* json) {
  const nlohmann::json cmd = nlohmann::json::parse(json, nullptr, false);
  g_text = (cmd.is_discarded() ? nlohmann::json{{"ok", false}, {"errors", {"the command is not valid JSON"}}}
                               : g_lab.command(cmd))
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return g_text.c_str();
}

// Works for up to budget_ms; returns 1 when a snapshot should be sent.
EMSCRIPTEN_KEEPALIVE int worker_tick(double budget_ms) { return g_lab.tick(budget_ms, now_ms) ? 1 : 0; }

// What has work to do now: 1 a Training-lab run, 2 a job, 3 both, 0 nothing.
EMSCRIPTEN_KEEPALIVE int worker_busy() { return (g_lab.runs_busy() ? 1 : 0) | (g_lab.job_busy() ? 2 : 0); }

// Messages for the other engines (core/lab/session.h) as JSON text
// [[engine, command], ...], or "" when there are none.
EMSCRIPTEN_KEEPALIVE const char* worker_outbox() {
  const auto messages = g_lab.take_outbox();
  if (messages.empty()) return "";
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [to, cmd] : messages) out.push_back(nlohmann::json::array({to, cmd}));
  g_text = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return g_text.c_str();
}

// Takes the snapshot: its JSON text; its arrays through the accessors below.
EMSCRIPTEN_KEEPALIVE const char* worker_snapshot() {
  g_snapshot = g_lab.snapshot();
  g_snapshot.json["engine_memory_mb"] = __builtin_wasm_memory_size(0) * 65536.0 / 1048576.0;  // grows, never shrinks
  g_text = g_snapshot.json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return g_text.c_str();
}
EMSCRIPTEN_KEEPALIVE int worker_array_count() { return static_cast<int>(g_snapshot.arrays.size()); }
EMSCRIPTEN_KEEPALIVE const char* worker_array_name(int i) { return g_snapshot.arrays[i].first.c_str(); }
EMSCRIPTEN_KEEPALIVE const float* worker_array_data(int i) { return g_snapshot.arrays[i].second.data(); }
EMSCRIPTEN_KEEPALIVE int worker_array_size(int i) { return static_cast<int>(g_snapshot.arrays[i].second.size()); }

}  // extern "C"
