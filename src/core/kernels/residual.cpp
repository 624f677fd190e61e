// Residual add: one vector add per W elements, scalar tail.
#include "core/kernels/residual.h"

#include "core/kernels/simd.h"

namespace attnlab {
namespace {

struct residual_forward_kernel {
  template <class Arch>
  void operator()(Arch, float* out, const float* inp1, const float* inp2, int N) const {
    // out: [N], inp1: [N], inp2: [N]
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    int i = 0;
    for (; i + W <= N; i += W)
      (B::load_unaligned(inp1 + i) + B::load_unaligned(inp2 + i)).store_unaligned(out + i);
    for (; i < N; ++i) out[i] = inp1[i] + inp2[i];
  }
};

}  // namespace

void residual_forward(float* out, const float* inp1, const float* inp2, int N) {
  residual_forward_kernel{}(simd::arch{}, out, inp1, inp2, N);
}

namespace {

struct residual_backward_kernel {
  template <class Arch>
  void operator()(Arch, float* dinp1, float* dinp2, const float* dout, int N) const {
    // forward: out[i] = inp1[i] + inp2[i];  so both inputs receive dout unchanged.
    // dinp1: [N], dinp2: [N], dout: [N]
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    int i = 0;
    for (; i + W <= N; i += W) {
      const B d = B::load_unaligned(dout + i);
      (B::load_unaligned(dinp1 + i) + d).store_unaligned(dinp1 + i);
      (B::load_unaligned(dinp2 + i) + d).store_unaligned(dinp2 + i);
    }
    for (; i < N; ++i) {
      dinp1[i] += dout[i];
      dinp2[i] += dout[i];
    }
  }
};

}  // namespace

void residual_backward(float* dinp1, float* dinp2, const float* dout, int N) {
  residual_backward_kernel{}(simd::arch{}, dinp1, dinp2, dout, N);
}

}  // namespace attnlab
