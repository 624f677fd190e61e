// Scalar references for core/kernels/matmul.h: plain loops (in an order that
// walks memory contiguously), templated on the number type so gradient checks
// can run them in double. The benchmarks compile them with auto-vectorization
// off, so "SIMD vs scalar" compares against truly scalar code.
#pragma once

namespace attnlab::ref {

// out[M,N] (+)= a[M,K] · b[K,N]
template <class T>
void matmul_ab(T* out, const T* a, const T* b, int M, int N, int K, bool accumulate) {
  for (int i = 0; i < M; ++i) {
    T* o = out + i * N;
    if (!accumulate)
      for (int j = 0; j < N; ++j) o[j] = T(0);
    for (int k = 0; k < K; ++k) {
      const T aik = a[i * K + k];
      for (int j = 0; j < N; ++j) o[j] += aik * b[k * N + j];
    }
  }
}

// out[M,N] (+)= a[M,K] · b[N,K]ᵀ
template <class T>
void matmul_abt(T* out, const T* a, const T* b, int M, int N, int K, bool accumulate) {
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      T s = T(0);
      for (int k = 0; k < K; ++k) s += a[i * K + k] * b[j * K + k];
      out[i * N + j] = accumulate ? out[i * N + j] + s : s;
    }
}

// out[K,N] (+)= a[M,K]ᵀ · b[M,N]
template <class T>
void matmul_atb(T* out, const T* a, const T* b, int M, int N, int K, bool accumulate) {
  if (!accumulate)
    for (int i = 0; i < K * N; ++i) out[i] = T(0);
  for (int i = 0; i < M; ++i)
    for (int k = 0; k < K; ++k) {
      const T aik = a[i * K + k];
      for (int j = 0; j < N; ++j) out[k * N + j] += aik * b[i * N + j];
    }
}

}  // namespace attnlab::ref
