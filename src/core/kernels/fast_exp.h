// exp(x) for the softmax's inner loop, faster than xsimd::exp because it
// skips the special-case handling a softmax never needs:
//   exp(x) = 2^k exp(r),  k = round(x / ln 2),  r = x - k ln 2  (|r| <= ln2 / 2)
// with ln 2 split in two parts (Cody-Waite) and exp(r) as a degree-7 Taylor
// polynomial: relative error below 2e-7 (tests/core/test_fast_exp.cpp).
// x < kFastExpFloor = -30 (including -inf, the masked logits) gives exactly 0;
// x > 88.3 saturates at exp(88.3). NaN must be handled by the caller.
//
// Why -30: the softmax calls it with x = s - max (or s - lse), so exp(x) is a
// weight relative to the row's largest, and below e^-30 (1e-13) it is lost in
// any float sum that holds that largest weight (whose resolution is 6e-8).
// Kept, such weights only made products that sank into subnormal floats,
// which x86 CPUs compute about a hundred times slower, and wasm cannot flush
// them: a saturated softmax (the peaky presets) spent a third of its training
// step on them (bench/RESULTS.md).
#pragma once

#include <cmath>
#include <cstdint>

#include "core/kernels/simd.h"

namespace attnlab {

constexpr float kFastExpFloor = -30.0f;  // exp(x) = 0 below this

// nearbyint(y), ties to even. Not xsimd::nearbyint_as_int: xsimd 13 has no wasm version of it, and its
// generic one rounds the four lanes one at a time (in a softmax, half of the row's time). The same integers.
template <class Arch>
inline xsimd::batch<float, Arch> round_to_even(xsimd::batch<float, Arch> y) {
  return xsimd::nearbyint(y);
}
#if defined(__wasm_simd128__)
inline xsimd::batch<float, xsimd::wasm> round_to_even(xsimd::batch<float, xsimd::wasm> y) {
  return wasm_f32x4_nearest(y);  // one instruction (roundps on x86); xsimd's generic nearbyint takes nine
}
#endif

template <class Arch>
inline xsimd::batch<float, Arch> fast_exp(xsimd::batch<float, Arch> x) {
  using B = xsimd::batch<float, Arch>;
  using I = xsimd::batch<int32_t, Arch>;
  const auto underflow = x < B(kFastExpFloor);
  x = xsimd::min(xsimd::max(x, B(kFastExpFloor)), B(88.3f));
  const B kf = round_to_even(x * B(1.44269504088896341f));
  // kf as an int: kf + 1.5 * 2^23 holds the integer kf in its low mantissa bits (exact for |kf| < 2^22).
  const B magic(12582912.0f);
  const I k = xsimd::bitwise_cast<int32_t>(kf + magic) - xsimd::bitwise_cast<int32_t>(magic);
  B r = simd::fnma(kf, B(0.693359375f), x);  // x - k * ln2_hi (exact)
  r = simd::fnma(kf, B(-2.12194440e-4f), r);  // - k * ln2_lo
  B p(1.0f / 5040.0f);
  p = simd::fma(p, r, B(1.0f / 720.0f));
  p = simd::fma(p, r, B(1.0f / 120.0f));
  p = simd::fma(p, r, B(1.0f / 24.0f));
  p = simd::fma(p, r, B(1.0f / 6.0f));
  p = simd::fma(p, r, B(0.5f));
  p = simd::fma(p, r, B(1.0f));
  p = simd::fma(p, r, B(1.0f));
  // 2^k: k added to p's exponent field (k in [-44, 128] here).
  const B scaled = xsimd::bitwise_cast<float>(xsimd::bitwise_cast<int32_t>(p) + (k << 23));
  return xsimd::select(underflow, B(0.0f), scaled);
}

// The same, one value (for scalar tails): the vector maths on one lane, so a row
// gives the same results whatever its length, with the multiply-adds rounded as
// the build's vector ones are (once in the fused builds, core/kernels/simd.h).
inline float fast_exp(float x) { return fast_exp(simd::batch(x)).get(0); }

}  // namespace attnlab
