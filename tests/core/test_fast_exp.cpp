// fast_exp (the softmax's exp): accuracy against std::exp over the range it
// keeps, exact zeros below it and for masked logits, vector and scalar agreeing.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/kernels/fast_exp.h"

namespace attnlab {
namespace {

std::vector<float> vector_exp(const std::vector<float>& x) {
  using B = simd::batch;
  std::vector<float> y(x.size());
  size_t i = 0;
  for (; i + simd::kWidth <= x.size(); i += simd::kWidth) fast_exp(B::load_unaligned(&x[i])).store_unaligned(&y[i]);
  for (; i < x.size(); ++i) y[i] = fast_exp(x[i]);
  return y;
}

TEST(FastExp, RelativeErrorBelow2e7) {
  std::vector<float> x;
  for (int i = 0; i <= 200000; ++i) x.push_back(kFastExpFloor + (88.0f - kFastExpFloor) * i / 200000.0f);
  const auto y = vector_exp(x);
  double worst = 0, worst_scalar = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double e = std::exp(static_cast<double>(x[i]));
    worst = std::max(worst, std::fabs(y[i] - e) / e);
    worst_scalar = std::max(worst_scalar, std::fabs(fast_exp(x[i]) - e) / e);
  }
  EXPECT_LT(worst, 2e-7);
  EXPECT_LT(worst_scalar, 2e-7);
}

TEST(FastExp, MaskedAndHugeNegativeLogitsGiveExactlyZero) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> x = {-inf, -1e30f, -1e4f, -88.0f, 0.0f, -inf, -100.0f, -inf, -inf};
  const auto y = vector_exp(x);
  for (size_t i = 0; i < x.size(); ++i) {
    if (x[i] == 0.0f) {
      EXPECT_EQ(y[i], 1.0f);
    } else {
      EXPECT_EQ(y[i], 0.0f) << x[i];
    }
  }
}

// Weights below e^-30 of the row's largest are dropped (they would only make subnormal products); just above
// the floor they are kept, as normal floats.
TEST(FastExp, BelowTheFloorIsExactlyZeroAndAboveItIsKept) {
  const float below = std::nextafter(kFastExpFloor, -1e9f), above = std::nextafter(kFastExpFloor, 0.0f);
  const auto y = vector_exp({below, above, -31.0f, -29.0f, below, above, -40.0f, -20.0f});
  const std::vector<float> expect = {0.0f, std::exp(above), 0.0f, std::exp(-29.0f), 0.0f, std::exp(above), 0.0f,
                                     std::exp(-20.0f)};
  for (size_t i = 0; i < y.size(); ++i) {
    EXPECT_NEAR(y[i], expect[i], 2e-7 * expect[i]) << i;
    EXPECT_TRUE(y[i] == 0.0f || std::isnormal(y[i])) << i;
  }
  EXPECT_EQ(fast_exp(below), 0.0f);
  EXPECT_GT(fast_exp(above), 0.0f);
}

TEST(FastExp, LargeArgumentsSaturateFinite) {
  const auto y = vector_exp({88.0f, 1e4f, 88.3f, 1e30f, 5.0f});
  for (float v : y) EXPECT_TRUE(std::isfinite(v));
  EXPECT_NEAR(y[4], std::exp(5.0f), 1e-5f * std::exp(5.0f));
}

TEST(FastExp, VectorAndScalarPathsAgree) {
  std::vector<float> x;
  for (int i = 0; i < 1001; ++i) x.push_back(-30.0f + 0.06f * i);
  const auto y = vector_exp(x);
  for (size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(y[i], fast_exp(x[i]), 2e-7 * y[i]) << x[i];
}

// k = round(x / ln 2) must round halves to even, as the scalar path's nearbyint does, on every target (the
// wasm build rounds with f32x4.nearest, the others with xsimd::nearbyint).
TEST(FastExp, HalvesRoundToEven) {
  const std::vector<float> y = {-126.5f, -2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 3.5f, 127.5f, 0.49999997f, -7.0f};
  std::vector<float> r(y.size());
  size_t i = 0;
  for (; i + simd::kWidth <= y.size(); i += simd::kWidth)
    round_to_even(simd::batch::load_unaligned(&y[i])).store_unaligned(&r[i]);
  for (; i < y.size(); ++i) r[i] = std::nearbyint(y[i]);
  for (size_t j = 0; j < y.size(); ++j) EXPECT_EQ(r[j], std::nearbyint(y[j])) << y[j];
}

// Arguments whose x / ln 2 (in float) lies exactly halfway between two integers: the vector and scalar
// paths pick the same k, so they agree to the bit.
TEST(FastExp, HalfwayArgumentsMatchTheScalarPathExactly) {
  std::vector<float> x;
  const float inv_ln2 = 1.44269504088896341f;
  for (int k = -43; k <= 120; ++k) {  // the floats within 32 ulps of (k + 1/2) ln 2 that land on the half
    float up = (k + 0.5f) / inv_ln2, down = std::nextafter(up, -1e9f);
    for (int n = 0; n < 32; ++n, up = std::nextafter(up, 1e9f), down = std::nextafter(down, -1e9f))
      for (float v : {up, down})
        if (v * inv_ln2 == k + 0.5f) x.push_back(v);
  }
  ASSERT_GT(x.size(), 50u);  // enough ties to see a wrong rounding
  const auto y = vector_exp(x);
  for (size_t i = 0; i < x.size(); ++i) EXPECT_EQ(y[i], fast_exp(x[i])) << x[i];
}

}  // namespace
}  // namespace attnlab
