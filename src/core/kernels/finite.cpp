// Both checks are one branch-free pass with a single reduction at the end
// (a bad value is rare, so an early exit would only add a branch per vector).
#include "core/kernels/finite.h"

#include <cfloat>
#include <cmath>

#include "core/kernels/simd.h"

namespace attnlab {
namespace {

// |x| <= FLT_MAX is false exactly for NaN (comparisons with NaN are false)
// and for ±inf: the finite test as one and + one compare.
struct all_finite_kernel {
  template <class Arch>
  bool operator()(Arch, const float* x, size_t n) const {
    // x: [n]
    using B = xsimd::batch<float, Arch>;
    constexpr size_t W = B::size;
    const B big(FLT_MAX);
    auto ok = xsimd::batch_bool<float, Arch>(true);
    size_t i = 0;
    for (; i + W <= n; i += W) ok = ok & (xsimd::abs(B::load_unaligned(x + i)) <= big);
    bool tail_ok = true;
    for (; i < n; ++i) tail_ok = tail_ok & (std::fabs(x[i]) <= FLT_MAX);
    return xsimd::all(ok) && tail_ok;
  }
};

// select(a > best, a, best) rather than xsimd::max: the max instructions
// disagree on NaN (x86 returns one operand, wasm returns NaN), while a false
// comparison always keeps best, so NaN is skipped everywhere.
struct max_abs_kernel {
  template <class Arch>
  float operator()(Arch, const float* x, size_t n) const {
    // x: [n]
    using B = xsimd::batch<float, Arch>;
    constexpr size_t W = B::size;
    B best(0.0f);
    size_t i = 0;
    for (; i + W <= n; i += W) {
      const B a = xsimd::abs(B::load_unaligned(x + i));
      best = xsimd::select(a > best, a, best);
    }
    float m = xsimd::reduce_max(best);  // no NaN lanes, so the reduction is well defined
    for (; i < n; ++i) {
      const float a = std::fabs(x[i]);
      if (a > m) m = a;
    }
    return m;
  }
};

}  // namespace

bool all_finite(const float* x, size_t n) { return all_finite_kernel{}(simd::arch{}, x, n); }

float max_abs(const float* x, size_t n) { return max_abs_kernel{}(simd::arch{}, x, n); }

}  // namespace attnlab
