// The SIMD layer's multiply-adds (core/kernels/simd.h) round as the build says:
// once in the fused builds (native FMA, wasm with relaxed SIMD), twice otherwise.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/kernels/simd.h"

namespace attnlab {
namespace {

// a * a - (1 + 2^-11) with a = 1 + 2^-12: the exact product is 1 + 2^-11 + 2^-24, which
// float rounds to 1 + 2^-11, so one rounding leaves 2^-24 and two leave 0.
struct multiply_add_kernel {
  template <class Arch>
  void operator()(Arch, float* fma_out, float* fms_out, float* fnma_out) const {
    using B = xsimd::batch<float, Arch>;
    const B a(1.0f + std::ldexp(1.0f, -12)), c(1.0f + std::ldexp(1.0f, -11));
    simd::fma(a, a, -c).store_unaligned(fma_out);
    simd::fms(a, a, c).store_unaligned(fms_out);
    simd::fnma(a, a, c).store_unaligned(fnma_out);
  }
};

TEST(Simd, MultiplyAddRoundsOnceExactlyWhenTheBuildIsFused) {
  std::vector<float> fma(simd::kWidth), fms(simd::kWidth), fnma(simd::kWidth);
  multiply_add_kernel{}(simd::arch{}, fma.data(), fms.data(), fnma.data());
  const float once = std::ldexp(1.0f, -24);
  for (int i = 0; i < simd::kWidth; ++i) {
    EXPECT_EQ(fma[i], simd::kFusedMultiplyAdd ? once : 0.0f) << simd::arch_name() << " lane " << i;
    EXPECT_EQ(fms[i], simd::kFusedMultiplyAdd ? once : 0.0f) << simd::arch_name() << " lane " << i;
    EXPECT_EQ(fnma[i], simd::kFusedMultiplyAdd ? -once : 0.0f) << simd::arch_name() << " lane " << i;
  }
}

// The fused wasm build is what the page loads where the browser has relaxed SIMD; a
// build that lost the flag or the renumbering would pass as a plain one.
TEST(Simd, ArchitectureNameSaysFused) {
#if defined(__wasm_relaxed_simd__)
  EXPECT_STREQ(simd::arch_name(), "wasm x4 fused");
#else
  SUCCEED() << simd::arch_name();
#endif
}

}  // namespace
}  // namespace attnlab
