// The rolling-cache evaluation: while nothing is evicted it must give exactly
// the losses of the ordinary causal forward pass, for every attention variant
// a streaming model can have; once it evicts, it must differ.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/kernels/crossentropy.h"
#include "core/model/stream_eval.h"
#include "testing.h"

namespace attnlab {
namespace {

std::vector<double> forward_losses(Model& model, const std::vector<int>& tokens) {
  std::vector<int> targets(tokens.size(), kIgnoreTarget);
  for (size_t t = 0; t + 1 < tokens.size(); ++t) targets[t] = tokens[t + 1];
  model.forward(tokens.data(), targets.data(), 1);
  return std::vector<double>(model.losses(), model.losses() + tokens.size() - 1);
}

ModelConfig streaming_config() {
  ModelConfig c;
  c.layers = 2;
  c.heads = 2;
  c.width = 16;
  c.causal = true;
  return c;
}

void check_equivalence(const ModelConfig& config, const char* name) {
  const int T = 20, V = 11;
  Model model(config, V, T);
  Rng rng(4);
  model.init(&rng);
  std::vector<int> tokens(T);
  for (int& t : tokens) t = rng.below(V);
  const std::vector<double> expected = forward_losses(model, tokens);
  std::vector<double> got;
  double first_mass = 0;
  stream_losses(&got, &first_mass, model, {0, T + model.prefix()}, tokens);  // nothing is evicted
  EXPECT_TRUE(testing::all_close(got, expected, 1e-4, 1e-5)) << name;
  EXPECT_GT(first_mass, 0.0) << name;
  EXPECT_LT(first_mass, 1.0) << name;
}

TEST(StreamEval, WithoutEvictionItEqualsTheCausalForward) {
  ModelConfig c = streaming_config();
  check_equivalence(c, "learned positions");
  c.positions = "rope";
  check_equivalence(c, "rope");
  c.registers = 1;
  check_equivalence(c, "rope + a register (learnable sink token)");
  c.registers = 0;
  c.softmax1 = true;
  check_equivalence(c, "rope + softmax1");
  c.softmax1 = false;
  c.sink_logit = true;
  c.qk_norm = true;
  c.softcap = 4.0f;
  c.logit_scale = 2.0f;
  check_equivalence(c, "rope + sink logit + qk-norm + soft-cap + scale");
}

TEST(StreamEval, EvictionChangesTheLossesOnlyAfterTheCacheFills) {
  ModelConfig c = streaming_config();
  c.positions = "rope";
  const int T = 16, V = 9;
  Model model(c, V, T);
  Rng rng(6);
  model.init(&rng);
  std::vector<int> tokens(40);
  for (int& t : tokens) t = rng.below(V);
  std::vector<double> full, rolling, sink;
  stream_losses(&full, nullptr, model, {0, 64}, tokens);
  stream_losses(&rolling, nullptr, model, {0, 8}, tokens);
  stream_losses(&sink, nullptr, model, {2, 6}, tokens);
  for (int t = 0; t < 8; ++t) EXPECT_NEAR(rolling[t], full[t], 1e-5) << t;  // cache not full yet
  double differ = 0;
  for (size_t t = 8; t < rolling.size(); ++t) differ += std::fabs(rolling[t] - full[t]);
  EXPECT_GT(differ, 1e-3);
  double differ_sink = 0;
  for (size_t t = 8; t < sink.size(); ++t) differ_sink += std::fabs(sink[t] - rolling[t]);
  EXPECT_GT(differ_sink, 1e-3);  // keeping the first two entries is a different cache
}

TEST(StreamEval, ProblemsAreExplained) {
  ModelConfig c = streaming_config();
  Model causal(c, 5, 32);
  EXPECT_EQ(stream_eval_problem(causal, {4, 28}), "");
  EXPECT_NE(stream_eval_problem(causal, {4, 60}).find("must not exceed"), std::string::npos);
  c.causal = false;
  Model bidirectional(c, 5, 32);
  EXPECT_NE(stream_eval_problem(bidirectional, {0, 16}).find("causal"), std::string::npos);
}

}  // namespace
}  // namespace attnlab
