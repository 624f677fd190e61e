// Measures of one attention row, defined once and used everywhere (the
// sandbox, the training measures, the app): entropy (raw and normalized by
// ln of the visible keys), the argmax key, and mass on a range of keys.
#pragma once

namespace attnlab {

// H = -sum_i p_i ln p_i over the visible keys, in nats. Terms with p_i = 0
// contribute 0. p: [n]. With softmax1 the row sums to less than 1; the mass
// on the implicit zero key is not a key and is not counted.
double row_entropy(const float* p, int n);

// H / ln(n): 0 for a one-hot row, 1 for a uniform row over n keys (0 if n < 2).
double row_entropy_normalized(const float* p, int n);

// Index of the largest weight (the first on ties); -1 if n == 0.
int row_argmax(const float* p, int n);

// Sum of p[first, first + count).
double row_mass(const float* p, int first, int count);

// Jensen-Shannon divergence between two attention rows, in bits (0 when equal,
// 1 when their supports are disjoint). A row that sums to less than 1 (the
// rest went to a softmax1 / sink-logit key) gets that rest as one more
// outcome, so the rows are compared as full distributions. p, q: [n].
double js_divergence_bits(const float* p, const float* q, int n);

}  // namespace attnlab
