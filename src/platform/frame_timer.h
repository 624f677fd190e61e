// How long our own frame code takes (building the UI and issuing its draw
// calls), measured with the platform clock. In headless Chromium the GPU is
// emulated in software, so whole-frame times say little about rendering;
// this is the part that is ours.
#pragma once

#include <nlohmann/json.hpp>

namespace attnlab {

void frame_timer_begin();
// drew: whether this frame issued draw calls (see app/gfx/redraw_gate.h).
void frame_timer_end(bool drew);
// {"frames", "drawn_frames", "p50_ms", "p95_ms", "max_ms"} over the last 600
// frames, "drawn_p50_ms", "drawn_p95_ms", "drawn_max_ms" over the last 600
// drawn ones, and in wasm "wasm_memory_mb", the size of the UI module's
// linear memory.
nlohmann::json frame_timer_stats();

}  // namespace attnlab
