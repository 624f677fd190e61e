// GELU, GPT-2's tanh approximation (Hendrycks & Gimpel):
//   gelu(x) = 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))
// Elementwise over N values; outputs first, sizes last. The scalar reference
// is in core/kernels/ref/gelu_ref.h.
#pragma once

namespace attnlab {

//   out:    [N]
//   tanh_u: [N] tanh(sqrt(2/pi) (x + 0.044715 x^3)), kept for the backward; null: not kept
//   inp:    [N]
void gelu_forward(float* out, float* tanh_u, const float* inp, int N);

// Accumulates (+=) into dinp. Takes tanh(u) from the forward rather than
// computing it again (the costliest part of GELU): the same bits either way.
//   dinp:   [N]
//   inp:    [N] the forward's input
//   tanh_u: [N] the forward's tanh_u
//   dout:   [N]
void gelu_backward(float* dinp, const float* inp, const float* tanh_u, const float* dout, int N);

}  // namespace attnlab
