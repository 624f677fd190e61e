// Linear layer on top of the tiled matmuls; the only loop of its own is the
// bias gradient, a column sum of dout (vector body over OC, scalar tail).
#include "core/kernels/linear.h"

#include <algorithm>
#include <cstddef>

#include "core/kernels/matmul.h"
#include "core/kernels/simd.h"

namespace attnlab {

void linear_forward(float* out, const float* inp, const float* weight, const float* bias, int N, int C,
                    int OC) {
  // out: [N, OC], inp: [N, C], weight: [C, OC], bias: [OC] or null
  // Start every row at the bias and let the matmul accumulate onto it: one
  // pass over out instead of a separate bias pass after the product.
  if (bias)
    for (int n = 0; n < N; ++n) std::copy(bias, bias + OC, out + static_cast<size_t>(n) * OC);
  matmul_ab(out, inp, weight, N, OC, C, /*accumulate=*/bias != nullptr);
}

namespace {

// dbias[OC] += sum over rows of dout[N, OC]. Row by row, so dout streams
// through contiguously while dbias stays in L1.
struct column_sum_kernel {
  template <class Arch>
  void operator()(Arch, float* dbias, const float* dout, int N, int OC) const {
    // dbias: [OC], dout: [N, OC]
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    for (int n = 0; n < N; ++n) {
      const float* row = dout + static_cast<size_t>(n) * OC;
      int j = 0;
      for (; j + W <= OC; j += W)
        (B::load_unaligned(dbias + j) + B::load_unaligned(row + j)).store_unaligned(dbias + j);
      for (; j < OC; ++j) dbias[j] += row[j];
    }
  }
};

}  // namespace

void linear_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, int N, int C, int OC) {
  // forward: matmul_ab(out, inp, weight, N, OC, C, /*accumulate=*/bias != nullptr);
  //          with out's rows first set to bias, i.e. out = inp · weight + bias
  // dinp: [N, C], dweight: [C, OC], dbias: [OC] or null, dout: [N, OC], inp: [N, C], weight: [C, OC]
  matmul_abt(dinp, dout, weight, N, C, OC, /*accumulate=*/true);    // dinp[N,C] += dout · weightᵀ
  matmul_atb(dweight, inp, dout, N, OC, C, /*accumulate=*/true);    // dweight[C,OC] += inpᵀ · dout
  if (dbias) column_sum_kernel{}(simd::arch{}, dbias, dout, N, OC);  // dbias[OC] += sum_n dout[n,:]
}

}  // namespace attnlab
