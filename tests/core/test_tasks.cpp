// The synthetic tasks: determinism, token-id ranges, where targets are and
// what they must equal, membership balance, the stream language's noise and
// bound values, the train/eval split, chance figures and validation.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/base/rng.h"
#include "core/tasks/task.h"
#include "core/tasks/task_internal.h"

namespace attnlab {
namespace {

using task_detail::CopyTask;
using task_detail::MembershipTask;
using task_detail::MixedTask;
using task_detail::RetrievalTask;
using task_detail::StreamRole;
using task_detail::StreamTask;

const char* const kKinds[] = {"retrieval", "membership", "copy", "mixed", "stream", "backcopy"};

// Small but non-trivial settings, so that many sequences are cheap.
TaskConfig small_config(const std::string& kind) {
  TaskConfig c;
  c.kind = kind;
  c.length = 32;
  c.symbols = 8;
  c.topics = 6;
  c.key_position = 3;
  c.items = 20;
  c.set_size = 5;
  c.copy_offset = 3;
  c.bindings = 4;
  c.bind_rate = 0.4f;
  c.eval_length = 64;
  c.eval_size = 16;
  return c;
}

std::unique_ptr<Task> make_valid(const TaskConfig& c) {
  const auto errors = validate_task(c);
  EXPECT_TRUE(errors.empty()) << c.kind << ": " << (errors.empty() ? "" : errors[0]);
  return make_task(c);
}

// Row b of a batch, as vectors: tokens, targets, groups.
struct Row {
  std::vector<int> tokens, targets;
  std::vector<uint8_t> groups;
};
Row row(const TaskBatch& batch, int b) {
  const auto first = static_cast<size_t>(b) * batch.T, last = first + batch.T;
  return {{batch.tokens.begin() + first, batch.tokens.begin() + last},
          {batch.targets.begin() + first, batch.targets.begin() + last},
          {batch.groups.begin() + first, batch.groups.begin() + last}};
}

// FNV-1a over a whole batch, to pin its exact contents.
uint64_t batch_checksum(const TaskBatch& batch) {
  uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&](uint64_t v) { h = (h ^ v) * 0x100000001b3ull; };
  for (int v : batch.tokens) mix(static_cast<uint32_t>(v));
  for (int v : batch.targets) mix(static_cast<uint32_t>(v));
  for (uint8_t v : batch.groups) mix(v);
  return h;
}

// ---- every kind ----------------------------------------------------------------

TEST(Tasks, MakeTaskForEachKind) {
  struct Expect {
    const char* kind;
    int vocab;
    std::vector<std::string> groups;
    std::vector<int> probes;
  };
  // Vocabularies of small_config: symbols 8, topics 6, items 20.
  const Expect expects[] = {{"retrieval", 2 + 6 + 8, {"retrieval"}, {31}},
                            {"membership", 4 + 20 + 8, {"membership"}, {31}},
                            {"copy", 1 + 8, {"copy"}, {}},
                            {"mixed", 2 + 6 + 8, {"retrieval", "copy"}, {}},
                            {"stream", 1 + 8, {"next token", "bound value"}, {}},
                            {"backcopy", 1 + 8, {"bigram", "backcopy"}, {}}};
  for (const Expect& e : expects) {
    const auto task = make_valid(small_config(e.kind));
    ASSERT_NE(task, nullptr) << e.kind;
    EXPECT_EQ(task->name(), e.kind);
    EXPECT_EQ(task->length(), 32);
    EXPECT_EQ(task->vocab_size(), e.vocab) << e.kind;
    EXPECT_EQ(task->group_names(), e.groups) << e.kind;
    EXPECT_EQ(task->probe_positions(), e.probes) << e.kind;
    EXPECT_EQ(task->is_stream(), std::string(e.kind) == "stream" || std::string(e.kind) == "backcopy");
    // Every id has its own readable name; the first id past the vocabulary does not.
    std::set<std::string> names;
    for (int id = 0; id < task->vocab_size(); ++id) {
      const std::string name = task->token_name(id);
      EXPECT_EQ(name.find("invalid"), std::string::npos) << e.kind << " id " << id;
      names.insert(name);
    }
    EXPECT_EQ(static_cast<int>(names.size()), task->vocab_size()) << e.kind;
    EXPECT_EQ(task->token_name(task->vocab_size()).find("invalid"), 0u) << e.kind;
    EXPECT_EQ(task->token_name(0), "BOS");
  }
  EXPECT_NE(make_task(TaskConfig{}), nullptr);  // the defaults are a valid retrieval task
}

TEST(Tasks, TokenNames) {
  const auto retrieval = make_valid(small_config("retrieval"));
  EXPECT_EQ(retrieval->token_name(1), "QUERY");
  EXPECT_EQ(retrieval->token_name(2 + 3), "key 3");
  EXPECT_EQ(retrieval->token_name(2 + 6 + 7), "s7");
  const auto membership = make_valid(small_config("membership"));
  EXPECT_EQ(membership->token_name(1), "QUERY");
  EXPECT_EQ(membership->token_name(2), "YES");
  EXPECT_EQ(membership->token_name(3), "NO");
  EXPECT_EQ(membership->token_name(4 + 12), "item 12");
  EXPECT_EQ(membership->token_name(4 + 20 + 7), "s7");
  for (const char* kind : {"copy", "stream"}) EXPECT_EQ(make_valid(small_config(kind))->token_name(1 + 7), "s7");
}

TEST(Tasks, SameSeedGivesIdenticalBatchesAndOtherSeedsDiffer) {
  for (const char* kind : kKinds)
    for (Split split : {Split::Train, Split::Eval}) {
      const auto task = make_valid(small_config(kind));
      Rng a(7), b(7), c(8);
      TaskBatch ba, bb, bc, ba2;
      task->sample(&ba, 16, &a, split);
      task->sample(&bb, 16, &b, split);
      task->sample(&bc, 16, &c, split);
      task->sample(&ba2, 16, &a, split);
      EXPECT_EQ(ba.tokens, bb.tokens) << kind;
      EXPECT_EQ(ba.targets, bb.targets) << kind;
      EXPECT_EQ(ba.groups, bb.groups) << kind;
      EXPECT_NE(ba.tokens, bc.tokens) << kind;
      EXPECT_NE(ba.tokens, ba2.tokens) << kind << ": the generator must advance";
    }
}

// Exact contents pinned: native (libstdc++) and wasm (libc++) must produce the
// same bits from the same seed.
TEST(Tasks, BatchesAreBitIdenticalAcrossBuilds) {
  const uint64_t expected[] = {0x154ca3cea2660fcull, 0x76c9cc99f35ef826ull, 0x7ce729aaacd9752full,
                               0x72fb2c70e0c998ebull, 0xb7f9cea462bcf28ull, 0x3cf1e136d6820eb3ull};
  for (int k = 0; k < 6; ++k) {
    const auto task = make_valid(small_config(kKinds[k]));
    Rng rng(2024);
    TaskBatch batch;
    task->sample(&batch, 8, &rng, Split::Train);
    uint64_t h = batch_checksum(batch);
    task->sample(&batch, 8, &rng, Split::Eval);
    h ^= batch_checksum(batch) * 3;
    EXPECT_EQ(h, expected[k]) << kKinds[k] << std::hex << " got 0x" << h;
  }
}

TEST(Tasks, TokensTargetsAndGroupsAreInRange) {
  for (const char* kind : kKinds) {
    const auto task = make_valid(small_config(kind));
    const int V = task->vocab_size(), G = static_cast<int>(task->group_names().size());
    Rng rng(1);
    for (Split split : {Split::Train, Split::Eval}) {
      TaskBatch batch;
      task->sample(&batch, 200, &rng, split);
      ASSERT_EQ(batch.B, 200);
      ASSERT_EQ(batch.T, 32);
      ASSERT_EQ(batch.tokens.size(), 200u * 32);
      ASSERT_EQ(batch.targets.size(), 200u * 32);
      ASSERT_EQ(batch.groups.size(), 200u * 32);
      for (size_t i = 0; i < batch.tokens.size(); ++i) {
        ASSERT_GE(batch.tokens[i], 0) << kind;
        ASSERT_LT(batch.tokens[i], V) << kind;
        ASSERT_GE(batch.targets[i], -1) << kind;
        ASSERT_LT(batch.targets[i], V) << kind;
        ASSERT_LT(batch.groups[i], G) << kind;
        if (batch.targets[i] < 0) {
          ASSERT_EQ(batch.groups[i], 0) << kind;
        }
      }
    }
  }
}

TEST(Tasks, TargetsOnlyWhereSpecified) {
  for (const char* kind : kKinds) {
    const TaskConfig c = small_config(kind);
    const int T = c.length, offset = c.copy_offset, key = c.key_position;
    const std::string k = kind;
    // Where a target must be, from the documented layouts alone.
    auto expected = [&](int t) {
      if (k == "retrieval" || k == "membership") return t == T - 1;
      if (k == "copy") return t - offset >= 1;
      if (k == "mixed") return t == T - 1 || (t >= offset && t - offset != 0 && t - offset != key);
      return t < T - 1;  // stream
    };
    const auto task = make_valid(c);
    Rng rng(2);
    TaskBatch batch;
    task->sample(&batch, 100, &rng, Split::Train);
    for (int b = 0; b < batch.B; ++b) {
      const Row r = row(batch, b);
      for (int t = 0; t < T; ++t) ASSERT_EQ(r.targets[t] >= 0, expected(t)) << kind << " position " << t;
    }
  }
}

// The most frequent target of a group is the best guess without context; its
// frequency must match chance(group). Tolerance 0.02 absolute: the standard
// error of a frequency near 0.17 over >= 8000 targets is 0.004, and the max
// over the values adds about 0.01 at most.
TEST(Tasks, ChanceIsTheAccuracyOfTheBestContextFreeGuess) {
  for (const char* kind : kKinds) {
    const auto task = make_valid(small_config(kind));
    const int G = static_cast<int>(task->group_names().size());
    std::vector<std::map<int, int>> counts(G);
    std::vector<int> totals(G, 0);
    Rng rng(3);
    TaskBatch batch;
    for (int rep = 0; rep < 40; ++rep) {
      task->sample(&batch, 250, &rng, Split::Train);
      for (size_t i = 0; i < batch.targets.size(); ++i)
        if (batch.targets[i] >= 0) ++counts[batch.groups[i]][batch.targets[i]], ++totals[batch.groups[i]];
    }
    for (int g = 0; g < G; ++g) {
      ASSERT_GE(totals[g], 8000) << kind << " group " << g;
      int best = 0;
      for (const auto& [token, n] : counts[g]) best = std::max(best, n);
      EXPECT_NEAR(static_cast<double>(best) / totals[g], task->chance(g), 0.02) << kind << " group " << g;
    }
  }
  EXPECT_DOUBLE_EQ(make_valid(small_config("retrieval"))->chance(0), 1.0 / 6);
  EXPECT_DOUBLE_EQ(make_valid(small_config("membership"))->chance(0), 0.5);
  EXPECT_DOUBLE_EQ(make_valid(small_config("copy"))->chance(0), 1.0 / 8);
  EXPECT_DOUBLE_EQ(make_valid(small_config("mixed"))->chance(1), 1.0 / 8);
  EXPECT_DOUBLE_EQ(make_valid(small_config("stream"))->chance(0), 1.0 / 8);
}

// ---- backcopy ----------------------------------------------------------------------

TEST(Backcopy, TheTokenAfterATriggerCopiesTheTokenBeforeIt) {
  TaskConfig c = small_config("backcopy");
  c.trigger_rate = 0.2f;
  const auto task = make_valid(c);
  Rng rng(5);
  TaskBatch batch;
  task->sample(&batch, 64, &rng, Split::Train);
  int triggers = 0;
  for (int b = 0; b < batch.B; ++b) {
    const int* tok = &batch.tokens[static_cast<size_t>(b) * batch.T];
    const uint8_t* grp = &batch.groups[static_cast<size_t>(b) * batch.T];
    EXPECT_EQ(tok[0], 0);  // BOS
    EXPECT_GE(tok[1], 1 + c.triggers) << "a trigger needs a token before it";
    for (int t = 1; t + 1 < batch.T; ++t) {
      const bool trigger = tok[t] >= 1 && tok[t] < 1 + c.triggers;
      EXPECT_EQ(grp[t], trigger ? 1 : 0) << "t " << t;
      if (!trigger) continue;
      ++triggers;
      EXPECT_EQ(tok[t + 1], tok[t - 1]) << "t " << t;
      EXPECT_GE(tok[t - 1], 1 + c.triggers) << "no two triggers in a row";
    }
  }
  EXPECT_NEAR(triggers / (64.0 * 30), 0.2 * (1 - 0.2), 0.05);  // steps after a trigger are copies, not draws
}

// The next token of a non-trigger follows from it alone: its most frequent
// successor takes well over chance (three likely successors: 0.6, 0.25,
// 0.1), and the language is the same whatever the seed.
TEST(Backcopy, ABigramLanguageTheSameForEverySeed) {
  const auto task = make_valid(small_config("backcopy"));
  auto successors = [&](uint64_t seed) {
    std::map<int, std::map<int, int>> counts;
    Rng rng(seed);
    std::vector<int> stream;
    task->sample_stream(&stream, 40000, &rng);
    for (size_t t = 1; t + 1 < stream.size(); ++t)
      if (stream[t] > 2 && stream[t + 1] > 2) ++counts[stream[t]][stream[t + 1]];
    std::map<int, int> top;
    for (auto& [s, next] : counts) {
      int best = -1, n = 0, total = 0;
      for (auto [x, k] : next) {
        total += k;
        if (k > n) best = x, n = k;
      }
      EXPECT_GT(static_cast<double>(n) / total, 0.45) << "symbol " << s;
      top[s] = best;
    }
    return top;
  };
  EXPECT_EQ(successors(1), successors(2));
}

// ---- retrieval, membership, copy, mixed -------------------------------------------

TEST(Retrieval, LayoutAndTheTargetIsTheKey) {
  for (int key_position : {1, 3, 17, 30}) {
    TaskConfig c = small_config("retrieval");
    c.key_position = key_position;
    const auto task = make_valid(c);
    const RetrievalTask ids(c);
    Rng rng(4);
    TaskBatch batch;
    task->sample(&batch, 300, &rng, Split::Train);
    std::set<int> keys_seen;
    for (int b = 0; b < batch.B; ++b) {
      const Row r = row(batch, b);
      ASSERT_EQ(r.tokens[0], RetrievalTask::kBos);
      ASSERT_TRUE(ids.is_key(r.tokens[key_position])) << key_position;
      ASSERT_EQ(r.tokens[31], RetrievalTask::kQuery);
      for (int t = 1; t < 31; ++t)
        if (t != key_position) {
          ASSERT_TRUE(ids.is_symbol(r.tokens[t])) << t;
        }
      ASSERT_EQ(r.targets[31], r.tokens[key_position]);
      keys_seen.insert(r.targets[31]);
    }
    EXPECT_EQ(keys_seen.size(), 6u) << "every topic is asked for";
  }
}

TEST(Membership, LayoutDistinctItemsAndTheAnswerIsTrue) {
  TaskConfig edge = small_config("membership");  // no symbols at all, one unlisted item
  edge.length = 10, edge.items = 8, edge.set_size = 7;
  for (const TaskConfig& c : {small_config("membership"), edge}) {
    const auto task = make_valid(c);
    const MembershipTask ids(c);
    const int T = c.length, K = c.set_size;
    Rng rng(5);
    TaskBatch batch;
    task->sample(&batch, 500, &rng, Split::Train);
    for (int b = 0; b < batch.B; ++b) {
      const Row r = row(batch, b);
      ASSERT_EQ(r.tokens[0], MembershipTask::kBos);
      std::set<int> listed;
      for (int t = 1; t <= K; ++t) {
        ASSERT_TRUE(ids.is_item(r.tokens[t])) << t;
        listed.insert(r.tokens[t]);
      }
      ASSERT_EQ(static_cast<int>(listed.size()), K) << "listed items must be distinct";
      for (int t = K + 1; t < T - 2; ++t) ASSERT_TRUE(ids.is_symbol(r.tokens[t])) << t;
      ASSERT_EQ(r.tokens[T - 2], MembershipTask::kQuery);
      ASSERT_TRUE(ids.is_item(r.tokens[T - 1]));
      const bool member = listed.count(r.tokens[T - 1]) > 0;
      ASSERT_EQ(r.targets[T - 1], member ? MembershipTask::kYes : MembershipTask::kNo);
    }
  }
}

// One fair draw decides the answer: over 4000 sequences the YES share has a
// standard error of 0.008; the tolerance 0.03 is almost 4 of them.
TEST(Membership, YesAndNoAreBalanced) {
  const auto task = make_valid(small_config("membership"));
  for (Split split : {Split::Train, Split::Eval}) {
    Rng rng(6);
    TaskBatch batch;
    task->sample(&batch, 4000, &rng, split);
    int yes = 0;
    for (int b = 0; b < batch.B; ++b) yes += batch.targets[static_cast<size_t>(b) * 32 + 31] == MembershipTask::kYes;
    EXPECT_NEAR(yes / 4000.0, 0.5, 0.03) << (split == Split::Eval ? "eval" : "train");
  }
}

TEST(Copy, TargetsAreTheTokenCopyOffsetBack) {
  for (int offset : {1, 3, 30}) {
    TaskConfig c = small_config("copy");
    c.copy_offset = offset;
    const auto task = make_valid(c);
    Rng rng(7);
    TaskBatch batch;
    task->sample(&batch, 200, &rng, Split::Train);
    for (int b = 0; b < batch.B; ++b) {
      const Row r = row(batch, b);
      ASSERT_EQ(r.tokens[0], CopyTask::kBos);
      for (int t = 1; t < 32; ++t) ASSERT_TRUE(r.tokens[t] >= 1 && r.tokens[t] <= 8) << "a symbol at " << t;
      for (int t = offset + 1; t < 32; ++t) ASSERT_EQ(r.targets[t], r.tokens[t - offset]) << offset << " " << t;
    }
  }
}

TEST(Mixed, RetrievalIsGroupZeroAndCopyingGroupOne) {
  TaskConfig edge = small_config("mixed");  // the largest offset, key at 1: one copy target
  edge.copy_offset = 28, edge.key_position = 1;
  for (const TaskConfig& c : {small_config("mixed"), edge}) {
    const auto task = make_valid(c);
    const MixedTask ids(c);
    Rng rng(8);
    TaskBatch batch;
    task->sample(&batch, 300, &rng, Split::Train);
    for (int b = 0; b < batch.B; ++b) {
      const Row r = row(batch, b);
      int copies = 0;
      for (int t = 0; t < 32; ++t) {
        if (r.targets[t] < 0) continue;
        if (r.groups[t] == 0) {
          ASSERT_EQ(t, 31) << "retrieval only at the query";
          ASSERT_TRUE(ids.is_key(r.targets[t]));
          ASSERT_EQ(r.targets[t], r.tokens[c.key_position]);
        } else {
          ASSERT_EQ(r.groups[t], 1);
          ASSERT_LT(t, 31);
          ASSERT_EQ(r.targets[t], r.tokens[t - c.copy_offset]);
          ASSERT_TRUE(ids.is_symbol(r.targets[t]));
          ++copies;
        }
      }
      ASSERT_EQ(r.groups[31], 0);
      ASSERT_GE(r.targets[31], 0);
      ASSERT_GE(copies, 1) << "every sequence has a copy target";
    }
  }
}

// ---- stream -----------------------------------------------------------------------

TEST(Stream, TargetsAreTheNextToken) {
  const auto task = make_valid(small_config("stream"));
  Rng rng(9);
  TaskBatch batch;
  task->sample(&batch, 200, &rng, Split::Train);
  for (int b = 0; b < batch.B; ++b) {
    const Row r = row(batch, b);
    ASSERT_EQ(r.tokens[0], StreamTask::kBos);
    for (int t = 1; t < 32; ++t) ASSERT_NE(r.tokens[t], StreamTask::kBos) << "BOS only at 0";
    for (int t = 0; t < 31; ++t) ASSERT_EQ(r.targets[t], r.tokens[t + 1]);
    ASSERT_EQ(r.targets[31], -1);
  }
}

// A bound-value target follows a key that was followed by that same value
// earlier in the sequence, so looking back predicts it.
TEST(Stream, BoundValuesArePredictableByLookingBack) {
  TaskConfig c = small_config("stream");
  c.length = 64;
  const auto task = make_valid(c);
  Rng rng(10);
  TaskBatch batch;
  task->sample(&batch, 300, &rng, Split::Train);
  int bound = 0, targets = 0;
  for (int b = 0; b < batch.B; ++b) {
    const Row r = row(batch, b);
    for (int t = 0; t < 64; ++t) {
      targets += r.targets[t] >= 0;
      if (r.groups[t] != 1) continue;
      ++bound;
      bool earlier = false;
      for (int u = 1; u + 1 < t && !earlier; ++u) earlier = r.tokens[u] == r.tokens[t] && r.tokens[u + 1] == r.targets[t];
      ASSERT_TRUE(earlier) << "sequence " << b << " position " << t;
    }
  }
  // About 0.4 / 1.4 of the steps are bindings, most of them repeats of one of 4.
  EXPECT_GT(bound, targets / 10);
  EXPECT_LT(bound, targets / 2);
}

// Without noise the layout is exact: keys at odd positions, values at even
// ones; a key is a bound-value position iff it appeared at an earlier odd
// position (its value right after it).
TEST(Stream, BoundValueGroupIsCompleteWithoutNoise) {
  TaskConfig c = small_config("stream");
  c.bind_rate = 1.0f;
  const auto task = make_valid(c);
  Rng rng(11);
  TaskBatch batch;
  task->sample(&batch, 200, &rng, Split::Train);
  for (int b = 0; b < batch.B; ++b) {
    const Row r = row(batch, b);
    std::set<int> keys_before;
    for (int t = 1; t < 31; ++t) {
      const bool expect_bound = t % 2 == 1 && keys_before.count(r.tokens[t]) > 0;
      ASSERT_EQ(r.groups[t] == 1, expect_bound) << "sequence " << b << " position " << t;
      if (t % 2 == 1) keys_before.insert(r.tokens[t]);
    }
  }
}

// Steps are noise with probability 1 - bind_rate. Over ~20000 steps the
// standard error of the share is at most 0.0035; tolerance 0.015.
TEST(Stream, NoiseShareOfStepsIsOneMinusBindRate) {
  for (float rate : {0.0f, 0.3f, 0.7f, 1.0f}) {
    const task_detail::StreamSpec spec{8, 4, rate};
    Rng rng(12);
    std::vector<int> tokens(1000);
    std::vector<StreamRole> roles(1000);
    int noise = 0, steps = 0;
    for (int rep = 0; rep < 30; ++rep) {
      task_detail::generate_stream(spec, 1000, &rng, tokens.data(), roles.data());
      for (StreamRole role : roles) {
        noise += role == StreamRole::Noise;
        steps += role == StreamRole::Noise || role == StreamRole::Key || role == StreamRole::RepeatKey;
      }
    }
    EXPECT_NEAR(static_cast<double>(noise) / steps, 1.0 - rate, 0.015) << rate;
    if (rate == 0.0f) {
      EXPECT_EQ(noise, steps);
    }
    if (rate == 1.0f) {
      EXPECT_EQ(noise, 0);
    }
  }
}

TEST(Stream, SampleStreamKeepsOneBindingSetThroughout) {
  TaskConfig c = small_config("stream");
  c.bind_rate = 1.0f;
  const auto task = make_valid(c);
  Rng a(13), b(13);
  std::vector<int> stream, again;
  task->sample_stream(&stream, 2001, &a);
  task->sample_stream(&again, 2001, &b);
  ASSERT_EQ(stream.size(), 2001u);
  EXPECT_EQ(stream, again);
  EXPECT_EQ(stream[0], StreamTask::kBos);
  std::map<int, int> value_of;  // key -> value, over the whole stream
  for (int t = 1; t + 1 < 2001; t += 2) {
    const auto [it, fresh] = value_of.emplace(stream[t], stream[t + 1]);
    ASSERT_EQ(it->second, stream[t + 1]) << "key " << stream[t] << " changed its value at " << t;
  }
  EXPECT_EQ(value_of.size(), 4u) << "all bindings, and only those, recur";

  c.bind_rate = 0.3f;
  const auto noisy = make_valid(c);
  noisy->sample_stream(&stream, 3000, &a);
  EXPECT_EQ(stream[0], StreamTask::kBos);
  for (int t = 1; t < 3000; ++t) ASSERT_TRUE(stream[t] >= 1 && stream[t] < noisy->vocab_size()) << t;
}

// ---- train / eval split ---------------------------------------------------------------

// Settings with few distinct sequences (hundreds to a few thousand), so that
// 3000 train and 600 eval draws would surely coincide without the split rule.
std::vector<TaskConfig> tiny_configs() {
  std::vector<TaskConfig> out;
  for (const char* kind : kKinds) {
    TaskConfig c = small_config(kind);
    c.symbols = 2, c.topics = 2, c.length = 10, c.key_position = 1, c.copy_offset = 2;
    c.items = 6, c.set_size = 2;
    c.bindings = 2, c.bind_rate = 0.5f, c.eval_length = 10;
    if (c.kind == "copy") c.length = 12;  // 2^11 sequences
    if (c.kind == "backcopy") c.symbols = 4, c.triggers = 1;
    out.push_back(c);
  }
  return out;
}

TEST(Splits, TrainAndEvalNeverCoincide) {
  for (const TaskConfig& c : tiny_configs()) {
    const auto task = make_valid(c);
    Rng rng(14);
    TaskBatch train, eval;
    task->sample(&train, 3000, &rng, Split::Train);
    task->sample(&eval, 600, &rng, Split::Eval);
    std::set<std::vector<int>> train_set, eval_set;
    for (int b = 0; b < train.B; ++b) {
      const Row r = row(train, b);
      ASSERT_FALSE(task_detail::is_eval_sequence(r.tokens.data(), c.length)) << c.kind;
      ASSERT_GE(*std::max_element(r.targets.begin(), r.targets.end()), 0) << c.kind << ": targets kept";
      train_set.insert(r.tokens);
    }
    for (int b = 0; b < eval.B; ++b) {
      const Row r = row(eval, b);
      ASSERT_TRUE(task_detail::is_eval_sequence(r.tokens.data(), c.length)) << c.kind;
      ASSERT_GE(*std::max_element(r.targets.begin(), r.targets.end()), 0) << c.kind << ": targets kept";
      eval_set.insert(r.tokens);
    }
    for (const auto& s : eval_set) ASSERT_EQ(train_set.count(s), 0u) << c.kind << ": an eval sequence in train";
    // The space is small: the eval draws repeat, so coincidence was possible.
    EXPECT_LT(eval_set.size(), 600u) << c.kind;
  }
}

// Before the split, a sequence is Eval with probability about 1/8. Over 8000
// draws the standard error is 0.0037; tolerance 0.015.
TEST(Splits, EvalShareOfRawDrawsIsAboutOneEighth) {
  // (Not the tiny settings: with a few hundred sequences the share of eval
  // sequences itself varies by a few percent.)
  std::vector<TaskConfig> configs;
  for (const char* kind : kKinds) {
    configs.push_back(small_config(kind));
    configs.push_back(TaskConfig{});
    configs.back().kind = kind;
  }
  for (const TaskConfig& c : configs) {
    const auto task = task_detail::make_sequence_task(c);
    std::vector<int> tokens(c.length), targets(c.length);
    std::vector<uint8_t> groups(c.length);
    Rng rng(15);
    int eval = 0;
    for (int i = 0; i < 8000; ++i) {
      task->draw(tokens.data(), targets.data(), groups.data(), &rng);
      eval += task_detail::is_eval_sequence(tokens.data(), c.length);
    }
    EXPECT_NEAR(eval / 8000.0, 0.125, 0.015) << c.kind << " length " << c.length;
  }
}

TEST(Splits, HashIsFoldedFnv1a) {
  // Empty input: the FNV-1a 64 offset basis, xor-folded.
  EXPECT_EQ(task_detail::sequence_hash(nullptr, 0), 0xcbf29ce4u ^ 0x84222325u);
  // Token ids that agree mod 8 must not always share a split (plain FNV-1a's
  // low bits would only see ids mod 8).
  int differ = 0;
  for (int a = 0; a < 64; ++a) {
    const int x[] = {0, a, 5}, y[] = {0, a + 8, 5};
    differ += task_detail::is_eval_sequence(x, 3) != task_detail::is_eval_sequence(y, 3);
  }
  EXPECT_GT(differ, 0);
}

// ---- validation -----------------------------------------------------------------------

TEST(Validate, DefaultsAndEdgesAreValid) {
  for (const char* kind : kKinds) {
    TaskConfig c;
    c.kind = kind;
    EXPECT_TRUE(validate_task(c).empty()) << kind << ": " << validate_task(c)[0];
  }
  std::vector<std::pair<std::string, std::function<void(TaskConfig*)>>> edges = {
      {"retrieval", [](TaskConfig* c) { c->key_position = c->length - 2; }},
      {"retrieval", [](TaskConfig* c) { c->length = 4, c->topics = 2, c->symbols = 1024, c->key_position = 2; }},
      {"membership", [](TaskConfig* c) { c->set_size = c->items - 1, c->length = c->set_size + 3; }},
      {"copy", [](TaskConfig* c) { c->copy_offset = c->length - 2; }},
      {"mixed", [](TaskConfig* c) { c->copy_offset = c->length - 4; }},
      {"stream", [](TaskConfig* c) { c->bindings = c->symbols, c->bind_rate = 1.0f; }},
      {"stream", [](TaskConfig* c) { c->bind_rate = 0.0f, c->eval_length = c->length; }},
      {"retrieval", [](TaskConfig* c) { c->items = 0, c->set_size = -1, c->bindings = 0, c->eval_length = 1; }},
  };
  for (auto& [kind, edit] : edges) {
    TaskConfig c = small_config(kind);
    edit(&c);
    const auto errors = validate_task(c);
    EXPECT_TRUE(errors.empty()) << kind << ": " << errors[0];
  }
}

TEST(Validate, EachBadSettingIsReportedByItsField) {
  struct Bad {
    std::string kind, field;
    std::function<void(TaskConfig*)> edit;
  };
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<Bad> bads = {
      {"retrieval", "length", [](TaskConfig* c) { c->length = 3; }},
      {"copy", "length", [](TaskConfig* c) { c->length = 8193; }},
      {"retrieval", "symbols", [](TaskConfig* c) { c->symbols = 1; }},
      {"stream", "symbols", [](TaskConfig* c) { c->symbols = 1025, c->bindings = 2; }},
      {"retrieval", "topics", [](TaskConfig* c) { c->topics = 1; }},
      {"mixed", "topics", [](TaskConfig* c) { c->topics = 0; }},
      {"retrieval", "key_position", [](TaskConfig* c) { c->key_position = 0; }},
      {"mixed", "key_position", [](TaskConfig* c) { c->key_position = c->length - 1; }},
      {"membership", "items", [](TaskConfig* c) { c->items = 1025; }},
      {"membership", "set_size", [](TaskConfig* c) { c->set_size = 0; }},
      {"membership", "set_size", [](TaskConfig* c) { c->set_size = c->items; }},
      {"membership", "set_size", [](TaskConfig* c) { c->items = 64, c->set_size = c->length - 2; }},
      {"copy", "copy_offset", [](TaskConfig* c) { c->copy_offset = 0; }},
      {"copy", "copy_offset", [](TaskConfig* c) { c->copy_offset = c->length - 1; }},
      {"mixed", "copy_offset", [](TaskConfig* c) { c->copy_offset = c->length - 3; }},
      {"stream", "bindings", [](TaskConfig* c) { c->bindings = 0; }},
      {"stream", "bindings", [](TaskConfig* c) { c->bindings = c->symbols + 1; }},
      {"stream", "bind_rate", [](TaskConfig* c) { c->bind_rate = -0.1f; }},
      {"stream", "bind_rate", [](TaskConfig* c) { c->bind_rate = 1.5f; }},
      {"stream", "bind_rate", [nan](TaskConfig* c) { c->bind_rate = nan; }},
      {"stream", "eval_length", [](TaskConfig* c) { c->eval_length = c->length - 1; }},
      {"stream", "eval_length", [](TaskConfig* c) { c->eval_length = 65537; }},
      {"backcopy", "triggers", [](TaskConfig* c) { c->triggers = 0; }},
      {"backcopy", "triggers", [](TaskConfig* c) { c->triggers = c->symbols - 2; }},
      {"backcopy", "symbols", [](TaskConfig* c) { c->symbols = 3, c->triggers = 1; }},
      {"backcopy", "trigger_rate", [](TaskConfig* c) { c->trigger_rate = 0.0f; }},
      {"backcopy", "trigger_rate", [](TaskConfig* c) { c->trigger_rate = 0.6f; }},
      {"backcopy", "trigger_rate", [nan](TaskConfig* c) { c->trigger_rate = nan; }},
      {"backcopy", "eval_length", [](TaskConfig* c) { c->eval_length = c->length - 1; }},
      {"membership", "eval_size", [](TaskConfig* c) { c->eval_size = 0; }},
      {"bogus", "kind", [](TaskConfig*) {}},
  };
  for (const Bad& bad : bads) {
    TaskConfig c = small_config(bad.kind);
    bad.edit(&c);
    const auto errors = validate_task(c);
    ASSERT_FALSE(errors.empty()) << bad.kind << " " << bad.field;
    const std::string prefix = "task." + bad.field + ": ";
    bool named = false;
    for (const std::string& e : errors) {
      EXPECT_EQ(e.rfind("task.", 0), 0u) << e;
      named = named || e.rfind(prefix, 0) == 0;
    }
    EXPECT_TRUE(named) << bad.kind << ": expected a message starting \"" << prefix << "\", first was: " << errors[0];
    EXPECT_EQ(errors.size(), 1u) << bad.kind << " " << bad.field << ": one message per problem; first: " << errors[0];
  }
  // The kind message lists the valid kinds.
  TaskConfig c = small_config("bogus");
  const std::string message = validate_task(c)[0];
  for (const char* kind : kKinds) EXPECT_NE(message.find(kind), std::string::npos) << message;
}

// A stream of one always-emitted binding over two symbols has just four
// sequences (BOS k v k v ..., k and v each one of two). Whether any of them is
// an eval sequence depends on the length; validation must reject exactly the
// lengths where one split is empty, which the sampler could never fill.
TEST(Validate, RejectsExactlyTheTasksWithAnEmptySplit) {
  int rejected = 0, accepted = 0;
  for (int length = 4; length <= 40; ++length) {
    TaskConfig c = small_config("stream");
    c.symbols = 2, c.bindings = 1, c.bind_rate = 1.0f, c.length = length, c.eval_length = length;
    int eval = 0;
    for (int k = 1; k <= 2; ++k)
      for (int v = 1; v <= 2; ++v) {
        std::vector<int> tokens(length);
        tokens[0] = 0;
        for (int t = 1; t < length; ++t) tokens[t] = t % 2 == 1 ? k : v;
        eval += task_detail::is_eval_sequence(tokens.data(), length);
      }
    const auto errors = validate_task(c);
    const bool split_possible = eval > 0 && eval < 4;
    EXPECT_EQ(errors.empty(), split_possible) << "length " << length << ", " << eval << " of 4 sequences are eval";
    if (!errors.empty()) {
      EXPECT_EQ(errors[0].rfind("task.bind_rate: ", 0), 0u) << errors[0];
      ++rejected;
      // Sampling anyway must not hang: rows of the missing split come back
      // without targets rather than borrowing the other split's sequences.
      const auto task = make_task(c);
      const Split missing = eval == 0 ? Split::Eval : Split::Train;
      Rng rng(16);
      TaskBatch batch;
      task->sample(&batch, 2, &rng, missing);
      for (int target : batch.targets) EXPECT_EQ(target, -1);
    } else {
      ++accepted;
    }
  }
  EXPECT_GT(rejected, 0);
  EXPECT_GT(accepted, 0);
}

}  // namespace
}  // namespace attnlab
