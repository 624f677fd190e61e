// Residual add: SIMD against the scalar reference over sizes that are not
// multiples of the vector width, in place, backward accumulation, and
// central-difference gradient checks.
#include <gtest/gtest.h>

#include <vector>

#include "core/kernels/residual.h"
#include "core/kernels/ref/residual_ref.h"
#include "testing.h"

namespace attnlab {
namespace {

using testing::all_close;
using testing::dot;
using testing::numeric_gradient;
using testing::random_vector;

const int kSizes[] = {1, 3, 5, 8, 17, 64, 67};

TEST(Residual, ForwardMatchesReference) {
  for (int N : kSizes) {
    const auto a = random_vector(N, 1), b = random_vector(N, 2);
    std::vector<float> out(N), expect(N);
    residual_forward(out.data(), a.data(), b.data(), N);
    ref::residual_forward(expect.data(), a.data(), b.data(), N);
    EXPECT_TRUE(all_close(out, expect, 0.0, 0.0)) << "N " << N;  // one add each: bit-identical

    auto in_place = a;  // out aliasing inp1, as a residual stream update does
    residual_forward(in_place.data(), in_place.data(), b.data(), N);
    EXPECT_TRUE(all_close(in_place, expect, 0.0, 0.0)) << "N " << N;
  }
}

TEST(Residual, BackwardMatchesReferenceAndAccumulates) {
  for (int N : kSizes) {
    const auto dout = random_vector(N, 3), d1_0 = random_vector(N, 4), d2_0 = random_vector(N, 5);
    auto d1 = d1_0, d2 = d2_0, e1 = d1_0, e2 = d2_0;
    residual_backward(d1.data(), d2.data(), dout.data(), N);
    ref::residual_backward(e1.data(), e2.data(), dout.data(), N);
    EXPECT_TRUE(all_close(d1, e1, 0.0, 0.0)) << "N " << N;
    EXPECT_TRUE(all_close(d2, e2, 0.0, 0.0)) << "N " << N;
    for (int i = 0; i < N; ++i) {
      EXPECT_EQ(d1[i], d1_0[i] + dout[i]);
      EXPECT_EQ(d2[i], d2_0[i] + dout[i]);
    }
  }
}

// loss = dot(inp1 + inp2, w), so both gradients are w.
template <class T, class Forward, class Backward>
void check_gradients(Forward forward, Backward backward, int N, double h, double rtol, double atol) {
  auto a = random_vector<T>(N, 6), b = random_vector<T>(N, 7);
  const auto w = random_vector<T>(N, 8);
  std::vector<T> out(N);
  auto loss = [&] {
    forward(out.data(), a.data(), b.data(), N);
    return dot(out, w);
  };
  const auto num_da = numeric_gradient(&a, loss, h), num_db = numeric_gradient(&b, loss, h);
  std::vector<T> da(N, T(0)), db(N, T(0));
  backward(da.data(), db.data(), w.data(), N);
  EXPECT_TRUE(all_close(da, num_da, rtol, atol)) << "N " << N;
  EXPECT_TRUE(all_close(db, num_db, rtol, atol)) << "N " << N;
}

TEST(Residual, ReferenceGradientInDouble) {
  for (int N : kSizes)
    check_gradients<double>(ref::residual_forward<double>, ref::residual_backward<double>, N, 1e-5, 1e-6, 1e-8);
}

TEST(Residual, SimdGradientInFloat) {
  // Tolerance: h 1e-2, rtol/atol 1e-4 (linear: only the rounding of one sum).
  for (int N : kSizes) check_gradients<float>(residual_forward, residual_backward, N, 1e-2, 1e-4, 1e-4);
}

}  // namespace
}  // namespace attnlab
