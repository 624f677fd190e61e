// The scenarios the app ships, named by what they teach. Each one is the
// same config JSON the runner and the URLs use (core/training/config_schema.h); a
// Training-lab preset may compare two runs (A/B: the same seed and data, the
// fields in "b" changed). EXPERIMENTS.md measures each of them.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace attnlab {

struct Preset {
  std::string id;       // stable, for URLs and the API
  std::string view;     // training | memory | streaming
  std::string title;    // what it teaches
  std::string summary;  // what to look at, 2-3 sentences, with the measured result
  nlohmann::json scenario;  // training: {"name", "config", "b"?, "a_label"?, "b_label"?}; memory/streaming: a job spec
  std::vector<std::string> script;  // a presenter's steps, in order
  // The claim this preset teaches, checked on the student's own run
  // (core/lab/lesson.h).
  nlohmann::json lesson;
  // The first of the 12 consecutive seeds the lesson, as it now stands, was
  // confirmed on (written down before the run; EXPERIMENTS.md). The behaviour
  // tests judge it on the first two of them.
  int first_confirmation_seed = 0;
};

const std::vector<Preset>& presets();
const Preset* find_preset(const std::string& id);

// The preset a loaded scenario is, unchanged (same name, config and B), or null:
// only then does the preset's lesson apply to it.
const Preset* preset_of_scenario(const nlohmann::json& scenario);

}  // namespace attnlab
