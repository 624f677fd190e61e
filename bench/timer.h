// Timing for the benchmark programs (never for tests): repeat a call until
// enough time has passed, take the median of several such batches.
#pragma once

#include <algorithm>
#include <chrono>
#include <vector>

namespace attnlab::bench {

// Milliseconds per call of fn, median of `batches` batches. Warms up first so
// V8 has tiered the wasm code up (it does not tier up a running function).
template <class Fn>
double time_ms(Fn&& fn, int batches = 7, double min_batch_ms = 40.0) {
  using clock = std::chrono::steady_clock;
  auto elapsed_ms = [](clock::time_point a) {
    return std::chrono::duration<double, std::milli>(clock::now() - a).count();
  };
  int reps = 1;
  for (;;) {  // warm-up, and find how many calls fill a batch
    const auto t0 = clock::now();
    for (int r = 0; r < reps; ++r) fn();
    const double ms = elapsed_ms(t0);
    if (ms >= min_batch_ms) break;
    reps = ms <= 0.01 ? reps * 16 : std::max(reps + 1, static_cast<int>(reps * min_batch_ms / ms * 1.2));
  }
  std::vector<double> per_call;
  for (int b = 0; b < batches; ++b) {
    const auto t0 = clock::now();
    for (int r = 0; r < reps; ++r) fn();
    per_call.push_back(elapsed_ms(t0) / reps);
  }
  std::nth_element(per_call.begin(), per_call.begin() + batches / 2, per_call.end());
  return per_call[batches / 2];
}

}  // namespace attnlab::bench
