// The one header that chooses the SIMD architecture. Every vector kernel is a
// `template <class Arch>` functor over xsimd::batch<float, Arch>, called with
// simd::arch{}; nothing outside src/core sees xsimd.
//   wasm:   xsimd::wasm (SIMD128; built with -msimd128)
//   x86-64: fma3<avx2> when the compiler targets it, else SSE4.1 / SSE2
//   other:  xsimd's default for the target
#pragma once

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

// For benchmark and test output, e.g. "wasm x4" or "fma3<avx2> x8".
const char* arch_name();

}  // namespace attnlab::simd
