// Softmax and cross-entropy fused, row by row over N rows of V logits:
//   probs[n,:] = softmax(logits[n,:])
//   losses[n]  = -log probs[n, targets[n]]
// The loss is computed as logsumexp(logits[n,:]) - logits[n, target], with the
// row max subtracted first, so logits of any magnitude give finite losses even
// when the target's probability underflows to 0. Outputs first, sizes last.
// The scalar reference is in core/kernels/ref/crossentropy_ref.h.
#pragma once

namespace attnlab {

// A target of -1 marks a row that does not count (padding, or a position with
// nothing to predict): its loss is 0 and the backward adds nothing to it.
constexpr int kIgnoreTarget = -1;

//   losses:  [N]
//   probs:   [N, V] softmax of every row, ignored rows included
//   logits:  [N, V]
//   targets: [N], each in [0, V) or kIgnoreTarget
void crossentropy_forward(float* losses, float* probs, const float* logits, const int* targets, int N,
                          int V);

// dlogits[n,:] += dlosses[n] * (probs[n,:] - onehot(targets[n])); ignored rows untouched.
//   dlogits: [N, V]
//   dlosses: [N]
//   probs:   [N, V] from the forward
//   targets: [N]
void crossentropy_backward(float* dlogits, const float* dlosses, const float* probs,
                           const int* targets, int N, int V);

}  // namespace attnlab
