// softmax_row: the plain softmax, temperature and softmax1, against values
// computed by hand, plus the numerical-safety cases.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/sandbox/softmax.h"

namespace attnlab {
namespace {

TEST(Softmax, MatchesHandComputedValues) {
  const float x[3] = {1.0f, 2.0f, 3.0f};
  float p[3];
  const float null_mass = softmax_row(p, x, SoftmaxOptions{}, 3);
  const double z = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  EXPECT_NEAR(p[0], std::exp(1.0) / z, 1e-6);
  EXPECT_NEAR(p[1], std::exp(2.0) / z, 1e-6);
  EXPECT_NEAR(p[2], std::exp(3.0) / z, 1e-6);
  EXPECT_EQ(null_mass, 0.0f);
}

TEST(Softmax, TemperatureDividesTheLogits) {
  const float x[4] = {0.5f, -1.0f, 2.0f, 0.0f};
  const float scaled[4] = {0.25f, -0.5f, 1.0f, 0.0f};
  float a[4], b[4];
  softmax_row(a, x, SoftmaxOptions{2.0f, false}, 4);
  softmax_row(b, scaled, SoftmaxOptions{1.0f, false}, 4);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(a[i], b[i], 1e-7);
}

TEST(Softmax, LowTemperatureSharpensHighTemperatureFlattens) {
  const float x[3] = {1.0f, 2.0f, 3.0f};
  float cold[3], warm[3];
  softmax_row(cold, x, SoftmaxOptions{0.1f, false}, 3);
  softmax_row(warm, x, SoftmaxOptions{100.0f, false}, 3);
  EXPECT_GT(cold[2], 0.9999f);
  for (float w : warm) EXPECT_NEAR(w, 1.0f / 3.0f, 0.01f);
}

TEST(Softmax, Softmax1AddsOneToTheDenominator) {
  const float x[2] = {0.0f, std::log(2.0f)};  // exp: 1 and 2, plus the implicit 1
  float p[2];
  const float null_mass = softmax_row(p, x, SoftmaxOptions{1.0f, true}, 2);
  EXPECT_NEAR(p[0], 0.25f, 1e-6);
  EXPECT_NEAR(p[1], 0.50f, 1e-6);
  EXPECT_NEAR(null_mass, 0.25f, 1e-6);
}

TEST(Softmax, Softmax1RowsSumToLessThanOne) {
  const float x[3] = {-3.0f, -2.0f, -4.0f};
  float p[3];
  const float null_mass = softmax_row(p, x, SoftmaxOptions{1.0f, true}, 3);
  const float sum = p[0] + p[1] + p[2];
  EXPECT_LT(sum, 0.25f);
  EXPECT_NEAR(sum + null_mass, 1.0f, 1e-6);
}

TEST(Softmax, Softmax1EqualsPlainWhenLogitsAreLarge) {
  const float x[3] = {30.0f, 28.0f, 25.0f};
  float a[3], b[3];
  softmax_row(a, x, SoftmaxOptions{1.0f, false}, 3);
  softmax_row(b, x, SoftmaxOptions{1.0f, true}, 3);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(a[i], b[i], 1e-7);
}

TEST(Softmax, HugeLogitsStayFinite) {
  const float x[4] = {1e4f, -1e4f, 9999.0f, 0.0f};
  for (bool s1 : {false, true}) {
    float p[4];
    const float null_mass = softmax_row(p, x, SoftmaxOptions{1.0f, s1}, 4);
    for (float v : p) EXPECT_TRUE(std::isfinite(v));
    EXPECT_NEAR(p[0] + p[1] + p[2] + p[3] + null_mass, 1.0f, 1e-6);
    EXPECT_NEAR(p[0], 1.0f / (1.0f + std::exp(-1.0f)), 1e-5);
  }
}

TEST(Softmax, SingleKey) {
  const float x[1] = {-7.0f};
  float p[1];
  softmax_row(p, x, SoftmaxOptions{}, 1);
  EXPECT_EQ(p[0], 1.0f);
}

}  // namespace
}  // namespace attnlab
