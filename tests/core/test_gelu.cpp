// GELU (tanh approximation): SIMD (tanh from fast_exp) against the scalar reference
// (std::tanh) over sizes that are not multiples of the vector width, backward
// accumulation, central-difference gradient checks, and known values.
#include <gtest/gtest.h>

#include <cmath>
#include <utility>
#include <vector>

#include "core/kernels/gelu.h"
#include "core/kernels/ref/gelu_ref.h"
#include "testing.h"

namespace attnlab {
namespace {

using testing::all_close;
using testing::dot;
using testing::numeric_gradient;
using testing::random_vector;

const int kSizes[] = {1, 3, 5, 8, 17, 64, 67, 1001};

// The SIMD forward, keeping tanh(u) for the backward as the model does.
void gelu_forward_keep(float* out, const float* inp, int N) {
  std::vector<float> tanh_u(N);
  gelu_forward(out, tanh_u.data(), inp, N);
}
// The SIMD backward, with tanh(u) from a forward on the same input.
void gelu_backward_from_forward(float* dinp, const float* inp, const float* dout, int N) {
  std::vector<float> out(N), tanh_u(N);
  gelu_forward(out.data(), tanh_u.data(), inp, N);
  gelu_backward(dinp, inp, tanh_u.data(), dout, N);
}

TEST(Gelu, ForwardMatchesReference) {
  for (int N : kSizes) {
    const auto inp = random_vector(N, 1, 3.0);
    std::vector<float> out(N), kept(N), tanh_u(N), expect(N);
    gelu_forward(out.data(), nullptr, inp.data(), N);
    gelu_forward(kept.data(), tanh_u.data(), inp.data(), N);
    ref::gelu_forward(expect.data(), inp.data(), N);
    EXPECT_TRUE(all_close(out, expect, 1e-5, 1e-6)) << "N " << N;
    EXPECT_EQ(kept, out) << "keeping tanh(u) changed the output, N " << N;
    for (int i = 0; i < N; ++i) {  // what it keeps is tanh(u): 2 gelu(x) / x - 1
      if (std::fabs(inp[i]) < 0.1f) continue;
      EXPECT_NEAR(tanh_u[i], 2.0f * expect[i] / inp[i] - 1.0f, 1e-4f) << "N " << N << " i " << i;
    }
  }
}

TEST(Gelu, BackwardMatchesReferenceAndAccumulates) {
  for (int N : kSizes) {
    const auto inp = random_vector(N, 2, 3.0), dout = random_vector(N, 3);
    const auto dinp0 = random_vector(N, 4);
    auto dinp = dinp0, expect = dinp0;
    gelu_backward_from_forward(dinp.data(), inp.data(), dout.data(), N);
    ref::gelu_backward(expect.data(), inp.data(), dout.data(), N);
    EXPECT_TRUE(all_close(dinp, expect, 1e-5, 1e-6)) << "N " << N;

    std::vector<float> fresh(N, 0.0f);
    gelu_backward_from_forward(fresh.data(), inp.data(), dout.data(), N);
    for (int i = 0; i < N; ++i) fresh[i] += dinp0[i];
    EXPECT_TRUE(all_close(dinp, fresh, 1e-6, 1e-6)) << "N " << N;
  }
}

// Every entry the same value, 2 vectors + a tail long, so both the vector body
// and the scalar tail are checked against the same expected number.
std::vector<float> gelu_of(float x) {
  std::vector<float> inp(19, x), out(19);
  gelu_forward(out.data(), nullptr, inp.data(), 19);
  return out;
}

TEST(Gelu, KnownValues) {
  for (float y : gelu_of(0.0f)) EXPECT_EQ(y, 0.0f);
  // 0.5 (1 + tanh(sqrt(2/pi) * 1.044715)), computed in double.
  for (float y : gelu_of(1.0f)) EXPECT_NEAR(y, 0.8411919906082768, 1e-6);
  for (float y : gelu_of(-1.0f)) EXPECT_NEAR(y, -0.15880800939172324, 1e-6);
  // Far right gelu(x) = x, far left gelu(x) = 0 (tanh saturates to +-1).
  for (float x : {10.0f, 30.0f, 1e4f})
    for (float y : gelu_of(x)) EXPECT_NEAR(y, x, 1e-6 * x) << "x " << x;
  for (float x : {-10.0f, -30.0f, -1e4f})
    for (float y : gelu_of(x)) EXPECT_NEAR(y, 0.0f, 1e-6) << "x " << x;
}

TEST(Gelu, KnownSlopes) {
  // gelu'(0) = 1/2; gelu'(x) -> 1 far right and -> 0 far left.
  const std::pair<float, float> cases[] = {{0.0f, 0.5f}, {20.0f, 1.0f}, {-20.0f, 0.0f}};
  for (auto [x, slope] : cases) {
    std::vector<float> inp(19, x), dout(19, 1.0f), dinp(19, 0.0f);
    gelu_backward_from_forward(dinp.data(), inp.data(), dout.data(), 19);
    for (float d : dinp) EXPECT_NEAR(d, slope, 1e-6) << "x " << x;
  }
}

// loss = dot(gelu(inp), w), so d(loss)/d(out) = w.
template <class T, class Forward, class Backward>
void check_gradients(Forward forward, Backward backward, int N, double h, double rtol, double atol) {
  auto inp = random_vector<T>(N, 5, 2.0);
  const auto w = random_vector<T>(N, 6);
  std::vector<T> out(N);
  auto loss = [&] {
    forward(out.data(), inp.data(), N);
    return dot(out, w);
  };
  const auto numeric = numeric_gradient(&inp, loss, h);
  std::vector<T> dinp(N, T(0));
  backward(dinp.data(), inp.data(), w.data(), N);
  EXPECT_TRUE(all_close(dinp, numeric, rtol, atol)) << "N " << N;
}

TEST(Gelu, ReferenceGradientInDouble) {
  for (int N : kSizes)
    check_gradients<double>(ref::gelu_forward<double>, ref::gelu_backward<double>, N, 1e-5, 1e-6, 1e-8);
}

TEST(Gelu, SimdGradientInFloat) {
  // Tolerance: h 1e-2, rtol/atol 1e-3 (truncation ~ h^2 |gelu'''| / 6 <= 1e-4).
  for (int N : kSizes) check_gradients<float>(gelu_forward_keep, gelu_backward_from_forward, N, 1e-2, 1e-3, 1e-3);
}

}  // namespace
}  // namespace attnlab
