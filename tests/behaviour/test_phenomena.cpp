// The course's phenomena, in small versions, across seeds: each test asserts
// the direction and a minimum size of an effect EXPERIMENTS.md measures at
// full size, and only what held in every seed there. (Speed is never tested.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/training/config_schema.h"
#include "core/model/stream_eval.h"
#include "core/base/rng.h"
#include "core/training/run.h"

namespace attnlab {
namespace {

constexpr int kSeeds[] = {1, 2, 3};

std::unique_ptr<Run> train(RunConfig c) {
  std::vector<std::string> errors;
  auto run = Run::create(c, &errors);
  EXPECT_TRUE(run) << (errors.empty() ? "" : errors[0]);
  while (run && !run->done()) run->step();
  return run;
}

double accuracy(const Run& r) { return r.history().back().accuracy[0]; }

RunConfig retrieval(int seed) {
  RunConfig c;
  c.seed = seed;
  c.model.layers = 2;
  c.model.heads = 2;
  c.model.width = 32;
  c.task.kind = "retrieval";
  c.task.length = 64;
  c.task.topics = 8;
  c.task.symbols = 8;
  c.task.eval_size = 64;
  c.train.batch = 16;
  c.train.lr = 3e-3f;
  c.train.log_every = 50;
  return c;
}

// Phenomenon 1: a window of +-8 over 64 tokens cannot link the question (the
// last token) to the answer (token 1) in two layers; one global token can.
TEST(Phenomena, WindowMissesTheIntroductionAndOneGlobalTokenFixesIt) {
  for (int seed : kSeeds) {
    RunConfig c = retrieval(seed);
    c.model.window = 8;
    c.train.steps = 250;
    const auto window_only = train(c);
    c.model.globals = 1;
    const auto with_global = train(c);
    EXPECT_LE(accuracy(*window_only), 0.3) << "seed " << seed << " (chance 0.125)";
    EXPECT_GE(accuracy(*with_global), 0.9) << "seed " << seed;
    // ...at a cost far below full attention's.
    EXPECT_LT(with_global->history().back().pairs, 65 * 65 / 2) << "seed " << seed;
  }
}

// Phenomenon 2: a large q/k init times logit scale 8 saturates the softmax
// (peaky rows, jumping peaks, logits in the hundreds); logit scale 1 does not;
// global tokens get little weight there and leave the rows as peaky.
TEST(Phenomena, SaturatedSoftmaxIsPeakyAndGlobalTokensDoNotCalmIt) {
  std::vector<double> global_mass;  // [seed] the 4 global tokens' share of the attention at the end
  for (int seed : kSeeds) {
    RunConfig c = retrieval(seed);
    c.model.qk_init = 3.0f;
    c.model.logit_scale = 8.0f;
    c.train.lr = 1e-2f;
    c.train.steps = 60;
    c.train.log_every = 10;
    const auto base = train(c);
    const LogPoint& b = base->history().back();
    const double base_peaky = head_mean(b.heads, &HeadMeasures::peaky);
    EXPECT_GT(base_peaky, 0.8) << "seed " << seed;
    EXPECT_GT(head_mean(b.heads, &HeadMeasures::max_logit), 100.0) << "seed " << seed;
    double jumps = 0;
    for (size_t i = base->history().size() - 3; i < base->history().size(); ++i)
      jumps += head_mean(base->history()[i].heads, &HeadMeasures::jump) / 3;
    EXPECT_GT(jumps, 0.2) << "seed " << seed;

    RunConfig calm = c;
    calm.model.logit_scale = 1.0f;
    const auto calm_run = train(calm);
    EXPECT_LT(head_mean(calm_run->history().back().heads, &HeadMeasures::peaky), base_peaky - 0.3) << "seed " << seed;

    RunConfig globals = c;
    globals.model.globals = 4;
    const auto globals_run = train(globals);  // kept alive: g refers into it
    const LogPoint& g = globals_run->history().back();
    EXPECT_GT(head_mean(g.heads, &HeadMeasures::peaky), base_peaky - 0.1) << "seed " << seed;
    global_mass.push_back(head_mean(g.heads, &HeadMeasures::special_mass));
    EXPECT_LT(global_mass.back(), 0.5) << "seed " << seed << ": the global tokens took most of the attention";
  }
  // Over 64 tokens they typically take a few percent of the weight (under 1% at 256). Not in every seed:
  // over seeds 1-12, native and wasm, before and after the softmax floor (48 runs), the median was 0.06-0.08
  // and 3 runs passed 0.15 (0.16-0.30), so the typical share is asserted, not each seed's.
  std::sort(global_mass.begin(), global_mass.end());
  EXPECT_LT(global_mass[global_mass.size() / 2], 0.15) << "the median over the seeds";
}

// Phenomenon 3: through a +-4 window, 2 global tokens carry 2 facts from the
// introduction to the end but not 12.
TEST(Phenomena, FixedSizeGlobalMemoryLosesFacts) {
  for (int seed : kSeeds) {
    RunConfig c;
    c.seed = seed;
    c.model.window = 4;
    c.model.globals = 2;
    c.task.kind = "recall";
    c.task.length = 48;
    c.task.symbols = 16;
    c.task.eval_size = 64;
    c.train.steps = 600;
    c.train.batch = 16;
    c.train.log_every = 100;
    c.task.set_size = 2;
    const double few = accuracy(*train(c));
    c.task.set_size = 12;
    const double many = accuracy(*train(c));
    EXPECT_GE(few - many, 0.5) << "seed " << seed << ": K=2 " << few << ", K=12 " << many;
  }
}

// Phenomenon 3: more global tokens are not free: pairs scored grow with g,
// and at initialization they take attention away from the local tokens.
TEST(Phenomena, ManyGlobalTokensCostPairsAndTakeAttentionFromLocalTokens) {
  for (int seed : kSeeds) {
    RunConfig c;
    c.seed = seed;
    c.model.window = 4;
    c.task.kind = "copy";
    c.task.length = 128;
    c.task.eval_size = 16;
    c.train.steps = 1;
    c.train.probe_batch = 2;
    const auto none = train(c);
    c.model.globals = 32;
    const auto many = train(c);
    const LogPoint& n0 = none->history().front();  // measured at initialization
    const LogPoint& m0 = many->history().front();
    EXPECT_NEAR(head_mean(n0.heads, &HeadMeasures::local_mass), 1.0, 1e-6);
    EXPECT_LT(head_mean(m0.heads, &HeadMeasures::local_mass), 0.5) << "seed " << seed;
    EXPECT_GT(static_cast<double>(m0.pairs) / n0.pairs, 3.0);
  }
}

// Phenomenon 4: StreamingLLM in miniature, at the size the lab can train. In
// every seed of EXPERIMENTS.md no head became a first-token sink (> 0.3), and
// with no sink the cache policy hardly matters: evicting the first token
// (0+64) changes perplexity by a few percent, not by orders of magnitude as in
// large models. (What a sink does when one exists is not asserted: none forms.)
TEST(Phenomena, SmallStreamingModelsGrowNoSinkSoTheCachePolicyHardlyMatters) {
  for (int seed : kSeeds) {
    RunConfig c;
    c.seed = seed;
    c.model.layers = 2;
    c.model.heads = 4;
    c.model.width = 32;
    c.model.causal = true;
    c.model.positions = "rope";
    c.task.kind = "stream";
    c.task.length = 64;
    c.task.symbols = 16;
    c.task.bindings = 4;
    c.task.bind_rate = 0.5f;
    c.task.eval_size = 32;
    c.train.steps = 600;
    c.train.log_every = 200;
    const auto run = train(c);
    const std::vector<HeadMeasures>& heads = run->history().back().heads;  // index layer * 4 + head
    for (size_t i = 0; i < heads.size(); ++i)
      EXPECT_LT(heads[i].first_mass, 0.3) << "seed " << seed << ", layer " << i / 4 << " head " << i % 4;
    Rng rng = Rng(seed).fork(4);
    const StreamEvalResult evicted = stream_eval(run->model(), run->task(), {0, 64}, 256, 4, &rng);
    rng = Rng(seed).fork(4);  // the same streams
    const StreamEvalResult kept = stream_eval(run->model(), run->task(), {4, 60}, 256, 4, &rng);
    // It learned the language: bound values at over 3x chance (1/16), and a
    // perplexity below a uniform guess (the noise tokens are unpredictable)...
    EXPECT_GT(run->history().back().accuracy[1], 0.2) << "seed " << seed << " (group 1: bound values)";
    EXPECT_LT(kept.perplexity, run->task().vocab_size()) << "seed " << seed;
    // ...and evicting the first tokens costs under 5% (Llama-2: 5.4 -> 5,158).
    EXPECT_LT(std::abs(evicted.perplexity / kept.perplexity - 1.0), 0.05)
        << "seed " << seed << ": 0+64 " << evicted.perplexity << ", 4+60 " << kept.perplexity;
  }
}

}  // namespace
}  // namespace attnlab
