// What the app knows of the lab engine: everything the snapshots have
// reported, accumulated (the history of measures) or replaced (the latest
// heatmap). The views only read this; they change the engine through
// commands (LabLink::send).
#pragma once

#include <cstdint>
#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/lab/session.h"
#include "core/training/run.h"

namespace attnlab {

struct RunView {
  std::string id, label, task;
  int epoch = -1;                        // the load (run_epoch) its data came from; -1: unknown
  int step = 0, steps = 0;
  bool done = false;
  double steps_per_second = 0;
  double seconds_left = NAN;             // to the run's last step while it plays (core/lab/time_left.h); NaN: unknown
  nlohmann::json config;                 // the run's current config (after interventions)
  std::vector<std::string> groups;       // accuracy groups; [0] is the main accuracy
  std::vector<double> chance;
  std::vector<std::string> probe_tokens; // token names of the probe sequence shown in the heatmap
  int layers = 1, heads = 1, seq = 0, prefix = 0, length = 0, converged_at = -1;
  long long pairs_full = 0;              // what full attention of this model's causality scores per head
  nlohmann::json record;                 // what the exercises quote of this run (core/lab/results.h)
  long long params = 0;
  uint64_t seed = 0, data_fingerprint = 0, train_fingerprint = 0;
  nlohmann::json diverged;               // null, or {step, what, advice}
  std::vector<LogPoint> history;
  // The latest heatmap: [side, side] (mean over block x block pairs; -1 = masked).
  int image_n = 0, image_side = 0, image_block = 1, image_layer = 0, image_head = 0;
  std::vector<float> image, extra;
  int image_version = 0;                 // bumps whenever the image changes
  // One query's attention row at every log point: [row_steps.size(), rows_n].
  int rows_query = -1, rows_n = 0;
  std::vector<int> row_steps;
  std::vector<float> rows;
  int rows_version = 0;
};

struct LabState {
  bool loaded = false, playing = false;
  double speed = 0;
  std::string scenario;
  nlohmann::json interventions = nlohmann::json::array();  // {step, target, changes}, as the engine applied them
  nlohmann::json lesson;                   // the loaded preset's lesson verdict (core/lab/lesson.h), or null
  std::vector<std::string> errors;         // engine messages not yet shown (the app drains them)
  std::vector<RunView> runs;
  nlohmann::json job;                      // {"id", "status", "progress"} of the job numbered job_id
  int job_id = 0;                          // the number of the job this UI started last
  double engine_memory_mb = 0;             // the engines' wasm memory (all Web Workers), for the soak benchmark
  std::vector<double> engine_memory_by_engine;  // [engine]: each Web Worker's
  int engines = 1;                         // lab engines training in parallel (core/lab/session.h)
  std::string arithmetic;                  // the engines' SIMD build, e.g. "wasm x4 fused" (core/kernels/simd.h)
  int run_epoch = -1;                      // the latest load any engine's snapshot spoke of (stale ones are skipped)
  std::vector<nlohmann::json> job_results; // every result of the current job
  int job_version = 0;

  // A snapshot from engine 0 (the coordinator: the whole lab, with other
  // engines' runs marked "remote"), or from a helper ("shard": k, its runs only).
  void apply(Snapshot&& snapshot);
  RunView* run(const std::string& id);
  // For the page API and tests: the state and the latest measures, without the big arrays.
  nlohmann::json to_json() const;

 private:
  void apply_run(RunView* r, const nlohmann::json& rj, const Snapshot& s);
};

}  // namespace attnlab
