// Embedding lookup: each (b, t) row is a copy or a sum of two C-vectors, so the
// vector body walks C; the backward scatters rows back with +=.
#include "core/kernels/embedding.h"

#include <cstddef>

#include "core/kernels/simd.h"

namespace attnlab {
namespace {

// out[C] = a[C] + b[C], or out = a when b is null.
struct row_add_kernel {
  template <class Arch>
  void operator()(Arch, float* out, const float* a, const float* b, int C) const {
    // out: [C], a: [C], b: [C] or null
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    int i = 0;
    if (b) {
      for (; i + W <= C; i += W)
        (B::load_unaligned(a + i) + B::load_unaligned(b + i)).store_unaligned(out + i);
      for (; i < C; ++i) out[i] = a[i] + b[i];
    } else {
      for (; i + W <= C; i += W) B::load_unaligned(a + i).store_unaligned(out + i);
      for (; i < C; ++i) out[i] = a[i];
    }
  }
};

// acc[C] += x[C]
struct row_accumulate_kernel {
  template <class Arch>
  void operator()(Arch, float* acc, const float* x, int C) const {
    // acc: [C], x: [C]
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    int i = 0;
    for (; i + W <= C; i += W)
      (B::load_unaligned(acc + i) + B::load_unaligned(x + i)).store_unaligned(acc + i);
    for (; i < C; ++i) acc[i] += x[i];
  }
};

}  // namespace

void encoder_forward(float* out, const int* tokens, const float* wte, const float* wpe, int B, int T,
                     int C) {
  // out: [B, T, C], tokens: [B, T], wte: [V, C], wpe: [T, C] or null
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      const size_t bt = static_cast<size_t>(b) * T + t;
      const float* tok_row = wte + static_cast<size_t>(tokens[bt]) * C;
      const float* pos_row = wpe ? wpe + static_cast<size_t>(t) * C : nullptr;
      row_add_kernel{}(simd::arch{}, out + bt * C, tok_row, pos_row, C);
    }
}

void encoder_backward(float* dwte, float* dwpe, const float* dout, const int* tokens, int B, int T,
                      int C) {
  // forward: out[i] = a[i] + b[i];  (a = wte[tokens[b,t],:], b = wpe[t,:])
  // so d(out) flows unchanged into both rows it came from.
  // dwte: [V, C], dwpe: [T, C] or null, dout: [B, T, C], tokens: [B, T]
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      const size_t bt = static_cast<size_t>(b) * T + t;
      const float* g = dout + bt * C;
      row_accumulate_kernel{}(simd::arch{}, dwte + static_cast<size_t>(tokens[bt]) * C, g, C);
      if (dwpe) row_accumulate_kernel{}(simd::arch{}, dwpe + static_cast<size_t>(t) * C, g, C);
    }
}

}  // namespace attnlab
