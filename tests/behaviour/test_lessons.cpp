// Every shipped preset's lesson, exactly as the page judges it (the preset's
// own lesson, through the lab engine), on two of its confirmation seeds
// (EXPERIMENTS.md gives the count over all twelve). Native only: these are
// the presets at full length, minutes of training; the wasm build trains
// bit-compatibly (NativeAndWasmRunsAgree) and runs the small phenomena tests.
#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/lab/presets.h"
#include "core/lab/session.h"

namespace attnlab {
namespace {

// The first two of the confirmation seeds 1001-1012, fixed before the confirmation ran.
constexpr int kSeeds[] = {1001, 1002};

double no_clock() { return 0.0; }

nlohmann::json verdict_of(const Preset& p, int seed) {
  LabSession lab;
  const bool training = p.view == "training";
  const nlohmann::json reply = lab.command({{"cmd", training ? "load" : "job.start"}, {"preset", p.id}, {"seed", seed}});
  EXPECT_TRUE(reply.value("ok", false)) << reply.dump();
  if (training) lab.command({{"cmd", "play"}});
  while (lab.busy()) lab.tick(1e9, no_clock);
  lab.tick(1e9, no_clock);
  const Snapshot s = lab.snapshot();
  return training ? s.json.value("lesson", nlohmann::json()) : s.json["job"].value("lesson", nlohmann::json());
}

class PresetLesson : public ::testing::TestWithParam<std::string> {};

TEST_P(PresetLesson, HoldsOnConfirmationSeeds) {
#ifdef __EMSCRIPTEN__
  GTEST_SKIP() << "native only (minutes of training per preset)";
#endif
  const Preset* p = find_preset(GetParam());
  ASSERT_NE(p, nullptr);
  for (int seed : kSeeds) {
    const nlohmann::json v = verdict_of(*p, seed);
    EXPECT_EQ(v.value("status", std::string()), "held") << p->id << ", seed " << seed << ": " << v.value("text", v.dump());
  }
}

std::vector<std::string> preset_ids() {
  std::vector<std::string> ids;
  for (const Preset& p : presets()) ids.push_back(p.id);
  return ids;
}

INSTANTIATE_TEST_SUITE_P(Presets, PresetLesson, ::testing::ValuesIn(preset_ids()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name;
                           for (char c : info.param) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

}  // namespace
}  // namespace attnlab
