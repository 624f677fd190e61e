// Fused softmax + cross-entropy: SIMD (xsimd::exp) against the scalar
// reference over vocabulary sizes that are not multiples of the vector width,
// backward accumulation, ignored rows, central-difference gradient checks,
// known answers and huge logits.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/kernels/crossentropy.h"
#include "core/kernels/ref/crossentropy_ref.h"
#include "testing.h"

namespace attnlab {
namespace {

using testing::all_close;
using testing::dot;
using testing::numeric_gradient;
using testing::random_vector;

const int kVocab[] = {1, 3, 5, 8, 17, 64, 67};
const int kRows = 5;

// Targets in [0, V), with row 1 ignored (-1).
std::vector<int> random_targets(int N, int V, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> id(0, V - 1);
  std::vector<int> t(N);
  for (int& x : t) x = id(rng);
  if (N > 1) t[1] = kIgnoreTarget;
  return t;
}

TEST(CrossEntropy, ForwardMatchesReference) {
  for (int V : kVocab) {
    const auto logits = random_vector(kRows * V, 1, 3.0);
    const auto targets = random_targets(kRows, V, 2);
    std::vector<float> losses(kRows), probs(kRows * V), e_losses(kRows), e_probs(kRows * V);
    crossentropy_forward(losses.data(), probs.data(), logits.data(), targets.data(), kRows, V);
    ref::crossentropy_forward(e_losses.data(), e_probs.data(), logits.data(), targets.data(), kRows, V);
    EXPECT_TRUE(all_close(losses, e_losses, 1e-5, 1e-6)) << "V " << V;
    EXPECT_TRUE(all_close(probs, e_probs, 1e-5, 1e-7)) << "V " << V;
    for (int n = 0; n < kRows; ++n) {
      double s = 0;
      for (int i = 0; i < V; ++i) s += probs[n * V + i];
      EXPECT_NEAR(s, 1.0, 1e-5) << "row " << n << " V " << V;
    }
  }
}

TEST(CrossEntropy, BackwardMatchesReferenceAndAccumulates) {
  for (int V : kVocab) {
    const auto logits = random_vector(kRows * V, 3, 3.0);
    const auto targets = random_targets(kRows, V, 4);
    const auto dlosses = random_vector(kRows, 5);
    std::vector<float> losses(kRows), probs(kRows * V);
    crossentropy_forward(losses.data(), probs.data(), logits.data(), targets.data(), kRows, V);

    const auto dlogits0 = random_vector(kRows * V, 6);
    auto dlogits = dlogits0, expect = dlogits0;
    crossentropy_backward(dlogits.data(), dlosses.data(), probs.data(), targets.data(), kRows, V);
    ref::crossentropy_backward(expect.data(), dlosses.data(), probs.data(), targets.data(), kRows, V);
    EXPECT_TRUE(all_close(dlogits, expect, 1e-5, 1e-6)) << "V " << V;

    std::vector<float> fresh(kRows * V, 0.0f);
    crossentropy_backward(fresh.data(), dlosses.data(), probs.data(), targets.data(), kRows, V);
    for (int i = 0; i < kRows * V; ++i) fresh[i] += dlogits0[i];
    EXPECT_TRUE(all_close(dlogits, fresh, 1e-6, 1e-6)) << "V " << V;
  }
}

TEST(CrossEntropy, UniformLogitsGiveLogV) {
  for (int V : kVocab)
    for (float c : {0.0f, 7.5f, -300.0f}) {
      const std::vector<float> logits(2 * V, c);
      const std::vector<int> targets = {0, V - 1};
      std::vector<float> losses(2), probs(2 * V);
      crossentropy_forward(losses.data(), probs.data(), logits.data(), targets.data(), 2, V);
      for (float l : losses) EXPECT_NEAR(l, std::log(static_cast<double>(V)), 1e-6) << "V " << V << " c " << c;
      for (float p : probs) EXPECT_NEAR(p, 1.0 / V, 1e-7) << "V " << V << " c " << c;
    }
}

TEST(CrossEntropy, IgnoredRowsHaveNoLossAndNoGradient) {
  const int V = 17;
  const auto logits = random_vector(kRows * V, 7, 3.0);
  const std::vector<int> targets = {kIgnoreTarget, 3, kIgnoreTarget, 16, kIgnoreTarget};
  std::vector<float> losses(kRows, 99.0f), probs(kRows * V);
  crossentropy_forward(losses.data(), probs.data(), logits.data(), targets.data(), kRows, V);
  const std::vector<float> dlosses(kRows, 1.0f);
  std::vector<float> dlogits(kRows * V, 0.0f);
  crossentropy_backward(dlogits.data(), dlosses.data(), probs.data(), targets.data(), kRows, V);
  for (int n = 0; n < kRows; ++n) {
    double row_abs = 0;
    for (int i = 0; i < V; ++i) row_abs += std::fabs(dlogits[n * V + i]);
    if (targets[n] == kIgnoreTarget) {
      EXPECT_EQ(losses[n], 0.0f) << "row " << n;
      EXPECT_EQ(row_abs, 0.0) << "row " << n;
    } else {
      EXPECT_GT(losses[n], 0.0f) << "row " << n;
      EXPECT_GT(row_abs, 0.0) << "row " << n;
    }
  }
}

TEST(CrossEntropy, HugeLogitsStayFinite) {
  // Logits of +-1e4: exp would overflow without the max subtraction, and the
  // target's probability underflows to 0 when its logit is -1e4, so -log p
  // would be inf; the loss must be the exact 2e4 instead.
  for (int V : {3, 17, 67}) {
    const int N = 3;
    std::vector<float> logits(N * V);
    for (int i = 0; i < N * V; ++i) logits[i] = (i % 2 ? 1e4f : -1e4f);
    const std::vector<int> targets = {0, 1, V - 1};  // row 0: target at -1e4
    std::vector<float> losses(N), probs(N * V);
    crossentropy_forward(losses.data(), probs.data(), logits.data(), targets.data(), N, V);
    for (float l : losses) EXPECT_TRUE(std::isfinite(l));
    for (float p : probs) EXPECT_TRUE(std::isfinite(p) && p >= 0.0f && p <= 1.0f);
    // Row 0 starts at -1e4 (index 0): about half its entries are +1e4, so
    // loss = log(count of +1e4 entries) + 2e4.
    int high = 0;
    for (int i = 0; i < V; ++i) high += logits[i] > 0;
    EXPECT_NEAR(losses[0], 2e4 + std::log(static_cast<double>(high)), 2e4 * 1e-6);
    std::vector<float> dlogits(N * V, 0.0f);
    const std::vector<float> dlosses(N, 1.0f);
    crossentropy_backward(dlogits.data(), dlosses.data(), probs.data(), targets.data(), N, V);
    for (float d : dlogits) EXPECT_TRUE(std::isfinite(d));
  }
}

// loss = dot(losses, w), so d(loss)/d(losses) = w: dlogits against central
// differences of that loss (ignored row included: its gradient must be 0).
template <class T, class Forward, class Backward>
void check_gradients(Forward forward, Backward backward, int V, double h, double rtol, double atol) {
  auto logits = random_vector<T>(kRows * V, 8, 2.0);
  const auto targets = random_targets(kRows, V, 9);
  const auto w = random_vector<T>(kRows, 10);
  std::vector<T> losses(kRows), probs(kRows * V);
  auto loss = [&] {
    forward(losses.data(), probs.data(), logits.data(), targets.data(), kRows, V);
    return dot(losses, w);
  };
  const auto numeric = numeric_gradient(&logits, loss, h);
  loss();  // probs of the unperturbed logits
  std::vector<T> dlogits(kRows * V, T(0));
  backward(dlogits.data(), w.data(), probs.data(), targets.data(), kRows, V);
  EXPECT_TRUE(all_close(dlogits, numeric, rtol, atol)) << "V " << V;
}

TEST(CrossEntropy, ReferenceGradientInDouble) {
  for (int V : kVocab)
    check_gradients<double>(ref::crossentropy_forward<double>, ref::crossentropy_backward<double>, V, 1e-5,
                            1e-6, 1e-8);
}

TEST(CrossEntropy, SimdGradientInFloat) {
  // Tolerance: h 1e-2, rtol/atol 1e-3 (truncation ~ h^2/6 * |d3 loss| < 1e-5;
  // float rounding of the losses / 2h ~ 1e-5).
  for (int V : kVocab)
    check_gradients<float>(crossentropy_forward, crossentropy_backward, V, 1e-2, 1e-3, 1e-3);
}

}  // namespace
}  // namespace attnlab
