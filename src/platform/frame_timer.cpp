#include "platform/frame_timer.h"

#include <algorithm>
#include <chrono>
#include <vector>

namespace attnlab {
namespace {

constexpr size_t kWindow = 600;
std::vector<double> g_times;
size_t g_next = 0;
double g_start = 0;
long long g_frames = 0;

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

void frame_timer_begin() { g_start = now_ms(); }

void frame_timer_end() {
  const double t = now_ms() - g_start;
  if (g_times.size() < kWindow) g_times.push_back(t);
  else g_times[g_next] = t;
  g_next = (g_next + 1) % kWindow;
  ++g_frames;
}

nlohmann::json frame_timer_stats() {
  if (g_times.empty()) return {{"frames", 0}};
  std::vector<double> s = g_times;
  std::sort(s.begin(), s.end());
  auto at = [&](double q) { return s[std::min(s.size() - 1, static_cast<size_t>(q * (s.size() - 1) + 0.5))]; };
  nlohmann::json out = {{"frames", g_frames}, {"p50_ms", at(0.5)}, {"p95_ms", at(0.95)}, {"max_ms", s.back()}};
#ifdef __wasm__
  // The UI module's linear memory (it only grows), for the soak benchmark.
  out["wasm_memory_mb"] = __builtin_wasm_memory_size(0) * 65536.0 / 1048576.0;
#endif
  return out;
}

}  // namespace attnlab
