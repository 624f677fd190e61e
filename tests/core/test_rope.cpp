// Rotary position embedding: SIMD against the scalar reference over head
// sizes that are not multiples of the vector width, with negative (skipped)
// positions; the defining properties (pairs keep their norm, position 0 is the
// identity, q_m . k_n depends on m - n only, backward undoes forward); v and
// skipped rows untouched (even when not finite); central-difference gradient
// checks; the cached table following changes of positions, base, N, head_dim.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/kernels/rope.h"
#include "core/kernels/ref/rope_ref.h"
#include "testing.h"

namespace attnlab {
namespace {

using testing::all_close;
using testing::dot;
using testing::numeric_gradient;
using testing::random_vector;

const int kHeadDims[] = {2, 4, 6, 8, 16, 18, 64};
const int kHeads[] = {1, 3};
const int kBatches[] = {1, 2};
const int kRows[] = {1, 5, 33};
constexpr float kBase = 10000.0f;

// Two position patterns per N, each with some negative rows:
//   0: a learned prefix of 2 rows (-1), then 0, 1, 2, ...
//   1: scattered, non-monotone and large, every third row negative
std::vector<int> make_positions(int N, int pattern) {
  std::vector<int> p(N);
  for (int n = 0; n < N; ++n) {
    if (pattern == 0)
      p[n] = n < 2 ? -1 : n - 2;
    else
      p[n] = n % 3 == 1 ? -5 : (n * 389 + 17) % 4099 + (n % 2) * 3000;
  }
  if (N == 1) p[0] = pattern == 0 ? 7 : -1;  // one rotated row, one skipped row
  return p;
}

size_t qkv_size(int B, int N, int heads, int d) {
  return static_cast<size_t>(B) * N * 3 * heads * d;
}

// Calls f(B, N, heads, d, positions, label) for the whole test grid.
template <class F>
void for_each_shape(F f) {
  for (int d : kHeadDims)
    for (int heads : kHeads)
      for (int B : kBatches)
        for (int N : kRows)
          for (int pattern : {0, 1}) {
            const auto pos = make_positions(N, pattern);
            f(B, N, heads, d, pos,
              ::testing::Message() << "B " << B << " N " << N << " heads " << heads << " d " << d
                                   << " pattern " << pattern);
          }
}

// Tolerance against the float reference: the two share the cos/sin table bit
// for bit and differ only in fma against multiply-then-add: an ulp or two of
// the products (inputs are ~N(0, 1)).
TEST(Rope, ForwardMatchesReference) {
  for_each_shape([](int B, int N, int heads, int d, const std::vector<int>& pos,
                    const ::testing::Message& where) {
    const auto x = random_vector(qkv_size(B, N, heads, d), 1);
    auto got = x, want = x;
    rope_forward(got.data(), pos.data(), kBase, B, N, heads, d);
    ref::rope_forward(want.data(), pos.data(), kBase, B, N, heads, d);
    EXPECT_TRUE(all_close(got, want, 1e-6, 1e-6)) << where;
    bool any_turned = false;  // a positive position rotates something
    for (int p : pos) any_turned = any_turned || p > 0;
    if (any_turned) {
      EXPECT_FALSE(all_close(got, x, 1e-3, 1e-3)) << "nothing rotated: " << where;
    }
  });
}

TEST(Rope, BackwardMatchesReference) {
  for_each_shape([](int B, int N, int heads, int d, const std::vector<int>& pos,
                    const ::testing::Message& where) {
    const auto dy = random_vector(qkv_size(B, N, heads, d), 2);
    auto got = dy, want = dy;
    rope_backward(got.data(), pos.data(), kBase, B, N, heads, d);
    ref::rope_backward(want.data(), pos.data(), kBase, B, N, heads, d);
    EXPECT_TRUE(all_close(got, want, 1e-6, 1e-6)) << where;
  });
}

// The convention spelled out: d = 4, base 10000, position 3 turns pair 0 by
// 3 rad and pair 1 by 3 * 10000^(-1/2) = 0.03 rad, counter-clockwise.
TEST(Rope, KnownAngles) {
  const int pos[] = {3};
  // One row, one head: q = k = (1, 0, 0, 1), v = (5, 6, 7, 8).
  std::vector<float> qkv = {1, 0, 0, 1, 1, 0, 0, 1, 5, 6, 7, 8};
  rope_forward(qkv.data(), pos, kBase, 1, 1, 1, 4);
  const std::vector<double> rotated = {std::cos(3.0), std::sin(3.0), -std::sin(0.03), std::cos(0.03)};
  std::vector<double> want;
  for (int part = 0; part < 2; ++part) want.insert(want.end(), rotated.begin(), rotated.end());
  want.insert(want.end(), {5, 6, 7, 8});
  EXPECT_TRUE(all_close(qkv, want, 0.0, 1e-7));
  rope_backward(qkv.data(), pos, kBase, 1, 1, 1, 4);
  EXPECT_TRUE(all_close(qkv, std::vector<float>{1, 0, 0, 1, 1, 0, 0, 1, 5, 6, 7, 8}, 0.0, 1e-7));
}

// v, and every row with a negative position, are left bit for bit.
TEST(Rope, VAndSkippedRowsUnchanged) {
  for_each_shape([](int B, int N, int heads, int d, const std::vector<int>& pos,
                    const ::testing::Message& where) {
    const int C = heads * d;
    const auto x = random_vector(qkv_size(B, N, heads, d), 3);
    for (bool forward : {true, false}) {
      auto y = x;
      if (forward)
        rope_forward(y.data(), pos.data(), kBase, B, N, heads, d);
      else
        rope_backward(y.data(), pos.data(), kBase, B, N, heads, d);
      for (int b = 0; b < B; ++b)
        for (int n = 0; n < N; ++n) {
          const size_t row = (static_cast<size_t>(b) * N + n) * 3 * C;
          const int first = pos[n] < 0 ? 0 : 2 * C;  // the whole row, or just v
          for (int c = first; c < 3 * C; ++c)
            ASSERT_EQ(y[row + c], x[row + c]) << where << " b " << b << " n " << n << " column " << c
                                              << (forward ? " forward" : " backward");
        }
    }
  });
}

// A skipped row is not multiplied by an identity rotation but left alone:
// inf * sin 0 would turn its pair partner into NaN.
TEST(Rope, SkippedRowsKeepNonFiniteValues) {
  const float inf = std::numeric_limits<float>::infinity();
  for (int d : {2, 8, 18}) {
    const int heads = 1, C = d, N = 2;
    const int pos[] = {-1, 4};
    std::vector<float> qkv = random_vector(qkv_size(1, N, heads, d), 12);
    qkv[0] = inf;       // q, row 0 (skipped)
    qkv[C + 1] = -inf;  // k, row 0
    const auto x = qkv;
    rope_forward(qkv.data(), pos, kBase, 1, N, heads, d);
    for (int c = 0; c < 3 * C; ++c) EXPECT_EQ(qkv[c], x[c]) << "forward, d " << d << " column " << c;
    qkv = x;
    rope_backward(qkv.data(), pos, kBase, 1, N, heads, d);
    for (int c = 0; c < 3 * C; ++c) EXPECT_EQ(qkv[c], x[c]) << "backward, d " << d << " column " << c;
  }
}

TEST(Rope, PositionZeroIsIdentity) {
  // cos 0 = 1, sin 0 = 0 exactly: x * 1 + swapped * 0 is x exactly.
  for (int d : kHeadDims)
    for (int heads : kHeads) {
      const int B = 2, N = 5;
      const std::vector<int> pos(N, 0);
      const auto x = random_vector(qkv_size(B, N, heads, d), 4);
      auto y = x, z = x;
      rope_forward(y.data(), pos.data(), kBase, B, N, heads, d);
      rope_backward(z.data(), pos.data(), kBase, B, N, heads, d);
      for (size_t i = 0; i < x.size(); ++i) {
        ASSERT_EQ(y[i], x[i]) << "forward, d " << d << " heads " << heads << " entry " << i;
        ASSERT_EQ(z[i], x[i]) << "backward, d " << d << " heads " << heads << " entry " << i;
      }
    }
}

// x0^2 + x1^2 of every q and k pair, in double: [B * N * 2 * heads * (d/2)].
std::vector<double> pair_norms(const std::vector<float>& qkv, int B, int N, int heads, int d) {
  const int C = heads * d;
  std::vector<double> out;
  for (int r = 0; r < B * N; ++r)
    for (int g = 0; g < 2 * heads; ++g)  // the q heads, then the k heads
      for (int i = 0; i < d / 2; ++i) {
        const float* x = qkv.data() + static_cast<size_t>(r) * 3 * C + g * d + 2 * i;
        out.push_back(static_cast<double>(x[0]) * x[0] + static_cast<double>(x[1]) * x[1]);
      }
  return out;
}

TEST(Rope, PreservesPairNorms) {
  // A rotation keeps each pair's length; in float to a few ulps (rtol 1e-6).
  for_each_shape([](int B, int N, int heads, int d, const std::vector<int>& pos,
                    const ::testing::Message& where) {
    const auto x = random_vector(qkv_size(B, N, heads, d), 5);
    auto y = x;
    rope_forward(y.data(), pos.data(), kBase, B, N, heads, d);
    EXPECT_TRUE(all_close(pair_norms(y, B, N, heads, d), pair_norms(x, B, N, heads, d), 1e-6, 1e-12))
        << where;
  });
}

// q of row 0 (position m) . k of row 1 (position n), per head, after rotation.
template <class T, class Forward>
std::vector<double> rotated_scores(Forward forward, const std::vector<T>& qkv, int m, int n, int heads,
                                   int d) {
  const int C = heads * d;
  auto y = qkv;
  const int pos[] = {m, n};
  forward(y.data(), pos, kBase, 1, 2, heads, d);
  std::vector<double> s(heads, 0.0);
  for (int h = 0; h < heads; ++h)
    for (int c = 0; c < d; ++c)
      s[h] += static_cast<double>(y[h * d + c]) * static_cast<double>(y[3 * C + C + h * d + c]);
  return s;
}

// |q| |k| per head: the scale of a score's rounding error.
template <class T>
std::vector<double> score_scales(const std::vector<T>& qkv, int heads, int d) {
  const int C = heads * d;
  std::vector<double> s(heads);
  for (int h = 0; h < heads; ++h) {
    double qq = 0, kk = 0;
    for (int c = 0; c < d; ++c) {
      qq += static_cast<double>(qkv[h * d + c]) * qkv[h * d + c];
      kk += static_cast<double>(qkv[3 * C + C + h * d + c]) * qkv[3 * C + C + h * d + c];
    }
    s[h] = std::sqrt(qq * kk);
  }
  return s;
}

// q_m . k_n is unchanged when both positions shift by the same amount, and
// does change with m - n. Tolerance, relative to |q| |k|: 1e-12 for the
// double reference; 2e-6 for the float SIMD version, whose cos/sin are
// rounded to float (~6e-8 each) at angles up to ~3000 rad.
template <class T, class Forward>
void check_relative(Forward forward, double tol) {
  const int heads = 3;
  for (int d : kHeadDims) {
    const auto qkv = testing::cast<T>(random_vector(qkv_size(1, 2, heads, d), 6));
    const auto scale = score_scales(qkv, heads, d);
    for (int m : {0, 3, 20})
      for (int n : {0, 1, 20}) {
        const auto base_scores = rotated_scores(forward, qkv, m, n, heads, d);
        for (int shift : {1, 7, 100, 2500}) {
          const auto s = rotated_scores(forward, qkv, m + shift, n + shift, heads, d);
          for (int h = 0; h < heads; ++h)
            EXPECT_NEAR(s[h], base_scores[h], tol * scale[h])
                << "d " << d << " head " << h << " m " << m << " n " << n << " shift " << shift;
        }
        if (m != n) {  // and the score does depend on the offset
          const auto s0 = rotated_scores(forward, qkv, 0, 0, heads, d);
          double diff = 0;
          for (int h = 0; h < heads; ++h) diff += std::fabs(s0[h] - base_scores[h]);
          EXPECT_GT(diff, 1e-3) << "d " << d << " m " << m << " n " << n;
        }
      }
  }
}

TEST(Rope, ScoreDependsOnlyOnOffsetReference) {
  check_relative<double>(ref::rope_forward<double>, 1e-12);
}

TEST(Rope, ScoreDependsOnlyOnOffsetSimd) { check_relative<float>(rope_forward, 2e-6); }

// Backward (the inverse rotation) after forward gives back the input:
// cos^2 + sin^2 = 1 to float rounding (1e-6) in SIMD, to 1e-14 in double.
TEST(Rope, ForwardThenBackwardIsIdentity) {
  for_each_shape([](int B, int N, int heads, int d, const std::vector<int>& pos,
                    const ::testing::Message& where) {
    const auto x = random_vector(qkv_size(B, N, heads, d), 7);
    auto y = x;
    rope_forward(y.data(), pos.data(), kBase, B, N, heads, d);
    rope_backward(y.data(), pos.data(), kBase, B, N, heads, d);
    EXPECT_TRUE(all_close(y, x, 1e-6, 1e-6)) << where;

    const auto xd = testing::cast<double>(x);
    auto yd = xd;
    ref::rope_forward(yd.data(), pos.data(), kBase, B, N, heads, d);
    ref::rope_backward(yd.data(), pos.data(), kBase, B, N, heads, d);
    EXPECT_TRUE(all_close(yd, xd, 1e-14, 1e-14)) << where;
  });
}

// loss = dot(rope_forward(qkv), w), so d(loss)/d(rotated qkv) = w and the
// backward of w must be the gradient of the loss with respect to qkv (v and
// skipped rows included: their gradient is w itself).
template <class T, class Forward, class Backward>
void check_gradient(Forward forward, Backward backward, double h, double rtol, double atol) {
  for (int d : {2, 5, 6, 8, 18})
    for (int heads : kHeads) {
      const int B = 2, N = 5;
      for (int pattern : {0, 1}) {
        const auto pos = make_positions(N, pattern);
        auto qkv = random_vector<T>(qkv_size(B, N, heads, d), 8);
        const auto w = random_vector<T>(qkv.size(), 9);
        std::vector<T> y(qkv.size());
        auto loss = [&] {
          y = qkv;
          forward(y.data(), pos.data(), kBase, B, N, heads, d);
          return dot(y, w);
        };
        const auto num = numeric_gradient(&qkv, loss, h);
        auto grad = w;
        backward(grad.data(), pos.data(), kBase, B, N, heads, d);
        EXPECT_TRUE(all_close(grad, num, rtol, atol))
            << "d " << d << " heads " << heads << " pattern " << pattern;
      }
    }
}

TEST(Rope, ReferenceGradientInDouble) {
  // The loss is linear in qkv, so central differences have no truncation
  // error: only double rounding of the loss (~1e-14) over 2h.
  check_gradient<double>(ref::rope_forward<double>, ref::rope_backward<double>, 1e-3, 1e-9, 1e-9);
}

TEST(Rope, SimdGradientInFloat) {
  // h 1e-2 in float: the step itself is off by up to an ulp of the entry
  // (~1e-5 relative to h) and each rotated output by an ulp (~1e-7 / 2h).
  // Tolerance rtol 1e-3, atol 1e-4; the worst entry measured ~2e-5.
  check_gradient<float>(rope_forward, rope_backward, 1e-2, 1e-3, 1e-4);
}

// Odd head_dim (documented): pairs (2i, 2i+1) for i < d/2 rotate, the last
// component of each head stays; d = 1 rotates nothing.
TEST(Rope, OddHeadDimLeavesLastComponent) {
  for (int d : {1, 3, 5, 9, 17})
    for (int heads : kHeads) {
      const int B = 2, N = 5, C = heads * d;
      const auto pos = make_positions(N, 1);
      const auto x = random_vector(qkv_size(B, N, heads, d), 10);
      auto y = x, want = x;
      rope_forward(y.data(), pos.data(), kBase, B, N, heads, d);
      ref::rope_forward(want.data(), pos.data(), kBase, B, N, heads, d);
      EXPECT_TRUE(all_close(y, want, 1e-6, 1e-6)) << "d " << d << " heads " << heads;
      for (int r = 0; r < B * N; ++r)
        for (int g = 0; g < 2 * heads; ++g) {
          const size_t last = static_cast<size_t>(r) * 3 * C + g * d + d - 1;
          ASSERT_EQ(y[last], x[last]) << "d " << d << " row " << r << " head " << g;
        }
      auto back = y;
      rope_backward(back.data(), pos.data(), kBase, B, N, heads, d);
      EXPECT_TRUE(all_close(back, x, 1e-6, 1e-6)) << "d " << d << " heads " << heads;
    }
}

// The cached table is keyed by the positions' contents (not their address),
// base, N and head_dim: each change below must be seen.
TEST(Rope, CachedTableFollowsItsKey) {
  const int B = 2, heads = 3;
  std::vector<int> pos = make_positions(33, 0);
  auto run = [&](int N, int d, float base, const char* what) {
    const auto x = random_vector(qkv_size(B, N, heads, d), 11);
    auto got = x, want = x;
    rope_forward(got.data(), pos.data(), base, B, N, heads, d);
    ref::rope_forward(want.data(), pos.data(), base, B, N, heads, d);
    EXPECT_TRUE(all_close(got, want, 1e-6, 1e-6)) << what << " forward";
    got = x;
    want = x;
    rope_backward(got.data(), pos.data(), base, B, N, heads, d);
    ref::rope_backward(want.data(), pos.data(), base, B, N, heads, d);
    EXPECT_TRUE(all_close(got, want, 1e-6, 1e-6)) << what << " backward";
  };
  run(33, 16, kBase, "first");
  run(33, 16, kBase, "same key again");
  for (int& p : pos) p = p < 0 ? p : p + 11;
  run(33, 16, kBase, "positions changed in place");
  pos[5] = -1;
  run(33, 16, kBase, "one row now skipped");
  run(33, 16, 500.0f, "base changed");
  run(20, 16, 500.0f, "N changed");
  run(20, 8, 500.0f, "head_dim changed");
  run(33, 16, kBase, "back to an earlier key");
}

}  // namespace
}  // namespace attnlab
