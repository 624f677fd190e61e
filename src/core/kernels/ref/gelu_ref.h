// Scalar reference for core/kernels/gelu.h, templated on the number type so
// gradient checks can run it in double.
#pragma once

#include <cmath>

namespace attnlab::ref {

// out = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)));  out: [N], inp: [N]
template <class T>
void gelu_forward(T* out, const T* inp, int N) {
  const T s = std::sqrt(T(2) / T(3.14159265358979323846));
  const T k = T(0.044715);
  for (int i = 0; i < N; ++i) {
    const T x = inp[i];
    const T u = s * (x + k * x * x * x);
    out[i] = T(0.5) * x * (T(1) + std::tanh(u));
  }
}

// Accumulates (+=) into dinp [N].  inp: [N], dout: [N]
template <class T>
void gelu_backward(T* dinp, const T* inp, const T* dout, int N) {
  // forward: out[i] = T(0.5) * x * (T(1) + std::tanh(u));
  const T s = std::sqrt(T(2) / T(3.14159265358979323846));
  const T k = T(0.044715);
  for (int i = 0; i < N; ++i) {
    const T x = inp[i];
    const T t = std::tanh(s * (x + k * x * x * x));
    const T du = s * (T(1) + T(3) * k * x * x);
    dinp[i] += (T(0.5) * (T(1) + t) + T(0.5) * x * (T(1) - t * t) * du) * dout[i];
  }
}

}  // namespace attnlab::ref
