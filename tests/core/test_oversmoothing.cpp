// Over-smoothing measure on hand-made hidden states.
#include <gtest/gtest.h>

#include <vector>

#include "core/measures/oversmoothing.h"
#include "testing.h"

namespace attnlab {
namespace {

TEST(OverSmoothing, IdenticalRowsGiveOne) {
  std::vector<float> x = {1, 2, 3, 2, 4, 6, 0.5f, 1, 1.5f};  // parallel rows
  EXPECT_NEAR(mean_pairwise_cosine(x.data(), 3, 3, 3), 1.0, 1e-9);
}

TEST(OverSmoothing, OrthogonalRowsGiveZero) {
  std::vector<float> x = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  EXPECT_NEAR(mean_pairwise_cosine(x.data(), 3, 3, 3), 0.0, 1e-12);
}

TEST(OverSmoothing, OppositePairGivesMinusOne) {
  std::vector<float> x = {1, 2, -1, -2};
  EXPECT_NEAR(mean_pairwise_cosine(x.data(), 2, 2, 2), -1.0, 1e-9);
}

TEST(OverSmoothing, MatchesTheDirectPairwiseMean) {
  const int rows = 9, C = 5, stride = 7;
  const auto x = testing::random_vector(rows * stride, 3);
  double direct = 0;
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < rows; ++j) {
      if (i == j) continue;
      double dot = 0, ni = 0, nj = 0;
      for (int c = 0; c < C; ++c) {
        dot += x[i * stride + c] * x[j * stride + c];
        ni += x[i * stride + c] * x[i * stride + c];
        nj += x[j * stride + c] * x[j * stride + c];
      }
      direct += dot / std::sqrt(ni * nj);
    }
  direct /= rows * (rows - 1);
  EXPECT_NEAR(mean_pairwise_cosine(x.data(), rows, C, stride), direct, 1e-6);
}

}  // namespace
}  // namespace attnlab
