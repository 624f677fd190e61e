// Residual connection: the sum of a block's input and its output. Elementwise
// over N values; outputs first, sizes last. out may alias inp1 or inp2 (each
// element is read before it is written). The scalar reference is in
// core/kernels/ref/residual_ref.h.
#pragma once

namespace attnlab {

//   out:  [N]
//   inp1: [N]
//   inp2: [N]
void residual_forward(float* out, const float* inp1, const float* inp2, int N);

// Accumulates (+=) dout into both dinp1 and dinp2.
//   dinp1: [N]
//   dinp2: [N]
//   dout:  [N]
void residual_backward(float* dinp1, float* dinp2, const float* dout, int N);

}  // namespace attnlab
