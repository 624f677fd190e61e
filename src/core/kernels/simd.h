// The one header that chooses the SIMD architecture. Every vector kernel is a
// `template <class Arch>` functor over xsimd::batch<float, Arch>, called with
// simd::arch{}; nothing outside src/core sees xsimd.
//   wasm:   xsimd::wasm (SIMD128; built with -msimd128). The fused build adds
//           -mrelaxed-simd: fma below is then one f32x4.relaxed_madd
//   x86-64: fma3<avx2> when the compiler targets it, else SSE4.1 / SSE2
//   other:  xsimd's default for the target
#pragma once

#include <type_traits>

#include <xsimd/xsimd.hpp>

namespace attnlab::simd {

#if defined(__wasm_simd128__)
using arch = xsimd::wasm;
#elif defined(__AVX2__) && defined(__FMA__)
using arch = xsimd::fma3<xsimd::avx2>;
#elif defined(__SSE4_1__)
using arch = xsimd::sse4_1;
#elif defined(__SSE2__)
using arch = xsimd::sse2;
#else
using arch = xsimd::default_arch;
#endif

using batch = xsimd::batch<float, arch>;
constexpr int kWidth = static_cast<int>(batch::size);

// Whether fma below rounds once (a fused multiply-add) or twice (a multiply, then an add).
#if defined(__wasm_relaxed_simd__) || (!defined(__wasm_simd128__) && defined(__AVX2__) && defined(__FMA__))
constexpr bool kFusedMultiplyAdd = true;
#else
constexpr bool kFusedMultiplyAdd = false;
#endif

// a * b + c, a * b - c and c - a * b, as every kernel spells them. xsimd's own
// wasm fma is a multiply then an add (two roundings, two instructions); with
// relaxed SIMD it is one instruction and one rounding, as on the native FMA
// builds. Browsers that compute relaxed_madd unfused never load the fused build
// (FUSED_PROBE in web/attnlab-loader.js tests for it), so its results do not vary by machine.
template <class Arch>
XSIMD_INLINE xsimd::batch<float, Arch> fma(const xsimd::batch<float, Arch>& a, const xsimd::batch<float, Arch>& b,
                                           const xsimd::batch<float, Arch>& c) {
#if defined(__wasm_relaxed_simd__)
  // clang 14 (emcc 3.1.6) names it f32x4.fma and writes its prototype opcode, which
  // tools/relaxed_madd.mjs renumbers; later clangs name it relaxed_madd and write the final one.
  if constexpr (std::is_same_v<Arch, xsimd::wasm>) {
    const __f32x4 x = __f32x4(v128_t(a)), y = __f32x4(v128_t(b)), z = __f32x4(v128_t(c));
#if __has_builtin(__builtin_wasm_relaxed_madd_f32x4)
    return xsimd::batch<float, Arch>(v128_t(__builtin_wasm_relaxed_madd_f32x4(x, y, z)));
#else
    return xsimd::batch<float, Arch>(v128_t(__builtin_wasm_fma_f32x4(x, y, z)));
#endif
  }
#endif
  return xsimd::fma(a, b, c);
}
template <class Arch>
XSIMD_INLINE xsimd::batch<float, Arch> fms(const xsimd::batch<float, Arch>& a, const xsimd::batch<float, Arch>& b,
                                           const xsimd::batch<float, Arch>& c) {
#if defined(__wasm_relaxed_simd__)
  if constexpr (std::is_same_v<Arch, xsimd::wasm>) return fma(a, b, -c);
#endif
  return xsimd::fms(a, b, c);
}
template <class Arch>
XSIMD_INLINE xsimd::batch<float, Arch> fnma(const xsimd::batch<float, Arch>& a, const xsimd::batch<float, Arch>& b,
                                            const xsimd::batch<float, Arch>& c) {
#if defined(__wasm_relaxed_simd__)
  if constexpr (std::is_same_v<Arch, xsimd::wasm>) return fma(-a, b, c);
#endif
  return xsimd::fnma(a, b, c);
}

// For benchmark and test output, e.g. "wasm x4", "wasm x4 fused" or "fma3<avx2> x8".
const char* arch_name();

}  // namespace attnlab::simd
