// AdamW: one pass over params, m, v and grads; the bias corrections are
// scalars computed once per call (in double, since beta2^step is close to 1).
#include "core/kernels/adamw.h"

#include <cmath>

#include "core/kernels/simd.h"

namespace attnlab {
namespace {

struct adamw_kernel {
  template <class Arch>
  void operator()(Arch, float* params, float* m, float* v, const float* grads, float lr, float beta1,
                  float beta2, float eps, float weight_decay, float bc1, float bc2, size_t n) const {
    // params: [n], m: [n], v: [n], grads: [n]; bc1, bc2: 1 - beta^step
    using B = xsimd::batch<float, Arch>;
    constexpr size_t W = B::size;
    const float inv_bc1 = 1.0f / bc1, inv_bc2 = 1.0f / bc2;
    const B vb1(beta1), vb1c(1.0f - beta1), vb2(beta2), vb2c(1.0f - beta2), vlr(lr), veps(eps),
        vwd(weight_decay), vinv_bc1(inv_bc1), vinv_bc2(inv_bc2);
    size_t i = 0;
    for (; i + W <= n; i += W) {
      const B g = B::load_unaligned(grads + i);
      const B p = B::load_unaligned(params + i);
      const B mi = simd::fma(vb1, B::load_unaligned(m + i), vb1c * g);
      const B vi = simd::fma(vb2, B::load_unaligned(v + i), vb2c * g * g);
      const B mhat = mi * vinv_bc1;
      const B vhat = vi * vinv_bc2;
      const B step_dir = mhat / (xsimd::sqrt(vhat) + veps) + vwd * p;
      (p - vlr * step_dir).store_unaligned(params + i);
      mi.store_unaligned(m + i);
      vi.store_unaligned(v + i);
    }
    for (; i < n; ++i) {
      const float g = grads[i];
      m[i] = beta1 * m[i] + (1.0f - beta1) * g;
      v[i] = beta2 * v[i] + (1.0f - beta2) * g * g;
      const float mhat = m[i] * inv_bc1;
      const float vhat = v[i] * inv_bc2;
      params[i] -= lr * (mhat / (std::sqrt(vhat) + eps) + weight_decay * params[i]);
    }
  }
};

}  // namespace

void adamw_update(float* params, float* m, float* v, const float* grads, float lr, float beta1,
                  float beta2, float eps, float weight_decay, int step, size_t n) {
  const float bc1 = static_cast<float>(1.0 - std::pow(static_cast<double>(beta1), step));
  const float bc2 = static_cast<float>(1.0 - std::pow(static_cast<double>(beta2), step));
  adamw_kernel{}(simd::arch{}, params, m, v, grads, lr, beta1, beta2, eps, weight_decay, bc1, bc2, n);
}

}  // namespace attnlab
