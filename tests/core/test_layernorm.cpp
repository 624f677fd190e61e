// Layer normalization: SIMD against the scalar reference over channel counts
// that are not multiples of the vector width, backward accumulation,
// central-difference gradient checks, and the defining property (mean 0,
// variance 1 per row).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/kernels/layernorm.h"
#include "core/kernels/ref/layernorm_ref.h"
#include "testing.h"

namespace attnlab {
namespace {

using testing::all_close;
using testing::dot;
using testing::numeric_gradient;
using testing::random_vector;

const int kChannels[] = {1, 3, 5, 8, 17, 64, 67};
const int kRows[] = {1, 3};

// Rows with a non-zero mean and a spread unlike 1, so normalizing does something.
std::vector<float> random_input(size_t n, unsigned seed) {
  auto x = random_vector(n, seed, 2.0);
  for (float& v : x) v += 1.5f;
  return x;
}

TEST(LayerNorm, ForwardMatchesReference) {
  for (int N : kRows)
    for (int C : kChannels) {
      const auto inp = random_input(N * C, 1);
      const auto weight = random_vector(C, 2), bias = random_vector(C, 3);
      std::vector<float> out(N * C), mean(N), rstd(N), e_out(N * C), e_mean(N), e_rstd(N);
      layernorm_forward(out.data(), mean.data(), rstd.data(), inp.data(), weight.data(), bias.data(), N, C);
      ref::layernorm_forward(e_out.data(), e_mean.data(), e_rstd.data(), inp.data(), weight.data(),
                             bias.data(), N, C);
      EXPECT_TRUE(all_close(out, e_out, 1e-5, 1e-5)) << N << "x" << C;
      EXPECT_TRUE(all_close(mean, e_mean, 1e-5, 1e-6)) << N << "x" << C;
      EXPECT_TRUE(all_close(rstd, e_rstd, 1e-5, 1e-6)) << N << "x" << C;
    }
}

TEST(LayerNorm, BackwardMatchesReferenceAndAccumulates) {
  for (int N : kRows)
    for (int C : kChannels) {
      const auto inp = random_input(N * C, 4);
      const auto weight = random_vector(C, 5), bias = random_vector(C, 6);
      const auto dout = random_vector(N * C, 7);
      std::vector<float> out(N * C), mean(N), rstd(N);
      layernorm_forward(out.data(), mean.data(), rstd.data(), inp.data(), weight.data(), bias.data(), N, C);

      const auto dinp0 = random_vector(N * C, 8), dweight0 = random_vector(C, 9), dbias0 = random_vector(C, 10);
      auto dinp = dinp0, dweight = dweight0, dbias = dbias0;
      auto e_dinp = dinp0, e_dweight = dweight0, e_dbias = dbias0;
      layernorm_backward(dinp.data(), dweight.data(), dbias.data(), dout.data(), inp.data(), weight.data(),
                         mean.data(), rstd.data(), N, C);
      ref::layernorm_backward(e_dinp.data(), e_dweight.data(), e_dbias.data(), dout.data(), inp.data(),
                              weight.data(), mean.data(), rstd.data(), N, C);
      EXPECT_TRUE(all_close(dinp, e_dinp, 1e-4, 1e-5)) << N << "x" << C;
      EXPECT_TRUE(all_close(dweight, e_dweight, 1e-5, 1e-5)) << N << "x" << C;
      EXPECT_TRUE(all_close(dbias, e_dbias, 1e-5, 1e-5)) << N << "x" << C;

      // Accumulation: backward into pre-filled buffers = pre-fill + backward into zeros.
      std::vector<float> f_dinp(N * C, 0.0f), f_dweight(C, 0.0f), f_dbias(C, 0.0f);
      layernorm_backward(f_dinp.data(), f_dweight.data(), f_dbias.data(), dout.data(), inp.data(),
                         weight.data(), mean.data(), rstd.data(), N, C);
      for (int i = 0; i < N * C; ++i) f_dinp[i] += dinp0[i];
      for (int i = 0; i < C; ++i) {
        f_dweight[i] += dweight0[i];
        f_dbias[i] += dbias0[i];
      }
      EXPECT_TRUE(all_close(dinp, f_dinp, 1e-5, 1e-5)) << N << "x" << C;
      EXPECT_TRUE(all_close(dweight, f_dweight, 1e-5, 1e-5)) << N << "x" << C;
      EXPECT_TRUE(all_close(dbias, f_dbias, 1e-5, 1e-5)) << N << "x" << C;
    }
}

TEST(LayerNorm, RowsHaveMeanZeroAndVarianceOne) {
  // With weight 1 and bias 0 the output is the normalized row itself.
  const int N = 3;
  for (int C : {5, 17, 64, 67}) {
    const auto inp = random_input(N * C, 11);
    const std::vector<float> weight(C, 1.0f), bias(C, 0.0f);
    std::vector<float> out(N * C), mean(N), rstd(N);
    layernorm_forward(out.data(), mean.data(), rstd.data(), inp.data(), weight.data(), bias.data(), N, C);
    for (int n = 0; n < N; ++n) {
      double m = 0, v = 0, in_m = 0, in_v = 0;
      for (int i = 0; i < C; ++i) {
        m += out[n * C + i];
        in_m += inp[n * C + i];
      }
      m /= C;
      in_m /= C;
      for (int i = 0; i < C; ++i) {
        v += (out[n * C + i] - m) * (out[n * C + i] - m);
        in_v += (inp[n * C + i] - in_m) * (inp[n * C + i] - in_m);
      }
      v /= C;
      in_v /= C;
      EXPECT_NEAR(m, 0.0, 1e-5) << "row " << n << " C " << C;
      // var(out) = var / (var + eps): 1 to within eps / var.
      EXPECT_NEAR(v, 1.0, 1e-4) << "row " << n << " C " << C;
      EXPECT_NEAR(mean[n], in_m, 1e-5);
      EXPECT_NEAR(rstd[n], 1.0 / std::sqrt(in_v + 1e-5), 1e-4 * rstd[n]);
    }
  }
}

TEST(LayerNorm, ConstantRowIsFinite) {
  // var = 0: rstd = 1/sqrt(eps), the normalized row is (nearly) 0 and the
  // output (nearly) bias. 0.1 is not exact in binary, so its row mean can be
  // off by an ulp, which rstd then magnifies by ~316: hence atol 1e-4.
  for (float value : {3.25f, 0.1f, -1000.0f})
    for (int C : kChannels) {
      const std::vector<float> inp(C, value);
      const auto weight = random_vector(C, 12), bias = random_vector(C, 13), dout = random_vector(C, 14);
      std::vector<float> out(C), mean(1), rstd(1);
      layernorm_forward(out.data(), mean.data(), rstd.data(), inp.data(), weight.data(), bias.data(), 1, C);
      EXPECT_TRUE(std::isfinite(rstd[0]));
      EXPECT_TRUE(all_close(out, bias, 0.0, 1e-4)) << "value " << value << " C " << C;
      std::vector<float> dinp(C, 0.0f), dweight(C, 0.0f), dbias(C, 0.0f);
      layernorm_backward(dinp.data(), dweight.data(), dbias.data(), dout.data(), inp.data(), weight.data(),
                         mean.data(), rstd.data(), 1, C);
      for (int i = 0; i < C; ++i) {
        EXPECT_TRUE(std::isfinite(dinp[i]) && std::isfinite(dweight[i])) << i << " of " << C;
      }
    }
}

// loss = dot(out, w), so d(loss)/d(out) = w: the backward's dinp, dweight and
// dbias against central differences of that loss.
template <class T, class Forward, class Backward>
void check_gradients(Forward forward, Backward backward, int N, int C, double h, double rtol, double atol) {
  auto inp = testing::cast<T>(random_input(N * C, 15));
  auto weight = random_vector<T>(C, 16), bias = random_vector<T>(C, 17);
  const auto w = random_vector<T>(N * C, 18);
  std::vector<T> out(N * C), mean(N), rstd(N);
  auto loss = [&] {
    forward(out.data(), mean.data(), rstd.data(), inp.data(), weight.data(), bias.data(), N, C);
    return dot(out, w);
  };
  const auto num_dinp = numeric_gradient(&inp, loss, h);
  const auto num_dweight = numeric_gradient(&weight, loss, h);
  const auto num_dbias = numeric_gradient(&bias, loss, h);
  loss();  // mean and rstd of the unperturbed input
  std::vector<T> dinp(N * C, T(0)), dweight(C, T(0)), dbias(C, T(0));
  backward(dinp.data(), dweight.data(), dbias.data(), w.data(), inp.data(), weight.data(), mean.data(),
           rstd.data(), N, C);
  EXPECT_TRUE(all_close(dinp, num_dinp, rtol, atol)) << "dinp " << N << "x" << C;
  EXPECT_TRUE(all_close(dweight, num_dweight, rtol, atol)) << "dweight " << N << "x" << C;
  EXPECT_TRUE(all_close(dbias, num_dbias, rtol, atol)) << "dbias " << N << "x" << C;
}

TEST(LayerNorm, ReferenceGradientInDouble) {
  for (int N : kRows)
    for (int C : kChannels)
      check_gradients<double>(ref::layernorm_forward<double>, ref::layernorm_backward<double>, N, C, 1e-5,
                              1e-6, 1e-8);
}

TEST(LayerNorm, SimdGradientInFloat) {
  // Tolerance: h 1e-2, rtol/atol 2e-3. Inputs have spread 2, so a step of
  // 1e-2 keeps the truncation error (h^2 terms through rstd) small; the
  // worst entry measured about 1.4e-4.
  for (int N : kRows)
    for (int C : kChannels)
      check_gradients<float>(layernorm_forward, layernorm_backward, N, C, 1e-2, 2e-3, 2e-3);
}

}  // namespace
}  // namespace attnlab
