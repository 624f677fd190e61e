// Row measures on hand-made rows with known answers.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/measures/row_measures.h"

namespace attnlab {
namespace {

TEST(RowMeasures, OneHotRowHasZeroEntropy) {
  const float p[4] = {0.0f, 1.0f, 0.0f, 0.0f};
  EXPECT_EQ(row_entropy(p, 4), 0.0);
  EXPECT_EQ(row_entropy_normalized(p, 4), 0.0);
  EXPECT_EQ(row_argmax(p, 4), 1);
}

TEST(RowMeasures, UniformRowHasEntropyLogN) {
  std::vector<float> p(16, 1.0f / 16.0f);
  EXPECT_NEAR(row_entropy(p.data(), 16), std::log(16.0), 1e-6);
  EXPECT_NEAR(row_entropy_normalized(p.data(), 16), 1.0, 1e-6);
}

TEST(RowMeasures, TheCoursesPeakyRow) {
  // 0.01 / 0.98 / 0.01: H = -(2 * 0.01 ln 0.01 + 0.98 ln 0.98)
  const float p[3] = {0.01f, 0.98f, 0.01f};
  const double expected = -(2 * 0.01 * std::log(0.01) + 0.98 * std::log(0.98));
  EXPECT_NEAR(row_entropy(p, 3), expected, 1e-6);
  EXPECT_NEAR(row_entropy(p, 3), 0.11190, 1e-4);
  EXPECT_NEAR(row_entropy_normalized(p, 3), expected / std::log(3.0), 1e-6);
  EXPECT_EQ(row_argmax(p, 3), 1);
}

TEST(RowMeasures, ArgmaxTakesTheFirstOnTies) {
  const float p[4] = {0.1f, 0.4f, 0.4f, 0.1f};
  EXPECT_EQ(row_argmax(p, 4), 1);
  EXPECT_EQ(row_argmax(p, 0), -1);
}

TEST(RowMeasures, MassOfARange) {
  const float p[5] = {0.1f, 0.2f, 0.3f, 0.15f, 0.25f};
  EXPECT_NEAR(row_mass(p, 3, 2), 0.40, 1e-6);
  EXPECT_EQ(row_mass(p, 2, 0), 0.0);
}

TEST(RowMeasures, NormalizedEntropyOfOneKeyIsZero) {
  const float p[1] = {1.0f};
  EXPECT_EQ(row_entropy_normalized(p, 1), 0.0);
}

}  // namespace
}  // namespace attnlab

namespace attnlab {
namespace {

TEST(RowMeasures, JensenShannonKnownValues) {
  const float a[4] = {0.5f, 0.5f, 0.0f, 0.0f}, b[4] = {0.0f, 0.0f, 0.5f, 0.5f};
  EXPECT_NEAR(js_divergence_bits(a, a, 4), 0.0, 1e-12);
  EXPECT_NEAR(js_divergence_bits(a, b, 4), 1.0, 1e-9);  // disjoint supports
  // One-hot on key 0 vs uniform over two keys: JS = 1.5 - 0.75 log2 3.
  const float c[2] = {1.0f, 0.0f}, d[2] = {0.5f, 0.5f};
  EXPECT_NEAR(js_divergence_bits(c, d, 2), 1.5 - 0.75 * std::log2(3.0), 1e-7);
  EXPECT_NEAR(js_divergence_bits(c, d, 2), js_divergence_bits(d, c, 2), 1e-12);
}

TEST(RowMeasures, JensenShannonCountsTheSoftmax1Rest) {
  // Same weights on the keys, different mass on the implicit key: not equal.
  const float a[2] = {0.5f, 0.5f}, b[2] = {0.25f, 0.25f};
  const double js = js_divergence_bits(a, b, 2);
  // Full distributions (0.5, 0.5, 0) and (0.25, 0.25, 0.5).
  const double m[3] = {0.375, 0.375, 0.25};
  const double expect = 0.5 * (2 * 0.5 * std::log2(0.5 / m[0])) +
                        0.5 * (2 * 0.25 * std::log2(0.25 / m[0]) + 0.5 * std::log2(0.5 / m[2]));
  EXPECT_NEAR(js, expect, 1e-7);
}

}  // namespace
}  // namespace attnlab
