// RoPE with a per-thread cos/sin table and a swizzle: with the pairs of a
// vector x swapped, sw = (x1, x0, x3, x2, ...), and the table rows
//   cs = ( cos_0,  cos_0,  cos_1,  cos_1, ...)
//   sn = (-sin_0, +sin_0, -sin_1, +sin_1, ...)
// the rotation of every pair is one multiply and one fused multiply-add,
//   forward: x * cs + sw * sn        backward: x * cs - sw * sn
// and needs no deinterleaving. The vector body covers whole pairs (the vector
// width is even and starts at an even component of the head); the pairs left
// over take a scalar tail.
#include "core/kernels/rope.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/kernels/simd.h"

namespace attnlab {
namespace {

// cos and signed sin of every (row, component), for the last key seen.
struct RopeTable {
  int N = -1, head_dim = 0;
  float base = 0.0f;
  std::vector<int> positions;  // [N] the key's positions (a copy)
  std::vector<float> cs;       // [N, head_dim] cos(theta_i) at components 2i and 2i+1
  std::vector<float> sn;       // [N, head_dim] -sin(theta_i) at 2i, +sin(theta_i) at 2i+1
};

// The table for this key, recomputed only when the key changes. Rows with a
// negative position and an odd head_dim's last component get the identity
// (cos 1, sin 0); the kernel skips those rows anyway.
const RopeTable& rope_table(const int* positions, float base, int N, int head_dim) {
  static thread_local RopeTable t;
  if (t.N == N && t.head_dim == head_dim && t.base == base &&
      std::equal(positions, positions + N, t.positions.begin()))
    return t;
  t.N = N;
  t.head_dim = head_dim;
  t.base = base;
  t.positions.assign(positions, positions + N);
  const size_t size = static_cast<size_t>(N) * head_dim;
  t.cs.assign(size, 1.0f);
  t.sn.assign(size, 0.0f);
  const int pairs = head_dim / 2;
  std::vector<double> freq(pairs);
  for (int i = 0; i < pairs; ++i) freq[i] = rope_frequency(i, base, head_dim);
  for (int n = 0; n < N; ++n) {
    if (positions[n] < 0) continue;
    float* cs = t.cs.data() + static_cast<size_t>(n) * head_dim;
    float* sn = t.sn.data() + static_cast<size_t>(n) * head_dim;
    for (int i = 0; i < pairs; ++i) {
      const double theta = static_cast<double>(positions[n]) * freq[i];
      const float c = static_cast<float>(std::cos(theta));
      const float s = static_cast<float>(std::sin(theta));
      cs[2 * i] = c;
      cs[2 * i + 1] = c;
      sn[2 * i] = -s;
      sn[2 * i + 1] = s;
    }
  }
  return t;
}

// Lane i takes lane i ^ 1: (x1, x0, x3, x2, ...).
struct swap_pairs {
  static constexpr uint32_t get(uint32_t i, uint32_t) { return i ^ 1u; }
};

// Inverse = false: rotate by +theta (forward); true: by -theta (backward).
template <bool Inverse>
struct rope_rotate_kernel {
  template <class Arch>
  void operator()(Arch, float* qkv, const float* cs, const float* sn, const int* positions, int B,
                  int N, int heads, int head_dim) const {
    // qkv: [B, N, 3C], cs: [N, head_dim], sn: [N, head_dim], positions: [N]
    using V = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(V::size);
    constexpr auto swap = xsimd::make_batch_constant<uint32_t, Arch, swap_pairs>();
    const int d = head_dim, C = heads * d;
    const int segments = 2 * heads;  // the q heads then the k heads: contiguous, d apart
    for (int b = 0; b < B; ++b)
      for (int n = 0; n < N; ++n) {
        if (positions[n] < 0) continue;
        float* row = qkv + (static_cast<size_t>(b) * N + n) * 3 * C;
        const float* c_row = cs + static_cast<size_t>(n) * d;
        const float* s_row = sn + static_cast<size_t>(n) * d;
        // Table vectors outermost: loaded once, used for every q and k head.
        int j = 0;
        for (; j + W <= d; j += W) {
          const V c = V::load_unaligned(c_row + j), s = V::load_unaligned(s_row + j);
          for (int g = 0; g < segments; ++g) {
            float* x = row + g * d + j;
            const V v = V::load_unaligned(x);
            const V sw = xsimd::swizzle(v, swap);
            if constexpr (Inverse)
              simd::fnma(sw, s, v * c).store_unaligned(x);
            else
              simd::fma(sw, s, v * c).store_unaligned(x);
          }
        }
        for (; j + 1 < d; j += 2) {  // whole pairs left over; an odd d's last component stays
          const float c = c_row[j], s = s_row[j + 1];
          for (int g = 0; g < segments; ++g) {
            float* x = row + g * d + j;
            const float x0 = x[0], x1 = x[1];
            if constexpr (Inverse) {
              x[0] = x0 * c + x1 * s;
              x[1] = x1 * c - x0 * s;
            } else {
              x[0] = x0 * c - x1 * s;
              x[1] = x0 * s + x1 * c;
            }
          }
        }
      }
  }
};

template <bool Inverse>
void rope_apply(float* qkv, const int* positions, float base, int B, int N, int heads, int head_dim) {
  if (B <= 0 || N <= 0 || heads <= 0 || head_dim < 2) return;
  const RopeTable& t = rope_table(positions, base, N, head_dim);
  rope_rotate_kernel<Inverse>{}(simd::arch{}, qkv, t.cs.data(), t.sn.data(), positions, B, N, heads,
                                head_dim);
}

}  // namespace

void rope_forward(float* qkv, const int* positions, float base, int B, int N, int heads,
                  int head_dim) {
  rope_apply<false>(qkv, positions, base, B, N, heads, head_dim);
}

void rope_backward(float* dqkv, const int* positions, float base, int B, int N, int heads,
                   int head_dim) {
  rope_apply<true>(dqkv, positions, base, B, N, heads, head_dim);
}

}  // namespace attnlab
