#include "core/sandbox/softmax.h"

#include <cmath>

namespace attnlab {

float softmax_row(float* out, const float* logits, const SoftmaxOptions& options, int n) {
  const float inv_t = 1.0f / options.temperature;
  float m = options.softmax1 ? 0.0f : -INFINITY;
  for (int i = 0; i < n; ++i) m = std::fmax(m, logits[i] * inv_t);
  if (n == 0 && !options.softmax1) return 0.0f;
  // Sum in double: a row may have thousands of keys and the sandbox reports
  // entropies to 4 digits.
  double sum = 0.0;
  for (int i = 0; i < n; ++i) {
    out[i] = std::exp(logits[i] * inv_t - m);
    sum += out[i];
  }
  const double extra = options.softmax1 ? std::exp(-static_cast<double>(m)) : 0.0;
  const double inv = 1.0 / (sum + extra);
  for (int i = 0; i < n; ++i) out[i] = static_cast<float>(out[i] * inv);
  return static_cast<float>(extra * inv);
}

}  // namespace attnlab
