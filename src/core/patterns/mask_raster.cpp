#include "core/patterns/mask_raster.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace attnlab {

PairKind pair_kind(const AttentionMask& mask, int i, int j) {
  if (mask.is_global(j) || mask.is_global(i)) return PairKind::Global;  // rules 1, 2
  if (mask.is_register(j))                                             // rule 3
    return mask.causal && mask.is_register(i) && j > i ? PairKind::Masked : PairKind::Register;
  if (mask.is_register(i)) return mask.causal ? PairKind::Masked : PairKind::Register;  // rule 4
  if (mask.causal && j > i) return PairKind::Masked;                                    // rule 5
  if (j < mask.prefix() + mask.sinks) return PairKind::Sink;                            // rule 6
  return mask.window < 0 || std::abs(i - j) <= mask.window ? PairKind::Ordinary : PairKind::Masked;  // rule 7
}

std::string explain_pair(const AttentionMask& mask, int i, int j) {
  const std::string d = std::to_string(std::abs(i - j)), w = std::to_string(mask.window);
  if (mask.is_global(j)) return "Scored: the key is a global token, which every query sees.";
  if (mask.is_global(i)) return "Scored: the query is a global token, which sees every key.";
  if (mask.is_register(j)) {
    if (mask.causal && mask.is_register(i) && j > i)
      return "Not scored: in a causal model a register sees only the registers before it.";
    return "Scored: the key is a register token, which every query sees.";
  }
  if (mask.is_register(i)) {
    if (mask.causal)
      return "Not scored: in a causal model a register sees only the global tokens and the registers up to itself.";
    return "Scored: in a bidirectional model a register sees every key.";
  }
  if (mask.causal && j > i) return "Not scored: causal attention, and the key comes after the query.";
  if (j < mask.prefix() + mask.sinks)
    return mask.causal ? "Scored: the key is a sink, which every later token sees."
                       : "Scored: the key is a sink, which every token sees.";
  if (mask.window < 0)
    return mask.causal ? "Scored: full causal attention (the key is not after the query)."
                       : "Scored: full attention, every pair is scored.";
  if (std::abs(i - j) <= mask.window) return "Scored: inside the window, |i - j| = " + d + " <= w = " + w + ".";
  return "Not scored: outside the window, |i - j| = " + d + " > w = " + w + ".";
}

CellSpan pixel_cells(double origin, double per_pixel, int pixel, int N) {
  const double a = std::floor(origin + pixel * per_pixel), b = std::floor(origin + (pixel + 1) * per_pixel);
  CellSpan s;
  s.begin = static_cast<int>(std::clamp(a, 0.0, static_cast<double>(N)));
  s.end = std::clamp(std::max(s.begin + 1, static_cast<int>(std::min(b, static_cast<double>(N)))), s.begin, N);
  return s;
}

// Per row of pixels (queries [qa, qb)): the union over those queries of the
// keys they see, as a few ranges of one kind each (the same case analysis as
// pair_kind(); the ranges of consecutive queries overlap, so each union is
// one range), then each range raises the kind of the columns it touches.
std::vector<PairKind> rasterize_mask(const AttentionMask& mask, int N, double query0, double key0,
                                     double per_pixel, int width, int height) {
  std::vector<PairKind> out(static_cast<size_t>(width) * height, PairKind::Masked);
  std::vector<int> col_begin(width), col_end(width);  // both nondecreasing
  for (int x = 0; x < width; ++x) {
    const CellSpan s = pixel_cells(key0, per_pixel, x, N);
    col_begin[x] = s.begin;
    col_end[x] = s.end;
  }
  std::vector<int> designated = mask.global_positions;
  std::sort(designated.begin(), designated.end());
  const int E = mask.extra_globals, P = mask.prefix(), S = std::min(N, P + mask.sinks), w = mask.window;

  for (int y = 0; y < height; ++y) {
    const CellSpan q = pixel_cells(query0, per_pixel, y, N);
    if (q.begin >= q.end) continue;
    PairKind* row = &out[static_cast<size_t>(y) * width];
    auto mark = [&](int a, int b, PairKind kind) {
      a = std::max(a, 0);
      b = std::min(b, N);
      if (a >= b) return;
      const int c0 = static_cast<int>(std::upper_bound(col_end.begin(), col_end.end(), a) - col_end.begin());
      const int c1 = static_cast<int>(std::lower_bound(col_begin.begin(), col_begin.end(), b) - col_begin.begin());
      for (int c = c0; c < c1; ++c) row[c] = std::max(row[c], kind);
    };
    const auto g = std::lower_bound(designated.begin(), designated.end(), q.begin);
    if (q.begin < E || (g != designated.end() && *g < q.end)) {  // a global query sees every key
      mark(0, N, PairKind::Global);
      continue;
    }
    mark(0, E, PairKind::Global);
    for (int p : designated) mark(p, p + 1, PairKind::Global);
    const int reg_end = std::min(q.end, P);
    if (std::max(q.begin, E) < reg_end) {  // register queries
      if (mask.causal) mark(E, reg_end, PairKind::Register);
      else mark(0, N, PairKind::Register);
    }
    const int oa = std::max(q.begin, P), ob = q.end;
    if (oa < ob) {  // ordinary queries
      mark(E, P, PairKind::Register);
      mark(P, mask.causal ? std::min(S, ob) : S, PairKind::Sink);
      if (w < 0) mark(S, mask.causal ? ob : N, PairKind::Ordinary);
      else mark(std::max(S, oa - w), mask.causal ? ob : ob + w, PairKind::Ordinary);
    }
  }
  return out;
}

}  // namespace attnlab
