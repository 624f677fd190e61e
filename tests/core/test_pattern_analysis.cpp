// Receptive fields, reach and cost of attention patterns: hand-computed
// answers for windows, globals, sinks and registers, and agreement with brute
// force over every pair (the layer-by-layer definition) for many masks.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "core/kernels/attention.h"
#include "core/patterns/pattern_analysis.h"
#include "pattern_masks.h"

namespace attnlab {
namespace {

using testing::many_masks;

AttentionMask window_mask(bool causal, int window) {
  AttentionMask m;
  m.causal = causal;
  m.window = window;
  return m;
}

int ceil_div(int a, int b) { return (a + b - 1) / b; }

// The definition, over every pair: after layer l, i holds the information if
// some j holding it after layer l - 1 is visible to i. Returns the first layer
// each position holds it (kUnreachable if it never does).
std::vector<int> brute_force_layers(const AttentionMask& m, int N, int source) {
  std::vector<int> first(N, kUnreachable);
  std::vector<char> holds(N, 0);
  holds[source] = 1;
  first[source] = 0;
  for (int layer = 1; layer <= N; ++layer) {
    std::vector<char> next(N, 0);
    bool grew = false;
    for (int i = 0; i < N; ++i)
      for (int j = 0; j < N && !next[i]; ++j) next[i] = holds[j] && m.visible(i, j);
    for (int i = 0; i < N; ++i)
      if (next[i] && first[i] == kUnreachable) first[i] = layer, grew = true;
    holds = next;
    if (!grew) break;
  }
  return first;
}

long long brute_force_pairs(const AttentionMask& m, int N) {
  long long n = 0;
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) n += m.visible(i, j);
  return n;
}

// ---- hand-computed answers -----------------------------------------------------------

TEST(Reach, BidirectionalWindowMovesWPositionsPerLayer) {
  for (int n : {16, 100, 257})
    for (int w : {1, 3, 8}) {
      const AttentionMask m = window_mask(false, w);
      EXPECT_EQ(reach_layers(m, n, 0, n - 1), ceil_div(n - 1, w)) << "n " << n << " w " << w;
      EXPECT_EQ(reach_layers(m, n, n - 1, 0), ceil_div(n - 1, w)) << "backwards too";
      const ReceptiveField f = receptive_field(m, n, 0, 4);
      for (int l = 0; l <= 4; ++l)
        EXPECT_EQ(f.layers[l], (std::vector<PositionRange>{{0, std::min(n, l * w + 1)}})) << "layer " << l;
      // From the middle the field grows both ways.
      const int s = n / 2;
      const ReceptiveField g = receptive_field(m, n, s, 2);
      EXPECT_EQ(g.layers[2], (std::vector<PositionRange>{{std::max(0, s - 2 * w), std::min(n, s + 2 * w + 1)}}));
    }
}

TEST(Reach, CausalWindowReachesOnlyForward) {
  const int n = 64, w = 4;
  const AttentionMask m = window_mask(true, w);
  EXPECT_EQ(reach_layers(m, n, 0, n - 1), ceil_div(n - 1, w));
  EXPECT_EQ(reach_layers(m, n, n - 1, 0), kUnreachable);
  EXPECT_EQ(reach_layers(m, n, 10, 9), kUnreachable);
  const ReceptiveField f = receptive_field(m, n, 10, 3);
  EXPECT_EQ(f.layers[3], (std::vector<PositionRange>{{10, 10 + 3 * w + 1}}));
  // Full causal attention: any later token in one layer, never an earlier one.
  const AttentionMask full = window_mask(true, -1);
  EXPECT_EQ(reach_layers(full, n, 0, n - 1), 1);
  EXPECT_EQ(reach_layers(full, n, 5, 4), kUnreachable);
  EXPECT_EQ(reach_layers(full, n, 7, 7), 0);
}

TEST(Reach, ExactFarBeyondAnyCap) {
  // No cap on the number of layers: a window of 1 over 8192 positions.
  const int n = 8192;
  EXPECT_EQ(reach_layers(window_mask(false, 1), n, 0, n - 1), n - 1);
  EXPECT_EQ(reach_layers(window_mask(true, 2), n, 0, n - 1), ceil_div(n - 1, 2));
}

TEST(Reach, OneGlobalTokenConnectsAnyPairWithinTwoLayers) {
  for (bool causal : {true, false}) {
    AttentionMask m = window_mask(causal, 1);
    m.extra_globals = 1;
    const int N = 120;  // the global at position 0, then 119 tokens
    for (int a = 1; a < N; a += 7)
      for (int b = 1; b < N; b += 5) {
        const int layers = reach_layers(m, N, a, b);
        EXPECT_GE(layers, 0);
        EXPECT_LE(layers, 2) << (causal ? "causal " : "bidirectional ") << a << " -> " << b;
      }
    EXPECT_EQ(reach_layers(m, N, 1, 0), 1);       // token -> global
    EXPECT_EQ(reach_layers(m, N, 0, N - 1), 1);   // global -> token
    EXPECT_EQ(reach_layers(m, N, 1, N - 1), 2);   // through the global
    EXPECT_EQ(reach_layers(m, N, N - 1, 1), 2);   // backwards too, even causal
    const ReceptiveField f = receptive_field(m, N, 1, 2);
    EXPECT_EQ(f.count(2), N);
  }
  // A designated global position does the same from inside the sequence.
  AttentionMask d = window_mask(true, 2);
  d.global_positions.push_back(50);
  EXPECT_EQ(reach_layers(d, 100, 0, 99), 2);
  EXPECT_EQ(reach_layers(d, 100, 99, 0), 2);
}

TEST(Reach, SinksAreReadByEveryLaterToken) {
  AttentionMask m = window_mask(true, 2);
  m.sinks = 1;
  const int N = 64;
  EXPECT_EQ(reach_layers(m, N, 0, N - 1), 1);  // the sink's information is everywhere after one layer
  EXPECT_EQ(reach_layers(m, N, 10, N - 1), ceil_div(N - 1 - 10, 2));  // a sink does not carry others' information
  EXPECT_EQ(reach_layers(m, N, 10, 0), kUnreachable);  // a causal sink sees only its window
  // Bidirectional: every token reads the sink, but the sink reads only its window.
  AttentionMask b = window_mask(false, 2);
  b.sinks = 1;
  EXPECT_EQ(reach_layers(b, N, 0, N - 1), 1);
  EXPECT_EQ(reach_layers(b, N, 2, N - 1), 2);   // 2 -> sink 0 (window) -> everyone
  EXPECT_EQ(reach_layers(b, N, 10, N - 1), 6);  // 5 layers through the window to the sink, then 1 to all
}

TEST(Reach, RegistersInCausalModels) {
  AttentionMask m = window_mask(true, 1);
  m.registers = 2;  // registers at 0, 1; tokens from 2
  const int N = 40;
  EXPECT_EQ(reach_layers(m, N, 0, N - 1), 1);             // every query reads the registers
  EXPECT_EQ(reach_layers(m, N, 0, 1), 1);                 // a later register reads an earlier one
  EXPECT_EQ(reach_layers(m, N, 1, 0), kUnreachable);      // but not a later one
  EXPECT_EQ(reach_layers(m, N, 2, 0), kUnreachable);      // and a causal register reads no token
  EXPECT_EQ(reach_layers(m, N, 2, N - 1), N - 1 - 2);     // so tokens still need the window
  // Bidirectional registers read every key: like global tokens, 2 layers.
  m.causal = false;
  EXPECT_EQ(reach_layers(m, N, 2, 0), 1);
  EXPECT_EQ(reach_layers(m, N, 2, N - 1), 2);
}

// ---- agreement with brute force ---------------------------------------------------------

TEST(Reach, InformationLayersMatchTheLayerByLayerDefinition) {
  for (int N : {9, 23})
    for (const auto& c : many_masks(9)) {
      ASSERT_TRUE(c.mask.validate(N).empty()) << c.name;
      for (int s = 0; s < N; ++s)
        ASSERT_EQ(information_layers(c.mask, N, s), brute_force_layers(c.mask, N, s)) << c.name << " N " << N << " source " << s;
    }
}

TEST(ReceptiveField, MatchesTheDefinitionLayerByLayer) {
  const int N = 31, L = 5;
  for (const auto& c : many_masks(9))
    for (int s : {0, 3, 4, 15, N - 1}) {
      const ReceptiveField f = receptive_field(c.mask, N, s, L);
      ASSERT_EQ(f.num_layers(), L);
      const std::vector<int> first = brute_force_layers(c.mask, N, s);
      for (int l = 0; l <= L; ++l) {
        int count = 0;
        for (int i = 0; i < N; ++i) {
          const bool expected = first[i] != kUnreachable && first[i] <= l;
          ASSERT_EQ(f.holds(l, i), expected) << c.name << " source " << s << " layer " << l << " position " << i;
          count += expected;
        }
        EXPECT_EQ(f.count(l), count);
        // Ranges: sorted, non-empty, neither overlapping nor touching.
        for (size_t k = 0; k < f.layers[l].size(); ++k) {
          EXPECT_LT(f.layers[l][k].begin, f.layers[l][k].end);
          if (k > 0) {
            EXPECT_LT(f.layers[l][k - 1].end, f.layers[l][k].begin);
          }
        }
      }
    }
}

// ---- cost ---------------------------------------------------------------------------------

TEST(Cost, PairsAgreeWithBruteForceAndTheMask) {
  for (int N : {9, 16, 40})
    for (const auto& c : many_masks(9)) {
      const long long brute = brute_force_pairs(c.mask, N);
      EXPECT_EQ(pairs_scored(c.mask, N), brute) << c.name << " N " << N;
      EXPECT_EQ(c.mask.pairs(N), brute) << c.name << " N " << N;
    }
}

TEST(Cost, AgainstFullAttention) {
  const AttentionMask causal_full = window_mask(true, -1), full = window_mask(false, -1);
  EXPECT_EQ(pattern_cost(causal_full, 100, 64).full_pairs, 100 * 101 / 2);
  EXPECT_EQ(pattern_cost(full, 100, 64).full_pairs, 100 * 100);
  EXPECT_DOUBLE_EQ(pattern_cost(causal_full, 100, 64).share, 1.0);
  EXPECT_DOUBLE_EQ(pattern_cost(full, 100, 64).share, 1.0);

  // Bidirectional window 4, one extra global, N = 1 + 1000: each token sees
  // 2w + 1 neighbours (fewer at the ends) and the global; the global sees all.
  AttentionMask m = window_mask(false, 4);
  m.extra_globals = 1;
  const int T = 1000, N = T + 1;
  long long band = 0;
  for (int t = 0; t < T; ++t) band += std::min(T - 1, t + 4) - std::max(0, t - 4) + 1;
  const PatternCost c = pattern_cost(m, N, 64);
  EXPECT_EQ(c.pairs, band + T + N);
  EXPECT_EQ(c.full_pairs, static_cast<long long>(N) * N);
  EXPECT_DOUBLE_EQ(c.flops, 4.0 * 64 * c.pairs);

  // The FLOPs are attention_forward_flops' for one head and one sequence.
  AttentionSpec spec;
  spec.heads = 1;
  spec.head_dim = 32;
  spec.mask = m;
  EXPECT_DOUBLE_EQ(pattern_cost(m, 300, 32).flops, attention_forward_flops(spec, 1, 300));
}

TEST(Cost, CurveGrowsLinearlyForWindowsAndQuadraticallyForFullAttention) {
  AttentionMask m = window_mask(true, 16);
  m.extra_globals = 4;
  std::vector<int> lengths;
  for (int N = 64; N <= 8192; N *= 2) lengths.push_back(N);
  const std::vector<PatternCost> curve = pattern_cost_curve(m, lengths, 64);
  ASSERT_EQ(curve.size(), lengths.size());
  for (size_t k = 0; k < curve.size(); ++k) EXPECT_EQ(curve[k].pairs, m.pairs(lengths[k]));
  EXPECT_NEAR(static_cast<double>(curve.back().pairs) / curve[curve.size() - 2].pairs, 2.0, 0.02);
  EXPECT_NEAR(static_cast<double>(curve.back().full_pairs) / curve[curve.size() - 2].full_pairs, 4.0, 0.01);
  EXPECT_LT(curve.back().share, 0.01);  // about 21 keys per query of 4096 on average
}

}  // namespace
}  // namespace attnlab
