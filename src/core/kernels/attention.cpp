// Masked multi-head attention (see attention.h for the maths).
//
// Index
//   - row kinds and blocks   which keys a block of consecutive queries scores
//   - vector row kernels     scale + soft-cap, softmax with an extra key, rms norm
//   - sequence setup         K^T (and V^T) filled just ahead of the blocks, the always keys
//   - attention_forward      S = Q K^T on the allowed keys, softmax, O = P V
//   - attention_backward     recompute P from lse, then dV, dP, dS, dQ, dK
//   - attention_row_weights  one row's weights, recomputed for probes and heatmaps
//
// Every block of queries scores the "always" keys (globals, registers, sinks)
// plus one contiguous range of ordinary keys; both are dense products through
// the register-tiled gemm (core/kernels/matmul.h). Pairs the mask forbids
// inside a block (a few at the window edges) are computed and set to -inf, so
// the work per query is about 2w + block + A keys, never n. Blocks run in
// order with all heads inside, so memory traffic stays local (see SeqWork).
#include "core/kernels/attention.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/kernels/fast_exp.h"
#include "core/kernels/matmul.h"
#include "core/kernels/simd.h"

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

// Consecutive queries [i0, i0 + rows) of one kind (Ordinary or AlwaysOnly).
// They score the always keys and the ordinary keys [lo, hi). Queries that
// read every key are not put in blocks (see GlobalRows).
struct Block {
  int i0, rows;
  RowKind kind;
  int lo, hi;
};

// Columns of a block's score rows: the always keys, then the range, each
// padded to whole vectors so the products never fall into a scalar tail. The
// padding is scored (against zeros) and masked to -inf.
struct Layout {
  int na, na_pad, range, range_pad;
  int cols() const { return na_pad + range_pad; }
};

int round_up(int x) { return (x + simd::kWidth - 1) / simd::kWidth * simd::kWidth; }

Layout layout(const Block& blk, int A) { return {A, round_up(A), blk.hi - blk.lo, round_up(blk.hi - blk.lo)}; }

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
    }
    if (kind != RowKind::ReadsAll) f(blk);
    i = i1;
  }
}

// Sets to -inf the entries of one block row that query i may not see, and
// the padding. row: [L.cols()], the always keys first.
void mask_row(float* row, const AttentionMask& m, const std::vector<int>& always, const Block& blk,
              const Layout& L, int i, int N) {
  for (int c = 0; c < L.na; ++c)
    if (!m.visible(i, always[c])) row[c] = kNegInf;
  std::fill(row + L.na, row + L.na_pad, kNegInf);
  std::fill(row + L.na_pad + L.range, row + L.cols(), kNegInf);
  if (blk.kind != RowKind::Ordinary) return;  // AlwaysOnly (a causal register) has no range
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

// In place: row <- exp(a row - m) / z, z = exp(extra - m) + sum exp(a row - m),
// m = max(a row, extra), a = scale > 0. -inf entries become 0. Returns
// lse = m + log z, and the largest finite a*row entry in *key_max. A NaN
// anywhere makes the whole row (and lse) NaN.
struct softmax_kernel {
  template <class Arch>
  float operator()(Arch, float* row, float scale, float extra, float* key_max, int n) const {
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    B vmax(kNegInf);
    auto nan = xsimd::batch_bool<float, Arch>(false);
    int c = 0;
    for (; c + W <= n; c += W) {
      const B x = B::load_unaligned(row + c);
      vmax = xsimd::max(vmax, x);
      nan = nan || xsimd::isnan(x);
    }
    float mx = xsimd::reduce_max(vmax);
    bool any_nan = xsimd::any(nan);
    for (; c < n; ++c) {
      mx = std::max(mx, row[c]);
      any_nan |= std::isnan(row[c]);
    }
    if (any_nan) {  // max and exp may drop a NaN on some targets: keep it, so checks downstream see it
      std::fill(row, row + n, std::numeric_limits<float>::quiet_NaN());
      *key_max = std::numeric_limits<float>::quiet_NaN();
      return std::numeric_limits<float>::quiet_NaN();
    }
    mx *= scale;
    *key_max = mx;
    const float m = std::max(mx, extra);
    if (m == kNegInf) {  // nothing visible and no extra key: an all-zero row
      std::fill(row, row + n, 0.0f);
      return std::numeric_limits<float>::infinity();
    }
    const B vm(m), va(scale);
    B vsum(0.0f);
    c = 0;
    for (; c + W <= n; c += W) {
      const B e = fast_exp(simd::fms(B::load_unaligned(row + c), va, vm));
      e.store_unaligned(row + c);
      vsum += e;
    }
    float sum = xsimd::reduce_add(vsum);
    for (; c < n; ++c) sum += (row[c] = fast_exp(row[c] * scale - m));
    const float z = sum + (extra == kNegInf ? 0.0f : std::exp(extra - m));
    const B vinv(1.0f / z);
    c = 0;
    for (; c + W <= n; c += W) (B::load_unaligned(row + c) * vinv).store_unaligned(row + c);
    for (; c < n; ++c) row[c] *= 1.0f / z;
    return m + std::log(z);
  }
};

// row <- exp(scale * row - lse) (the forward's p, recomputed); -inf entries become 0.
struct exp_shift_kernel {
  template <class Arch>
  void operator()(Arch, float* row, float scale, float lse, int n) const {
    using B = xsimd::batch<float, Arch>;
    constexpr int W = static_cast<int>(B::size);
    const B vl(lse), va(scale);
    int c = 0;
    for (; c + W <= n; c += W) fast_exp(simd::fms(B::load_unaligned(row + c), va, vl)).store_unaligned(row + c);
    for (; c < n; ++c) row[c] = fast_exp(row[c] * scale - lse);
  }
};

// The softmax's input scale once soft-capping (if any) has been applied in place.
float pre_softmax(float* row, float scale, float cap, int n) {
  if (cap <= 0.0f) return scale;
  scale_cap_kernel{}(simd::arch{}, row, scale, cap, n);
  return 1.0f;
}

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
    for (; c + W <= n; c += W) acc = simd::fma(B::load_unaligned(a + c), B::load_unaligned(b + c), acc);
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

// ---- sequence setup ------------------------------------------------------------
//
// One sequence at a time, blocks of queries in order, all heads inside each
// block: everything a block touches (its queries, the keys and values of its
// range, its outputs) sits in a few hundred KB around the block, whatever n
// is, so the cost per token stays flat as n grows. K^T (and V^T for backward)
// is filled in lazily, just ahead of the blocks that read it.

struct SeqWork {
  int N = 0, H = 0, d = 0, C = 0;
  std::vector<int> always;          // [A] the always keys, sorted
  int lda = 0;                      // row stride of kta / vta: A rounded up to whole vectors
  int ldt = 0;                      // row stride of kt / vt: N + 16, off powers of two
  std::vector<float> qn, kn;        // [N, C] q and k rms-normalized per head (qk_norm only)
  std::vector<float> q_inv, k_inv;  // [N, H] their 1 / rms
  std::vector<float> kt, vt;        // [H, d, ldt] k and v transposed (vt: backward)
  int kt_filled = 0, vt_filled = 0; // columns [0, filled) are in place
  std::vector<float> kta, vta;      // [H, d, lda] the always keys' k and v, transposed (zero padding)
  std::vector<float> ka, va;        // [H, A, d] the always keys' k and v
  std::vector<float> s, p, ds;      // [rows, cols] scores, weights, their gradient (one block, one head)
  std::vector<float> dq, dk, dv;    // [N, C] gradients with respect to (normalized) q, k and v
  std::vector<float> dka, dva;      // [H, A, d]
  std::vector<float> dd;            // [H, N] D_i = dO_i . O_i
};


// Where q, k and v of head h live: position i at base + i * stride.
struct HeadView {
  const float* q;
  const float* k;
  const float* v;
  int q_stride, k_stride, v_stride;
};

HeadView head_view(const SeqWork& w, const float* qkv_b, const AttentionSpec& spec, int h) {
  const int C = w.C, d = w.d;
  HeadView view{qkv_b + h * d, qkv_b + C + h * d, qkv_b + 2 * C + h * d, 3 * C, 3 * C, 3 * C};
  if (spec.qk_norm) {
    view.q = w.qn.data() + h * d;
    view.k = w.kn.data() + h * d;
    view.q_stride = view.k_stride = C;
  }
  return view;
}

// Transposes positions [from, to) of every head into t: [H, d, ldt].
void transpose_range(float* t, const SeqWork& w, const float* src, int stride, int from, int to) {
  constexpr int kTile = 8;  // positions per pass: reads and writes stay within a few cache lines
  for (int h = 0; h < w.H; ++h) {
    float* th = t + static_cast<size_t>(h) * w.d * w.ldt;
    const float* sh = src + h * w.d;
    for (int i0 = from; i0 < to; i0 += kTile) {
      const int i1 = std::min(to, i0 + kTile);
      for (int c = 0; c < w.d; ++c)
        for (int i = i0; i < i1; ++i) th[static_cast<size_t>(c) * w.ldt + i] = sh[static_cast<size_t>(i) * stride + c];
    }
  }
}

void setup_sequence(SeqWork& w, const float* qkv_b, const AttentionSpec& spec, int N, bool backward) {
  w.N = N;
  w.H = spec.heads;
  w.d = spec.head_dim;
  w.C = spec.channels();
  const int H = w.H, d = w.d, C = w.C;
  w.always = spec.mask.always_keys(N);
  const int A = static_cast<int>(w.always.size());
  if (spec.qk_norm) {
    w.qn.resize(static_cast<size_t>(N) * C);
    w.kn.resize(static_cast<size_t>(N) * C);
    w.q_inv.resize(static_cast<size_t>(N) * H);
    w.k_inv.resize(static_cast<size_t>(N) * H);
    for (int i = 0; i < N; ++i)
      for (int h = 0; h < H; ++h) {
        const float* row = qkv_b + static_cast<size_t>(i) * 3 * C + h * d;
        const size_t o = static_cast<size_t>(i) * C + h * d;
        w.q_inv[static_cast<size_t>(i) * H + h] = rms_normalize(&w.qn[o], row, d);
        w.k_inv[static_cast<size_t>(i) * H + h] = rms_normalize(&w.kn[o], row + C, d);
      }
  }
  w.ldt = N + 16;
  // The padding columns [N, ldt) are read by the padded products (and masked).
  w.kt.resize(static_cast<size_t>(H) * d * w.ldt);
  for (size_t r = 0; r < static_cast<size_t>(H) * d; ++r) std::fill(&w.kt[r * w.ldt + N], &w.kt[(r + 1) * w.ldt], 0.0f);
  w.kt_filled = 0;
  w.lda = round_up(A);
  w.kta.assign(static_cast<size_t>(H) * d * w.lda, 0.0f);
  w.ka.resize(static_cast<size_t>(H) * A * d);
  w.va.resize(static_cast<size_t>(H) * A * d);
  for (int h = 0; h < H; ++h) {
    const HeadView view = head_view(w, qkv_b, spec, h);
    for (int a = 0; a < A; ++a)
      for (int c = 0; c < d; ++c) {
        const int j = w.always[a];
        const float kv = view.k[static_cast<size_t>(j) * view.k_stride + c];
        w.kta[(static_cast<size_t>(h) * d + c) * w.lda + a] = kv;
        w.ka[(static_cast<size_t>(h) * A + a) * d + c] = kv;
        w.va[(static_cast<size_t>(h) * A + a) * d + c] = view.v[static_cast<size_t>(j) * view.v_stride + c];
      }
  }
  if (backward) {
    w.vt.resize(static_cast<size_t>(H) * d * w.ldt);
    for (size_t r = 0; r < static_cast<size_t>(H) * d; ++r) std::fill(&w.vt[r * w.ldt + N], &w.vt[(r + 1) * w.ldt], 0.0f);
    w.vt_filled = 0;
    w.vta.assign(static_cast<size_t>(H) * d * w.lda, 0.0f);
    for (int h = 0; h < H; ++h)
      for (int a = 0; a < A; ++a)
        for (int c = 0; c < d; ++c)
          w.vta[(static_cast<size_t>(h) * d + c) * w.lda + a] = w.va[(static_cast<size_t>(h) * A + a) * d + c];
  }
}

// Makes columns [0, hi) of K^T (and V^T when backward) ready.
void fill_transposes(SeqWork& w, const float* qkv_b, const AttentionSpec& spec, int hi, bool backward) {
  if (hi > w.kt_filled) {
    const float* k = spec.qk_norm ? w.kn.data() : qkv_b + w.C;
    transpose_range(w.kt.data(), w, k, spec.qk_norm ? w.C : 3 * w.C, w.kt_filled, hi);
    w.kt_filled = hi;
  }
  if (backward && hi > w.vt_filled) {
    transpose_range(w.vt.data(), w, qkv_b + 2 * w.C, 3 * w.C, w.vt_filled, hi);
    w.vt_filled = hi;
  }
}

// Blocks in order, K^T ready up to blk.hi when f(blk) runs. Queries that read
// every key (global tokens) are not blocks: they take the keys in chunks as
// the chunks become ready, while those keys are still in cache, through
// on_keys(from, to).
template <class F, class G>
void for_each_block_filled(SeqWork& w, const float* qkv_b, const AttentionSpec& spec, bool backward, F&& f,
                           G&& on_keys) {
  constexpr int kChunk = 64;
  int done = 0;
  for_each_block(spec.mask, w.N, [&](const Block& blk) {
    fill_transposes(w, qkv_b, spec, blk.hi, backward);
    if (w.kt_filled - done >= kChunk) {
      on_keys(done, w.kt_filled);
      done = w.kt_filled;
    }
    f(blk);
  });
  fill_transposes(w, qkv_b, spec, w.N, backward);
  if (done < w.N) on_keys(done, w.N);
}

// The queries that read every key, gathered: G rows, per head.
struct GlobalRows {
  std::vector<int> rows;          // [G] their positions
  std::vector<float> q;           // [H, G, d] their q (normalized if qk_norm)
  std::vector<float> m, z;        // [H, G] running max and denominator (forward)
  std::vector<float> acc;         // [H, G, d] running sum of p v (forward)
  std::vector<float> row_max;     // [H] largest logit seen (forward)
  std::vector<float> dO, dq;      // [H, G, d] (backward)
  std::vector<float> s, p, ds;    // [G, cols] one chunk
  int G() const { return static_cast<int>(rows.size()); }
};


// S[rows, L.cols()] = Q_blk · [K_A^T | K^T[:, lo:hi]] for head h (raw dot products, padded)
void block_scores(float* S, const SeqWork& w, const HeadView& view, const Block& blk, const Layout& L, int h) {
  const int d = w.d;
  const float* q = view.q + static_cast<size_t>(blk.i0) * view.q_stride;
  if (L.na > 0)
    gemm(S, L.cols(), q, view.q_stride, 1, w.kta.data() + static_cast<size_t>(h) * d * w.lda, w.lda, blk.rows,
         L.na_pad, d, false);
  if (L.range > 0)
    gemm(S + L.na_pad, L.cols(), q, view.q_stride, 1, w.kt.data() + static_cast<size_t>(h) * d * w.ldt + blk.lo,
         w.ldt, blk.rows, L.range_pad, d, false);
}

// Gathers the positions and q of the queries that read every key (and their
// dO when dout is given).
void setup_global_rows(GlobalRows& gr, const SeqWork& w, const float* qkv_b, const AttentionSpec& spec,
                       const float* dout_b) {
  gr.rows.clear();
  for (int i = 0; i < w.N; ++i)
    if (spec.mask.reads_all(i)) gr.rows.push_back(i);
  const int G = gr.G(), d = w.d;
  gr.q.resize(static_cast<size_t>(w.H) * G * d);
  if (dout_b) gr.dO.resize(gr.q.size());
  for (int h = 0; h < w.H; ++h) {
    const HeadView view = head_view(w, qkv_b, spec, h);
    for (int g = 0; g < G; ++g) {
      const size_t to = (static_cast<size_t>(h) * G + g) * d;
      std::copy_n(view.q + static_cast<size_t>(gr.rows[g]) * view.q_stride, d, &gr.q[to]);
      if (dout_b) std::copy_n(dout_b + static_cast<size_t>(gr.rows[g]) * w.C + h * d, d, &gr.dO[to]);
    }
  }
}

float extra_logit(const AttentionSpec& spec, const float* sink_logit, int h) {
  if (spec.sink_logit) return sink_logit[h];
  return spec.softmax1 ? 0.0f : kNegInf;
}

}  // namespace

// ---- the workspace -------------------------------------------------------------

struct AttentionWorkspace::Buffers {
  SeqWork seq;
  GlobalRows global;
};

AttentionWorkspace::AttentionWorkspace() : buffers(std::make_unique<Buffers>()) {}
AttentionWorkspace::AttentionWorkspace(const AttentionWorkspace&) : buffers(std::make_unique<Buffers>()) {}
AttentionWorkspace& AttentionWorkspace::operator=(const AttentionWorkspace&) { return *this; }
AttentionWorkspace::~AttentionWorkspace() = default;

// ---- attention_forward ---------------------------------------------------------

void attention_forward(float* out, float* lse, float* max_logit, AttentionWorkspace* work, const float* qkv,
                       const float* sink_logit, const AttentionSpec& spec, int B, int N) {
  const int C = spec.channels(), d = spec.head_dim, H = spec.heads;
  const float scale = spec.logit_scale();
  SeqWork& w = work->buffers->seq;
  GlobalRows& gr = work->buffers->global;
  if (max_logit) std::fill(max_logit, max_logit + H, kNegInf);
  for (int b = 0; b < B; ++b) {
    const float* qkv_b = qkv + static_cast<size_t>(b) * N * 3 * C;
    setup_sequence(w, qkv_b, spec, N, false);
    const int A = static_cast<int>(w.always.size());
    setup_global_rows(gr, w, qkv_b, spec, nullptr);
    const int G = gr.G();
    gr.m.assign(static_cast<size_t>(H) * G, kNegInf);
    gr.z.assign(static_cast<size_t>(H) * G, 0.0f);
    gr.acc.assign(static_cast<size_t>(H) * G * d, 0.0f);
    gr.row_max.assign(H, kNegInf);

    auto on_keys = [&](int from, int to) {  // online softmax over a chunk of keys
      if (G == 0) return;
      const int n = to - from, cols = round_up(n);
      gr.s.resize(static_cast<size_t>(G) * cols);
      for (int h = 0; h < H; ++h) {
        const HeadView view = head_view(w, qkv_b, spec, h);
        const float* qg = gr.q.data() + static_cast<size_t>(h) * G * d;
        float* acc = gr.acc.data() + static_cast<size_t>(h) * G * d;
        gemm(gr.s.data(), cols, qg, d, 1, w.kt.data() + static_cast<size_t>(h) * d * w.ldt + from, w.ldt, G, cols, d,
             false);
        for (int g = 0; g < G; ++g) {
          float* row = gr.s.data() + static_cast<size_t>(g) * cols;
          const float a = pre_softmax(row, scale, spec.softcap, cols);  // before masking: cap(-inf) = -cap
          std::fill(row + n, row + cols, kNegInf);  // padding (keys of the next chunk, or past N)
          float& m = gr.m[static_cast<size_t>(h) * G + g];
          float& z = gr.z[static_cast<size_t>(h) * G + g];
          float chunk_max;
          // Softmax of the chunk alone: row <- exp(s - c) / sum, lse_c = c + log(sum).
          const float lse_c = softmax_kernel{}(simd::arch{}, row, a, kNegInf, &chunk_max, cols);
          gr.row_max[h] = std::max(gr.row_max[h], chunk_max);
          // Merge with the running (m, z, acc): weights exp(lse_c - m') and z exp(m - m').
          const float m_new = std::max(m, lse_c);
          const float keep = m == kNegInf ? 0.0f : std::exp(m - m_new), take = std::exp(lse_c - m_new);
          z = z * keep + take;
          m = m_new;
          float* acc_g = acc + static_cast<size_t>(g) * d;
          for (int c = 0; c < d; ++c) acc_g[c] *= keep;
          for (int c = 0; c < cols; ++c) row[c] *= take;
          if (std::isnan(lse_c)) z = std::numeric_limits<float>::quiet_NaN();
        }
        gemm(acc, d, gr.s.data(), cols, 1, view.v + static_cast<size_t>(from) * view.v_stride, view.v_stride, G, d, n,
             true);
      }
    };

    for_each_block_filled(w, qkv_b, spec, false, [&](const Block& blk) {
      const Layout L = layout(blk, A);
      const int cols = L.cols();
      w.s.resize(static_cast<size_t>(blk.rows) * cols);
      for (int h = 0; h < H; ++h) {
        const HeadView view = head_view(w, qkv_b, spec, h);
        const float extra = extra_logit(spec, sink_logit, h);
        float* lse_h = lse + (static_cast<size_t>(b) * H + h) * N;
        block_scores(w.s.data(), w, view, blk, L, h);
        for (int r = 0; r < blk.rows; ++r) {
          float* row = w.s.data() + static_cast<size_t>(r) * cols;
          const float a = pre_softmax(row, scale, spec.softcap, cols);  // before masking: cap(-inf) = -cap
          mask_row(row, spec.mask, w.always, blk, L, blk.i0 + r, N);
          float key_max;
          lse_h[blk.i0 + r] = softmax_kernel{}(simd::arch{}, row, a, extra, &key_max, cols);
          if (max_logit) max_logit[h] = std::max(max_logit[h], key_max);
        }
        // O_blk = P_A · V_A + P_range · V[lo:hi]
        float* o = out + (static_cast<size_t>(b) * N + blk.i0) * C + h * d;
        gemm(o, C, w.s.data(), cols, 1, w.va.data() + static_cast<size_t>(h) * A * d, d, blk.rows, d, L.na, false);
        if (L.range > 0)
          gemm(o, C, w.s.data() + L.na_pad, cols, 1, view.v + static_cast<size_t>(blk.lo) * view.v_stride,
               view.v_stride, blk.rows, d, L.range, true);
      }
    }, on_keys);

    // The global rows: add the extra key to the denominator, normalize, store.
    for (int h = 0; h < H; ++h) {
      const float extra = extra_logit(spec, sink_logit, h);
      if (max_logit && G > 0) max_logit[h] = std::max(max_logit[h], gr.row_max[h]);
      for (int g = 0; g < G; ++g) {
        const int i = gr.rows[g];
        const float m = gr.m[static_cast<size_t>(h) * G + g];
        const float z = gr.z[static_cast<size_t>(h) * G + g];
        float l = m + std::log(z);
        if (extra != kNegInf) {  // log(exp(l) + exp(extra)), stably
          const float hi = std::max(l, extra);
          l = hi + std::log(std::exp(l - hi) + std::exp(extra - hi));
        }
        lse[(static_cast<size_t>(b) * H + h) * N + i] = l;
        const float norm = std::exp(m - l);  // acc holds sum exp(s - m) v; p = exp(s - l)
        const float* a = gr.acc.data() + (static_cast<size_t>(h) * G + g) * d;
        float* o = out + (static_cast<size_t>(b) * N + i) * C + h * d;
        for (int c = 0; c < d; ++c) o[c] = a[c] * norm;
      }
    }
  }
}

// ---- attention_backward ----------------------------------------------------------

void attention_backward(float* dqkv, float* dsink_logit, AttentionWorkspace* work, const float* dout,
                        const float* out, const float* lse, const float* qkv, const float* sink_logit,
                        const AttentionSpec& spec, int B, int N) {
  const int C = spec.channels(), d = spec.head_dim, H = spec.heads, C3 = 3 * C;
  const float scale = spec.logit_scale();
  SeqWork& w = work->buffers->seq;
  for (int b = 0; b < B; ++b) {
    const float* qkv_b = qkv + static_cast<size_t>(b) * N * C3;
    setup_sequence(w, qkv_b, spec, N, true);
    const int A = static_cast<int>(w.always.size());
    const float* dO_b = dout + static_cast<size_t>(b) * N * C;
    const float* O_b = out + static_cast<size_t>(b) * N * C;
    // out_i = sum_j p_ij v_j, so sum_j p_ij dp_ij = dO_i . out_i =: D_i
    w.dd.resize(static_cast<size_t>(H) * N);
    for (int h = 0; h < H; ++h)
      for (int i = 0; i < N; ++i) {
        const size_t o = static_cast<size_t>(i) * C + h * d;
        w.dd[static_cast<size_t>(h) * N + i] = dot(dO_b + o, O_b + o, d);
      }
    w.dq.assign(static_cast<size_t>(N) * C, 0.0f);
    w.dk.assign(static_cast<size_t>(N) * C, 0.0f);
    w.dv.assign(static_cast<size_t>(N) * C, 0.0f);
    w.dka.assign(static_cast<size_t>(H) * A * d, 0.0f);
    w.dva.assign(static_cast<size_t>(H) * A * d, 0.0f);
    GlobalRows& gr = work->buffers->global;
    setup_global_rows(gr, w, qkv_b, spec, dO_b);
    const int G = gr.G();
    gr.dq.assign(static_cast<size_t>(H) * G * d, 0.0f);

    auto on_keys = [&](int from, int to) {  // the global rows against a chunk of keys
      if (G == 0) return;
      const int n = to - from, cols = round_up(n);
      const size_t size = static_cast<size_t>(G) * cols;
      gr.s.resize(size);
      gr.p.resize(size);
      gr.ds.resize(size);
      for (int h = 0; h < H; ++h) {
        const HeadView view = head_view(w, qkv_b, spec, h);
        const float* lse_h = lse + (static_cast<size_t>(b) * H + h) * N;
        const float* qg = gr.q.data() + static_cast<size_t>(h) * G * d;
        const float* dOg = gr.dO.data() + static_cast<size_t>(h) * G * d;
        gemm(gr.s.data(), cols, qg, d, 1, w.kt.data() + static_cast<size_t>(h) * d * w.ldt + from, w.ldt, G, cols, d,
             false);
        for (int g = 0; g < G; ++g) {
          float* srow = gr.s.data() + static_cast<size_t>(g) * cols;
          float* prow = gr.p.data() + static_cast<size_t>(g) * cols;
          const float a = pre_softmax(srow, scale, spec.softcap, cols);
          std::fill(srow + n, srow + cols, kNegInf);
          std::copy(srow, srow + cols, prow);
          exp_shift_kernel{}(simd::arch{}, prow, a, lse_h[gr.rows[g]], cols);
        }
        // dV[from:to] += P^T · dO_g;  dP = dO_g · V^T[:, from:to]
        gemm(w.dv.data() + static_cast<size_t>(from) * C + h * d, C, gr.p.data(), 1, cols, dOg, d, n, d, G, true);
        gemm(gr.ds.data(), cols, dOg, d, 1, w.vt.data() + static_cast<size_t>(h) * d * w.ldt + from, w.ldt, G, cols,
             d, false);
        for (int g = 0; g < G; ++g) {
          const size_t off = static_cast<size_t>(g) * cols;
          softmax_grad_kernel{}(simd::arch{}, gr.ds.data() + off, gr.p.data() + off, gr.s.data() + off,
                                w.dd[static_cast<size_t>(h) * N + gr.rows[g]], scale, spec.softcap, cols);
        }
        // dQ_g += dS · K[from:to];  dK[from:to] += dS^T · Q_g
        gemm(gr.dq.data() + static_cast<size_t>(h) * G * d, d, gr.ds.data(), cols, 1,
             view.k + static_cast<size_t>(from) * view.k_stride, view.k_stride, G, d, n, true);
        gemm(w.dk.data() + static_cast<size_t>(from) * C + h * d, C, gr.ds.data(), 1, cols, qg, d, n, d, G, true);
      }
    };

    for_each_block_filled(w, qkv_b, spec, true, [&](const Block& blk) {
      const Layout L = layout(blk, A);
      const int cols = L.cols(), na = L.na, range = L.range;
      const size_t size = static_cast<size_t>(blk.rows) * cols;
      w.s.resize(size);
      w.p.resize(size);
      w.ds.resize(size);
      for (int h = 0; h < H; ++h) {
        const HeadView view = head_view(w, qkv_b, spec, h);
        const float extra = extra_logit(spec, sink_logit, h);
        const float* lse_h = lse + (static_cast<size_t>(b) * H + h) * N;
        const float* dd_h = w.dd.data() + static_cast<size_t>(h) * N;
        // Recompute s and p = exp(s - lse) exactly as the forward did.
        block_scores(w.s.data(), w, view, blk, L, h);
        for (int r = 0; r < blk.rows; ++r) {
          float* srow = w.s.data() + static_cast<size_t>(r) * cols;
          float* prow = w.p.data() + static_cast<size_t>(r) * cols;
          const float a = pre_softmax(srow, scale, spec.softcap, cols);
          mask_row(srow, spec.mask, w.always, blk, L, blk.i0 + r, N);
          std::copy(srow, srow + cols, prow);
          exp_shift_kernel{}(simd::arch{}, prow, a, lse_h[blk.i0 + r], cols);
        }
        const float* dO_blk = dO_b + static_cast<size_t>(blk.i0) * C + h * d;
        const float* q_blk = view.q + static_cast<size_t>(blk.i0) * view.q_stride;
        float* dva_h = w.dva.data() + static_cast<size_t>(h) * A * d;
        float* dka_h = w.dka.data() + static_cast<size_t>(h) * A * d;
        // out = P V  ->  dV += P^T · dO_blk
        if (na > 0) gemm(dva_h, d, w.p.data(), 1, cols, dO_blk, C, na, d, blk.rows, true);
        if (range > 0)
          gemm(w.dv.data() + static_cast<size_t>(blk.lo) * C + h * d, C, w.p.data() + L.na_pad, 1, cols, dO_blk, C,
               range, d, blk.rows, true);
        // dP = dO_blk · [V_A^T | V^T[:, lo:hi]]
        float* dp = w.ds.data();
        if (na > 0)
          gemm(dp, cols, dO_blk, C, 1, w.vta.data() + static_cast<size_t>(h) * d * w.lda, w.lda, blk.rows, L.na_pad,
               d, false);
        if (range > 0)
          gemm(dp + L.na_pad, cols, dO_blk, C, 1, w.vt.data() + static_cast<size_t>(h) * d * w.ldt + blk.lo, w.ldt,
               blk.rows, L.range_pad, d, false);
        // p = softmax(s)  ->  dS = P (dP - D) [* (1 - (s/cap)^2)] * scale, the gradient of q.k
        for (int r = 0; r < blk.rows; ++r) {
          const int i = blk.i0 + r;
          const size_t off = static_cast<size_t>(r) * cols;
          softmax_grad_kernel{}(simd::arch{}, dp + off, w.p.data() + off, w.s.data() + off, dd_h[i], scale,
                                spec.softcap, cols);
          // p_extra = exp(extra - lse)  ->  d extra += p_extra * (0 - D)
          if (extra != kNegInf && dsink_logit && spec.sink_logit) dsink_logit[h] -= std::exp(extra - lse_h[i]) * dd_h[i];
        }
        // r = q . k  ->  dQ_blk += dS · [K_A; K[lo:hi]],  dK += dS^T · Q_blk
        float* dq = w.dq.data() + static_cast<size_t>(blk.i0) * C + h * d;
        if (na > 0) gemm(dq, C, dp, cols, 1, w.ka.data() + static_cast<size_t>(h) * A * d, d, blk.rows, d, na, true);
        if (range > 0)
          gemm(dq, C, dp + L.na_pad, cols, 1, view.k + static_cast<size_t>(blk.lo) * view.k_stride, view.k_stride,
               blk.rows, d, range, true);
        if (na > 0) gemm(dka_h, d, dp, 1, cols, q_blk, view.q_stride, na, d, blk.rows, true);
        if (range > 0)
          gemm(w.dk.data() + static_cast<size_t>(blk.lo) * C + h * d, C, dp + L.na_pad, 1, cols, q_blk,
               view.q_stride, range, d, blk.rows, true);
      }
    }, on_keys);

    for (int h = 0; h < H; ++h)
      for (int g = 0; g < G; ++g) {
        const int i = gr.rows[g];
        const float* src = gr.dq.data() + (static_cast<size_t>(h) * G + g) * d;
        float* dst = w.dq.data() + static_cast<size_t>(i) * C + h * d;
        for (int c = 0; c < d; ++c) dst[c] += src[c];
        // p_extra = exp(extra - lse)  ->  d extra += p_extra * (0 - D)
        const float extra = extra_logit(spec, sink_logit, h);
        if (extra != kNegInf && dsink_logit && spec.sink_logit)
          dsink_logit[h] -= std::exp(extra - lse[(static_cast<size_t>(b) * H + h) * N + i]) * w.dd[static_cast<size_t>(h) * N + i];
      }
    for (int h = 0; h < H; ++h)
      for (int a = 0; a < A; ++a)
        for (int c = 0; c < d; ++c) {
          const size_t to = static_cast<size_t>(w.always[a]) * C + h * d + c, from = (static_cast<size_t>(h) * A + a) * d + c;
          w.dk[to] += w.dka[from];
          w.dv[to] += w.dva[from];
        }
    // Into dqkv; with QK-norm, x_hat = x * inv -> dx = inv * (dx_hat - x_hat * mean(dx_hat . x_hat))
    float* dbase = dqkv + static_cast<size_t>(b) * N * C3;
    for (int i = 0; i < N; ++i)
      for (int h = 0; h < H; ++h) {
        const size_t g = static_cast<size_t>(i) * C + h * d;
        float* dq = dbase + static_cast<size_t>(i) * C3 + h * d;
        float* dk = dq + C;
        float* dvv = dq + 2 * C;
        if (spec.qk_norm) {
          const float* qh = w.qn.data() + g;
          const float* kh = w.kn.data() + g;
          const float mq = dot(&w.dq[g], qh, d) / d, mk = dot(&w.dk[g], kh, d) / d;
          const float qi = w.q_inv[static_cast<size_t>(i) * H + h], ki = w.k_inv[static_cast<size_t>(i) * H + h];
          for (int c = 0; c < d; ++c) {
            dq[c] += qi * (w.dq[g + c] - qh[c] * mq);
            dk[c] += ki * (w.dk[g + c] - kh[c] * mk);
          }
        } else {
          for (int c = 0; c < d; ++c) {
            dq[c] += w.dq[g + c];
            dk[c] += w.dk[g + c];
          }
        }
        for (int c = 0; c < d; ++c) dvv[c] += w.dv[g + c];
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
