#include "app/lab/results_book.h"

namespace attnlab {
namespace {

constexpr const char* kStorageKey = "attnlab.results.v1";

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
    if (r.history.empty() || r.history.size() == seen || !r.record.is_object()) continue;
    seen = r.history.size();
    data_[preset][r.id] = r.record;
    dirty_ = true;
  }
  record_lesson(preset, state.lesson);
}

void ResultsBook::record_lesson(const std::string& preset, const nlohmann::json& verdict) {
  if (preset.empty() || !verdict.is_object()) return;
  if (data_.contains(preset) && data_[preset].value("lesson", nlohmann::json()) == verdict) return;
  data_[preset]["lesson"] = verdict;
  dirty_ = true;
}

void ResultsBook::record_job_result(const std::string& preset, const nlohmann::json& r) {
  // The engine names each result's key and what it records (core/lab/results.h).
  if (preset.empty() || !r.is_object() || !r.contains("key") || !r["key"].is_string() || r["key"] == "" ||
      !r.contains("record") || !r["record"].is_object())
    return;
  data_[preset][r["key"].get<std::string>()] = r["record"];
  dirty_ = true;
}

void ResultsBook::save_if_due(Host& host, double now) {
  if (!dirty_ || now - saved_at_ < 3.0) return;
  host.storage_set(kStorageKey, data_.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  saved_at_ = now;
  dirty_ = false;
}

}  // namespace attnlab
