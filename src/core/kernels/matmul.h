// Matrix products, the transformer's workhorse. Row-major, raw pointers,
// outputs first, sizes last. `accumulate` adds into out instead of overwriting.
// The SIMD versions are register-tiled (3 rows x 4 vectors natively, 3 x 3 and 2 x 4 in wasm; 6 x 2
// for narrow panels); their scalar references are in core/kernels/ref/matmul_ref.h.
#pragma once

namespace attnlab {

// out[M,N] (+)= a[M,K] · b[K,N]
void matmul_ab(float* out, const float* a, const float* b, int M, int N, int K, bool accumulate);

// out[M,N] (+)= a[M,K] · b[N,K]ᵀ
void matmul_abt(float* out, const float* a, const float* b, int M, int N, int K, bool accumulate);

// out[K,N] (+)= a[M,K]ᵀ · b[M,N]
void matmul_atb(float* out, const float* a, const float* b, int M, int N, int K, bool accumulate);

// The general strided form the others and attention use:
//   out(i,j) (+)= sum_k left(i,k) · right(k,j),  i < M, j < N, k < K
//   out(i,j) = out[i*ldo + j], left(i,k) = left[i*lrs + k*lcs], right(k,j) = right[k*ldr + j]
// right's rows must be contiguous in j.
void gemm(float* out, int ldo, const float* left, int lrs, int lcs, const float* right, int ldr,
          int M, int N, int K, bool accumulate);

}  // namespace attnlab
