// Scalar reference for core/kernels/crossentropy.h, templated on the number
// type so gradient checks can run it in double.
#pragma once

#include <cmath>
#include <cstddef>

namespace attnlab::ref {

// probs = softmax(logits), losses = logsumexp(logits) - logits[target], per row;
// a target of -1 gives loss 0.
//   losses: [N], probs: [N, V], logits: [N, V], targets: [N]
template <class T>
void crossentropy_forward(T* losses, T* probs, const T* logits, const int* targets, int N, int V) {
  for (int n = 0; n < N; ++n) {
    const T* z = logits + static_cast<size_t>(n) * V;
    T* p = probs + static_cast<size_t>(n) * V;
    T mx = z[0];
    for (int i = 1; i < V; ++i) mx = z[i] > mx ? z[i] : mx;
    T sum = T(0);
    for (int i = 0; i < V; ++i) {
      p[i] = std::exp(z[i] - mx);
      sum += p[i];
    }
    for (int i = 0; i < V; ++i) p[i] /= sum;
    const int t = targets[n];
    losses[n] = t == -1 ? T(0) : std::log(sum) - (z[t] - mx);
  }
}

// Accumulates dlogits [N, V] += dlosses[n] * (probs - onehot(target)); rows
// with target -1 are untouched.  dlosses: [N], probs: [N, V], targets: [N]
template <class T>
void crossentropy_backward(T* dlogits, const T* dlosses, const T* probs, const int* targets, int N,
                           int V) {
  // forward: losses[n] = t == -1 ? T(0) : std::log(sum) - (z[t] - mx);
  for (int n = 0; n < N; ++n) {
    const int t = targets[n];
    if (t == -1) continue;
    for (int i = 0; i < V; ++i) {
      const T indicator = i == t ? T(1) : T(0);
      dlogits[static_cast<size_t>(n) * V + i] += dlosses[n] * (probs[static_cast<size_t>(n) * V + i] - indicator);
    }
  }
}

}  // namespace attnlab::ref
