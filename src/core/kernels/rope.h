// Rotary position embedding (RoPE, Su et al. 2021), applied in place to the
// q and k parts of the fused qkv buffer that attention reads (see
// attention.h): qkv is [B, N, 3C], C = heads * head_dim, q in columns [0, C),
// k in [C, 2C), v in [2C, 3C), head h in columns [h*d, (h+1)*d) of each part.
//
// Within every head of q and of k, row n is rotated pair by pair: components
// (2i, 2i+1), i < head_dim/2, by the angle
//   theta_i = positions[n] * base^(-2i / head_dim)
//   (x0, x1) -> (x0 cos - x1 sin, x0 sin + x1 cos)
// so that q_m . k_n depends on m - n only. v is never touched. A row whose
// position is negative is left as it is (learned prefix tokens).
//
// head_dim should be even; with an odd head_dim the last component of every
// head has no partner and is left unrotated. base must be > 0 (10000 in the
// paper). Angles are computed in double (rope_frequency, then times the
// position) and only their cos and sin are rounded to float, so native and
// wasm builds agree to the last bit of the table in practice.
//
// cos/sin tables are cached per thread, keyed by (N, positions' contents,
// base, head_dim): a training step calls forward and backward with the same
// positions for every layer and computes the table once.
// The scalar reference is in core/kernels/ref/rope_ref.h.
#pragma once

#include <cmath>

namespace attnlab {

// The angular frequency of pair i: base^(-2i / head_dim), in double. The
// kernels and the reference both use it, so their angles are bit-identical.
inline double rope_frequency(int i, float base, int head_dim) {
  return std::pow(static_cast<double>(base), -2.0 * i / head_dim);
}

//   qkv:       [B, N, 3C]  q and k rotated in place; v unchanged
//   positions: [N]         position of each row; negative = leave the row as is
void rope_forward(float* qkv, const int* positions, float base, int B, int N, int heads,
                  int head_dim);

// The backward of rope_forward: the rotation is orthogonal, so the gradient
// with respect to the unrotated q, k is the gradient of the rotated ones
// turned by -theta (the transpose). v's gradient passes through unchanged.
//   dqkv:      [B, N, 3C]  in: d(loss)/d(rotated qkv); out: d(loss)/d(qkv), in place
//   positions: [N]         as given to the forward
void rope_backward(float* dqkv, const int* positions, float base, int B, int N, int heads,
                   int head_dim);

}  // namespace attnlab
