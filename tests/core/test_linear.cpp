// Linear layer (weight [C, OC]): SIMD against the scalar reference over shapes
// that are not multiples of the vector width, with and without bias, backward
// accumulation, central-difference gradient checks, and an identity weight.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/kernels/linear.h"
#include "core/kernels/ref/linear_ref.h"
#include "testing.h"

namespace attnlab {
namespace {

using testing::all_close;
using testing::dot;
using testing::numeric_gradient;
using testing::random_vector;

struct Shape {
  int N, C, OC;
};
const Shape kShapes[] = {{1, 1, 1},  {1, 3, 5},   {3, 5, 1},   {4, 8, 8},    {5, 17, 3},
                         {7, 1, 17}, {9, 64, 67}, {2, 67, 64}, {17, 5, 64}, {33, 16, 48}};

// Tolerance for float sums of K products of unit normals (as in test_matmul).
double tol(int K) { return 1e-5 * (K + 4); }

TEST(Linear, ForwardMatchesReference) {
  for (const Shape& s : kShapes)
    for (bool with_bias : {true, false}) {
      const auto inp = random_vector(s.N * s.C, 1), weight = random_vector(s.C * s.OC, 2);
      const auto bias = random_vector(s.OC, 3);
      const float* b = with_bias ? bias.data() : nullptr;
      auto out = random_vector(s.N * s.OC, 4), expect = out;  // stale contents must be overwritten
      linear_forward(out.data(), inp.data(), weight.data(), b, s.N, s.C, s.OC);
      ref::linear_forward(expect.data(), inp.data(), weight.data(), b, s.N, s.C, s.OC);
      EXPECT_TRUE(all_close(out, expect, tol(s.C), tol(s.C)))
          << s.N << "x" << s.C << "x" << s.OC << " bias " << with_bias;
    }
}

TEST(Linear, IdentityWeightPassesInputPlusBias) {
  const int N = 5, C = 11;
  std::vector<float> weight(C * C, 0.0f);
  for (int i = 0; i < C; ++i) weight[i * C + i] = 1.0f;
  const auto inp = random_vector(N * C, 5), bias = random_vector(C, 6);
  std::vector<float> out(N * C);
  linear_forward(out.data(), inp.data(), weight.data(), bias.data(), N, C, C);
  for (int n = 0; n < N; ++n)
    for (int j = 0; j < C; ++j) EXPECT_FLOAT_EQ(out[n * C + j], inp[n * C + j] + bias[j]);
}

TEST(Linear, BackwardMatchesReferenceAndAccumulates) {
  for (const Shape& s : kShapes)
    for (bool with_bias : {true, false}) {
      const auto inp = random_vector(s.N * s.C, 7), weight = random_vector(s.C * s.OC, 8);
      const auto dout = random_vector(s.N * s.OC, 9);
      const auto dinp0 = random_vector(s.N * s.C, 10), dweight0 = random_vector(s.C * s.OC, 11);
      const auto dbias0 = random_vector(s.OC, 12);
      auto dinp = dinp0, dweight = dweight0, dbias = dbias0;
      auto e_dinp = dinp0, e_dweight = dweight0, e_dbias = dbias0;
      linear_backward(dinp.data(), dweight.data(), with_bias ? dbias.data() : nullptr, dout.data(), inp.data(),
                      weight.data(), s.N, s.C, s.OC);
      ref::linear_backward(e_dinp.data(), e_dweight.data(), with_bias ? e_dbias.data() : nullptr, dout.data(),
                           inp.data(), weight.data(), s.N, s.C, s.OC);
      const std::string where = std::to_string(s.N) + "x" + std::to_string(s.C) + "x" + std::to_string(s.OC);
      EXPECT_TRUE(all_close(dinp, e_dinp, tol(s.OC), tol(s.OC))) << where;
      EXPECT_TRUE(all_close(dweight, e_dweight, tol(s.N), tol(s.N))) << where;
      EXPECT_TRUE(all_close(dbias, e_dbias, tol(s.N), tol(s.N))) << where;
      if (!with_bias) {
        EXPECT_EQ(dbias, dbias0) << "a null dbias must be skipped, " << where;
        continue;
      }

      // Accumulation: backward into pre-filled buffers = pre-fill + backward into zeros.
      std::vector<float> f_dinp(s.N * s.C, 0.0f), f_dweight(s.C * s.OC, 0.0f), f_dbias(s.OC, 0.0f);
      linear_backward(f_dinp.data(), f_dweight.data(), f_dbias.data(), dout.data(), inp.data(), weight.data(),
                      s.N, s.C, s.OC);
      for (size_t i = 0; i < f_dinp.size(); ++i) f_dinp[i] += dinp0[i];
      for (size_t i = 0; i < f_dweight.size(); ++i) f_dweight[i] += dweight0[i];
      for (size_t i = 0; i < f_dbias.size(); ++i) f_dbias[i] += dbias0[i];
      EXPECT_TRUE(all_close(dinp, f_dinp, 1e-5, 1e-5)) << where;
      EXPECT_TRUE(all_close(dweight, f_dweight, 1e-5, 1e-5)) << where;
      EXPECT_TRUE(all_close(dbias, f_dbias, 1e-5, 1e-5)) << where;
    }
}

// loss = dot(out, w), so d(loss)/d(out) = w: dinp, dweight and dbias against
// central differences of that loss.
template <class T, class Forward, class Backward>
void check_gradients(Forward forward, Backward backward, const Shape& s, double h, double rtol,
                     double atol) {
  auto inp = random_vector<T>(s.N * s.C, 13), weight = random_vector<T>(s.C * s.OC, 14);
  auto bias = random_vector<T>(s.OC, 15);
  const auto w = random_vector<T>(s.N * s.OC, 16);
  std::vector<T> out(s.N * s.OC);
  auto loss = [&] {
    forward(out.data(), inp.data(), weight.data(), bias.data(), s.N, s.C, s.OC);
    return dot(out, w);
  };
  const auto num_dinp = numeric_gradient(&inp, loss, h);
  const auto num_dweight = numeric_gradient(&weight, loss, h);
  const auto num_dbias = numeric_gradient(&bias, loss, h);
  std::vector<T> dinp(s.N * s.C, T(0)), dweight(s.C * s.OC, T(0)), dbias(s.OC, T(0));
  backward(dinp.data(), dweight.data(), dbias.data(), w.data(), inp.data(), weight.data(), s.N, s.C, s.OC);
  const std::string where = std::to_string(s.N) + "x" + std::to_string(s.C) + "x" + std::to_string(s.OC);
  EXPECT_TRUE(all_close(dinp, num_dinp, rtol, atol)) << "dinp " << where;
  EXPECT_TRUE(all_close(dweight, num_dweight, rtol, atol)) << "dweight " << where;
  EXPECT_TRUE(all_close(dbias, num_dbias, rtol, atol)) << "dbias " << where;
}

TEST(Linear, ReferenceGradientInDouble) {
  // h 1e-4 rather than 1e-5: the loss is linear in each argument, so central
  // differences have no truncation error and a larger step only shrinks the
  // rounding error (which at h 1e-5 reached half of rtol 1e-6).
  for (const Shape& s : kShapes)
    check_gradients<double>(ref::linear_forward<double>, ref::linear_backward<double>, s, 1e-4, 1e-6, 1e-8);
}

TEST(Linear, SimdGradientInFloat) {
  // Tolerance: h 1e-2, rtol/atol 2e-3. The loss is linear in each argument, so
  // the error is only float rounding of out (sums of up to 67 products) / 2h.
  for (const Shape& s : kShapes)
    check_gradients<float>(linear_forward, linear_backward, s, 1e-2, 2e-3, 2e-3);
}

}  // namespace
}  // namespace attnlab
