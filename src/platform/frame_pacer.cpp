#include "platform/frame_pacer.h"

#include <chrono>

namespace attnlab {
namespace {

constexpr double kActiveMs = 1000.0;      // full rate this long after input
constexpr double kIdleFrameMs = 1000.0 / 15.0 - 2.0;  // 15 frames a second (2 ms early: rAF jitter)

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double g_last_input = -1e18, g_last_frame = -1e18;

}  // namespace

void frame_pacer_note_input() { g_last_input = now_ms(); }

bool frame_pacer_should_run(bool busy) {
  const double now = now_ms();
  if (!busy && now - g_last_input >= kActiveMs && now - g_last_frame < kIdleFrameMs) return false;
  g_last_frame = now;
  return true;
}

}  // namespace attnlab
