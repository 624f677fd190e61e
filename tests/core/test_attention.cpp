// Masked multi-head attention: every variant and combination, SIMD against
// the scalar reference (forward and backward), central-difference gradient
// checks, the mask's properties, and numerical safety.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/kernels/attention.h"
#include "core/kernels/finite.h"
#include "core/kernels/ref/attention_ref.h"
#include "testing.h"

namespace attnlab {
namespace {

using testing::all_close;
using testing::random_vector;

struct Variant {
  std::string name;
  AttentionSpec spec;  // heads and head_dim are set per test
};

AttentionSpec make(bool causal, int window) {
  AttentionSpec s;
  s.mask.causal = causal;
  s.mask.window = window;
  return s;
}

// Every variant of attention.h, and combinations of them. Positions assume N >= 9.
std::vector<Variant> variants() {
  std::vector<Variant> v;
  v.push_back({"full_causal", make(true, -1)});
  v.push_back({"full_bidirectional", make(false, -1)});
  v.push_back({"window2_causal", make(true, 2)});
  v.push_back({"window3_bidirectional", make(false, 3)});
  {
    AttentionSpec s = make(false, 2);
    s.mask.global_positions = {1, 8};
    v.push_back({"designated_globals_window2", s});
  }
  {
    AttentionSpec s = make(true, 2);
    s.mask.extra_globals = 2;
    v.push_back({"extra_globals2_window2_causal", s});
  }
  {
    AttentionSpec s = make(true, 2);
    s.mask.sinks = 2;
    v.push_back({"sinks2_window2_causal", s});
  }
  {
    AttentionSpec s = make(true, 3);
    s.mask.registers = 2;
    v.push_back({"registers2_window3_causal", s});
  }
  {
    AttentionSpec s = make(false, -1);
    s.mask.registers = 2;
    v.push_back({"registers2_bidirectional", s});
  }
  {
    AttentionSpec s = make(true, -1);
    s.sink_logit = true;
    v.push_back({"learnable_sink_logit", s});
  }
  {
    AttentionSpec s = make(true, -1);
    s.softmax1 = true;
    v.push_back({"softmax1", s});
  }
  {
    AttentionSpec s = make(true, -1);
    s.scale = 0.7f;
    v.push_back({"logit_scale", s});
  }
  {
    AttentionSpec s = make(false, -1);
    s.scale = 2.0f;
    s.softcap = 1.5f;
    v.push_back({"softcap", s});
  }
  {
    AttentionSpec s = make(true, -1);
    s.qk_norm = true;
    v.push_back({"qk_norm", s});
  }
  {
    AttentionSpec s = make(true, 3);
    s.mask.extra_globals = 2;
    s.softmax1 = true;
    v.push_back({"window3_globals2_softmax1", s});
  }
  {
    AttentionSpec s = make(false, 2);
    s.mask.extra_globals = 1;
    s.mask.registers = 1;
    s.mask.sinks = 1;
    s.mask.global_positions = {6};
    s.sink_logit = true;
    s.softcap = 3.0f;
    s.qk_norm = true;
    v.push_back({"everything_bidirectional", s});
  }
  {
    AttentionSpec s = make(true, 1);
    s.mask.registers = 2;
    s.mask.sinks = 1;
    s.mask.global_positions = {5};
    s.sink_logit = true;
    s.scale = 0.5f;
    v.push_back({"everything_causal", s});
  }
  return v;
}

struct Inputs {
  std::vector<float> qkv, sink, dout;
};

Inputs inputs(const AttentionSpec& spec, int B, int N, unsigned seed, double qk_scale = 1.0) {
  const int C = spec.channels();
  Inputs in;
  in.qkv = random_vector(static_cast<size_t>(B) * N * 3 * C, seed, qk_scale);
  in.sink = random_vector(spec.heads, seed + 1);
  in.dout = random_vector(static_cast<size_t>(B) * N * C, seed + 2);
  return in;
}

struct Outputs {
  std::vector<float> out, lse, max_logit, dqkv, dsink;
};

Outputs run_simd(const AttentionSpec& spec, const Inputs& in, int B, int N) {
  const int C = spec.channels(), H = spec.heads;
  Outputs o;
  o.out.assign(static_cast<size_t>(B) * N * C, 0.0f);
  o.lse.assign(static_cast<size_t>(B) * H * N, 0.0f);
  o.max_logit.assign(H, 0.0f);
  o.dqkv.assign(in.qkv.size(), 0.5f);  // backward accumulates: start from a known value
  o.dsink.assign(H, 0.25f);
  AttentionWorkspace work;
  attention_forward(o.out.data(), o.lse.data(), o.max_logit.data(), &work, in.qkv.data(), in.sink.data(), spec, B, N);
  attention_backward(o.dqkv.data(), o.dsink.data(), &work, in.dout.data(), o.out.data(), o.lse.data(), in.qkv.data(),
                     in.sink.data(), spec, B, N);
  return o;
}

struct OutputsD {
  std::vector<double> out, lse, max_logit, dqkv, dsink;
};

OutputsD run_ref(const AttentionSpec& spec, const Inputs& in, int B, int N) {
  const int C = spec.channels(), H = spec.heads;
  const auto qkv = testing::cast<double>(in.qkv), sink = testing::cast<double>(in.sink),
             dout = testing::cast<double>(in.dout);
  OutputsD o;
  o.out.assign(static_cast<size_t>(B) * N * C, 0.0);
  o.lse.assign(static_cast<size_t>(B) * H * N, 0.0);
  o.max_logit.assign(H, 0.0);
  o.dqkv.assign(in.qkv.size(), 0.5);
  o.dsink.assign(H, 0.25);
  ref::attention_forward(o.out.data(), o.lse.data(), o.max_logit.data(), qkv.data(), sink.data(), spec, B, N);
  ref::attention_backward(o.dqkv.data(), o.dsink.data(), dout.data(), o.out.data(), o.lse.data(), qkv.data(),
                          sink.data(), spec, B, N);
  return o;
}

// ---- SIMD against the scalar reference ---------------------------------------

struct Size {
  int B, H, N, d;
};

TEST(Attention, SimdMatchesReferenceForEveryVariant) {
  // Head dims that are and are not multiples of the vector width; N = 1 only
  // where the mask fits in one token.
  const Size sizes[] = {{1, 1, 9, 5}, {2, 2, 13, 8}, {1, 3, 37, 7}, {1, 2, 70, 16}, {1, 1, 11, 64}};
  for (const Variant& v : variants())
    for (const Size& sz : sizes) {
      AttentionSpec spec = v.spec;
      spec.heads = sz.H;
      spec.head_dim = sz.d;
      ASSERT_TRUE(spec.validate(sz.N).empty()) << v.name;
      const Inputs in = inputs(spec, sz.B, sz.N, 100 + sz.N);
      const Outputs s = run_simd(spec, in, sz.B, sz.N);
      const OutputsD r = run_ref(spec, in, sz.B, sz.N);
      const std::string where = v.name + " B" + std::to_string(sz.B) + " H" + std::to_string(sz.H) + " N" +
                                std::to_string(sz.N) + " d" + std::to_string(sz.d);
      EXPECT_TRUE(all_close(s.out, r.out, 1e-4, 1e-5)) << where << " out";
      EXPECT_TRUE(all_close(s.lse, r.lse, 1e-5, 1e-5)) << where << " lse";
      EXPECT_TRUE(all_close(s.max_logit, r.max_logit, 1e-5, 1e-5)) << where << " max_logit";
      EXPECT_TRUE(all_close(s.dqkv, r.dqkv, 2e-4, 2e-5)) << where << " dqkv";
      EXPECT_TRUE(all_close(s.dsink, r.dsink, 2e-4, 2e-5)) << where << " dsink";
    }
}

TEST(Attention, SingleTokenSequence) {
  for (bool causal : {true, false})
    for (bool s1 : {false, true}) {
      AttentionSpec spec = make(causal, -1);
      spec.softmax1 = s1;
      spec.heads = 2;
      spec.head_dim = 3;
      const Inputs in = inputs(spec, 2, 1, 7);
      const Outputs s = run_simd(spec, in, 2, 1);
      const OutputsD r = run_ref(spec, in, 2, 1);
      EXPECT_TRUE(all_close(s.out, r.out, 1e-5, 1e-6));
      EXPECT_TRUE(all_close(s.dqkv, r.dqkv, 1e-4, 1e-6));
      if (!s1) {  // one key: out = its value
        for (int b = 0; b < 2; ++b)
          for (int c = 0; c < 6; ++c) EXPECT_NEAR(s.out[b * 6 + c], in.qkv[b * 18 + 12 + c], 1e-6);
      }
    }
}

// ---- gradients by central differences ------------------------------------------

// loss = sum(out * w); checks d loss / d qkv and d loss / d sink_logit.
TEST(Attention, ReferenceGradientsMatchCentralDifferencesInDouble) {
  const int B = 1, N = 9;
  for (const Variant& v : variants()) {
    AttentionSpec spec = v.spec;
    spec.heads = 2;
    spec.head_dim = 3;
    const Inputs in = inputs(spec, B, N, 11);
    auto qkv = testing::cast<double>(in.qkv);
    auto sink = testing::cast<double>(in.sink);
    const auto w = testing::cast<double>(in.dout);
    std::vector<double> out(w.size()), lse(static_cast<size_t>(B) * spec.heads * N);
    auto loss = [&] {
      ref::attention_forward(out.data(), lse.data(), static_cast<double*>(nullptr), qkv.data(), sink.data(), spec, B, N);
      return testing::dot(out, w);
    };
    loss();
    std::vector<double> dqkv(qkv.size(), 0.0), dsink(spec.heads, 0.0);
    ref::attention_backward(dqkv.data(), dsink.data(), w.data(), out.data(), lse.data(), qkv.data(), sink.data(),
                            spec, B, N);
    const auto num_qkv = testing::numeric_gradient(&qkv, loss, 1e-5);
    EXPECT_TRUE(all_close(dqkv, num_qkv, 1e-6, 1e-8)) << v.name << " dqkv";
    if (spec.sink_logit) {
      const auto num_sink = testing::numeric_gradient(&sink, loss, 1e-5);
      EXPECT_TRUE(all_close(dsink, num_sink, 1e-6, 1e-8)) << v.name << " dsink";
    }
  }
}

// A workspace is scratch only: reused across shapes and variants, it gives
// bit for bit what a fresh one gives.
TEST(Attention, AReusedWorkspaceChangesNoResult) {
  AttentionWorkspace shared;
  for (int round = 0; round < 2; ++round)
    for (const Variant& v : variants())
      for (int N : {7, 33}) {
        AttentionSpec spec = v.spec;
        spec.heads = 2;
        spec.head_dim = 4;
        const Inputs in = inputs(spec, 2, N, 5 + N);
        const size_t C = spec.channels();
        std::vector<float> out1(2 * N * C), lse1(2 * 2 * N), out2(out1.size()), lse2(lse1.size());
        std::vector<float> d1(in.qkv.size(), 0.0f), d2(in.qkv.size(), 0.0f), s1(2, 0.0f), s2(2, 0.0f);
        AttentionWorkspace fresh;
        attention_forward(out1.data(), lse1.data(), nullptr, &fresh, in.qkv.data(), in.sink.data(), spec, 2, N);
        attention_backward(d1.data(), s1.data(), &fresh, in.dout.data(), out1.data(), lse1.data(), in.qkv.data(),
                           in.sink.data(), spec, 2, N);
        attention_forward(out2.data(), lse2.data(), nullptr, &shared, in.qkv.data(), in.sink.data(), spec, 2, N);
        attention_backward(d2.data(), s2.data(), &shared, in.dout.data(), out2.data(), lse2.data(), in.qkv.data(),
                           in.sink.data(), spec, 2, N);
        EXPECT_EQ(out1, out2) << v.name << " N=" << N;
        EXPECT_EQ(d1, d2) << v.name << " N=" << N;
        EXPECT_EQ(s1, s2) << v.name << " N=" << N;
      }
}

// The float SIMD kernels themselves, against central differences of their own
// forward pass (float, so a looser tolerance: h = 1e-2 leaves O(h^2) error).
TEST(Attention, SimdGradientsMatchCentralDifferences) {
  const int B = 2, N = 10;
  for (const Variant& v : variants()) {
    AttentionSpec spec = v.spec;
    spec.heads = 2;
    spec.head_dim = 5;
    Inputs in = inputs(spec, B, N, 21);
    const int C = spec.channels();
    std::vector<float> out(static_cast<size_t>(B) * N * C), lse(static_cast<size_t>(B) * spec.heads * N);
    AttentionWorkspace work;
    auto loss = [&] {
      attention_forward(out.data(), lse.data(), nullptr, &work, in.qkv.data(), in.sink.data(), spec, B, N);
      return testing::dot(out, in.dout);
    };
    loss();
    std::vector<float> dqkv(in.qkv.size(), 0.0f), dsink(spec.heads, 0.0f);
    attention_backward(dqkv.data(), dsink.data(), &work, in.dout.data(), out.data(), lse.data(), in.qkv.data(),
                       in.sink.data(), spec, B, N);
    const auto num_qkv = testing::numeric_gradient(&in.qkv, loss, 1e-2);
    EXPECT_TRUE(all_close(dqkv, num_qkv, 2e-2, 2e-3)) << v.name << " dqkv";
    if (spec.sink_logit) {
      const auto num_sink = testing::numeric_gradient(&in.sink, loss, 1e-2);
      EXPECT_TRUE(all_close(dsink, num_sink, 2e-2, 2e-3)) << v.name << " dsink";
    }
  }
}

// ---- properties ---------------------------------------------------------------

// Row weights of every query, through attention_row_weights.
std::vector<std::vector<float>> all_rows(const AttentionSpec& spec, const Inputs& in, int N,
                                         std::vector<float>* extra) {
  const int C = spec.channels();
  std::vector<float> out(static_cast<size_t>(N) * C), lse(static_cast<size_t>(spec.heads) * N);
  AttentionWorkspace work;
  attention_forward(out.data(), lse.data(), nullptr, &work, in.qkv.data(), in.sink.data(), spec, 1, N);
  std::vector<std::vector<float>> rows;
  extra->clear();
  for (int h = 0; h < spec.heads; ++h)
    for (int i = 0; i < N; ++i) {
      std::vector<float> w(N);
      extra->push_back(attention_row_weights(w.data(), in.qkv.data(), lse.data(), in.sink.data(), spec, N, 0, h, i));
      rows.push_back(w);
    }
  return rows;
}

TEST(Attention, RowsSumToOneOverVisibleKeysAndMaskedPairsAreZero) {
  const int N = 23;
  for (const Variant& v : variants()) {
    AttentionSpec spec = v.spec;
    spec.heads = 2;
    spec.head_dim = 8;
    const Inputs in = inputs(spec, 1, N, 31);
    std::vector<float> extra;
    const auto rows = all_rows(spec, in, N, &extra);
    for (size_t r = 0; r < rows.size(); ++r) {
      const int i = static_cast<int>(r % N);
      double sum = extra[r];
      for (int j = 0; j < N; ++j) {
        if (!spec.mask.visible(i, j)) {
          EXPECT_EQ(rows[r][j], 0.0f) << v.name << " masked (" << i << "," << j << ")";
        }
        sum += rows[r][j];
      }
      EXPECT_NEAR(sum, 1.0, 1e-5) << v.name << " row " << i;
      if (spec.softmax1 || spec.sink_logit) {
        EXPECT_GT(extra[r], 0.0f);
      }
    }
  }
}

TEST(Attention, RowWeightsReproduceTheOutput) {
  const int N = 19;
  AttentionSpec spec = variants().back().spec;
  spec.heads = 2;
  spec.head_dim = 6;
  const Inputs in = inputs(spec, 1, N, 41);
  const int C = spec.channels();
  std::vector<float> out(N * C), lse(2 * N), w(N);
  AttentionWorkspace work;
  attention_forward(out.data(), lse.data(), nullptr, &work, in.qkv.data(), in.sink.data(), spec, 1, N);
  for (int h = 0; h < 2; ++h)
    for (int i = 0; i < N; ++i) {
      attention_row_weights(w.data(), in.qkv.data(), lse.data(), in.sink.data(), spec, N, 0, h, i);
      for (int c = 0; c < 6; ++c) {
        double o = 0;
        for (int j = 0; j < N; ++j) o += w[j] * in.qkv[j * 3 * C + 2 * C + h * 6 + c];
        EXPECT_NEAR(out[i * C + h * 6 + c], o, 1e-5);
      }
    }
}

TEST(Attention, Softmax1RowsSumToLessThanOne) {
  const int N = 12;
  AttentionSpec spec = make(true, -1);
  spec.softmax1 = true;
  spec.heads = 1;
  spec.head_dim = 4;
  const Inputs in = inputs(spec, 1, N, 51);
  std::vector<float> extra;
  const auto rows = all_rows(spec, in, N, &extra);
  for (size_t r = 0; r < rows.size(); ++r) {
    double sum = 0;
    for (float x : rows[r]) sum += x;
    EXPECT_LT(sum, 1.0 - 1e-6);
    EXPECT_NEAR(sum + extra[r], 1.0, 1e-5);
  }
}

Outputs run_simd_spec(AttentionSpec spec, int N, unsigned seed) {
  spec.heads = 2;
  spec.head_dim = 8;
  return run_simd(spec, inputs(spec, 1, N, seed), 1, N);
}

TEST(Attention, WindowAsWideAsTheSequenceEqualsFullAttention) {
  const int N = 17;
  for (bool causal : {true, false}) {
    const Outputs full = run_simd_spec(make(causal, -1), N, 61);
    for (int w : {N - 1, N, 5 * N}) {
      const Outputs win = run_simd_spec(make(causal, w), N, 61);
      EXPECT_TRUE(all_close(win.out, full.out, 1e-6, 1e-7)) << "w " << w;
      EXPECT_TRUE(all_close(win.dqkv, full.dqkv, 1e-6, 1e-7)) << "w " << w;
    }
  }
}

TEST(Attention, ExtrasSetToZeroChangeNothing) {
  const int N = 15;
  for (bool causal : {true, false})
    for (int w : {-1, 3}) {
      const Outputs base = run_simd_spec(make(causal, w), N, 71);
      AttentionSpec spec = make(causal, w);
      spec.mask.extra_globals = 0;
      spec.mask.registers = 0;
      spec.mask.sinks = 0;
      spec.mask.global_positions = {};
      spec.softmax1 = false;
      const Outputs zero = run_simd_spec(spec, N, 71);
      EXPECT_EQ(zero.out, base.out);
      EXPECT_EQ(zero.dqkv, base.dqkv);
      // A sink logit far below every score takes no mass either.
      spec.sink_logit = true;
      spec.heads = 2;
      spec.head_dim = 8;
      Inputs in = inputs(spec, 1, N, 71);
      in.sink = {-200.0f, -200.0f};
      const Outputs sunk = run_simd(spec, in, 1, N);
      EXPECT_TRUE(all_close(sunk.out, base.out, 1e-6, 1e-7));
    }
}

TEST(Attention, SoftCapWithAHugeCapEqualsPlain) {
  const int N = 14;
  const Outputs plain = run_simd_spec(make(true, -1), N, 81);
  AttentionSpec spec = make(true, -1);
  spec.softcap = 1e5f;
  const Outputs capped = run_simd_spec(spec, N, 81);
  EXPECT_TRUE(all_close(capped.out, plain.out, 1e-5, 1e-6));
  EXPECT_TRUE(all_close(capped.dqkv, plain.dqkv, 1e-4, 1e-6));
}

TEST(Attention, SoftCapBoundsTheLogits) {
  AttentionSpec spec = make(false, -1);
  spec.softcap = 2.0f;
  spec.scale = 10.0f;
  spec.heads = 2;
  spec.head_dim = 8;
  const int N = 16;
  const Inputs in = inputs(spec, 1, N, 82);
  const Outputs o = run_simd(spec, in, 1, N);
  for (float m : o.max_logit) {
    EXPECT_LE(m, 2.0f);
    EXPECT_GT(m, 1.5f);  // with scale 10 the largest raw logit is far above the cap
  }
}

// ---- the mask -------------------------------------------------------------------

long long brute_force_pairs(const AttentionMask& m, int N) {
  long long n = 0;
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) n += m.visible(i, j);
  return n;
}

TEST(AttentionMask, PairsCountsExactlyTheVisiblePairs) {
  for (const Variant& v : variants())
    for (int N : {9, 10, 31, 64}) EXPECT_EQ(v.spec.mask.pairs(N), brute_force_pairs(v.spec.mask, N)) << v.name << " N " << N;
}

TEST(AttentionMask, ReferenceCandidatesCoverEveryVisibleKey) {
  // The reference asks the mask only about its candidate keys; they must
  // include every visible one.
  for (const Variant& v : variants())
    for (int N : {9, 33}) {
      const std::vector<int> always = v.spec.mask.always_keys(N);
      std::vector<int> keys;
      for (int i = 0; i < N; ++i) {
        ref::detail::candidates(&keys, v.spec.mask, always, N, i);
        for (int j = 0; j < N; ++j)
          if (v.spec.mask.visible(i, j)) {
            EXPECT_NE(std::find(keys.begin(), keys.end(), j), keys.end()) << v.name << " (" << i << "," << j << ")";
          }
      }
    }
}

TEST(AttentionMask, KnownCounts) {
  EXPECT_EQ(make(true, -1).mask.pairs(10), 55);   // n(n+1)/2
  EXPECT_EQ(make(false, -1).mask.pairs(10), 100);  // n^2
  // Causal window w: every query sees min(i, w) + 1 keys.
  EXPECT_EQ(make(true, 2).mask.pairs(10), 1 + 2 + 3 * 8);
  // Bidirectional window 16 at n = 256 with one extra global token: the
  // ordinary band plus the global's row and column.
  AttentionSpec s = make(false, 16);
  s.mask.extra_globals = 1;
  const int n = 256, T = n - 1;
  long long band = 0;
  for (int i = 0; i < T; ++i) band += std::min(T - 1, i + 16) - std::max(0, i - 16) + 1;
  EXPECT_EQ(s.mask.pairs(n), band + n + T);
}

TEST(AttentionMask, WindowPlusGlobalsGrowsLinearly) {
  AttentionSpec s = make(false, 16);
  s.mask.extra_globals = 4;
  const double p1 = static_cast<double>(s.mask.pairs(1024)), p2 = static_cast<double>(s.mask.pairs(2048));
  EXPECT_NEAR(p2 / p1, 2.0, 0.02);
  AttentionSpec full = make(false, -1);
  EXPECT_NEAR(static_cast<double>(full.mask.pairs(2048)) / full.mask.pairs(1024), 4.0, 1e-9);
}

TEST(AttentionMask, ValidationNamesTheProblem) {
  AttentionSpec s = make(true, -1);
  s.softmax1 = true;
  s.sink_logit = true;
  s.mask.global_positions = {40};
  const auto errors = s.validate(20);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].find("global_positions"), std::string::npos);
  EXPECT_NE(errors[1].find("softmax1"), std::string::npos);
}

// ---- numerical safety -------------------------------------------------------------

TEST(Attention, HugeLogitsStayFinite) {
  // q.k of order +-1e4: the softmax saturates but nothing overflows.
  for (const Variant& v : variants()) {
    AttentionSpec spec = v.spec;
    spec.heads = 2;
    spec.head_dim = 4;
    const int N = 12;
    Inputs in = inputs(spec, 1, N, 91, 70.0);  // |q|,|k| ~ 140: q.k/2 ~ 1e4
    const Outputs o = run_simd(spec, in, 1, N);
    for (float x : o.out) ASSERT_TRUE(std::isfinite(x)) << v.name;
    for (float x : o.dqkv) ASSERT_TRUE(std::isfinite(x)) << v.name;
    for (float x : o.lse) ASSERT_TRUE(std::isfinite(x)) << v.name;
    float largest = 0;
    for (float m : o.max_logit) largest = std::max(largest, std::fabs(m));
    if (spec.softcap == 0 && !spec.qk_norm) {
      EXPECT_GT(largest, 1e3f) << v.name;
    }
  }
}

TEST(Attention, NanInputsAreCaughtByTheFiniteCheck) {
  // One NaN in q reaches the outputs and gradients; the cheap check a
  // training loop runs before its optimizer step must see it.
  AttentionSpec spec = make(true, 3);
  spec.heads = 2;
  spec.head_dim = 5;
  const int N = 12;
  Inputs in = inputs(spec, 1, N, 95);
  const Outputs clean = run_simd(spec, in, 1, N);
  EXPECT_TRUE(all_finite(clean.out.data(), clean.out.size()));
  EXPECT_TRUE(all_finite(clean.dqkv.data(), clean.dqkv.size()));
  in.qkv[4 * 3 * spec.channels() + 1] = NAN;  // q of position 4, head 0
  const Outputs dirty = run_simd(spec, in, 1, N);
  EXPECT_FALSE(all_finite(dirty.out.data(), dirty.out.size()));
  EXPECT_FALSE(all_finite(dirty.dqkv.data(), dirty.dqkv.size()));
}

}  // namespace
}  // namespace attnlab
