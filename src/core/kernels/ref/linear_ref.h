// Scalar reference for core/kernels/linear.h, templated on the number type so
// gradient checks can run it in double. Built on the matmul references.
#pragma once

#include <cstddef>

#include "core/kernels/ref/matmul_ref.h"

namespace attnlab::ref {

// out = inp · weight + bias.  out: [N, OC], inp: [N, C], weight: [C, OC], bias: [OC] or null
template <class T>
void linear_forward(T* out, const T* inp, const T* weight, const T* bias, int N, int C, int OC) {
  matmul_ab(out, inp, weight, N, OC, C, false);
  if (bias)
    for (int n = 0; n < N; ++n)
      for (int j = 0; j < OC; ++j) out[static_cast<size_t>(n) * OC + j] += bias[j];
}

// Accumulates (+=) into dinp [N, C], dweight [C, OC], dbias [OC] (skipped when null).
//   dout: [N, OC], inp: [N, C], weight: [C, OC]
template <class T>
void linear_backward(T* dinp, T* dweight, T* dbias, const T* dout, const T* inp, const T* weight, int N,
                     int C, int OC) {
  // forward: matmul_ab(out, inp, weight, N, OC, C, false); then out[n, j] += bias[j]
  matmul_abt(dinp, dout, weight, N, C, OC, true);  // dinp += dout · weightᵀ
  matmul_atb(dweight, inp, dout, N, OC, C, true);  // dweight += inpᵀ · dout
  if (dbias)
    for (int n = 0; n < N; ++n)
      for (int j = 0; j < OC; ++j) dbias[j] += dout[static_cast<size_t>(n) * OC + j];
}

}  // namespace attnlab::ref
