// AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization"; the
// same update as PyTorch's torch.optim.AdamW), elementwise over n parameters:
//   m = beta1 m + (1 - beta1) g          v = beta2 v + (1 - beta2) g^2
//   mhat = m / (1 - beta1^step)          vhat = v / (1 - beta2^step)
//   p -= lr * (mhat / (sqrt(vhat) + eps) + weight_decay * p)
// The decay acts on the parameter directly, not through the gradient, so it is
// not rescaled by the adaptive denominator. Outputs first, sizes last. The
// scalar reference is in core/kernels/ref/adamw_ref.h.
#pragma once

#include <cstddef>

namespace attnlab {

//   params: [n] updated in place
//   m:      [n] first moment, updated in place (start at 0)
//   v:      [n] second moment, updated in place (start at 0)
//   grads:  [n]
// step counts updates from 1 (the first call passes 1); it sets the bias
// corrections, and step 0 would divide by zero.
void adamw_update(float* params, float* m, float* v, const float* grads, float lr, float beta1,
                  float beta2, float eps, float weight_decay, int step, size_t n);

}  // namespace attnlab
