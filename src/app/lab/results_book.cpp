#include "app/lab/results_book.h"

#include <cctype>

#include "core/training/config_schema.h"
#include "core/training/run_report.h"

namespace attnlab {
namespace {

constexpr const char* kStorageKey = "attnlab.results.v1";

double number(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<double>() : NAN;
}

std::string slug(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '-';
  return out;
}

}  // namespace

void ResultsBook::load(Host& host) {
  const nlohmann::json j = nlohmann::json::parse(host.storage_get(kStorageKey), nullptr, false);
  if (j.is_object()) data_ = j;  // anything else (nothing saved, or damaged): start empty
}

void ResultsBook::clear(Host& host) {
  data_ = nlohmann::json::object();
  seen_.clear();
  host.storage_set(kStorageKey, "{}");
  dirty_ = false;
}

void ResultsBook::record_training(const std::string& preset, const LabState& state) {
  if (preset.empty() || state.scenario != preset) return;  // the snapshot of another scenario
  for (const RunView& r : state.runs) {
    size_t& seen = seen_[preset + "/" + r.id];
    if (r.history.empty() || r.history.size() == seen) continue;
    seen = r.history.size();
    RunConfig c;
    std::vector<std::string> errors;
    config_update_from_json(&c, r.config, &errors);
    nlohmann::json o = logpoint_summary(r.history.back(), c, r.groups);
    o["label"] = r.label;
    o["steps"] = r.steps;
    o["seed"] = r.seed;
    o["steps_per_second"] = r.steps_per_second;
    data_[preset][r.id] = o;
    dirty_ = true;
  }
}

void ResultsBook::record_job_result(const std::string& preset, const nlohmann::json& r) {
  if (preset.empty() || !r.is_object()) return;
  nlohmann::json o;
  std::string key;
  if (r.contains("variant")) {  // streaming: one variant and cache
    const nlohmann::json cache = r.value("cache", nlohmann::json::array());
    if (!cache.is_array() || cache.size() != 2) return;
    key = slug(r["variant"].is_string() ? r["variant"].get<std::string>() : "variant") + "_" + cache[0].dump() + "_" +
          cache[1].dump();
    for (const char* k : {"loss", "perplexity", "first_mass", "error"})
      if (r.contains(k)) o[k] = r[k];
  } else {  // a sweep point: g<globals>, and _k<K> when the sweep varies the number of facts
    key = "g" + std::to_string(static_cast<long long>(number(r, "globals")));
    if (r.contains("set_size")) key += "_k" + std::to_string(static_cast<long long>(number(r, "set_size")));
    o = r.value("final", nlohmann::json::object());
    const nlohmann::json init = r.value("initial", nlohmann::json::object());
    o["init_local_mass"] = number(init, "local_mass");
    o["init_cosine"] = number(init, "cosine");
    o["init_accuracy"] = number(init, "accuracy");
    o["pairs"] = number(r.value("cost", nlohmann::json::object()), "pairs_per_head");
    o["pairs_full"] = number(r.value("cost", nlohmann::json::object()), "pairs_full");
    o["steps"] = r.value("steps", 0);
    o["seed"] = r.value("seed", nlohmann::json(nullptr));
  }
  data_[preset][key] = o;
  dirty_ = true;
}

void ResultsBook::save_if_due(Host& host, double now) {
  if (!dirty_ || now - saved_at_ < 3.0) return;
  host.storage_set(kStorageKey, data_.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  saved_at_ = now;
  dirty_ = false;
}

}  // namespace attnlab
