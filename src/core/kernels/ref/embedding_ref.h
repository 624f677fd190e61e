// Scalar reference for core/kernels/embedding.h, templated on the number type
// so gradient checks can run it in double. (The type is called Real here
// because T is the sequence length, as in the kernel's signature.)
#pragma once

#include <cstddef>

namespace attnlab::ref {

// out[b,t,:] = wte[tokens[b,t],:] + wpe[t,:]
//   out: [B, T, C], tokens: [B, T], wte: [V, C], wpe: [T, C] or null
template <class Real>
void encoder_forward(Real* out, const int* tokens, const Real* wte, const Real* wpe, int B, int T,
                     int C) {
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      const size_t bt = static_cast<size_t>(b) * T + t;
      Real* o = out + bt * C;
      const Real* tok_row = wte + static_cast<size_t>(tokens[bt]) * C;
      for (int c = 0; c < C; ++c) {
        const Real pos = wpe ? wpe[static_cast<size_t>(t) * C + c] : Real(0);
        o[c] = tok_row[c] + pos;
      }
    }
}

// Accumulates (+=) into dwte [V, C] and dwpe [T, C] (skipped when null).
//   dout: [B, T, C], tokens: [B, T]
template <class Real>
void encoder_backward(Real* dwte, Real* dwpe, const Real* dout, const int* tokens, int B, int T,
                      int C) {
  // forward: o[c] = tok_row[c] + pos;  so d(out) is added to both rows it came from.
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      const size_t bt = static_cast<size_t>(b) * T + t;
      const Real* g = dout + bt * C;
      Real* dtok = dwte + static_cast<size_t>(tokens[bt]) * C;
      for (int c = 0; c < C; ++c) dtok[c] += g[c];
      if (dwpe)
        for (int c = 0; c < C; ++c) dwpe[static_cast<size_t>(t) * C + c] += g[c];
    }
}

}  // namespace attnlab::ref
