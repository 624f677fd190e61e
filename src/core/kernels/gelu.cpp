// GELU with xsimd::tanh in the vector body and std::tanh in the scalar tail.
#include "core/kernels/gelu.h"

#include <cmath>

#include "core/kernels/simd.h"

namespace attnlab {
namespace {

constexpr float kSqrt2OverPi = 0.7978845608028654f;  // sqrt(2 / pi)
constexpr float kCubic = 0.044715f;

struct gelu_forward_kernel {
  template <class Arch>
  void operator()(Arch, float* out, const float* inp, int N) const {
    // out: [N], inp: [N]
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    const B half(0.5f), one(1.0f), s(kSqrt2OverPi), k(kCubic);
    int i = 0;
    for (; i + W <= N; i += W) {
      const B x = B::load_unaligned(inp + i);
      const B u = s * xsimd::fma(k * x, x * x, x);
      (half * x * (one + xsimd::tanh(u))).store_unaligned(out + i);
    }
    for (; i < N; ++i) {
      const float x = inp[i];
      const float u = kSqrt2OverPi * (x + kCubic * x * x * x);
      out[i] = 0.5f * x * (1.0f + std::tanh(u));
    }
  }
};

}  // namespace

void gelu_forward(float* out, const float* inp, int N) {
  gelu_forward_kernel{}(simd::arch{}, out, inp, N);
}

namespace {

// d/dx [0.5 x (1 + tanh u)] = 0.5 (1 + tanh u) + 0.5 x (1 - tanh^2 u) du/dx,
//   du/dx = sqrt(2/pi) (1 + 3 * 0.044715 x^2)
struct gelu_backward_kernel {
  template <class Arch>
  void operator()(Arch, float* dinp, const float* inp, const float* dout, int N) const {
    // forward: out[i] = 0.5f * x * (1.0f + std::tanh(u));
    // dinp: [N], inp: [N], dout: [N]
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    const B half(0.5f), one(1.0f), s(kSqrt2OverPi), k(kCubic), k3(3.0f * kCubic);
    int i = 0;
    for (; i + W <= N; i += W) {
      const B x = B::load_unaligned(inp + i);
      const B x2 = x * x;
      const B t = xsimd::tanh(s * xsimd::fma(k * x, x2, x));
      const B du = s * xsimd::fma(k3, x2, one);
      const B local = half * (one + t) + half * x * (one - t * t) * du;
      xsimd::fma(local, B::load_unaligned(dout + i), B::load_unaligned(dinp + i)).store_unaligned(dinp + i);
    }
    for (; i < N; ++i) {
      const float x = inp[i];
      const float t = std::tanh(kSqrt2OverPi * (x + kCubic * x * x * x));
      const float du = kSqrt2OverPi * (1.0f + 3.0f * kCubic * x * x);
      const float local = 0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * du;
      dinp[i] += local * dout[i];
    }
  }
};

}  // namespace

void gelu_backward(float* dinp, const float* inp, const float* dout, int N) {
  gelu_backward_kernel{}(simd::arch{}, dinp, inp, dout, N);
}

}  // namespace attnlab
