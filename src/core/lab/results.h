// What the student's runs record for the exercises, read back as
// /results/<preset>/<key>/<field> by their {/pointer} templates (and kept by
// the app's ResultsBook after the lab moves on). The keys are defined here
// and in the presets that produce them:
//   - a Training-lab preset: one record per run, by run id ("a", "b");
//   - a sweep: one per point, its swept fields' "key" prefixes and values
//     joined by "_" ("g1_k4" for {"field": "model.globals", "key": "g"},
//     {"field": "task.set_size", "key": "k"}), "_s<seed>" when it has seeds;
//   - the streaming run: one per variant and cache, "<variant key>_<S>_<R>"
//     ("plain_4_60").
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/training/run.h"

namespace attnlab {

// A run's latest measures (run_report's logpoint_summary: step, accuracy,
// peaky, jump, drift, special_mass, max_logit, cosine, pairs, ...) plus its
// steps, seed, chance (of the main accuracy) and pairs_full (what full
// attention of its causality scores). Empty before the first measurement.
nlohmann::json run_record(const Run& run);

// One part of a sweep point's key: prefix + value ("g" and 1 -> "g1").
std::string result_key_part(const std::string& prefix, const nlohmann::json& value);

// A name as a key part: lower-case letters and digits, '-' for the rest ("sink token" -> "sink-token").
std::string result_slug(const std::string& name);

}  // namespace attnlab
