// Softmax of one attention row, with the variants the course compares.
//
//   p_i = exp(z_i - m) / (extra + sum_j exp(z_j - m)),   z_i = x_i / temperature
//
// "extra" is exp(0 - m) for softmax1 (an implicit key whose logit is 0 and
// whose value is zero: Miller's "off by one"), and 0 for the plain softmax.
// The max m includes that implicit 0, so huge logits never overflow.
// Global tokens need no special case here: they are simply more logits in the
// row, always visible. This header is the core: no UI, GL or Emscripten.
#pragma once

namespace attnlab {

struct SoftmaxOptions {
  float temperature = 1.0f;  // > 0; the logit scale is 1 / temperature
  bool softmax1 = false;     // add the implicit zero-logit, zero-value key
};

// out: [n] weights; logits: [n]. Returns the mass that went to the implicit
// softmax1 key (0 for the plain softmax), so that sum(out) + returned == 1.
float softmax_row(float* out, const float* logits, const SoftmaxOptions& options, int n);

}  // namespace attnlab
