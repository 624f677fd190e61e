// Fused softmax + cross-entropy. Per row: a max reduction, one pass of
// exp(z - max) that writes probs and sums them, one pass scaling by 1 / sum.
// xsimd::exp in the vector bodies, std::exp in the scalar tails.
#include "core/kernels/crossentropy.h"

#include <cmath>
#include <cstddef>

#include "core/kernels/simd.h"

namespace attnlab {
namespace {

struct crossentropy_forward_kernel {
  template <class Arch>
  void operator()(Arch, float* losses, float* probs, const float* logits, const int* targets, int N,
                  int V) const {
    // losses: [N], probs: [N, V], logits: [N, V], targets: [N]
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    for (int n = 0; n < N; ++n) {
      const float* z = logits + static_cast<size_t>(n) * V;
      float* p = probs + static_cast<size_t>(n) * V;

      B vmax(-INFINITY);
      int i = 0;
      for (; i + W <= V; i += W) vmax = xsimd::max(vmax, B::load_unaligned(z + i));
      float mx = xsimd::reduce_max(vmax);
      for (; i < V; ++i) mx = std::fmax(mx, z[i]);

      // Every exponent is <= 0, so nothing overflows; the max's term is 1, so sum >= 1.
      const B vmx(mx);
      B vsum(0.0f);
      i = 0;
      for (; i + W <= V; i += W) {
        const B e = xsimd::exp(B::load_unaligned(z + i) - vmx);
        e.store_unaligned(p + i);
        vsum += e;
      }
      float sum = xsimd::reduce_add(vsum);
      for (; i < V; ++i) {
        p[i] = std::exp(z[i] - mx);
        sum += p[i];
      }

      const float inv = 1.0f / sum;
      const B vinv(inv);
      i = 0;
      for (; i + W <= V; i += W) (B::load_unaligned(p + i) * vinv).store_unaligned(p + i);
      for (; i < V; ++i) p[i] *= inv;

      const int t = targets[n];
      // -log p[t] = log(sum) - (z[t] - mx), finite even where p[t] underflowed.
      losses[n] = t == kIgnoreTarget ? 0.0f : std::log(sum) - (z[t] - mx);
    }
  }
};

}  // namespace

void crossentropy_forward(float* losses, float* probs, const float* logits, const int* targets, int N,
                          int V) {
  crossentropy_forward_kernel{}(simd::arch{}, losses, probs, logits, targets, N, V);
}

namespace {

struct crossentropy_backward_kernel {
  template <class Arch>
  void operator()(Arch, float* dlogits, const float* dlosses, const float* probs, const int* targets,
                  int N, int V) const {
    // forward: losses[n] = t == kIgnoreTarget ? 0.0f : std::log(sum) - (z[t] - mx);
    // d(loss)/dz[i] = p[i] - [i == t]: the softmax's Jacobian folded into the log.
    // dlogits: [N, V], dlosses: [N], probs: [N, V], targets: [N]
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    for (int n = 0; n < N; ++n) {
      const int t = targets[n];
      if (t == kIgnoreTarget) continue;
      const float* p = probs + static_cast<size_t>(n) * V;
      float* dz = dlogits + static_cast<size_t>(n) * V;
      const float dl = dlosses[n];
      const B vdl(dl);
      int i = 0;
      for (; i + W <= V; i += W)
        simd::fma(vdl, B::load_unaligned(p + i), B::load_unaligned(dz + i)).store_unaligned(dz + i);
      for (; i < V; ++i) dz[i] += dl * p[i];
      dz[t] -= dl;  // the one-hot
    }
  }
};

}  // namespace

void crossentropy_backward(float* dlogits, const float* dlosses, const float* probs,
                           const int* targets, int N, int V) {
  crossentropy_backward_kernel{}(simd::arch{}, dlogits, dlosses, probs, targets, N, V);
}

}  // namespace attnlab
