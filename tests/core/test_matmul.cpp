// Matrix products: SIMD against the scalar reference on random inputs,
// including sizes that are not multiples of the vector width (and 1), with and
// without accumulation.
#include <gtest/gtest.h>

#include "core/kernels/matmul.h"
#include "core/kernels/ref/matmul_ref.h"
#include "testing.h"

namespace attnlab {
namespace {

using testing::all_close;
using testing::random_vector;

struct Shape {
  int M, N, K;
};
// Widths 16, 28, 32, 48 and 128 take every panel the wasm build chooses from (3 x 3, 2 x 4,
// 6 x 2, 3 x 1 and the scalar tail; matmul.cpp), and 6, 7 and 8 rows leave every count of rows over.
const Shape kShapes[] = {{1, 1, 1},   {1, 7, 3},    {3, 1, 5},    {4, 8, 8},     {5, 9, 7},
                         {7, 13, 1},  {9, 17, 11},  {16, 33, 64}, {33, 65, 17},  {64, 128, 96},
                         {6, 16, 40}, {7, 28, 9},   {8, 48, 5},   {8, 32, 12},   {7, 150, 20}};

// Tolerance for float sums of K products of unit normals.
double tol(int K) { return 1e-5 * (K + 4); }

TEST(Matmul, AB_MatchesReference) {
  for (const Shape& s : kShapes)
    for (bool acc : {false, true}) {
      const auto a = random_vector(s.M * s.K, 1), b = random_vector(s.K * s.N, 2);
      auto out = random_vector(s.M * s.N, 3), expect = out;
      matmul_ab(out.data(), a.data(), b.data(), s.M, s.N, s.K, acc);
      ref::matmul_ab(expect.data(), a.data(), b.data(), s.M, s.N, s.K, acc);
      EXPECT_TRUE(all_close(out, expect, tol(s.K), tol(s.K))) << s.M << "x" << s.N << "x" << s.K << " acc " << acc;
    }
}

TEST(Matmul, ABt_MatchesReference) {
  for (const Shape& s : kShapes)
    for (bool acc : {false, true}) {
      const auto a = random_vector(s.M * s.K, 4), b = random_vector(s.N * s.K, 5);
      auto out = random_vector(s.M * s.N, 6), expect = out;
      matmul_abt(out.data(), a.data(), b.data(), s.M, s.N, s.K, acc);
      ref::matmul_abt(expect.data(), a.data(), b.data(), s.M, s.N, s.K, acc);
      EXPECT_TRUE(all_close(out, expect, tol(s.K), tol(s.K))) << s.M << "x" << s.N << "x" << s.K << " acc " << acc;
    }
}

TEST(Matmul, AtB_MatchesReference) {
  for (const Shape& s : kShapes)
    for (bool acc : {false, true}) {
      const auto a = random_vector(s.M * s.K, 7), b = random_vector(s.M * s.N, 8);
      auto out = random_vector(s.K * s.N, 9), expect = out;
      matmul_atb(out.data(), a.data(), b.data(), s.M, s.N, s.K, acc);
      ref::matmul_atb(expect.data(), a.data(), b.data(), s.M, s.N, s.K, acc);
      EXPECT_TRUE(all_close(out, expect, tol(s.M), tol(s.M))) << s.M << "x" << s.N << "x" << s.K << " acc " << acc;
    }
}

TEST(Matmul, ReferenceAgreesWithItsOwnDefinition) {
  // The three references are one product seen three ways: A·B = A·(Bᵀ)ᵀ, and
  // (AᵀB) for A = Xᵀ is X·B.
  const int M = 5, N = 6, K = 7;
  const auto a = random_vector<double>(M * K, 10), b = random_vector<double>(K * N, 11);
  std::vector<double> bt(N * K), at(K * M), ab(M * N), abt(M * N), atb(M * N);
  for (int k = 0; k < K; ++k)
    for (int j = 0; j < N; ++j) bt[j * K + k] = b[k * N + j];
  for (int i = 0; i < M; ++i)
    for (int k = 0; k < K; ++k) at[k * M + i] = a[i * K + k];
  ref::matmul_ab(ab.data(), a.data(), b.data(), M, N, K, false);
  ref::matmul_abt(abt.data(), a.data(), bt.data(), M, N, K, false);
  ref::matmul_atb(atb.data(), at.data(), b.data(), K, N, M, false);
  EXPECT_TRUE(all_close(ab, abt, 1e-12, 1e-12));
  EXPECT_TRUE(all_close(ab, atb, 1e-12, 1e-12));
  // And one entry by hand.
  double s = 0;
  for (int k = 0; k < K; ++k) s += a[2 * K + k] * b[k * N + 3];
  EXPECT_NEAR(ab[2 * N + 3], s, 1e-12);
}

TEST(Matmul, StridedGemmWritesOnlyItsBlock) {
  // out is a 6x10 buffer; gemm fills a 3x5 block at (1, 2) with ldo 10.
  const int M = 3, N = 5, K = 4;
  const auto a = random_vector(M * K, 12), b = random_vector(K * N, 13);
  std::vector<float> out(60, 7.0f), expect(M * N);
  gemm(out.data() + 1 * 10 + 2, 10, a.data(), K, 1, b.data(), N, M, N, K, false);
  ref::matmul_ab(expect.data(), a.data(), b.data(), M, N, K, false);
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 10; ++j) {
      const bool inside = i >= 1 && i < 1 + M && j >= 2 && j < 2 + N;
      if (inside)
        EXPECT_NEAR(out[i * 10 + j], expect[(i - 1) * N + (j - 2)], 1e-5);
      else
        EXPECT_EQ(out[i * 10 + j], 7.0f) << i << "," << j;
    }
}

}  // namespace
}  // namespace attnlab
