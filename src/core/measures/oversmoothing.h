// Over-smoothing: how alike a layer's output vectors are across positions.
// When attention mixes everything toward a global average, the hidden states
// of different tokens converge and the mean cosine similarity rises toward 1.
#pragma once

namespace attnlab {

// Mean cosine similarity over all pairs i != j of the rows of x.
//   x: rows of C values, `stride` floats apart (rows >= 2; returns 0 for fewer).
// Computed in O(rows * C): with unit vectors u_i, sum_{i != j} u_i . u_j =
// |sum_i u_i|^2 - rows. Zero rows count as unit vectors of no direction (0).
double mean_pairwise_cosine(const float* x, int rows, int C, int stride);

}  // namespace attnlab
