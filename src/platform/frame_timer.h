// How long our own frame code takes (building the UI and issuing its draw
// calls), measured with the platform clock. In headless Chromium the GPU is
// emulated in software, so whole-frame times say little about rendering;
// this is the part that is ours.
#pragma once

#include <nlohmann/json.hpp>

namespace attnlab {

void frame_timer_begin();
void frame_timer_end();
// {"frames", "p50_ms", "p95_ms", "max_ms"} over the last 600 frames, and in
// wasm "wasm_memory_mb", the size of the UI module's linear memory.
nlohmann::json frame_timer_stats();

}  // namespace attnlab
