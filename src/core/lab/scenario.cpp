#include "core/lab/scenario.h"

#include <cstdio>

#include "core/model/model.h"
#include "core/training/config_schema.h"
#include "core/base/untrusted_text.h"

namespace attnlab {
namespace {

constexpr size_t kMaxLabel = 80;
constexpr size_t kMaxInterventions = 50;

}  // namespace

std::vector<ScenarioProblem> check_scenario(const nlohmann::json& sc) {
  std::vector<ScenarioProblem> out;
  if (!sc.is_object() || !sc.contains("config") || !sc["config"].is_object())
    return {{"", "must be an object with a \"config\" object"}};
  for (auto it = sc.begin(); it != sc.end(); ++it) {
    const std::string& k = it.key();
    if (k != "config" && k != "b" && k != "a_label" && k != "b_label" && k != "name" && k != "interventions")
      out.push_back({printable(k), "unknown field"});
  }
  for (const char* k : {"a_label", "b_label", "name"})
    if (sc.contains(k) && (!sc[k].is_string() || sc[k].get_ref<const std::string&>().size() > kMaxLabel))
      out.push_back({k, "must be text of at most 80 characters"});
  RunConfig a;
  std::vector<std::string> e;
  config_update_from_json(&a, sc["config"], &e);
  if (e.empty()) e = validate_config(a);
  for (const std::string& m : e) out.push_back({"config", m});
  if (sc.contains("b") && !sc["b"].is_null()) {
    if (!sc["b"].is_object()) {
      out.push_back({"b", "must be an object of the fields B changes"});
    } else {
      nlohmann::json bj = sc["config"];
      bj.merge_patch(sc["b"]);
      RunConfig b;
      std::vector<std::string> be;
      config_update_from_json(&b, bj, &be);
      if (be.empty()) be = validate_config(b);
      for (const std::string& m : be) out.push_back({"b", m});
      // One training worker may hold both runs (with one engine, or as the
      // coordinator's copy of B, core/lab/session.h): together they must fit.
      const double both = Model::estimate_bytes(a, a.train.batch) + Model::estimate_bytes(b, b.train.batch);
      if (e.empty() && be.empty() && both > kMaxRunBytes) {
        char buf[200];
        std::snprintf(buf, sizeof buf,
                      "A and B together need about %.1f GB of memory, more than the %.1f GB one training worker "
                      "holds; lower train.batch, task.length or model.width",
                      both / 1e9, kMaxRunBytes / 1e9);
        out.push_back({"b", buf});
      }
    }
  }
  if (sc.contains("interventions")) {
    const nlohmann::json& list = sc["interventions"];
    if (!list.is_array() || list.size() > kMaxInterventions) {
      out.push_back({"interventions", "must be a list of at most 50 entries"});
    } else {
      for (size_t i = 0; i < list.size(); ++i) {
        const nlohmann::json& x = list[i];
        const std::string where = "interventions[" + std::to_string(i + 1) + "]";
        if (!x.is_object() || !x.contains("step") || !x["step"].is_number_integer() || x["step"].get<long long>() < 0 ||
            x["step"].get<long long>() > 1000000) {
          out.push_back({where + ".step", "must be an integer from 0 to 1000000"});
        } else if (x.contains("target") &&
                   (!x["target"].is_string() || (x["target"] != "a" && x["target"] != "b" && x["target"] != "both"))) {
          out.push_back({where + ".target", "must be a, b or both"});
        } else if (!x.contains("changes") || !x["changes"].is_object()) {
          out.push_back({where + ".changes", "must be an object such as {\"model\": {\"globals\": 4}}"});
        } else {
          // The changes must be fields a run may change, with valid values.
          RunConfig probe = a;
          std::vector<std::string> ce;
          config_update_from_json(&probe, x["changes"], &ce);
          for (const std::string& m : ce) out.push_back({where + ".changes", m});
        }
      }
    }
  }
  return out;
}

std::vector<std::string> scenario_errors(const nlohmann::json& scenario) {
  std::vector<std::string> out;
  for (const ScenarioProblem& p : check_scenario(scenario))
    out.push_back(p.where.empty() ? "scenario: " + p.message
                  : p.where == "config" ? p.message
                                        : p.where + ": " + p.message);
  return out;
}

bool validate_scenario(const nlohmann::json& scenario, std::vector<std::string>* errors) {
  const std::vector<ScenarioProblem> problems = check_scenario(scenario);
  for (const ScenarioProblem& p : problems)
    errors->push_back("scenario" + (p.where.empty() ? std::string() : "." + p.where) + ": " + p.message);
  return problems.empty();
}

}  // namespace attnlab
