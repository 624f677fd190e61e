// Scalar reference for core/kernels/rope.h, templated on the number type so
// gradient checks can run it in double. Angles come from rope_frequency (in
// double); cos and sin are then rounded to T, as the kernel's table is.
#pragma once

#include <cmath>
#include <cstddef>

#include "core/kernels/rope.h"

namespace attnlab::ref {

namespace detail {

// Turns each pair (2i, 2i+1) of every q and k head by sign * theta_i.
//   qkv: [B, N, 3C], positions: [N]
template <class T>
void rope_rotate(T* qkv, const int* positions, float base, int B, int N, int heads, int head_dim,
                 int sign) {
  const int C = heads * head_dim;
  for (int b = 0; b < B; ++b)
    for (int n = 0; n < N; ++n) {
      if (positions[n] < 0) continue;
      T* row = qkv + (static_cast<size_t>(b) * N + n) * 3 * C;
      for (int part = 0; part < 2; ++part)  // q, then k
        for (int h = 0; h < heads; ++h) {
          T* x = row + part * C + h * head_dim;
          for (int i = 0; i < head_dim / 2; ++i) {
            const double theta = static_cast<double>(positions[n]) * rope_frequency(i, base, head_dim);
            const T c = static_cast<T>(std::cos(theta));
            const T s = static_cast<T>(sign * std::sin(theta));
            const T x0 = x[2 * i], x1 = x[2 * i + 1];
            x[2 * i] = x0 * c - x1 * s;
            x[2 * i + 1] = x0 * s + x1 * c;
          }
        }
    }
}

}  // namespace detail

// q, k of qkv [B, N, 3C] rotated in place by +theta; positions: [N], negative = untouched.
template <class T>
void rope_forward(T* qkv, const int* positions, float base, int B, int N, int heads, int head_dim) {
  detail::rope_rotate(qkv, positions, base, B, N, heads, head_dim, +1);
}

// dqkv [B, N, 3C]: the gradient of the rotated q, k turned by -theta in place.
template <class T>
void rope_backward(T* dqkv, const int* positions, float base, int B, int N, int heads, int head_dim) {
  // forward: y = R(theta) x, so dx = R(theta)^T dy = R(-theta) dy
  detail::rope_rotate(dqkv, positions, base, B, N, heads, head_dim, -1);
}

}  // namespace attnlab::ref
