// The lab's engine, driven by commands and read through snapshots. It runs in
// a Web Worker in the browser (src/worker) and on a background thread on the
// desktop, so training never blocks the page; the UI only sends commands and
// shows snapshots. Everything here is plain C++ (no threads, no Emscripten).
//
// It holds up to two runs (A, and B in A/B mode: the same seed and data, one
// setting changed), plays them at a chosen speed, applies interventions, and
// produces what the Training lab shows: the measures' history, the attention
// heatmap of a chosen layer and head on a fixed probe sequence, and one
// query's attention row over time. It also runs the Memory lab's sweeps and
// the Streaming lab's experiment as cancellable background jobs.
//
// Several engines in parallel (one per Web Worker): {"cmd": "shard", "index":
// k, "count": n, "job_count": m} makes this engine k of n. Run i (A = 0, B = 1)
// trains in engine i % n, and a job's point (or variant) j in engine j % m.
// Engine 0, the coordinator, answers for the lab: the page's snapshots of
// play state, lesson and job come from it, and it sets the step every run may
// train to (shard.target), so A and B pause and take an intervention at the
// same step whichever engine trains them; results are then bit-identical to
// one engine's. The others (helpers) send their runs' snapshots to the page
// and a report of each (new history, step, job results) to the coordinator.
// Messages between engines leave through take_outbox(); the caller delivers
// them in order, as commands. Each carries the epoch of the load (or job) it
// belongs to, so a late one about an earlier run is dropped.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/lab/attention_view.h"
#include "core/training/run.h"

namespace attnlab {

class LabJob;  // a sweep or the streaming experiment (core/lab/jobs.h)

// What a snapshot carries besides JSON: float arrays, by name.
struct Snapshot {
  nlohmann::json json;
  std::vector<std::pair<std::string, std::vector<float>>> arrays;
};

class LabSession {
 public:
  LabSession();
  ~LabSession();

  // {"cmd": ..., ...}: load, play, pause, step, reset, apply, view, speed,
  // job.start, job.cancel. Returns {"ok": true} or {"ok": false, "errors": [...]}.
  // load and job.start take a preset by id ({"preset": id, "seed": S, "steps": n}) as well
  // as a scenario or spec; a preset's lesson is judged in the snapshots
  // ("lesson", and the job's "lesson") for the preset's own experiment only.
  nlohmann::json command(const nlohmann::json& cmd);

  // Does up to budget_ms of work (training steps while playing, a slice of a
  // job). now_ms() is the caller's clock. Returns true if a snapshot is due.
  bool tick(double budget_ms, double (*now_ms)());

  // Everything new since the last snapshot (history points are sent once).
  Snapshot snapshot();

  bool busy() const { return runs_busy() || job_busy(); }  // has work to do now
  bool runs_busy() const;  // a run of the Training lab to step
  bool job_busy() const;   // a job slice (Memory or Streaming lab)

  // Commands for other engines, in order: (engine index, command).
  std::vector<std::pair<int, nlohmann::json>> take_outbox() { return std::exchange(outbox_, {}); }

 private:
  struct Slot;  // one run and what has been sent of it
  void load_runs();
  void refresh_views(Slot& slot);
  void step_all();
  nlohmann::json slot_json(Slot& slot, Snapshot* out);
  void apply_due(Slot& slot);   // its interventions whose step has come
  void schedule_on(Slot& slot, const nlohmann::json& intervention);
  int paced_steps(double now);  // at a chosen speed
  nlohmann::json schedule_apply(const nlohmann::json& cmd);
  // Sharded: the coordinator moves target_; every engine steps its runs up to it.
  bool sharded() const { return shards_ > 1; }
  bool coordinator() const { return shard_ == 0; }
  void advance_target(double now);
  void send_target();
  bool step_owned(double budget_ms, double start, double (*now_ms)());
  nlohmann::json shard_report(const nlohmann::json& cmd);
  void update_job_progress(double now);
  Snapshot helper_snapshot();

  nlohmann::json scenario_;            // the loaded scenario (A config, optional B changes, interventions)
  nlohmann::json lesson_;              // its preset's lesson (null for other scenarios)
  nlohmann::json applied_ = nlohmann::json::array();  // {step, target, changes} in the order applied
  std::vector<std::string> replay_errors_;
  std::vector<std::unique_ptr<Slot>> slots_;
  bool playing_ = false;
  double steps_per_second_ = 0;        // 0 = as fast as possible
  double step_debt_ = 0;               // steps owed at a limited speed
  double last_tick_ms_ = -1;
  int view_layer_ = 0, view_head_ = 0, view_query_ = -1;  // query -1: the task's main query (last token)
  bool views_dirty_ = true;
  std::unique_ptr<LabJob> job_;
  nlohmann::json job_progress_;
  std::vector<nlohmann::json> job_results_;  // new results since the last snapshot
  std::map<std::string, nlohmann::json> job_records_;  // every result's record so far, by key (for the lesson)
  nlohmann::json job_lesson_;          // the job's preset's lesson (null for other specs)
  std::string job_status_;
  double job_started_ms_ = -1;  // the tick clock when the job began to work
  int job_id_ = 0;  // as the caller numbered the job (job.start's "id")
  double last_snapshot_ms_ = -1e9;
  bool snapshot_due_ = true;

  // Sharding (see the top of this file).
  int shard_ = 0, shards_ = 1, job_shards_ = 1;
  int run_epoch_ = 0, job_epoch_ = 0;  // loads (and resets), job starts (and cancels) so far
  int target_ = 0;                     // sharded: the step every run may train to
  std::vector<bool> replay_recorded_;  // the scenario's interventions already in applied_
  struct ShardJob {
    double fraction = 0;
    long long finished = 0;
    bool done = false;
  };
  std::map<int, ShardJob> shard_jobs_;  // the coordinator's view of the helpers' parts of the job
  std::vector<std::pair<int, nlohmann::json>> outbox_;
};

}  // namespace attnlab
