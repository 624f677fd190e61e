// Masked multi-head attention (see attention.h for the maths).
//
// Index
//   - row kinds and blocks   which keys a block of consecutive queries scores
//   - vector row kernels     scale + soft-cap, softmax with an extra key, rms norm
//   - head setup             packing K^T (and for backward V^T, K) once per head
//   - attention_forward      S = Q K^T on the allowed keys, softmax, O = P V
//   - attention_backward     recompute P from lse, then dV, dP, dS, dQ, dK
//   - attention_row_weights  one row's weights, recomputed for probes and heatmaps
//
// Every block of queries scores the "always" keys (globals, registers, sinks)
// plus one contiguous range of ordinary keys; both are dense products through
// the register-tiled gemm (core/kernels/matmul.h). Pairs the mask forbids
// inside a block (a few at the window edges) are computed and set to -inf, so
// the work per query is about 2w + block + A keys, never n.
#include "core/kernels/attention.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/kernels/matmul.h"
#include "core/simd.h"

namespace attnlab {

float AttentionSpec::logit_scale() const {
  return scale > 0.0f ? scale : 1.0f / std::sqrt(static_cast<float>(head_dim));
}

std::vector<std::string> AttentionSpec::validate(int N) const {
  std::vector<std::string> errors = mask.validate(N);
  if (heads < 1) errors.push_back("heads: must be >= 1");
  if (head_dim < 1) errors.push_back("head_dim: must be >= 1");
  if (!(scale >= 0.0f) || !std::isfinite(scale)) errors.push_back("scale: must be a finite number >= 0");
  if (!(softcap >= 0.0f) || !std::isfinite(softcap)) errors.push_back("softcap: must be a finite number >= 0");
  if (softmax1 && sink_logit)
    errors.push_back("softmax1 and a learnable sink logit are alternatives: softmax1 is the sink logit fixed at 0");
  return errors;
}

double attention_forward_flops(const AttentionSpec& spec, int B, int N) {
  return 4.0 * spec.head_dim * static_cast<double>(spec.mask.pairs(N)) * spec.heads * B;
}

namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

// ---- row kinds and blocks ----------------------------------------------------

enum class RowKind { Ordinary, ReadsAll, AlwaysOnly };

RowKind row_kind(const AttentionMask& m, int i) {
  if (m.reads_all(i)) return RowKind::ReadsAll;
  if (m.is_register(i)) return RowKind::AlwaysOnly;  // a register in a causal model
  return RowKind::Ordinary;
}

// Consecutive queries [i0, i0 + rows) of one kind. They score the always keys
// (unless kind == ReadsAll) and the ordinary keys [lo, hi).
struct Block {
  int i0, rows;
  RowKind kind;
  int lo, hi;
  bool uses_always() const { return kind != RowKind::ReadsAll; }
};

// Columns of a block's score rows: the always keys, then the range, each
// padded to whole vectors so the products never fall into a scalar tail. The
// padding is scored (against zeros) and masked to -inf.
struct Layout {
  int na, na_pad, range, range_pad;
  int cols() const { return na_pad + range_pad; }
};

int round_up(int x) { return (x + simd::kWidth - 1) / simd::kWidth * simd::kWidth; }

Layout layout(const Block& blk, int A) {
  const int na = blk.uses_always() ? A : 0;
  return {na, round_up(na), blk.hi - blk.lo, round_up(blk.hi - blk.lo)};
}

int block_rows(const AttentionMask& m) {
  if (m.window < 0) return 32;
  return std::clamp((m.window / 2 + 3) / 4 * 4, 4, 32);  // keeps the wasted edge pairs small
}

template <class F>
void for_each_block(const AttentionMask& m, int N, F&& f) {
  const int bq = block_rows(m);
  int i = 0;
  while (i < N) {
    const RowKind kind = row_kind(m, i);
    int i1 = i + 1;
    while (i1 < N && i1 - i < bq && row_kind(m, i1) == kind) ++i1;
    Block blk{i, i1 - i, kind, 0, 0};
    if (kind == RowKind::Ordinary) {
      int unused;
      m.ordinary_range(i, N, &blk.lo, &unused);
      m.ordinary_range(i1 - 1, N, &unused, &blk.hi);  // lo and hi grow with i
    } else if (kind == RowKind::ReadsAll) {
      blk.hi = N;
    }
    f(blk);
    i = i1;
  }
}

// Sets to -inf the entries of one block row that query i may not see, and
// the padding. row: [L.cols()], the always keys first (if the block uses them).
void mask_row(float* row, const AttentionMask& m, const std::vector<int>& always, const Block& blk,
              const Layout& L, int i, int N) {
  for (int c = 0; c < L.na; ++c)
    if (!m.visible(i, always[c])) row[c] = kNegInf;
  std::fill(row + L.na, row + L.na_pad, kNegInf);
  std::fill(row + L.na_pad + L.range, row + L.cols(), kNegInf);
  if (blk.kind != RowKind::Ordinary) return;  // ReadsAll sees [0, N); AlwaysOnly has no range
  int lo_i, hi_i;
  m.ordinary_range(i, N, &lo_i, &hi_i);
  float* range = row + L.na_pad - blk.lo;  // range[j] for j in [lo, hi)
  for (int j = blk.lo; j < lo_i; ++j) range[j] = kNegInf;
  for (int j = hi_i; j < blk.hi; ++j) range[j] = kNegInf;
  // Always keys inside the range are scored once, in the always part.
  const auto first = std::lower_bound(always.begin(), always.end(), lo_i);
  for (auto it = first; it != always.end() && *it < hi_i; ++it) range[*it] = kNegInf;
}

// ---- vector row kernels ------------------------------------------------------

// row = scale * row, then cap * tanh(row / cap) if cap > 0.
struct scale_cap_kernel {
  template <class Arch>
  void operator()(Arch, float* row, float scale, float cap, int n) const {
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    int c = 0;
    if (cap > 0.0f) {
      const B vs(scale / cap), vc(cap);
      for (; c + W <= n; c += W) (vc * xsimd::tanh(B::load_unaligned(row + c) * vs)).store_unaligned(row + c);
      for (; c < n; ++c) row[c] = cap * std::tanh(row[c] * (scale / cap));
    } else {
      const B vs(scale);
      for (; c + W <= n; c += W) (B::load_unaligned(row + c) * vs).store_unaligned(row + c);
      for (; c < n; ++c) row[c] *= scale;
    }
  }
};

// In place: row <- exp(row - m) / z, z = exp(extra - m) + sum exp(row - m),
// m = max(row, extra). -inf entries become 0. Returns lse = m + log z, and
// the largest finite entry of the row in *key_max.
struct softmax_kernel {
  template <class Arch>
  float operator()(Arch, float* row, float extra, float* key_max, int n) const {
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    B vmax(kNegInf);
    int c = 0;
    for (; c + W <= n; c += W) vmax = xsimd::max(vmax, B::load_unaligned(row + c));
    float mx = xsimd::reduce_max(vmax);
    for (; c < n; ++c) mx = std::max(mx, row[c]);
    *key_max = mx;
    const float m = std::max(mx, extra);
    if (m == kNegInf) {  // nothing visible and no extra key: an all-zero row
      std::fill(row, row + n, 0.0f);
      return std::numeric_limits<float>::infinity();
    }
    const B vm(m);
    B vsum(0.0f);
    c = 0;
    for (; c + W <= n; c += W) {
      const B e = xsimd::exp(B::load_unaligned(row + c) - vm);
      e.store_unaligned(row + c);
      vsum += e;
    }
    float sum = xsimd::reduce_add(vsum);
    for (; c < n; ++c) sum += (row[c] = std::exp(row[c] - m));
    const float z = sum + (extra == kNegInf ? 0.0f : std::exp(extra - m));
    const B vinv(1.0f / z);
    c = 0;
    for (; c + W <= n; c += W) (B::load_unaligned(row + c) * vinv).store_unaligned(row + c);
    for (; c < n; ++c) row[c] *= 1.0f / z;
    return m + std::log(z);
  }
};

// row <- exp(row - lse) (the forward's p, recomputed); -inf entries become 0.
struct exp_shift_kernel {
  template <class Arch>
  void operator()(Arch, float* row, float lse, int n) const {
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    const B vl(lse);
    int c = 0;
    for (; c + W <= n; c += W) xsimd::exp(B::load_unaligned(row + c) - vl).store_unaligned(row + c);
    for (; c < n; ++c) row[c] = std::exp(row[c] - lse);
  }
};

// dS from dP (in place): ds = p * (dp - D) * scale [* (1 - (s/cap)^2)].
struct softmax_grad_kernel {
  template <class Arch>
  void operator()(Arch, float* dp, const float* p, const float* s, float D, float scale, float cap,
                  int n) const {
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    const B vD(D), vscale(scale), one(1.0f), vinvcap(cap > 0.0f ? 1.0f / cap : 0.0f);
    int c = 0;
    for (; c + W <= n; c += W) {
      B g = B::load_unaligned(p + c) * (B::load_unaligned(dp + c) - vD) * vscale;
      if (cap > 0.0f) {  // s / cap = tanh(r / cap) is in [-1, 1]; masked s = -inf clamps to -1
        const B t = xsimd::max(xsimd::min(B::load_unaligned(s + c) * vinvcap, one), -one);
        g *= one - t * t;
      }
      g.store_unaligned(dp + c);
    }
    for (; c < n; ++c) {
      float g = p[c] * (dp[c] - D) * scale;
      if (cap > 0.0f) {
        const float t = std::clamp(s[c] / cap, -1.0f, 1.0f);
        g *= 1.0f - t * t;
      }
      dp[c] = g;
    }
  }
};

struct dot_kernel {
  template <class Arch>
  float operator()(Arch, const float* a, const float* b, int n) const {
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    B acc(0.0f);
    int c = 0;
    for (; c + W <= n; c += W) acc = xsimd::fma(B::load_unaligned(a + c), B::load_unaligned(b + c), acc);
    float s = xsimd::reduce_add(acc);
    for (; c < n; ++c) s += a[c] * b[c];
    return s;
  }
};

float dot(const float* a, const float* b, int n) { return dot_kernel{}(simd::arch{}, a, b, n); }

// y = x * inv, inv = 1 / sqrt(mean(x^2) + 1e-6); returns inv.
float rms_normalize(float* y, const float* x, int d) {
  const float inv = 1.0f / std::sqrt(dot(x, x, d) / static_cast<float>(d) + 1e-6f);
  for (int c = 0; c < d; ++c) y[c] = x[c] * inv;
  return inv;
}

// ---- head setup ----------------------------------------------------------------

// Scratch for one head, reused across calls (single-threaded core).
struct HeadWork {
  std::vector<int> always;       // [A] the always keys, sorted
  std::vector<float> qn, kn;     // [N, d] q and k, rms-normalized (qk_norm only)
  std::vector<float> q_inv, k_inv;  // [N] their 1 / rms
  int ldt = 0;                   // row stride of kt and vt: N padded off powers of two
  std::vector<float> kt;         // [d, ldt] k (normalized if qk_norm), transposed
  int lda = 0;                   // row stride of kta and vta: A rounded up to whole vectors
  std::vector<float> kta;        // [d, lda] the always keys' k, transposed (zero padding)
  std::vector<float> va;         // [A, d] the always keys' v
  std::vector<float> vt, vta;    // [d, ldt], [d, lda] v transposed (backward)
  std::vector<float> ka;         // [A, d] the always keys' k (backward)
  std::vector<float> s, p, ds;   // [rows, A + N] scores, weights, their gradient (one block)
  std::vector<float> dqn, dkn, dv;  // [N, d] gradients of this head (backward)
  std::vector<float> dka, dva;   // [A, d]
  std::vector<float> dd;         // [N] D_i = dO_i . O_i (backward)
};

HeadWork& work() {
  static thread_local HeadWork w;
  return w;
}

// Views into qkv for (b, h): q/k/v of position i, and the row stride.
struct HeadView {
  const float* q;  // q of position 0 (normalized copy if qk_norm)
  const float* k;  // k of position 0 (normalized copy if qk_norm)
  const float* v;
  int q_stride, k_stride, v_stride;
};

// dst[c * ld + i] = src[i * stride + c] for i < N, c < d; columns [N, ld) are 0
// (they are read by the padded products, then masked). Done in tiles of 8
// positions so the reads and writes both stay within a few cache lines.
void transpose_padded(std::vector<float>* dst, const float* src, int stride, int N, int d, int ld) {
  dst->resize(static_cast<size_t>(d) * ld);
  float* t = dst->data();
  constexpr int kTile = 8;
  for (int i0 = 0; i0 < N; i0 += kTile) {
    const int i1 = std::min(N, i0 + kTile);
    for (int c = 0; c < d; ++c)
      for (int i = i0; i < i1; ++i) t[static_cast<size_t>(c) * ld + i] = src[static_cast<size_t>(i) * stride + c];
  }
  for (int c = 0; c < d; ++c) std::fill(t + static_cast<size_t>(c) * ld + N, t + static_cast<size_t>(c + 1) * ld, 0.0f);
}

HeadView setup_head(HeadWork& w, const float* qkv, const AttentionSpec& spec, int N, int b, int h,
                    bool backward) {
  const int C = spec.channels(), d = spec.head_dim, C3 = 3 * C;
  const float* base = qkv + static_cast<size_t>(b) * N * C3 + h * d;
  HeadView view{base, base + C, base + 2 * C, C3, C3, C3};
  if (spec.qk_norm) {
    w.qn.resize(static_cast<size_t>(N) * d);
    w.kn.resize(static_cast<size_t>(N) * d);
    w.q_inv.resize(N);
    w.k_inv.resize(N);
    for (int i = 0; i < N; ++i) {
      w.q_inv[i] = rms_normalize(&w.qn[static_cast<size_t>(i) * d], base + static_cast<size_t>(i) * C3, d);
      w.k_inv[i] = rms_normalize(&w.kn[static_cast<size_t>(i) * d], base + C + static_cast<size_t>(i) * C3, d);
    }
    view.q = w.qn.data();
    view.k = w.kn.data();
    view.q_stride = view.k_stride = d;
  }
  const int A = static_cast<int>(w.always.size());
  // A row stride of N floats would put every row of a K^T panel in the same
  // cache sets when N is a power of two; 16 extra floats spread them out.
  w.ldt = N + 16;
  transpose_padded(&w.kt, view.k, view.k_stride, N, d, w.ldt);
  w.lda = round_up(A);
  w.kta.assign(static_cast<size_t>(d) * w.lda, 0.0f);
  w.va.resize(static_cast<size_t>(A) * d);
  for (int a = 0; a < A; ++a) {
    const int j = w.always[a];
    for (int c = 0; c < d; ++c) {
      w.kta[static_cast<size_t>(c) * w.lda + a] = view.k[static_cast<size_t>(j) * view.k_stride + c];
      w.va[static_cast<size_t>(a) * d + c] = view.v[static_cast<size_t>(j) * view.v_stride + c];
    }
  }
  if (backward) {
    transpose_padded(&w.vt, view.v, view.v_stride, N, d, w.ldt);
    w.vta.assign(static_cast<size_t>(d) * w.lda, 0.0f);
    w.ka.resize(static_cast<size_t>(A) * d);
    for (int a = 0; a < A; ++a)
      for (int c = 0; c < d; ++c) {
        w.vta[static_cast<size_t>(c) * w.lda + a] = w.va[static_cast<size_t>(a) * d + c];
        w.ka[static_cast<size_t>(a) * d + c] = w.kta[static_cast<size_t>(c) * w.lda + a];
      }
  }
  return view;
}

void setup_always(HeadWork& w, const AttentionMask& m, int N) { w.always = m.always_keys(N); }

// S[rows, L.cols()] = Q_blk · [K_A^T | K^T[:, lo:hi]]  (raw dot products, padded)
void block_scores(float* S, const HeadWork& w, const HeadView& view, const Block& blk, const Layout& L, int d) {
  const float* q = view.q + static_cast<size_t>(blk.i0) * view.q_stride;
  if (L.na > 0) gemm(S, L.cols(), q, view.q_stride, 1, w.kta.data(), w.lda, blk.rows, L.na_pad, d, false);
  if (L.range > 0)
    gemm(S + L.na_pad, L.cols(), q, view.q_stride, 1, w.kt.data() + blk.lo, w.ldt, blk.rows, L.range_pad, d, false);
}

float extra_logit(const AttentionSpec& spec, const float* sink_logit, int h) {
  if (spec.sink_logit) return sink_logit[h];
  return spec.softmax1 ? 0.0f : kNegInf;
}

}  // namespace

// ---- attention_forward ---------------------------------------------------------

void attention_forward(float* out, float* lse, float* max_logit, const float* qkv,
                       const float* sink_logit, const AttentionSpec& spec, int B, int N) {
  const int C = spec.channels(), d = spec.head_dim, H = spec.heads;
  const float scale = spec.logit_scale();
  HeadWork& w = work();
  setup_always(w, spec.mask, N);
  const int A = static_cast<int>(w.always.size());
  if (max_logit) std::fill(max_logit, max_logit + H, kNegInf);
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < H; ++h) {
      const HeadView view = setup_head(w, qkv, spec, N, b, h, false);
      const float extra = extra_logit(spec, sink_logit, h);
      float* lse_h = lse + (static_cast<size_t>(b) * H + h) * N;
      for_each_block(spec.mask, N, [&](const Block& blk) {
        const Layout L = layout(blk, A);
        const int cols = L.cols();
        w.s.resize(static_cast<size_t>(blk.rows) * cols);
        block_scores(w.s.data(), w, view, blk, L, d);
        for (int r = 0; r < blk.rows; ++r) {
          float* row = w.s.data() + static_cast<size_t>(r) * cols;
          scale_cap_kernel{}(simd::arch{}, row, scale, spec.softcap, cols);
          mask_row(row, spec.mask, w.always, blk, L, blk.i0 + r, N);
          float key_max;
          lse_h[blk.i0 + r] = softmax_kernel{}(simd::arch{}, row, extra, &key_max, cols);
          if (max_logit) max_logit[h] = std::max(max_logit[h], key_max);
        }
        // O_blk = P_A · V_A + P_range · V[lo:hi]
        float* o = out + (static_cast<size_t>(b) * N + blk.i0) * C + h * d;
        gemm(o, C, w.s.data(), cols, 1, w.va.data(), d, blk.rows, d, L.na, false);
        if (L.range > 0)
          gemm(o, C, w.s.data() + L.na_pad, cols, 1, view.v + static_cast<size_t>(blk.lo) * view.v_stride,
               view.v_stride, blk.rows, d, L.range, true);
      });
    }
}

// ---- attention_backward ----------------------------------------------------------

void attention_backward(float* dqkv, float* dsink_logit, const float* dout, const float* out,
                        const float* lse, const float* qkv, const float* sink_logit,
                        const AttentionSpec& spec, int B, int N) {
  const int C = spec.channels(), d = spec.head_dim, H = spec.heads, C3 = 3 * C;
  const float scale = spec.logit_scale();
  HeadWork& w = work();
  setup_always(w, spec.mask, N);
  const int A = static_cast<int>(w.always.size());
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < H; ++h) {
      const HeadView view = setup_head(w, qkv, spec, N, b, h, true);
      const float extra = extra_logit(spec, sink_logit, h);
      const float* lse_h = lse + (static_cast<size_t>(b) * H + h) * N;
      const float* dO = dout + static_cast<size_t>(b) * N * C + h * d;
      const float* O = out + static_cast<size_t>(b) * N * C + h * d;
      // out_i = sum_j p_ij v_j, so sum_j p_ij dp_ij = dO_i . out_i =: D_i
      w.dd.resize(N);
      for (int i = 0; i < N; ++i) w.dd[i] = dot(dO + static_cast<size_t>(i) * C, O + static_cast<size_t>(i) * C, d);
      w.dqn.assign(static_cast<size_t>(N) * d, 0.0f);
      w.dkn.assign(static_cast<size_t>(N) * d, 0.0f);
      w.dv.assign(static_cast<size_t>(N) * d, 0.0f);
      w.dka.assign(static_cast<size_t>(A) * d, 0.0f);
      w.dva.assign(static_cast<size_t>(A) * d, 0.0f);
      float dsink = 0.0f;

      for_each_block(spec.mask, N, [&](const Block& blk) {
        const Layout L = layout(blk, A);
        const int cols = L.cols(), na = L.na, range = L.range;
        const size_t size = static_cast<size_t>(blk.rows) * cols;
        w.s.resize(size);
        w.p.resize(size);
        // Recompute s and p = exp(s - lse) exactly as the forward did.
        block_scores(w.s.data(), w, view, blk, L, d);
        for (int r = 0; r < blk.rows; ++r) {
          float* srow = w.s.data() + static_cast<size_t>(r) * cols;
          float* prow = w.p.data() + static_cast<size_t>(r) * cols;
          scale_cap_kernel{}(simd::arch{}, srow, scale, spec.softcap, cols);
          mask_row(srow, spec.mask, w.always, blk, L, blk.i0 + r, N);
          std::copy(srow, srow + cols, prow);
          exp_shift_kernel{}(simd::arch{}, prow, lse_h[blk.i0 + r], cols);
        }
        const float* dO_blk = dO + static_cast<size_t>(blk.i0) * C;
        const float* q_blk = view.q + static_cast<size_t>(blk.i0) * view.q_stride;
        // dV += P^T · dO_blk   (out = P V)
        if (na > 0) gemm(w.dva.data(), d, w.p.data(), 1, cols, dO_blk, C, na, d, blk.rows, true);
        if (range > 0)
          gemm(w.dv.data() + static_cast<size_t>(blk.lo) * d, d, w.p.data() + L.na_pad, 1, cols, dO_blk, C, range, d,
               blk.rows, true);
        // dP = dO_blk · [V_A^T | V^T[:, lo:hi]]
        std::vector<float>& dp = w.ds;
        dp.resize(size);
        if (na > 0) gemm(dp.data(), cols, dO_blk, C, 1, w.vta.data(), w.lda, blk.rows, L.na_pad, d, false);
        if (range > 0)
          gemm(dp.data() + L.na_pad, cols, dO_blk, C, 1, w.vt.data() + blk.lo, w.ldt, blk.rows, L.range_pad, d, false);
        // dS = P (dP - D) [* (1 - (s/cap)^2)] * scale: the gradient of the dot products q.k
        for (int r = 0; r < blk.rows; ++r) {
          const int i = blk.i0 + r;
          const size_t off = static_cast<size_t>(r) * cols;
          softmax_grad_kernel{}(simd::arch{}, dp.data() + off, w.p.data() + off,
                                w.s.data() + off, w.dd[i], scale,
                                spec.softcap, cols);
          // p_extra = exp(extra - lse): d extra = p_extra * (0 - D)
          if (extra != kNegInf) dsink -= std::exp(extra - lse_h[i]) * w.dd[i];
        }
        // dQ_blk += dS · [K_A; K[lo:hi]]
        float* dq = w.dqn.data() + static_cast<size_t>(blk.i0) * d;
        if (na > 0) gemm(dq, d, dp.data(), cols, 1, w.ka.data(), d, blk.rows, d, na, true);
        if (range > 0)
          gemm(dq, d, dp.data() + L.na_pad, cols, 1, view.k + static_cast<size_t>(blk.lo) * view.k_stride,
               view.k_stride, blk.rows, d, range, true);
        // dK += dS^T · Q_blk
        if (na > 0) gemm(w.dka.data(), d, dp.data(), 1, cols, q_blk, view.q_stride, na, d, blk.rows, true);
        if (range > 0)
          gemm(w.dkn.data() + static_cast<size_t>(blk.lo) * d, d, dp.data() + L.na_pad, 1, cols, q_blk,
               view.q_stride, range, d, blk.rows, true);
      });

      for (int a = 0; a < A; ++a)
        for (int c = 0; c < d; ++c) {
          w.dkn[static_cast<size_t>(w.always[a]) * d + c] += w.dka[static_cast<size_t>(a) * d + c];
          w.dv[static_cast<size_t>(w.always[a]) * d + c] += w.dva[static_cast<size_t>(a) * d + c];
        }
      if (spec.sink_logit && dsink_logit) dsink_logit[h] += dsink;
      // Write into dqkv; with QK-norm, x_hat = x * inv -> dx = inv * (dx_hat - x_hat * mean(dx_hat . x_hat))
      float* dbase = dqkv + static_cast<size_t>(b) * N * C3 + h * d;
      for (int i = 0; i < N; ++i) {
        float* dq = dbase + static_cast<size_t>(i) * C3;
        float* dk = dq + C;
        float* dvv = dq + 2 * C;
        const float* gq = w.dqn.data() + static_cast<size_t>(i) * d;
        const float* gk = w.dkn.data() + static_cast<size_t>(i) * d;
        const float* gv = w.dv.data() + static_cast<size_t>(i) * d;
        if (spec.qk_norm) {
          const float* qh = w.qn.data() + static_cast<size_t>(i) * d;
          const float* kh = w.kn.data() + static_cast<size_t>(i) * d;
          const float mq = dot(gq, qh, d) / d, mk = dot(gk, kh, d) / d;
          for (int c = 0; c < d; ++c) {
            dq[c] += w.q_inv[i] * (gq[c] - qh[c] * mq);
            dk[c] += w.k_inv[i] * (gk[c] - kh[c] * mk);
          }
        } else {
          for (int c = 0; c < d; ++c) {
            dq[c] += gq[c];
            dk[c] += gk[c];
          }
        }
        for (int c = 0; c < d; ++c) dvv[c] += gv[c];
      }
    }
}

// ---- attention_row_weights ------------------------------------------------------

float attention_row_weights(float* weights, const float* qkv, const float* lse,
                            const float* sink_logit, const AttentionSpec& spec, int N, int b,
                            int h, int i) {
  const int C = spec.channels(), d = spec.head_dim, C3 = 3 * C;
  const float* base = qkv + static_cast<size_t>(b) * N * C3 + h * d;
  std::vector<float> q(base + static_cast<size_t>(i) * C3, base + static_cast<size_t>(i) * C3 + d);
  std::vector<float> k(d);
  if (spec.qk_norm) rms_normalize(q.data(), q.data(), d);
  const float scale = spec.logit_scale();
  const float l = lse[(static_cast<size_t>(b) * spec.heads + h) * N + i];
  for (int j = 0; j < N; ++j) {
    if (!spec.mask.visible(i, j)) {
      weights[j] = 0.0f;
      continue;
    }
    const float* kj = base + C + static_cast<size_t>(j) * C3;
    float r;
    if (spec.qk_norm) {
      rms_normalize(k.data(), kj, d);
      r = scale * dot(q.data(), k.data(), d);
    } else {
      r = scale * dot(q.data(), kj, d);
    }
    const float s = spec.softcap > 0.0f ? spec.softcap * std::tanh(r / spec.softcap) : r;
    weights[j] = std::exp(s - l);
  }
  const float extra = extra_logit(spec, sink_logit, h);
  return extra == kNegInf ? 0.0f : std::exp(extra - l);
}

}  // namespace attnlab
