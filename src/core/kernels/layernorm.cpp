// Layer normalization, one row at a time: two reductions (mean, then variance
// around it: more accurate than E[x^2] - E[x]^2 in float) and one elementwise
// pass. Each loop is a vector body over C plus a scalar tail.
#include "core/kernels/layernorm.h"

#include <cmath>
#include <cstddef>

#include "core/kernels/simd.h"

namespace attnlab {
namespace {

struct layernorm_forward_kernel {
  template <class Arch>
  void operator()(Arch, float* out, float* mean, float* rstd, const float* inp, const float* weight,
                  const float* bias, int N, int C) const {
    // out: [N, C], mean: [N], rstd: [N], inp: [N, C], weight: [C], bias: [C]
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    for (int n = 0; n < N; ++n) {
      const float* x = inp + static_cast<size_t>(n) * C;
      float* o = out + static_cast<size_t>(n) * C;

      B vsum(0.0f);
      int i = 0;
      for (; i + W <= C; i += W) vsum += B::load_unaligned(x + i);
      float sum = xsimd::reduce_add(vsum);
      for (; i < C; ++i) sum += x[i];
      const float m = sum / C;

      const B vm(m);
      B vvar(0.0f);
      i = 0;
      for (; i + W <= C; i += W) {
        const B d = B::load_unaligned(x + i) - vm;
        vvar = simd::fma(d, d, vvar);
      }
      float var = xsimd::reduce_add(vvar);
      for (; i < C; ++i) var += (x[i] - m) * (x[i] - m);
      var /= C;
      // eps keeps a constant row (var 0) finite: its output is just bias.
      const float s = 1.0f / std::sqrt(var + kLayerNormEps);

      const B vs(s);
      i = 0;
      for (; i + W <= C; i += W) {
        const B norm = (B::load_unaligned(x + i) - vm) * vs;
        simd::fma(norm, B::load_unaligned(weight + i), B::load_unaligned(bias + i)).store_unaligned(o + i);
      }
      for (; i < C; ++i) o[i] = (x[i] - m) * s * weight[i] + bias[i];

      mean[n] = m;
      rstd[n] = s;
    }
  }
};

}  // namespace

void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                       const float* bias, int N, int C) {
  layernorm_forward_kernel{}(simd::arch{}, out, mean, rstd, inp, weight, bias, N, C);
}

namespace {

// With norm = (x - mean) * rstd and g = weight * dout, differentiating through
// mean and rstd gives (row by row)
//   dinp = rstd * (g - mean(g) - norm * mean(g * norm))
//   dweight += dout * norm,  dbias += dout
struct layernorm_backward_kernel {
  template <class Arch>
  void operator()(Arch, float* dinp, float* dweight, float* dbias, const float* dout,
                  const float* inp, const float* weight, const float* mean, const float* rstd, int N,
                  int C) const {
    // forward: o[i] = (x[i] - m) * s * weight[i] + bias[i];
    // dinp: [N, C], dweight: [C], dbias: [C], dout: [N, C], inp: [N, C], weight: [C],
    // mean: [N], rstd: [N]
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    for (int n = 0; n < N; ++n) {
      const float* x = inp + static_cast<size_t>(n) * C;
      const float* dy = dout + static_cast<size_t>(n) * C;
      float* dx = dinp + static_cast<size_t>(n) * C;
      const float m = mean[n], s = rstd[n];
      const B vm(m), vs(s);

      // The two row means: mean(g) and mean(g * norm).
      B vg(0.0f), vgn(0.0f);
      int i = 0;
      for (; i + W <= C; i += W) {
        const B norm = (B::load_unaligned(x + i) - vm) * vs;
        const B g = B::load_unaligned(weight + i) * B::load_unaligned(dy + i);
        vg += g;
        vgn = simd::fma(g, norm, vgn);
      }
      float g_sum = xsimd::reduce_add(vg), gn_sum = xsimd::reduce_add(vgn);
      for (; i < C; ++i) {
        const float norm = (x[i] - m) * s;
        const float g = weight[i] * dy[i];
        g_sum += g;
        gn_sum += g * norm;
      }
      const float g_mean = g_sum / C, gn_mean = gn_sum / C;

      const B vg_mean(g_mean), vgn_mean(gn_mean);
      i = 0;
      for (; i + W <= C; i += W) {
        const B norm = (B::load_unaligned(x + i) - vm) * vs;
        const B d = B::load_unaligned(dy + i);
        const B g = B::load_unaligned(weight + i) * d;
        (B::load_unaligned(dbias + i) + d).store_unaligned(dbias + i);
        simd::fma(norm, d, B::load_unaligned(dweight + i)).store_unaligned(dweight + i);
        const B dxi = (g - vg_mean - norm * vgn_mean) * vs;
        (B::load_unaligned(dx + i) + dxi).store_unaligned(dx + i);
      }
      for (; i < C; ++i) {
        const float norm = (x[i] - m) * s;
        const float g = weight[i] * dy[i];
        dbias[i] += dy[i];
        dweight[i] += norm * dy[i];
        dx[i] += (g - g_mean - norm * gn_mean) * s;
      }
    }
  }
};

}  // namespace

void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout,
                        const float* inp, const float* weight, const float* mean, const float* rstd,
                        int N, int C) {
  layernorm_backward_kernel{}(simd::arch{}, dinp, dweight, dbias, dout, inp, weight, mean, rstd, N, C);
}

}  // namespace attnlab
