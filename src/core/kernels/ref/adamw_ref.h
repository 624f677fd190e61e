// Scalar reference for core/kernels/adamw.h, templated on the number type.
#pragma once

#include <cmath>
#include <cstddef>

namespace attnlab::ref {

// params, m, v: [n] updated in place; grads: [n]; step >= 1.
template <class T>
void adamw_update(T* params, T* m, T* v, const T* grads, T lr, T beta1, T beta2, T eps, T weight_decay,
                  int step, size_t n) {
  const T bc1 = T(1) - std::pow(beta1, T(step));
  const T bc2 = T(1) - std::pow(beta2, T(step));
  for (size_t i = 0; i < n; ++i) {
    m[i] = beta1 * m[i] + (T(1) - beta1) * grads[i];
    v[i] = beta2 * v[i] + (T(1) - beta2) * grads[i] * grads[i];
    const T mhat = m[i] / bc1;
    const T vhat = v[i] / bc2;
    params[i] -= lr * (mhat / (std::sqrt(vhat) + eps) + weight_decay * params[i]);
  }
}

}  // namespace attnlab::ref
