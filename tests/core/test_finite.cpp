// Finite checks: SIMD against the scalar reference, NaN and +-inf at the first
// index, in the vector body and at the last index of odd-length arrays (the
// scalar tail), and max_abs's documented NaN behaviour.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>
#include <vector>

#include "core/kernels/finite.h"
#include "core/kernels/ref/finite_ref.h"
#include "testing.h"

namespace attnlab {
namespace {

using testing::random_vector;

const size_t kOddSizes[] = {1, 3, 5, 17, 67};
const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

TEST(Finite, FiniteArraysPass) {
  for (size_t n : {size_t{0}, size_t{1}, size_t{3}, size_t{8}, size_t{17}, size_t{64}, size_t{67}}) {
    auto x = random_vector(n, 1, 1e3);
    EXPECT_TRUE(all_finite(x.data(), n)) << "n " << n;
    EXPECT_EQ(all_finite(x.data(), n), ref::all_finite(x.data(), n));
  }
  // The extremes of the finite range are finite.
  std::vector<float> edge = {FLT_MAX, -FLT_MAX, FLT_MIN, -0.0f, std::numeric_limits<float>::denorm_min(),
                             FLT_MAX, 1.0f, -FLT_MAX, 0.0f};
  EXPECT_TRUE(all_finite(edge.data(), edge.size()));
}

TEST(Finite, BadValueAnywhereFails) {
  for (float bad : {kNaN, kInf, -kInf})
    for (size_t n : kOddSizes) {
      std::vector<size_t> where = {0, n - 1, n / 2};  // first, last (scalar tail), middle
      for (size_t at : where) {
        auto x = random_vector(n, 2);
        x[at] = bad;
        EXPECT_FALSE(all_finite(x.data(), n)) << bad << " at " << at << " of " << n;
        EXPECT_EQ(all_finite(x.data(), n), ref::all_finite(x.data(), n));
      }
    }
  // Inside the vector body of a long array, with a finite tail after it.
  auto x = random_vector(67, 3);
  x[9] = kNaN;
  EXPECT_FALSE(all_finite(x.data(), x.size()));
}

TEST(Finite, MaxAbsMatchesReference) {
  for (size_t n : {size_t{1}, size_t{3}, size_t{5}, size_t{8}, size_t{17}, size_t{64}, size_t{67}}) {
    const auto x = random_vector(n, 4, 10.0);
    EXPECT_EQ(max_abs(x.data(), n), ref::max_abs(x.data(), n)) << "n " << n;
  }
  EXPECT_EQ(max_abs(nullptr, 0), 0.0f);
}

TEST(Finite, MaxAbsFindsTheLargestMagnitudeAnywhere) {
  for (size_t n : kOddSizes)
    for (size_t at : {size_t{0}, n - 1, n / 2}) {
      std::vector<float> x(n, 0.5f);
      x[at] = -42.0f;  // negative: the magnitude counts
      EXPECT_EQ(max_abs(x.data(), n), 42.0f) << at << " of " << n;
      x[at] = -kInf;
      EXPECT_EQ(max_abs(x.data(), n), kInf) << at << " of " << n;
    }
}

TEST(Finite, MaxAbsSkipsNaN) {
  // Documented: NaN entries are skipped, in the vector body and in the tail.
  for (size_t n : kOddSizes) {
    std::vector<float> x(n, -3.0f);
    x[0] = kNaN;
    x[n - 1] = kNaN;
    const float expect = n > 2 ? 3.0f : 0.0f;
    EXPECT_EQ(max_abs(x.data(), n), expect) << "n " << n;
    EXPECT_EQ(ref::max_abs(x.data(), n), expect) << "n " << n;

    // NaN everywhere but one entry: a lane that only ever sees NaN must not
    // leak it into the result (a plain max instruction would, on x86).
    std::vector<float> mostly_nan(n, kNaN);
    mostly_nan[n / 2] = -3.0f;
    EXPECT_EQ(max_abs(mostly_nan.data(), n), 3.0f) << "n " << n;
  }
}

}  // namespace
}  // namespace attnlab
