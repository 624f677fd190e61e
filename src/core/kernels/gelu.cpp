// GELU with xsimd::tanh in the vector body and std::tanh in the scalar tail.
#include "core/kernels/gelu.h"

#include <cmath>

#include "core/kernels/simd.h"

namespace attnlab {
namespace {

constexpr float kSqrt2OverPi = 0.7978845608028654f;  // sqrt(2 / pi)
constexpr float kCubic = 0.044715f;

template <bool kKeepTanh>
struct gelu_forward_kernel {
  template <class Arch>
  void operator()(Arch, float* out, float* tanh_u, const float* inp, int N) const {
    // out: [N], tanh_u: [N] (written if kKeepTanh), inp: [N]
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    const B half(0.5f), one(1.0f), s(kSqrt2OverPi), k(kCubic);
    int i = 0;
    for (; i + W <= N; i += W) {
      const B x = B::load_unaligned(inp + i);
      const B t = xsimd::tanh(s * xsimd::fma(k * x, x * x, x));
      if (kKeepTanh) t.store_unaligned(tanh_u + i);
      (half * x * (one + t)).store_unaligned(out + i);
    }
    for (; i < N; ++i) {
      const float x = inp[i];
      const float t = std::tanh(kSqrt2OverPi * (x + kCubic * x * x * x));
      if (kKeepTanh) tanh_u[i] = t;
      out[i] = 0.5f * x * (1.0f + t);
    }
  }
};

}  // namespace

void gelu_forward(float* out, float* tanh_u, const float* inp, int N) {
  if (tanh_u) gelu_forward_kernel<true>{}(simd::arch{}, out, tanh_u, inp, N);
  else gelu_forward_kernel<false>{}(simd::arch{}, out, nullptr, inp, N);
}

namespace {

// d/dx [0.5 x (1 + tanh u)] = 0.5 (1 + tanh u) + 0.5 x (1 - tanh^2 u) du/dx,
//   du/dx = sqrt(2/pi) (1 + 3 * 0.044715 x^2)
struct gelu_backward_kernel {
  template <class Arch>
  void operator()(Arch, float* dinp, const float* inp, const float* tanh_u, const float* dout, int N) const {
    // forward: out[i] = 0.5f * x * (1.0f + t), t = tanh_u[i]
    // dinp: [N], inp: [N], tanh_u: [N], dout: [N]
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    const B half(0.5f), one(1.0f), s(kSqrt2OverPi), k3(3.0f * kCubic);
    int i = 0;
    for (; i + W <= N; i += W) {
      const B x = B::load_unaligned(inp + i);
      const B x2 = x * x;
      const B t = B::load_unaligned(tanh_u + i);
      const B du = s * xsimd::fma(k3, x2, one);
      const B local = half * (one + t) + half * x * (one - t * t) * du;
      xsimd::fma(local, B::load_unaligned(dout + i), B::load_unaligned(dinp + i)).store_unaligned(dinp + i);
    }
    for (; i < N; ++i) {
      const float x = inp[i];
      const float t = tanh_u[i];
      const float du = kSqrt2OverPi * (1.0f + 3.0f * kCubic * x * x);
      const float local = 0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * du;
      dinp[i] += local * dout[i];
    }
  }
};

}  // namespace

void gelu_backward(float* dinp, const float* inp, const float* tanh_u, const float* dout, int N) {
  gelu_backward_kernel{}(simd::arch{}, dinp, inp, tanh_u, dout, N);
}

}  // namespace attnlab
