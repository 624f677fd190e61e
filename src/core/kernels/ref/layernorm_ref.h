// Scalar reference for core/kernels/layernorm.h, templated on the number type
// so gradient checks can run it in double.
#pragma once

#include <cmath>
#include <cstddef>

namespace attnlab::ref {

// out = (inp - mean) * rstd * weight + bias, rstd = 1 / sqrt(var + 1e-5), per row.
//   out: [N, C], mean: [N], rstd: [N], inp: [N, C], weight: [C], bias: [C]
template <class T>
void layernorm_forward(T* out, T* mean, T* rstd, const T* inp, const T* weight, const T* bias, int N,
                       int C) {
  const T eps = T(1e-5);
  for (int n = 0; n < N; ++n) {
    const T* x = inp + static_cast<size_t>(n) * C;
    T* o = out + static_cast<size_t>(n) * C;
    T m = T(0);
    for (int i = 0; i < C; ++i) m += x[i];
    m /= C;
    T var = T(0);
    for (int i = 0; i < C; ++i) var += (x[i] - m) * (x[i] - m);
    var /= C;
    const T s = T(1) / std::sqrt(var + eps);
    for (int i = 0; i < C; ++i) o[i] = (x[i] - m) * s * weight[i] + bias[i];
    mean[n] = m;
    rstd[n] = s;
  }
}

// Accumulates (+=) into dinp [N, C], dweight [C], dbias [C].
//   dout: [N, C], inp: [N, C], weight: [C], mean: [N], rstd: [N]
template <class T>
void layernorm_backward(T* dinp, T* dweight, T* dbias, const T* dout, const T* inp, const T* weight,
                        const T* mean, const T* rstd, int N, int C) {
  // forward: o[i] = (x[i] - m) * s * weight[i] + bias[i];
  // m and s depend on every x of the row, hence the two row means below.
  for (int n = 0; n < N; ++n) {
    const T* x = inp + static_cast<size_t>(n) * C;
    const T* dy = dout + static_cast<size_t>(n) * C;
    T* dx = dinp + static_cast<size_t>(n) * C;
    const T m = mean[n], s = rstd[n];
    T g_mean = T(0), gn_mean = T(0);
    for (int i = 0; i < C; ++i) {
      const T norm = (x[i] - m) * s;
      g_mean += weight[i] * dy[i];
      gn_mean += weight[i] * dy[i] * norm;
    }
    g_mean /= C;
    gn_mean /= C;
    for (int i = 0; i < C; ++i) {
      const T norm = (x[i] - m) * s;
      dbias[i] += dy[i];
      dweight[i] += norm * dy[i];
      dx[i] += (weight[i] * dy[i] - g_mean - norm * gn_mean) * s;
    }
  }
}

}  // namespace attnlab::ref
