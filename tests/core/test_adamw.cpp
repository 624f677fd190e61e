// AdamW: SIMD against the scalar reference over sizes that are not multiples
// of the vector width, over several steps; then the properties that pin the
// formula down: the bias-corrected first step moves each parameter by about
// lr * sign(grad), a constant gradient keeps doing so at every step, and with
// a zero gradient only the decoupled decay acts.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/kernels/adamw.h"
#include "core/kernels/ref/adamw_ref.h"
#include "testing.h"

namespace attnlab {
namespace {

using testing::all_close;
using testing::random_vector;

const size_t kSizes[] = {1, 3, 5, 8, 17, 64, 67, 1001};

struct Hyper {
  float lr = 1e-3f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f, weight_decay = 0.1f;
};

TEST(AdamW, MatchesReferenceOverSteps) {
  const Hyper hp;
  for (size_t n : kSizes) {
    auto p = random_vector(n, 1), m = std::vector<float>(n, 0.0f), v = std::vector<float>(n, 0.0f);
    auto ep = p, em = m, ev = v;
    for (int step = 1; step <= 5; ++step) {
      const auto g = random_vector(n, 100 + step);
      adamw_update(p.data(), m.data(), v.data(), g.data(), hp.lr, hp.beta1, hp.beta2, hp.eps, hp.weight_decay,
                   step, n);
      ref::adamw_update(ep.data(), em.data(), ev.data(), g.data(), hp.lr, hp.beta1, hp.beta2, hp.eps,
                        hp.weight_decay, step, n);
    }
    EXPECT_TRUE(all_close(p, ep, 1e-6, 1e-7)) << "n " << n;
    EXPECT_TRUE(all_close(m, em, 1e-5, 1e-7)) << "n " << n;
    EXPECT_TRUE(all_close(v, ev, 1e-5, 1e-8)) << "n " << n;
  }
}

TEST(AdamW, FirstStepMovesByLrTimesSignOfGrad) {
  // Step 1: mhat = g and vhat = g^2 exactly (bias correction), so the update
  // is lr * g / (|g| + eps) = lr * sign(g) whatever the gradient's scale.
  // |g| >= 1e-3 keeps eps / |g| <= 1e-5, inside the 1e-4 relative tolerance.
  const float lr = 0.01f;
  for (size_t n : {size_t{5}, size_t{67}})
    for (double scale : {1e-2, 1.0, 1e3}) {
      const auto p0 = random_vector(n, 2);
      auto g = random_vector(n, 3, scale);
      for (float& x : g)
        if (std::fabs(x) < 0.1 * scale) x = static_cast<float>(x < 0 ? -0.1 * scale : 0.1 * scale);
      auto p = p0;
      std::vector<float> m(n, 0.0f), v(n, 0.0f);
      adamw_update(p.data(), m.data(), v.data(), g.data(), lr, 0.9f, 0.999f, 1e-8f, 0.0f, 1, n);
      for (size_t i = 0; i < n; ++i) {
        const float sign = g[i] > 0 ? 1.0f : -1.0f;
        EXPECT_NEAR(p[i] - p0[i], -lr * sign, 1e-4 * lr) << "n " << n << " scale " << scale << " i " << i;
      }
    }
}

TEST(AdamW, ConstantGradientMovesByLrEveryStep) {
  // With g constant, m_t = (1 - beta1^t) g and v_t = (1 - beta2^t) g^2: the
  // bias corrections undo exactly that, so every step moves by lr * sign(g).
  // Without the corrections step 1 would move by 0.1 / sqrt(0.001) ~ 3.2 lr.
  const size_t n = 19;
  const float lr = 0.01f;
  auto p = random_vector(n, 4);
  auto g = random_vector(n, 5);
  for (float& x : g) x = x >= 0 ? x + 0.1f : x - 0.1f;
  std::vector<float> m(n, 0.0f), v(n, 0.0f);
  for (int step = 1; step <= 20; ++step) {
    const auto before = p;
    adamw_update(p.data(), m.data(), v.data(), g.data(), lr, 0.9f, 0.999f, 1e-8f, 0.0f, step, n);
    for (size_t i = 0; i < n; ++i) {
      const float sign = g[i] > 0 ? 1.0f : -1.0f;
      EXPECT_NEAR(p[i] - before[i], -lr * sign, 1e-3 * lr) << "step " << step << " i " << i;
    }
  }
}

TEST(AdamW, ZeroGradientOnlyDecays) {
  // g = 0: m = v = 0, so the adaptive term is 0 / (0 + eps) = 0 and the
  // decoupled decay alone acts: p <- p - lr * wd * p.
  const size_t n = 21;
  const float lr = 0.05f, wd = 0.2f;
  const auto p0 = random_vector(n, 6);
  auto p = p0;
  std::vector<float> m(n, 0.0f), v(n, 0.0f), g(n, 0.0f);
  adamw_update(p.data(), m.data(), v.data(), g.data(), lr, 0.9f, 0.999f, 1e-8f, wd, 1, n);
  for (size_t i = 0; i < n; ++i) EXPECT_NEAR(p[i], p0[i] * (1.0f - lr * wd), 1e-6) << i;
}

TEST(AdamW, ReferenceInDoubleAgreesWithFloat) {
  // The float reference against the same formula in double, a check on the
  // reference itself (no rounding trouble in the bias corrections).
  const size_t n = 33;
  auto p = random_vector(n, 7);
  auto pd = testing::cast<double>(p);
  std::vector<float> m(n, 0.0f), v(n, 0.0f);
  std::vector<double> md(n, 0.0), vd(n, 0.0);
  for (int step = 1; step <= 10; ++step) {
    const auto g = random_vector<double>(n, 200 + step);
    const auto gf = testing::cast<float>(g);
    ref::adamw_update(p.data(), m.data(), v.data(), gf.data(), 1e-2f, 0.9f, 0.95f, 1e-8f, 0.1f, step, n);
    ref::adamw_update(pd.data(), md.data(), vd.data(), testing::cast<double>(gf).data(), 1e-2, 0.9, 0.95, 1e-8,
                      0.1, step, n);
  }
  EXPECT_TRUE(all_close(p, pd, 1e-5, 1e-6));
}

}  // namespace
}  // namespace attnlab
