// Index
//   - information_layers()   breadth-first search over the readers of each key
//   - receptive fields       ranges per layer from the distances
//   - cost                   pairs scored, FLOPs, against full attention
#include "core/patterns/pattern_analysis.h"

#include <algorithm>
#include <numeric>

namespace attnlab {

// ---- information_layers() ----------------------------------------------------------
//
// The readers of key j (the queries i with visible(i, j)), from the mask's
// rules (attention_mask.h), with P = prefix() and S = P + sinks:
//   - j global:    every query;
//   - j register:  the extra globals [0, E), and [E, N) bidirectionally or
//                  [j, N) causally (a causal register sees only earlier ones);
//   - j ordinary:  every global query; every register if bidirectional;
//                  ordinary queries in [j, ...) causally or [..., ...) around j:
//                  all of them for a sink or without a window, else |i - j| <= w.
// Global queries read every key, so they are reached at the first step.
// Each range is walked over its unreached positions only, found through a
// "next unreached position" union-find, so the search is O(N) overall.

std::vector<int> information_layers(const AttentionMask& mask, int N, int source) {
  std::vector<int> layers(N, kUnreachable);
  std::vector<char> global(N, 0);
  for (int p = 0; p < std::min(N, mask.extra_globals); ++p) global[p] = 1;
  for (int p : mask.global_positions) global[p] = 1;
  const int E = mask.extra_globals, P = mask.prefix(), S = std::min(N, P + mask.sinks);
  const int w = mask.window;

  std::vector<int> next(N + 1);  // next[i]: a position <= the first unreached one >= i
  std::iota(next.begin(), next.end(), 0);
  auto first_unreached = [&](int i) {
    while (next[i] != i) {
      next[i] = next[next[i]];  // path halving
      i = next[i];
    }
    return i;
  };
  std::vector<int> queue;
  queue.reserve(N);
  auto reach = [&](int i, int l) {
    layers[i] = l;
    next[i] = i + 1;
    queue.push_back(i);
  };
  auto reach_range = [&](int lo, int hi, int l) {
    hi = std::min(hi, N);
    for (int i = first_unreached(std::max(lo, 0)); i < hi; i = first_unreached(i + 1)) reach(i, l);
  };

  reach(source, 0);
  for (size_t head = 0; head < queue.size(); ++head) {
    const int j = queue[head], l = layers[j] + 1;
    if (head == 0) {  // the global queries read the source
      reach_range(0, E, l);
      for (int p : mask.global_positions)
        if (layers[p] == kUnreachable) reach(p, l);
    }
    if (global[j]) {
      reach_range(0, N, l);
    } else if (mask.is_register(j)) {
      reach_range(0, E, l);
      reach_range(mask.causal ? j : E, N, l);
    } else {
      if (!mask.causal) reach_range(E, P, l);
      const bool everyone = j < S || w < 0;  // a sink, or no window
      const int lo = mask.causal ? j : (everyone ? P : std::max(P, j - w));
      const int hi = everyone ? N : j + w + 1;
      reach_range(lo, hi, l);
    }
  }
  return layers;
}

int reach_layers(const AttentionMask& mask, int N, int a, int b) { return information_layers(mask, N, a)[b]; }

// ---- receptive fields ------------------------------------------------------------------

bool ReceptiveField::holds(int layer, int position) const {
  const std::vector<PositionRange>& r = layers[layer];
  auto it = std::upper_bound(r.begin(), r.end(), position,
                             [](int p, const PositionRange& range) { return p < range.end; });
  return it != r.end() && it->begin <= position;
}

int ReceptiveField::count(int layer) const {
  int total = 0;
  for (const PositionRange& r : layers[layer]) total += r.end - r.begin;
  return total;
}

ReceptiveField receptive_field_from_layers(const std::vector<int>& layers_to, int source, int L) {
  ReceptiveField field;
  field.source = source;
  field.N = static_cast<int>(layers_to.size());
  field.layers.resize(L + 1);
  for (int l = 0; l <= L; ++l) {
    std::vector<PositionRange>& ranges = field.layers[l];
    for (int i = 0; i < field.N; ++i) {
      const bool holds = layers_to[i] != kUnreachable && layers_to[i] <= l;
      if (!holds) continue;
      if (!ranges.empty() && ranges.back().end == i) ranges.back().end = i + 1;
      else ranges.push_back({i, i + 1});
    }
  }
  return field;
}

ReceptiveField receptive_field(const AttentionMask& mask, int N, int source, int L) {
  return receptive_field_from_layers(information_layers(mask, N, source), source, L);
}

// ---- cost ---------------------------------------------------------------------------------

long long pairs_scored(const AttentionMask& mask, int N) {
  // The same enumeration as AttentionMask::pairs(): the always keys each query
  // sees, plus its ordinary range minus the always keys inside it. The always
  // keys a query sees are counted by kind (globals, registers, sinks,
  // designated globals) in O(1), so with 64 of each a curve stays cheap.
  const std::vector<int> always = mask.always_keys(N);
  std::vector<int> always_before(N + 1, 0);  // always keys in [0, j)
  for (int j : always) always_before[j + 1] = 1;
  std::partial_sum(always_before.begin(), always_before.end(), always_before.begin());
  std::vector<int> designated = mask.global_positions;  // all in [P, N)
  std::sort(designated.begin(), designated.end());
  designated.erase(std::unique(designated.begin(), designated.end()), designated.end());
  const int E = mask.extra_globals, P = mask.prefix(), S = std::min(N, P + mask.sinks);
  const int D = static_cast<int>(designated.size());
  // Designated globals that are also sinks, after position i: a causal query i
  // sees them as globals though not as sinks.
  auto designated_sinks_after = [&](int i) {
    return static_cast<int>(std::lower_bound(designated.begin(), designated.end(), S) -
                            std::upper_bound(designated.begin(), designated.end(), i));
  };
  const int designated_past_sinks = static_cast<int>(designated.end() - std::lower_bound(designated.begin(), designated.end(), S));
  long long total = 0;
  for (int i = 0; i < N; ++i) {
    if (mask.reads_all(i)) {
      total += N;
      continue;
    }
    if (mask.is_register(i)) {  // causal register: the globals and the registers up to itself
      total += E + (i - E + 1) + D;
      continue;
    }
    const int sinks_seen = mask.causal ? std::max(0, std::min(S, i + 1) - P) : S - P;
    total += E + (P - E) + sinks_seen + designated_past_sinks + (mask.causal ? std::max(0, designated_sinks_after(i)) : 0);
    int lo, hi;
    mask.ordinary_range(i, N, &lo, &hi);
    if (hi > lo) total += (hi - lo) - (always_before[hi] - always_before[lo]);
  }
  return total;
}

PatternCost pattern_cost(const AttentionMask& mask, int N, int head_dim) {
  PatternCost c;
  c.N = N;
  c.pairs = pairs_scored(mask, N);
  c.full_pairs = mask.full_pairs(N);
  c.share = c.full_pairs > 0 ? static_cast<double>(c.pairs) / static_cast<double>(c.full_pairs) : 0.0;
  // As attention_forward_flops() (kernels/attention.h) counts them: q.k and p.v.
  c.flops = 4.0 * head_dim * static_cast<double>(c.pairs);
  c.full_flops = 4.0 * head_dim * static_cast<double>(c.full_pairs);
  return c;
}

std::vector<PatternCost> pattern_cost_curve(const AttentionMask& mask, const std::vector<int>& lengths,
                                            int head_dim) {
  std::vector<PatternCost> curve;
  curve.reserve(lengths.size());
  for (int N : lengths) curve.push_back(pattern_cost(mask, N, head_dim));
  return curve;
}

}  // namespace attnlab
