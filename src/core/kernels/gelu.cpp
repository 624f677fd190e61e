// GELU with tanh(u) = 1 - 2 / (1 + e^2u) from the softmax's fast_exp, in the
// vector body and (the same maths) in the scalar tail. xsimd::tanh, which this
// replaced, handles ranges the GELU never needs and was 10% of a preset's
// training step in wasm (bench/RESULTS.md); this one is within 2e-7 of tanh.
#include "core/kernels/gelu.h"

#include <algorithm>
#include <cmath>

#include "core/kernels/fast_exp.h"
#include "core/kernels/simd.h"

namespace attnlab {
namespace {

constexpr float kSqrt2OverPi = 0.7978845608028654f;  // sqrt(2 / pi)
constexpr float kCubic = 0.044715f;
// 2u is clamped here: tanh(15) rounds to 1 in float, and e^2u above it would
// only make 2 / (1 + e^2u) subnormal (slow on x86). Below, fast_exp gives 0
// under e^-30, so tanh = -1 there, as it rounds.
constexpr float kTwoUCap = 30.0f;

// r = 1 / (1 + e^2u), so tanh u = 1 - 2r and gelu = 0.5 x (1 + tanh u) = x (1 - r).
template <class Arch>
inline xsimd::batch<float, Arch> gelu_r(xsimd::batch<float, Arch> x) {
  using B = xsimd::batch<float, Arch>;
  const B two_u = B(2.0f * kSqrt2OverPi) * simd::fma(B(kCubic) * x, x * x, x);
  return B(1.0f) / (B(1.0f) + fast_exp(xsimd::min(two_u, B(kTwoUCap))));
}
inline float gelu_r(float x) {
  const float two_u = (2.0f * kSqrt2OverPi) * (kCubic * x * (x * x) + x);
  return 1.0f / (1.0f + fast_exp(std::min(two_u, kTwoUCap)));
}

template <bool kKeepTanh>
struct gelu_forward_kernel {
  template <class Arch>
  void operator()(Arch, float* out, float* tanh_u, const float* inp, int N) const {
    // out: [N], tanh_u: [N] (written if kKeepTanh), inp: [N]
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    const B one(1.0f), two(2.0f);
    int i = 0;
    for (; i + W <= N; i += W) {
      const B x = B::load_unaligned(inp + i);
      const B r = gelu_r<Arch>(x);
      if (kKeepTanh) simd::fnma(two, r, one).store_unaligned(tanh_u + i);
      simd::fnma(x, r, x).store_unaligned(out + i);
    }
    for (; i < N; ++i) {
      const float x = inp[i];
      const float r = gelu_r(x);
      if (kKeepTanh) tanh_u[i] = 1.0f - 2.0f * r;
      out[i] = x - x * r;
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
      const B du = s * simd::fma(k3, x2, one);
      const B local = half * (one + t) + half * x * (one - t * t) * du;
      simd::fma(local, B::load_unaligned(dout + i), B::load_unaligned(dinp + i)).store_unaligned(dinp + i);
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
