// Training runs: determinism, save and restore, divergence, interventions,
// and the config schema's messages.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/training/config_schema.h"
#include "core/training/run.h"
#include "core/training/run_report.h"

namespace attnlab {
namespace {

RunConfig small_config() {
  RunConfig c;
  c.seed = 7;
  c.model.layers = 2;
  c.model.heads = 2;
  c.model.width = 16;
  c.task.kind = "retrieval";
  c.task.length = 24;
  c.task.topics = 4;
  c.task.symbols = 8;
  c.task.eval_size = 32;
  c.train.batch = 4;
  c.train.steps = 20;
  c.train.log_every = 5;
  c.train.warmup = 3;
  c.train.probe_batch = 2;
  return c;
}

std::unique_ptr<Run> make(const RunConfig& c) {
  std::vector<std::string> errors;
  auto run = Run::create(c, &errors);
  EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors[0]);
  return run;
}

void train(Run* run, int steps) {
  for (int i = 0; i < steps; ++i) run->step();
}

TEST(Run, SameSeedGivesBitIdenticalRuns) {
  auto a = make(small_config()), b = make(small_config());
  train(a.get(), 20);
  train(b.get(), 20);
  EXPECT_EQ(a->model().param_data(), b->model().param_data());
  EXPECT_EQ(history_to_json(a->history()).dump(), history_to_json(b->history()).dump());
  RunConfig other = small_config();
  other.seed = 8;
  auto c = make(other);
  train(c.get(), 20);
  EXPECT_NE(a->model().param_data(), c->model().param_data());
}

TEST(Run, LogsEveryIntervalWithSaneMeasures) {
  auto run = make(small_config());
  train(run.get(), 20);
  ASSERT_EQ(run->history().size(), 5u);  // at initialization, then every 5 steps
  EXPECT_EQ(run->history().front().step, 0);
  const LogPoint& p = run->history().back();
  EXPECT_EQ(p.step, 20);
  ASSERT_EQ(p.heads.size(), 4u);
  for (const HeadMeasures& h : p.heads) {
    EXPECT_GE(h.entropy_norm, 0.0);
    EXPECT_LE(h.entropy_norm, 1.0 + 1e-9);
    EXPECT_GT(h.peak, 0.0);
    EXPECT_LE(h.peak, 1.0 + 1e-6);
    EXPECT_GE(h.jump, 0.0);  // not the first point: defined
    EXPECT_GE(h.drift, 0.0);
  }
  EXPECT_EQ(run->history().front().heads[0].jump, -1.0);  // the first point has nothing to compare with
  EXPECT_EQ(p.cosine.size(), 2u);
  EXPECT_EQ(p.pairs, 24LL * 24);
}

// Jump and drift of the rows with a target (active) and without (idle), apart:
// on retrieval only the question (the last of the 24 probed rows) is active,
// so the overall jump is the rows' weighted mean of the two.
TEST(Run, IdleAndActiveRowsAreMeasuredApart) {
  auto run = make(small_config());
  train(run.get(), 20);
  const LogPoint& p = run->history().back();
  for (const HeadMeasures& h : p.heads) {
    ASSERT_GE(h.jump_active, 0.0);
    ASSERT_GE(h.jump_idle, 0.0);
    EXPECT_NEAR(h.jump, (23 * h.jump_idle + 1 * h.jump_active) / 24, 1e-12);
    EXPECT_NEAR(h.drift, (23 * h.drift_idle + 1 * h.drift_active) / 24, 1e-12);
  }
  EXPECT_EQ(run->history().front().heads[0].jump_idle, -1.0);  // nothing to compare with yet
  // Copying: every row after the first copy_offset has a target; the first rows are idle.
  RunConfig c = small_config();
  c.task.kind = "copy";
  c.task.copy_offset = 2;
  auto copy = make(c);
  train(copy.get(), 10);
  for (const HeadMeasures& h : copy->history().back().heads) {
    EXPECT_GE(h.jump_active, 0.0);
    EXPECT_GE(h.jump_idle, 0.0);
    EXPECT_NEAR(h.jump, (3 * h.jump_idle + 21 * h.jump_active) / 24, 1e-12);
  }
  // Bigram-Backcopy: every row has a target, but only a trigger's row needs
  // context (the next token copies the one before it); the others are idle.
  c = small_config();
  c.task.kind = "backcopy";
  c.task.trigger_rate = 0.3f;
  c.model.causal = true;
  auto backcopy = make(c);
  const TaskBatch& probe = backcopy->probe_set();
  int active_rows = 0;
  for (int b = 0; b < probe.B; ++b)
    for (int t = 0; t + 1 < probe.T; ++t) active_rows += probe.groups[static_cast<size_t>(b) * probe.T + t] == 1;
  ASSERT_GT(active_rows, 0);
  ASSERT_LT(active_rows, probe.B * 24);
  train(backcopy.get(), 10);
  for (const HeadMeasures& h : backcopy->history().back().heads) {
    const double rows = probe.B * 24.0;
    EXPECT_NEAR(h.jump, ((rows - active_rows) * h.jump_idle + active_rows * h.jump_active) / rows, 1e-12);
    EXPECT_NEAR(h.drift, ((rows - active_rows) * h.drift_idle + active_rows * h.drift_active) / rows, 1e-12);
  }
}

TEST(Run, SaveAndRestoreContinuesBitIdentically) {
  auto straight = make(small_config());
  train(straight.get(), 20);
  auto first = make(small_config());
  train(first.get(), 12);
  const std::vector<uint8_t> bytes = first->save();
  std::vector<std::string> errors;
  auto resumed = Run::load(bytes, &errors);
  ASSERT_TRUE(resumed) << (errors.empty() ? "" : errors[0]);
  EXPECT_EQ(resumed->steps_done(), 12);
  train(resumed.get(), 8);
  EXPECT_EQ(resumed->model().param_data(), straight->model().param_data());
  EXPECT_EQ(history_to_json(resumed->history()).dump(), history_to_json(straight->history()).dump());
}

TEST(Run, DamagedStatesAreRefusedWithAReason) {
  auto run = make(small_config());
  train(run.get(), 3);
  std::vector<uint8_t> bytes = run->save();
  std::vector<std::string> errors;
  EXPECT_FALSE(Run::load(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 40), &errors));
  ASSERT_FALSE(errors.empty());
  bytes[0] = 'X';
  EXPECT_FALSE(Run::load(bytes, &errors));
  EXPECT_NE(errors[0].find("not an Attention Lab run state"), std::string::npos);
}

TEST(Run, ANonFiniteGradientIsFoundAndNamed) {
  auto run = make(small_config());
  train(run.get(), 2);
  Model& m = run->mutable_model();
  EXPECT_EQ(m.first_nonfinite_grad(), "");
  const TensorInfo& t = m.tensors()[5];
  m.grad_data()[t.offset + 1] = INFINITY;
  EXPECT_EQ(m.first_nonfinite_grad(), t.name);
  EXPECT_FALSE(std::isfinite(m.clip_grad_norm(1.0f)));  // the step would stop here
}

TEST(Run, DivergenceStopsBeforeTheOptimizerSeesIt) {
  auto run = make(small_config());
  train(run.get(), 3);
  Model& m = run->mutable_model();
  m.param_data()[m.tensors()[0].offset] = NAN;  // a poisoned embedding
  const std::vector<float> moments = m.adam_m();
  run->step();
  ASSERT_TRUE(run->diverged());
  EXPECT_EQ(run->divergence().step, 4);
  // The poisoned row is BOS, in every sequence: the loss itself is NaN.
  EXPECT_EQ(run->divergence().what, "the training loss became NaN");
  EXPECT_FALSE(run->divergence().advice.empty());
  EXPECT_EQ(m.adam_m(), moments);  // the optimizer state is untouched
  EXPECT_EQ(run->steps_done(), 3);
  run->step();  // a diverged run does nothing more
  EXPECT_EQ(run->steps_done(), 3);
}

TEST(Run, InterventionMidRunContinuesAndIsMarked) {
  auto run = make(small_config());
  train(run.get(), 10);
  std::vector<std::string> errors;
  ASSERT_TRUE(run->apply({{"model", {{"globals", 2}, {"softmax1", true}}}}, &errors)) << errors[0];
  EXPECT_EQ(run->model().prefix(), 2);
  train(run.get(), 10);
  EXPECT_FALSE(run->diverged());
  EXPECT_EQ(run->steps_done(), 20);
  bool marked = false;
  for (const LogPoint& p : run->history())
    if (p.event.find("model.globals 0 -> 2") != std::string::npos) marked = p.step == 15;
  EXPECT_TRUE(marked);
  // Not every field may change mid-run, and the message says which.
  EXPECT_FALSE(run->apply({{"model", {{"width", 32}}}}, &errors));
  EXPECT_NE(errors[0].find("model.width"), std::string::npos);
  EXPECT_FALSE(run->apply({{"model", {{"window", -5}}}}, &errors));
  EXPECT_NE(errors[0].find("model.window"), std::string::npos);
}

TEST(ConfigSchema, MessagesNameTheFieldAndTheRange) {
  RunConfig c = small_config();
  std::string error;
  EXPECT_FALSE(set_field_text(&c, *find_field("heads"), "9", &error));
  EXPECT_EQ(error, "model.heads: must be an integer from 1 to 4");
  EXPECT_FALSE(set_field_text(&c, *find_field("lr"), "fast", &error));
  EXPECT_NE(error.find("train.lr"), std::string::npos);
  EXPECT_FALSE(set_field_text(&c, *find_field("positions"), "sinusoid", &error));
  EXPECT_EQ(error, "model.positions: must be one of learned, rope, none, got \"sinusoid\"");
  c.model.heads = 3;
  auto errors = validate_config(c);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].rfind("model.width", 0), 0u);
}

TEST(ConfigSchema, JsonRoundTripAndUnknownKeys) {
  RunConfig c = small_config();
  c.model.window = 5;
  c.model.positions = "rope";
  const nlohmann::json j = config_to_json(c);
  RunConfig back;
  std::vector<std::string> errors;
  config_update_from_json(&back, j, &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(config_to_json(back), j);
  config_update_from_json(&back, {{"model", {{"colour", 1}, {"layers", 9}}}, {"extra", 1}}, &errors);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(back.model.layers, 2);  // the bad value did not apply
}

TEST(ConfigSchema, RefusesARunThatWouldNotFitInMemory) {
  RunConfig c = small_config();
  c.task.length = 8192;
  c.model.width = 128;
  c.model.layers = 4;
  c.train.batch = 64;
  const auto errors = validate_config(c);
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors.back().find("GB"), std::string::npos) << errors.back();
}

TEST(ConfigSchema, GlobalTokensInACausalLanguageModelAreRefused) {
  RunConfig c = small_config();
  c.task.kind = "stream";
  c.model.causal = true;
  c.model.globals = 2;
  const auto errors = validate_config(c);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].rfind("model.globals", 0), 0u);
}

TEST(RunReport, CsvHasAHeaderAndOneRowPerPoint) {
  auto run = make(small_config());
  train(run.get(), 20);
  std::ostringstream csv;
  write_history_csv(csv, *run);
  const std::string s = csv.str();
  EXPECT_EQ(s.rfind("step,lr,train_loss,eval_loss,accuracy_retrieval", 0), 0u);
  EXPECT_EQ(std::count(s.begin(), s.end(), '\n'), 6);
  const nlohmann::json summary = run_summary(*run);
  EXPECT_EQ(summary["steps_done"], 20);
  EXPECT_TRUE(summary["diverged"].is_null());
  EXPECT_EQ(summary["cost"]["pairs_per_head"], 24 * 24);
}

}  // namespace
}  // namespace attnlab
