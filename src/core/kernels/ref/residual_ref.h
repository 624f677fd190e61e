// Scalar reference for core/kernels/residual.h, templated on the number type
// so gradient checks can run it in double.
#pragma once

namespace attnlab::ref {

// out = inp1 + inp2;  out, inp1, inp2: [N]
template <class T>
void residual_forward(T* out, const T* inp1, const T* inp2, int N) {
  for (int i = 0; i < N; ++i) out[i] = inp1[i] + inp2[i];
}

// Accumulates (+=) into dinp1 [N] and dinp2 [N].  dout: [N]
template <class T>
void residual_backward(T* dinp1, T* dinp2, const T* dout, int N) {
  // forward: out[i] = inp1[i] + inp2[i];
  for (int i = 0; i < N; ++i) {
    dinp1[i] += dout[i];
    dinp2[i] += dout[i];
  }
}

}  // namespace attnlab::ref
