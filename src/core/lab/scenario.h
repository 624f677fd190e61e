// A training scenario: {"config": {...}, "b": {changed fields}, "a_label",
// "b_label", "name", "interventions": [{"step", "target", "changes"}]}. The
// one check of its shape and its configs, used by the engine (load), the
// Training lab, shared links and course files; each names the problem its way.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace attnlab {

struct ScenarioProblem {
  std::string where;    // "" (the whole), "config", "b", "a_label", "interventions", "interventions[2].step", ...
  std::string message;  // for "config" and "b" the config's own message: "model.heads: must be ..."
};

std::vector<ScenarioProblem> check_scenario(const nlohmann::json& scenario);

// As the lab says them: "model.heads: ..." for A's config, "b: model.heads: ...",
// "interventions[1].step: ...", "scenario: must be an object ...".
std::vector<std::string> scenario_errors(const nlohmann::json& scenario);

// As a file or a link says them: "scenario.config: model.heads: ...". True when valid.
bool validate_scenario(const nlohmann::json& scenario, std::vector<std::string>* errors);

}  // namespace attnlab
