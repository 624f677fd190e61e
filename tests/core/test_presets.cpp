// The figures the presets' texts state (on screen in the Training and Memory
// labs) are the ones the core computes for the presets' own configs: change a
// config and forget its text, and this fails.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/lab/jobs.h"
#include "core/lab/presets.h"
#include "core/training/config_schema.h"
#include "core/training/run.h"

namespace attnlab {
namespace {

std::unique_ptr<Run> run_of(const nlohmann::json& config, const nlohmann::json& changes = nullptr) {
  nlohmann::json c = config;
  if (changes.is_object()) c.merge_patch(changes);
  RunConfig rc;
  std::vector<std::string> errors;
  config_update_from_json(&rc, c, &errors);
  EXPECT_TRUE(errors.empty()) << errors[0];
  auto run = Run::create(rc, &errors);
  EXPECT_TRUE(run) << errors[0];
  return run;
}

bool says(const Preset& p, const std::string& text) {
  if (p.summary.find(text) != std::string::npos) return true;
  for (const std::string& s : p.script)
    if (s.find(text) != std::string::npos) return true;
  return false;
}

TEST(PresetTexts, WindowPresetChanceAndFullAttention) {
  const Preset* p = find_preset("window-misses-introduction");
  ASSERT_NE(p, nullptr);
  const auto a = run_of(p->scenario["config"]);
  EXPECT_DOUBLE_EQ(a->task().chance(0), 1.0 / 16);
  EXPECT_TRUE(says(*p, "chance (1/16)"));
  EXPECT_TRUE(says(*p, "(1/16 = 0.06)"));
  EXPECT_EQ(a->model().spec().mask.full_pairs(a->model().seq()), 16384);
  EXPECT_TRUE(says(*p, "full attention would be 16,384"));
  EXPECT_EQ(a->config().task.length, 128);
  EXPECT_TRUE(says(*p, "the question at position 127"));
}

TEST(PresetTexts, SixtyFourGlobalTokensScoreAboutTenTimesThePairs) {
  const Preset* p = find_preset("too-many-globals");
  ASSERT_NE(p, nullptr);
  const auto a = run_of(p->scenario["config"]), b = run_of(p->scenario["config"], p->scenario["b"]);
  const double ratio = static_cast<double>(b->model().spec().mask.pairs(b->model().seq())) /
                       static_cast<double>(a->model().spec().mask.pairs(a->model().seq()));
  EXPECT_GT(ratio, 9.5);
  EXPECT_LT(ratio, 10.5);
  EXPECT_TRUE(says(*p, "about 10 times more pairs"));
}

TEST(PresetTexts, CapacitySweepHasNineRuns) {
  const Preset* p = find_preset("memory-capacity");
  ASSERT_NE(p, nullptr);
  std::vector<std::string> errors;
  const auto job = LabJob::create(p->scenario, &errors);
  ASSERT_TRUE(job) << errors[0];
  EXPECT_EQ(job->progress()["points"], 9);
  EXPECT_TRUE(says(*p, "(9 runs)"));
  EXPECT_TRUE(says(*p, "9 small models"));
}

// The behaviour tests judge each lesson on its own confirmation seeds
// (tests/behaviour/test_lessons.cpp): a preset without them would be judged on
// seeds 0 and 1, which nobody wrote down.
TEST(PresetLessons, EveryLessonNamesTheSeedsItWasConfirmedOn) {
  for (const Preset& p : presets()) {
    EXPECT_TRUE(p.lesson.is_object()) << p.id;
    EXPECT_GE(p.first_confirmation_seed, 1001) << p.id;
  }
}

}  // namespace
}  // namespace attnlab
