// What the student's own runs measured, kept per preset, so that exercise
// feedback can quote them after the lab has moved on to something else (and
// after a reload: the book is saved in the browser). The engine decides the
// keys and the fields (core/lab/results.h); the book only keeps them:
//
// {"window-misses-introduction": {"a": {step, accuracy, peaky, jump, pairs, pairs_full, chance, ...}, "b": {...}},
//  "memory-capacity": {"g1_k4": {accuracy, ...}, ...},  "memory-cost": {"g0": {..., init_local_mass, init_cosine}},
//  "streaming-sinks": {"plain_4_60": {loss, perplexity, first_mass}, ...}}
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "app/host.h"
#include "app/lab/lab_state.h"

namespace attnlab {

class ResultsBook {
 public:
  void load(Host& host);   // from the browser's storage
  void clear(Host& host);  // and forget the saved copy
  // The latest measures of the loaded training preset's runs (call every frame).
  void record_training(const std::string& preset, const LabState& state);
  // One finished point of a Memory-lab sweep or of the Streaming experiment.
  void record_job_result(const std::string& preset, const nlohmann::json& result);
  // The preset's lesson verdict on the student's run, under /results/<preset>/lesson.
  void record_lesson(const std::string& preset, const nlohmann::json& verdict);
  // Saves at most every few seconds, when something changed.
  void save_if_due(Host& host, double now_seconds);

  const nlohmann::json& json() const { return data_; }

 private:
  nlohmann::json data_ = nlohmann::json::object();
  std::map<std::string, size_t> seen_;  // "preset/run" -> history points recorded
  bool dirty_ = false;
  double saved_at_ = -1e9;
};

}  // namespace attnlab
