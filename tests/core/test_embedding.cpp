// Token + position embedding: SIMD against the scalar reference over sizes
// that are not multiples of the vector width, backward accumulation, and
// central-difference gradient checks (the reference in double, the SIMD
// kernel in float).
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "core/kernels/embedding.h"
#include "core/kernels/ref/embedding_ref.h"
#include "testing.h"

namespace attnlab {
namespace {

using testing::all_close;
using testing::dot;
using testing::numeric_gradient;
using testing::random_vector;

const int kChannels[] = {1, 3, 5, 8, 17, 64, 67};

// Token ids in [0, V); V is small so ids repeat and the backward must sum rows.
std::vector<int> random_tokens(size_t n, int V, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> id(0, V - 1);
  std::vector<int> t(n);
  for (int& x : t) x = id(rng);
  return t;
}

TEST(Embedding, ForwardMatchesReference) {
  const int B = 2, T = 3, V = 4;
  for (int C : kChannels)
    for (bool positions : {true, false}) {
      const auto tokens = random_tokens(B * T, V, 1);
      const auto wte = random_vector(V * C, 2), wpe = random_vector(T * C, 3);
      const float* pos = positions ? wpe.data() : nullptr;
      std::vector<float> out(B * T * C), expect(B * T * C);
      encoder_forward(out.data(), tokens.data(), wte.data(), pos, B, T, C);
      ref::encoder_forward(expect.data(), tokens.data(), wte.data(), pos, B, T, C);
      // One float add per entry, in both: bit-identical.
      EXPECT_TRUE(all_close(out, expect, 0.0, 0.0)) << "C " << C << " positions " << positions;
    }
}

TEST(Embedding, ForwardByHand) {
  // out[1,2,:] = wte[tokens[1,2],:] + wpe[2,:]
  const int B = 2, T = 3, C = 5, V = 4;
  const std::vector<int> tokens = {0, 3, 1, 2, 2, 3};
  const auto wte = random_vector(V * C, 4), wpe = random_vector(T * C, 5);
  std::vector<float> out(B * T * C);
  encoder_forward(out.data(), tokens.data(), wte.data(), wpe.data(), B, T, C);
  for (int c = 0; c < C; ++c) EXPECT_EQ(out[(1 * T + 2) * C + c], wte[3 * C + c] + wpe[2 * C + c]);
  encoder_forward(out.data(), tokens.data(), wte.data(), nullptr, B, T, C);
  for (int c = 0; c < C; ++c) EXPECT_EQ(out[(1 * T + 2) * C + c], wte[3 * C + c]);
}

TEST(Embedding, BackwardMatchesReferenceAndAccumulates) {
  const int B = 2, T = 3, V = 4;
  for (int C : kChannels)
    for (bool positions : {true, false}) {
      const auto tokens = random_tokens(B * T, V, 6);
      const auto dout = random_vector(B * T * C, 7);
      const auto dwte0 = random_vector(V * C, 8), dwpe0 = random_vector(T * C, 9);
      auto dwte = dwte0, dwpe = dwpe0, expect_dwte = dwte0, expect_dwpe = dwpe0;
      encoder_backward(dwte.data(), positions ? dwpe.data() : nullptr, dout.data(), tokens.data(), B, T, C);
      ref::encoder_backward(expect_dwte.data(), positions ? expect_dwpe.data() : nullptr, dout.data(),
                            tokens.data(), B, T, C);
      EXPECT_TRUE(all_close(dwte, expect_dwte, 1e-6, 1e-6)) << "C " << C;
      EXPECT_TRUE(all_close(dwpe, expect_dwpe, 1e-6, 1e-6)) << "C " << C;
      if (!positions) {
        EXPECT_EQ(dwpe, dwpe0) << "a null dwpe must leave positions alone";
      }

      // Accumulation: backward into a pre-filled buffer = pre-fill + backward into zeros.
      std::vector<float> fresh_dwte(V * C, 0.0f), fresh_dwpe(T * C, 0.0f);
      encoder_backward(fresh_dwte.data(), fresh_dwpe.data(), dout.data(), tokens.data(), B, T, C);
      for (size_t i = 0; i < fresh_dwte.size(); ++i) fresh_dwte[i] += dwte0[i];
      for (size_t i = 0; i < fresh_dwpe.size(); ++i) fresh_dwpe[i] += dwpe0[i];
      EXPECT_TRUE(all_close(dwte, fresh_dwte, 1e-6, 1e-6)) << "C " << C;
      if (positions) {
        EXPECT_TRUE(all_close(dwpe, fresh_dwpe, 1e-6, 1e-6)) << "C " << C;
      }
    }
}

// loss = dot(out, w), so d(loss)/d(out) = w; compare the backward's dwte and
// dwpe with central differences of that loss. The forward is linear in both,
// so only rounding limits the float check.
template <class Real, class Forward, class Backward>
void check_gradients(Forward forward, Backward backward, int C, double h, double rtol, double atol) {
  const int B = 2, T = 3, V = 4;
  const auto tokens = random_tokens(B * T, V, 10);
  auto wte = random_vector<Real>(V * C, 11), wpe = random_vector<Real>(T * C, 12);
  const auto w = random_vector<Real>(B * T * C, 13);
  std::vector<Real> out(B * T * C);
  auto loss = [&] {
    forward(out.data(), tokens.data(), wte.data(), wpe.data(), B, T, C);
    return dot(out, w);
  };
  const auto num_dwte = numeric_gradient(&wte, loss, h);
  const auto num_dwpe = numeric_gradient(&wpe, loss, h);
  std::vector<Real> dwte(V * C, Real(0)), dwpe(T * C, Real(0));
  backward(dwte.data(), dwpe.data(), w.data(), tokens.data(), B, T, C);
  EXPECT_TRUE(all_close(dwte, num_dwte, rtol, atol)) << "dwte, C " << C;
  EXPECT_TRUE(all_close(dwpe, num_dwpe, rtol, atol)) << "dwpe, C " << C;
}

TEST(Embedding, ReferenceGradientInDouble) {
  for (int C : kChannels)
    check_gradients<double>(ref::encoder_forward<double>, ref::encoder_backward<double>, C, 1e-5, 1e-6, 1e-8);
}

TEST(Embedding, SimdGradientInFloat) {
  // Tolerance: h 1e-2, rtol/atol 1e-3 (the loss is linear in wte and wpe; the
  // error is float rounding of out divided by 2h).
  for (int C : kChannels) check_gradients<float>(encoder_forward, encoder_backward, C, 1e-2, 1e-3, 1e-3);
}

}  // namespace
}  // namespace attnlab
