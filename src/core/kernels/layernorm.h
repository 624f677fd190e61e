// Layer normalization over the last axis (C), with a learned scale and shift:
//   out = (inp - mean) * rstd * weight + bias,   rstd = 1 / sqrt(var + 1e-5)
// var is the biased (divide by C) variance, as in GPT-2. Raw pointers, outputs
// first, sizes last. The scalar reference is in core/kernels/ref/layernorm_ref.h.
#pragma once

namespace attnlab {

constexpr float kLayerNormEps = 1e-5f;

//   out:    [N, C]
//   mean:   [N]  saved for the backward
//   rstd:   [N]  saved for the backward
//   inp:    [N, C]
//   weight: [C]
//   bias:   [C]
void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                       const float* bias, int N, int C);

// Accumulates (+=) into dinp, dweight and dbias.
//   dinp:    [N, C]
//   dweight: [C]
//   dbias:   [C]
//   dout:    [N, C]
//   inp:     [N, C]
//   weight:  [C]
//   mean, rstd: [N] from the forward
void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout,
                        const float* inp, const float* weight, const float* mean, const float* rstd,
                        int N, int C);

}  // namespace attnlab
