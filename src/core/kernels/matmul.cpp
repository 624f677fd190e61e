// Register-tiled matrix products. One micro-kernel computes a tile of MR rows
// by NV vectors of columns, keeping MR*NV accumulators in registers: each step
// of k loads NV vectors of `right`, broadcasts MR values of `left`, and does
// MR*NV multiply-adds. Columns left over after the vectors take a scalar tail.
#include "core/kernels/matmul.h"

#include <algorithm>
#include <vector>

#include "core/kernels/simd.h"

namespace attnlab {
namespace {

// Tiles. Natively: 3 rows x 4 vectors (3 x 32 floats with AVX2): 12 accumulators, and
// the presets' widths (16, 32, 96, 128 columns) split into whole panels. Against 4 x 2,
// the presets' linear layers took about 10% less time in wasm and 18% less natively
// (Intel Xeon, 2026-12-06).
// In wasm, V8 gives a function 15 vector registers: 3 x 4 (12 accumulators, 4 vectors of
// `right`, a broadcast) spills 4 accumulators to the stack on every step of k. 3 x 3
// (9 + 3 + 3) and 2 x 4 (8 + 4 + 2) fit; panels of 3 vectors where the columns allow it,
// 4-vector panels (2 x 4) for a last 16 or 32 columns (head dimension 16, width 32):
// with the stepped pointers below, attention at the peers' shapes took 14-19% less time
// than with 3 x 4, the presets' training steps about 12% less (bench/RESULTS.md, "Issue 13,
// stop 25").
// Each output still sums k in order whatever the tile, so results are the same to the bit.
#if defined(__wasm_simd128__)
constexpr bool kFifteenRegisters = true;
#else
constexpr bool kFifteenRegisters = false;
#endif

// out tile [MR, NV*W] (+)= left[MR, K] · right[K, NV*W]. kUnitStride: lcs == 1 (left's rows
// contiguous in k), so that the compiler steps the row pointers instead of multiplying k
// by lcs on every step (about 6% of attention's time in wasm).
struct gemm_tile {
  template <class Arch, int MR, int NV, bool kUnitStride>
  static void run(float* out, int ldo, const float* left, int lrs, int lcs, const float* right,
                  int ldr, int K, bool accumulate) {
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    B acc[MR][NV];
    for (int i = 0; i < MR; ++i)
      for (int v = 0; v < NV; ++v)
        acc[i][v] = accumulate ? B::load_unaligned(out + i * ldo + v * W) : B(0.0f);
    const float* lrow[MR];
    for (int i = 0; i < MR; ++i) lrow[i] = left + i * lrs;
    for (int k = 0; k < K; ++k, right += ldr) {
      B r[NV];
      for (int v = 0; v < NV; ++v) r[v] = B::load_unaligned(right + v * W);
      for (int i = 0; i < MR; ++i) {
        const B a(lrow[i][kUnitStride ? k : k * lcs]);
        for (int v = 0; v < NV; ++v) acc[i][v] = simd::fma(a, r[v], acc[i][v]);
      }
    }
    for (int i = 0; i < MR; ++i)
      for (int v = 0; v < NV; ++v) acc[i][v].store_unaligned(out + i * ldo + v * W);
  }
};

// Scalar tail: columns [j0, j1) of rows [0, M).
void gemm_tail(float* out, int ldo, const float* left, int lrs, int lcs, const float* right, int ldr,
               int M, int j0, int j1, int K, bool accumulate) {
  for (int i = 0; i < M; ++i)
    for (int j = j0; j < j1; ++j) {
      float s = accumulate ? out[i * ldo + j] : 0.0f;
      for (int k = 0; k < K; ++k) s += left[i * lrs + k * lcs] * right[k * ldr + j];
      out[i * ldo + j] = s;
    }
}

// Rows [0, M) of one column panel at j: whole tiles of MR rows, then the rows left over (fewer than MR).
template <class Arch, int MR, int NV, bool kUnitStride>
void gemm_rows(float* out, int ldo, const float* left, int lrs, int lcs, const float* right, int ldr,
               int M, int j, int K, bool accumulate) {
  int i = 0;
  for (; i + MR <= M; i += MR)
    gemm_tile::run<Arch, MR, NV, kUnitStride>(out + i * ldo + j, ldo, left + i * lrs, lrs, lcs, right + j, ldr, K,
                                              accumulate);
  if constexpr (MR > 1) {
    if (i < M)
      gemm_rows<Arch, MR - 1, NV, kUnitStride>(out + i * ldo, ldo, left + i * lrs, lrs, lcs, right, ldr, M - i, j, K,
                                               accumulate);
  }
}

// Whether a last `rest` columns go in 4-vector panels (wasm): 16 or 32 columns (head dimension 16,
// width 32) that 3-vector panels would leave a remainder of.
template <int W>
constexpr bool ends_in_four_vector_panels(int rest) {
  return rest % (3 * W) != 0 && rest % (4 * W) == 0 && rest <= 8 * W;
}

// All of out's columns, panel by panel. Column panels outermost: a panel of `right` (K x NV*W)
// stays in cache while every row block of `left` passes over it.
template <class Arch, bool kUnitStride>
void gemm_panels(float* out, int ldo, const float* left, int lrs, int lcs, const float* right, int ldr,
                 int M, int N, int K, bool accumulate) {
  constexpr int W = static_cast<int>(xsimd::batch<float, Arch>::size);
  int j = 0;
  if constexpr (kFifteenRegisters) {
    for (; N - j >= 3 * W && !ends_in_four_vector_panels<W>(N - j); j += 3 * W)
      gemm_rows<Arch, 3, 3, kUnitStride>(out, ldo, left, lrs, lcs, right, ldr, M, j, K, accumulate);
    for (; j + 4 * W <= N; j += 4 * W)
      gemm_rows<Arch, 2, 4, kUnitStride>(out, ldo, left, lrs, lcs, right, ldr, M, j, K, accumulate);
  } else {
    for (; j + 4 * W <= N; j += 4 * W)
      gemm_rows<Arch, 3, 4, kUnitStride>(out, ldo, left, lrs, lcs, right, ldr, M, j, K, accumulate);
  }
  // A narrow panel (the attention products at head dimension 8 are 2 vectors wide in wasm) takes 6 rows
  // per tile: 12 accumulators, 2 vectors of `right` and a broadcast, which still fit in wasm's 15
  // registers (5% off the Streaming lab's step in wasm).
  for (; j + 2 * W <= N; j += 2 * W)
    gemm_rows<Arch, 6, 2, kUnitStride>(out, ldo, left, lrs, lcs, right, ldr, M, j, K, accumulate);
  for (; j + W <= N; j += W)
    gemm_rows<Arch, 3, 1, kUnitStride>(out, ldo, left, lrs, lcs, right, ldr, M, j, K, accumulate);
  if (j < N) gemm_tail(out, ldo, left, lrs, lcs, right, ldr, M, j, N, K, accumulate);
}

struct gemm_kernel {
  template <class Arch>
  void operator()(Arch, float* out, int ldo, const float* left, int lrs, int lcs, const float* right,
                  int ldr, int M, int N, int K, bool accumulate) const {
    if (lcs == 1)
      gemm_panels<Arch, true>(out, ldo, left, lrs, lcs, right, ldr, M, N, K, accumulate);
    else
      gemm_panels<Arch, false>(out, ldo, left, lrs, lcs, right, ldr, M, N, K, accumulate);
  }
};

std::vector<float>& transpose_scratch() {
  static thread_local std::vector<float> buffer;
  return buffer;
}

}  // namespace

void gemm(float* out, int ldo, const float* left, int lrs, int lcs, const float* right, int ldr,
          int M, int N, int K, bool accumulate) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate)
      for (int i = 0; i < M; ++i) std::fill(out + i * ldo, out + i * ldo + N, 0.0f);
    return;
  }
  // Long sums go in chunks of kKc: a chunk of `right` (kKc rows of the
  // current panel) then stays in cache while every row block passes over it,
  // instead of being streamed from memory once per column panel.
  constexpr int kKc = 256;
  for (int k0 = 0; k0 < K; k0 += kKc) {
    const int kc = std::min(kKc, K - k0);
    gemm_kernel{}(simd::arch{}, out, ldo, left + static_cast<size_t>(k0) * lcs, lrs, lcs,
                  right + static_cast<size_t>(k0) * ldr, ldr, M, N, kc, accumulate || k0 > 0);
  }
}

void matmul_ab(float* out, const float* a, const float* b, int M, int N, int K, bool accumulate) {
  gemm(out, N, a, K, 1, b, N, M, N, K, accumulate);
}

void matmul_abt(float* out, const float* a, const float* b, int M, int N, int K, bool accumulate) {
  // Transpose b[N,K] into [K,N] once (N*K work against M*N*K), then A·B.
  std::vector<float>& bt = transpose_scratch();
  bt.resize(static_cast<size_t>(K) * N);
  for (int j = 0; j < N; ++j)
    for (int k = 0; k < K; ++k) bt[static_cast<size_t>(k) * N + j] = b[static_cast<size_t>(j) * K + k];
  gemm(out, N, a, K, 1, bt.data(), N, M, N, K, accumulate);
}

void matmul_atb(float* out, const float* a, const float* b, int M, int N, int K, bool accumulate) {
  // out(k, j) = sum_i a(i, k) b(i, j): left(k, i) = a[i*K + k].
  gemm(out, N, a, 1, K, b, N, K, N, M, accumulate);
}

}  // namespace attnlab
