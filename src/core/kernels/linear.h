// Fully connected layer, out = inp · weight + bias, with the weight stored
// [C, OC] (in, out) so the forward is a plain A·B. Built on the matmuls of
// core/kernels/matmul.h. Outputs first, sizes last. The scalar reference is in
// core/kernels/ref/linear_ref.h.
#pragma once

namespace attnlab {

//   out:    [N, OC]
//   inp:    [N, C]
//   weight: [C, OC]
//   bias:   [OC], or null for no bias
void linear_forward(float* out, const float* inp, const float* weight, const float* bias, int N, int C,
                    int OC);

// Accumulates (+=) into dinp, dweight and dbias.
//   dinp:    [N, C]
//   dweight: [C, OC]
//   dbias:   [OC], or null (the layer has no bias)
//   dout:    [N, OC]
//   inp:     [N, C]
//   weight:  [C, OC]
void linear_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, int N, int C, int OC);

}  // namespace attnlab
