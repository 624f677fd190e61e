// fast_exp (the softmax's exp): accuracy against std::exp over the range a
// softmax meets, exact zeros for masked logits, vector and scalar agreeing.
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
  for (int i = 0; i <= 200000; ++i) x.push_back(-87.0f + 175.0f * i / 200000.0f);
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

}  // namespace
}  // namespace attnlab
