#include "platform/frame_timer.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace attnlab {
namespace {

// The last 600 durations, in ms.
struct Window {
  std::vector<double> times;
  size_t next = 0;
  long long count = 0;

  void add(double t) {
    if (times.size() < 600) times.push_back(t);
    else times[next] = t;
    next = (next + 1) % 600;
    ++count;
  }
  void report(nlohmann::json* out, const std::string& prefix) const {
    if (times.empty()) return;
    std::vector<double> s = times;
    std::sort(s.begin(), s.end());
    auto at = [&](double q) { return s[std::min(s.size() - 1, static_cast<size_t>(q * (s.size() - 1) + 0.5))]; };
    (*out)[prefix + "p50_ms"] = at(0.5);
    (*out)[prefix + "p95_ms"] = at(0.95);
    (*out)[prefix + "max_ms"] = s.back();
  }
};

Window g_all, g_drawn;
double g_start = 0;

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

void frame_timer_begin() { g_start = now_ms(); }

void frame_timer_end(bool drew) {
  const double t = now_ms() - g_start;
  g_all.add(t);
  if (drew) g_drawn.add(t);
}

nlohmann::json frame_timer_stats() {
  nlohmann::json out = {{"frames", g_all.count}, {"drawn_frames", g_drawn.count}};
  g_all.report(&out, "");
  g_drawn.report(&out, "drawn_");
#ifdef __wasm__
  // The UI module's linear memory (it only grows), for the soak benchmark.
  out["wasm_memory_mb"] = __builtin_wasm_memory_size(0) * 65536.0 / 1048576.0;
#endif
  return out;
}

}  // namespace attnlab
