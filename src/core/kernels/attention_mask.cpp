#include "core/kernels/attention_mask.h"

#include <algorithm>
#include <cstdlib>

namespace attnlab {

bool AttentionMask::is_global(int i) const {
  if (i < extra_globals) return true;
  return std::find(global_positions.begin(), global_positions.end(), i) != global_positions.end();
}

bool AttentionMask::visible(int i, int j) const {
  if (is_global(j) || is_global(i)) return true;       // rules 1, 2
  if (is_register(j)) return !(causal && is_register(i) && j > i);  // rule 3
  if (is_register(i)) return !causal;                   // rule 4
  if (causal && j > i) return false;                    // rule 5
  if (j < prefix() + sinks) return true;                // rule 6
  return window < 0 || std::abs(i - j) <= window;       // rule 7
}

std::vector<int> AttentionMask::always_keys(int N) const {
  std::vector<int> keys;
  const int end_sinks = std::min(N, prefix() + sinks);
  for (int j = 0; j < end_sinks; ++j) keys.push_back(j);
  for (int p : global_positions)
    if (p >= end_sinks && p < N) keys.push_back(p);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

void AttentionMask::ordinary_range(int i, int N, int* lo, int* hi) const {
  const int first = prefix();
  *lo = window < 0 ? first : std::max(first, i - window);
  *hi = causal ? i + 1 : (window < 0 ? N : std::min(N, i + window + 1));
}

bool AttentionMask::reads_all(int i) const { return is_global(i) || (is_register(i) && !causal); }

long long AttentionMask::full_pairs(int N) const {
  return causal ? static_cast<long long>(N) * (N + 1) / 2 : static_cast<long long>(N) * N;
}

long long AttentionMask::pairs(int N) const {
  const std::vector<int> always = always_keys(N);
  std::vector<char> is_always(N, 0);
  for (int j : always) is_always[j] = 1;
  long long total = 0;
  for (int i = 0; i < N; ++i) {
    if (reads_all(i)) {
      total += N;
      continue;
    }
    for (int j : always) total += visible(i, j);
    if (is_register(i)) continue;  // causal register: only always keys
    int lo, hi;
    ordinary_range(i, N, &lo, &hi);
    for (int j = lo; j < hi; ++j) total += !is_always[j];
  }
  return total;
}

std::vector<std::string> AttentionMask::validate(int N) const {
  std::vector<std::string> errors;
  if (window < -1) errors.push_back("window: must be -1 (none) or a half-width >= 0");
  if (extra_globals < 0 || registers < 0 || sinks < 0)
    errors.push_back("extra globals, registers and sinks must be >= 0");
  if (prefix() + sinks > N) errors.push_back("the global, register and sink tokens do not fit in the sequence");
  for (int p : global_positions)
    if (p < prefix() || p >= N) {
      errors.push_back("global_positions: " + std::to_string(p) + " is not an ordinary position in [" +
                       std::to_string(prefix()) + ", " + std::to_string(N) + ")");
      break;
    }
  return errors;
}

}  // namespace attnlab
