// GELU, GPT-2's tanh approximation (Hendrycks & Gimpel):
//   gelu(x) = 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))
// Elementwise over N values; outputs first, sizes last. The scalar reference
// is in core/kernels/ref/gelu_ref.h.
#pragma once

namespace attnlab {

//   out: [N]
//   inp: [N]
void gelu_forward(float* out, const float* inp, int N);

// Accumulates (+=) into dinp.
//   dinp: [N]
//   inp:  [N] the forward's input
//   dout: [N]
void gelu_backward(float* dinp, const float* inp, const float* dout, int N);

}  // namespace attnlab
