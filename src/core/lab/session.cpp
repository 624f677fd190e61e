// The lab's engine (see session.h).
//
// Index
//   - slots          a run and the views computed from it
//   - commands
//   - tick           training at the chosen speed, job slices
//   - snapshot       what changed since the last one
#include "core/lab/session.h"

#include <algorithm>
#include <cmath>

#include "core/kernels/simd.h"
#include "core/training/config_schema.h"
#include "core/lab/jobs.h"
#include "core/lab/lesson.h"
#include "core/lab/presets.h"
#include "core/lab/results.h"
#include "core/lab/scenario.h"
#include "core/base/json_read.h"
#include "core/lab/time_left.h"
#include "core/training/run_report.h"

namespace attnlab {
namespace {

bool valid_seed(const nlohmann::json& s) {
  return s.is_number_integer() && s.get<long long>() >= 0 && s.get<long long>() <= 4294967295LL;
}

// A preset's experiment at another length: {"steps": n} on load or job.start
// (tests run the presets short); log points at least twice in the run.
bool shorten(nlohmann::json* config, const nlohmann::json& cmd, std::vector<std::string>* errors) {
  if (!cmd.contains("steps")) return true;
  if (!cmd["steps"].is_number_integer() || cmd["steps"].get<int>() < 1 || cmd["steps"].get<int>() > 100000) {
    errors->push_back("steps: must be an integer from 1 to 100000");
    return false;
  }
  const int n = cmd["steps"].get<int>();
  nlohmann::json& train = (*config)["train"];
  train["steps"] = n;
  if (train.value("log_every", 10) > std::max(1, n / 2)) train["log_every"] = std::max(1, n / 2);
  if (train.value("warmup", 50) > n) train["warmup"] = 0;
  return true;
}

constexpr int kMaxImageSide = 512;     // heatmap cells per side (longer sequences are block-averaged)
constexpr size_t kMaxProbeRows = 600;  // rows of the "query over time" view kept per run
constexpr double kSnapshotMs = 100.0;  // at most ten snapshots a second while busy

nlohmann::json fail(std::vector<std::string> errors) { return {{"ok", false}, {"errors", std::move(errors)}}; }

uint32_t fingerprint(const std::vector<int>& tokens) {  // FNV-1a: the same data gives the same print
  uint32_t h = 2166136261u;
  for (int t : tokens) h = (h ^ static_cast<uint32_t>(t)) * 16777619u;
  return h;
}

}  // namespace

// ---- slots -------------------------------------------------------------------------

struct LabSession::Slot {
  std::string id, label;
  std::unique_ptr<Run> run;
  size_t sent_points = 0;    // history points already in a snapshot
  bool send_config = true;   // the config changed since the last snapshot
  bool history_reset = true;
  AttentionImage image;
  bool image_fresh = false;  // computed since the last snapshot
  int rows_query = -1;       // the query of the rows below
  std::vector<int> row_steps;
  std::vector<float> rows;   // [row_steps.size(), N]
  size_t sent_rows = 0;
  size_t logged_points = 0;  // history size when we last recorded a probe row
  double rate = 0;           // measured steps per second, over the time it trains
  double rate_time = -1;     // the measuring window's start (ms), and the steps done then
  int rate_steps = 0;
  double last_step_ms = -1;  // the last tick that found it further on, and its steps then
  int last_steps = -1;
  uint32_t data_print = 0, train_print = 0;
  std::vector<nlohmann::json> pending;  // interventions to apply at their step: {step, target, changes, replay?}
  // Sharded. The coordinator's copy of a run another engine trains (remote):
  // its config (run), and what that engine reported.
  bool remote = false;
  std::vector<LogPoint> remote_history;
  int remote_step = 0;
  bool remote_done = false;
  double remote_rate = 0;
  // A helper's: history points already reported to the coordinator.
  size_t reported_points = 0;
  bool report_reset = true;

  int step() const { return remote ? remote_step : run->steps_done(); }
  bool done() const { return remote ? remote_done : run->done(); }
};

LabSession::LabSession() = default;
LabSession::~LabSession() = default;

bool LabSession::job_busy() const { return job_ && !job_->done(); }

bool LabSession::runs_busy() const {
  if (!sharded()) return playing_;
  for (const auto& s : slots_)
    if (!s->remote && !s->run->done() && s->run->steps_done() < target_) return true;
  return false;  // waiting for the coordinator (or nothing to do)
}

void LabSession::load_runs() {
  slots_.clear();
  playing_ = false;
  ++run_epoch_;
  target_ = 0;
  step_debt_ = 0;
  last_tick_ms_ = -1;
  applied_ = nlohmann::json::array();
  std::vector<nlohmann::json> replays;
  if (scenario_.contains("interventions") && scenario_["interventions"].is_array())
    for (const nlohmann::json& x : scenario_["interventions"]) replays.push_back(x);
  for (size_t i = 0; i < replays.size(); ++i) replays[i]["replay"] = i;
  std::stable_sort(replays.begin(), replays.end(),
                   [](const nlohmann::json& a, const nlohmann::json& b) { return a["step"] < b["step"]; });
  replay_recorded_.assign(replays.size(), false);
  std::vector<std::pair<std::string, nlohmann::json>> wanted = {{"a", scenario_["config"]}};
  if (scenario_.contains("b") && scenario_["b"].is_object()) {
    nlohmann::json b = scenario_["config"];
    b.merge_patch(scenario_["b"]);
    wanted.push_back({"b", b});
  }
  for (size_t i = 0; i < wanted.size(); ++i) {
    const auto& [id, j] = wanted[i];
    const bool owned = static_cast<int>(i % shards_) == shard_;
    if (!owned && !coordinator()) continue;  // a helper holds only the runs it trains
    auto slot = std::make_unique<Slot>();
    slot->id = id;
    slot->remote = !owned;
    for (const nlohmann::json& x : replays)
      if (x.value("target", "both") == "both" || x.value("target", "both") == id) slot->pending.push_back(x);
    slot->label = id == "a" ? scenario_.value("a_label", std::string("A")) : scenario_.value("b_label", std::string("B"));
    RunConfig c;
    std::vector<std::string> errors;
    config_update_from_json(&c, j, &errors);
    slot->run = Run::create(c, &errors);
    slot->data_print = fingerprint(slot->run->eval_set().tokens);
    // The first training batch, drawn from a copy of the run's stream: equal
    // prints mean A and B train on the same data.
    TaskBatch first;
    Rng copy = Rng(c.seed).fork(2);
    slot->run->task().sample(&first, c.train.batch, &copy, Split::Train);
    slot->train_print = fingerprint(first.tokens);
    slots_.push_back(std::move(slot));
  }
  views_dirty_ = true;
  snapshot_due_ = true;
}

// The heatmap and the query row of the current view, on probe sequence 0.
void LabSession::refresh_views(Slot& s) {
  Model& m = s.run->mutable_model();
  const TaskBatch& probe = s.run->probe_set();
  m.forward(probe.tokens.data(), probe.targets.data(), 1);
  const int L = m.config().layers, H = m.config().heads;
  const int layer = std::clamp(view_layer_, 0, L - 1), head = std::clamp(view_head_, 0, H - 1);
  attention_image(&s.image, m, 0, layer, head, kMaxImageSide);
  s.image_fresh = true;
}

// The slot's interventions that are due: at their step, or now if the run has
// ended before it (a shared link replays them at the steps they were made at).
void LabSession::apply_due(Slot& s) {
  while (!s.pending.empty() && (s.pending.front()["step"].get<long long>() <= s.step() || s.done())) {
    const nlohmann::json x = s.pending.front();
    s.pending.erase(s.pending.begin());
    std::vector<std::string> errors;
    if (s.run->apply(x["changes"], &errors)) s.send_config = true;
    views_dirty_ = true;
    if (!x.contains("replay")) continue;  // a live intervention: in applied_ since it was made
    const size_t i = x["replay"].get<size_t>();
    if (i < replay_recorded_.size() && !replay_recorded_[i]) {
      replay_recorded_[i] = true;
      if (errors.empty()) applied_.push_back({{"step", x["step"]}, {"target", x.value("target", "both")}, {"changes", x["changes"]}});
      else replay_errors_.push_back("intervention at step " + x["step"].dump() + ": " + errors[0]);
    }
  }
}

// Queues an intervention {step, target, changes} on the slot, in step order
// (after others at the same step), and applies it at once if its step has come.
void LabSession::schedule_on(Slot& s, const nlohmann::json& x) {
  auto it = std::upper_bound(s.pending.begin(), s.pending.end(), x,
                             [](const nlohmann::json& a, const nlohmann::json& b) { return a["step"] < b["step"]; });
  s.pending.insert(it, x);
  apply_due(s);
}

// A live intervention: checked now against every run it targets, applied to
// each at the same step: now with one engine, at the target step when sharded
// (every run reaches it; none has passed it).
nlohmann::json LabSession::schedule_apply(const nlohmann::json& cmd) {
  const std::string target = cmd.value("target", std::string("both"));
  if (target != "a" && target != "b" && target != "both") return fail({"target: must be a, b or both"});
  const nlohmann::json changes = cmd.value("changes", nlohmann::json::object());
  std::vector<std::string> errors;
  for (auto& s : slots_)
    if ((target == "both" || s->id == target) && !s->run->check_changes(changes, nullptr, &errors)) return fail(errors);
  const int at = sharded() ? target_ : slots_[0]->run->steps_done();
  const nlohmann::json x = {{"step", at}, {"target", target}, {"changes", changes}};
  for (auto& s : slots_)
    if (target == "both" || s->id == target) schedule_on(*s, x);
  for (int k = 1; k < shards_; ++k)
    outbox_.push_back({k, {{"cmd", "shard.apply"}, {"epoch", run_epoch_}, {"step", at}, {"target", target}, {"changes", changes}}});
  applied_.push_back(x);
  views_dirty_ = true;
  return {{"ok", true}};
}

// One training step of every run (one engine), after its interventions that are due.
void LabSession::step_all() {
  for (auto& s : slots_) {
    apply_due(*s);
    s->run->step();
  }
}

// At a chosen speed: the whole steps owed since the last tick (one at once on the first).
int LabSession::paced_steps(double now) {
  if (last_tick_ms_ >= 0) step_debt_ += (now - last_tick_ms_) / 1000.0 * steps_per_second_;
  else step_debt_ = 1.0;  // start at once
  const int steps = static_cast<int>(std::floor(step_debt_));
  step_debt_ -= steps;
  return steps;
}

// ---- sharded: the target step ------------------------------------------------------

// The coordinator lets every run train up to a little past the slowest one
// (half a second of its steps), or at the chosen speed; it stops moving the
// target on pause, so all runs stop at the same step.
void LabSession::advance_target(double now) {
  for (auto& s : slots_) apply_due(*s);
  if (!playing_ || slots_.empty()) return;
  int slowest = 1 << 30;
  double rate = 0;
  bool all_done = true;
  for (auto& s : slots_) {
    if (s->done()) continue;
    all_done = false;
    slowest = std::min(slowest, s->step());
    const double r = s->remote ? s->remote_rate : s->rate;
    if (r > 0) rate = rate > 0 ? std::min(rate, r) : r;
  }
  if (all_done) {
    playing_ = false;
    snapshot_due_ = true;
    return;
  }
  int next = slowest + std::max(4, static_cast<int>(std::ceil(0.5 * rate)));
  if (steps_per_second_ > 0) next = std::min(next, target_ + paced_steps(now));
  last_tick_ms_ = now;
  if (next <= target_) return;
  target_ = next;
  send_target();
}

void LabSession::send_target() {
  for (int k = 1; k < shards_; ++k)
    outbox_.push_back({k, {{"cmd", "shard.target"}, {"epoch", run_epoch_}, {"step", target_}}});
}

// Steps this engine's runs, in turn, up to the target step.
bool LabSession::step_owned(double budget_ms, double start, double (*now_ms)()) {
  bool stepped = false, more = true;
  while (more && now_ms() - start < budget_ms) {
    more = false;
    for (auto& s : slots_) {
      if (s->remote) continue;
      apply_due(*s);
      if (s->run->done() || s->run->steps_done() >= target_) continue;
      s->run->step();
      stepped = more = true;
    }
  }
  more = false;
  for (auto& s : slots_) more = more || (!s->remote && !s->run->done() && s->run->steps_done() < target_);
  if (stepped && !more) snapshot_due_ = true;  // reached the target or the end: say so at once
  if (!coordinator()) playing_ = more;
  return stepped;
}

// A helper's report (on the coordinator): its runs' new history and step, its part of the job.
nlohmann::json LabSession::shard_report(const nlohmann::json& cmd) {
  if (cmd.value("run_epoch", -1) == run_epoch_ && cmd.contains("runs") && cmd["runs"].is_array())
    for (const nlohmann::json& r : cmd["runs"])
      for (auto& s : slots_) {
        if (!s->remote || s->id != r.value("id", std::string())) continue;
        if (r.value("history_reset", false)) s->remote_history.clear();
        const std::vector<LogPoint> more = history_from_json(r.value("history", nlohmann::json::array()));
        s->remote_history.insert(s->remote_history.end(), more.begin(), more.end());
        s->remote_step = r.value("step", 0);
        s->remote_done = r.value("done", false);
        s->remote_rate = r.value("steps_per_second", 0.0);
        apply_due(*s);
      }
  if (job_ && cmd.value("job_epoch", -1) == job_epoch_ && cmd.contains("job")) {
    ShardJob& j = shard_jobs_[cmd.value("from", 0)];
    j.fraction = cmd["job"].value("fraction", 0.0);
    j.finished = cmd["job"].value("finished", 0LL);
    j.done = cmd["job"].value("done", false);
    for (const nlohmann::json& r : cmd.value("job_results", nlohmann::json::array())) {
      if (r.contains("key") && r["key"].is_string()) job_records_[r["key"].get<std::string>()] = r.value("record", nlohmann::json());
      job_results_.push_back(r);
    }
  }
  return {{"ok", true}};
}

// ---- commands --------------------------------------------------------------------------

nlohmann::json LabSession::command(const nlohmann::json& cmd) {
  if (!cmd.is_object() || !cmd.contains("cmd") || !cmd["cmd"].is_string())
    return fail({"cmd: a command is an object with a string field \"cmd\""});
  const std::string name = cmd["cmd"];
  snapshot_due_ = true;
  if (name == "load") {
    // {"scenario": {...}}, or {"preset": id, "seed"?: S}: a Training-lab preset, at another seed if given.
    nlohmann::json sc;
    const Preset* preset = nullptr;
    if (cmd.contains("preset")) {
      preset = cmd["preset"].is_string() ? find_preset(cmd["preset"]) : nullptr;
      if (!preset || preset->view != "training") return fail({"preset: not a Training-lab preset"});
      sc = preset->scenario;
      if (cmd.contains("seed")) {
        if (!valid_seed(cmd["seed"])) return fail({"seed: must be an integer from 0 to 4294967295"});
        sc["config"]["seed"] = cmd["seed"];
      }
      std::vector<std::string> errors;
      if (!shorten(&sc["config"], cmd, &errors)) return fail(errors);
    } else {
      if (!cmd.contains("scenario")) return fail({"scenario: missing"});
      sc = cmd["scenario"];
      preset = preset_of_scenario(sc);  // a preset's lesson applies only to its own scenario
    }
    // Validate A, B and the interventions before replacing anything.
    const std::vector<std::string> errors = scenario_errors(sc);
    if (!errors.empty()) return fail(errors);
    scenario_ = sc;
    lesson_ = preset ? preset->lesson : nlohmann::json();
    load_runs();
    return {{"ok", true}};
  }
  // Between engines (see session.h).
  if (name == "shard") {
    const int n = cmd.value("count", 1), k = cmd.value("index", 0), m = cmd.value("job_count", n);
    if (n < 1 || n > 64 || k < 0 || k >= n || m < 1 || m > n) return fail({"shard: needs 0 <= index < count <= 64 and 1 <= job_count <= count"});
    shard_ = k, shards_ = n, job_shards_ = m;
    return {{"ok", true}};
  }
  if (name == "shard.target" || name == "shard.apply") {
    if (cmd.value("epoch", -1) != run_epoch_) return {{"ok", true}};  // about an earlier load
    if (name == "shard.target") {
      target_ = std::max(target_, cmd.value("step", 0));
      return {{"ok", true}};
    }
    const std::string target = cmd.value("target", std::string("both"));
    const nlohmann::json x = {{"step", cmd.value("step", 0)}, {"target", target},
                              {"changes", cmd.value("changes", nlohmann::json::object())}};
    for (auto& s : slots_)
      if (target == "both" || s->id == target) schedule_on(*s, x);
    return {{"ok", true}};
  }
  if (name == "shard.report") return shard_report(cmd);
  // A helper trains to the coordinator's target: the page's clock commands are the coordinator's. It does take
  // the speed (it paces nothing by it; tick uses it to tell a rest from a slow step when it measures its runs).
  if (sharded() && !coordinator() && (name == "play" || name == "pause" || name == "step" || name == "apply"))
    return {{"ok", true}};
  if (slots_.empty() && (name == "play" || name == "step" || name == "reset" || name == "apply"))
    return fail({"cmd: load a scenario first"});
  if (name == "play") {
    playing_ = true;
    last_tick_ms_ = -1;
  } else if (name == "pause") {
    playing_ = false;
  } else if (name == "step") {
    const int n = cmd.contains("n") && cmd["n"].is_number_integer() ? cmd["n"].get<int>() : 1;
    if (n < 1 || n > 100000) return fail({"n: must be an integer from 1 to 100000"});
    playing_ = false;
    if (sharded()) {  // n steps past where every run stops: the runs get there in the background
      target_ += n;
      send_target();
    } else {
      for (int i = 0; i < n; ++i) step_all();
    }
    views_dirty_ = true;
  } else if (name == "reset") {
    load_runs();
  } else if (name == "apply") {
    return schedule_apply(cmd);
  } else if (name == "view") {
    if (cmd.contains("layer") && cmd["layer"].is_number_integer()) view_layer_ = std::max(0, cmd["layer"].get<int>());
    if (cmd.contains("head") && cmd["head"].is_number_integer()) view_head_ = std::max(0, cmd["head"].get<int>());
    if (cmd.contains("query") && cmd["query"].is_number_integer()) view_query_ = cmd["query"].get<int>();
    for (auto& s : slots_) {  // a different row: start its time series again
      s->rows.clear();
      s->row_steps.clear();
      s->sent_rows = 0;
      s->logged_points = 0;
    }
    views_dirty_ = true;
  } else if (name == "speed") {
    const double sps = cmd.value("steps_per_second", 0.0);
    if (!(sps >= 0.0) || sps > 10000) return fail({"steps_per_second: must be from 0 (as fast as possible) to 10000"});
    steps_per_second_ = sps;
    step_debt_ = 0;
  } else if (name == "job.start") {
    // id: the caller's number for this job, echoed in every snapshot, so a
    // snapshot still on its way about an earlier job is not taken for this one.
    const auto id = cmd.find("id");
    if (id != cmd.end() && !(id->is_number_integer() && *id >= 0 && *id <= 1000000000))
      return fail({"id: must be an integer from 0 to 1000000000"});
    // {"spec": {...}, "preset"?: id}, or {"preset": id, "seed"?: S}: the preset's own spec, at another seed.
    const Preset* preset = cmd.contains("preset") && cmd["preset"].is_string() ? find_preset(cmd["preset"]) : nullptr;
    if (cmd.contains("preset") && (!preset || preset->view == "training")) return fail({"preset: not a Memory or Streaming preset"});
    nlohmann::json spec = cmd.value("spec", nlohmann::json());
    if (!cmd.contains("spec") && preset) {
      spec = preset->scenario;
      if (cmd.contains("seed")) {
        if (!valid_seed(cmd["seed"])) return fail({"seed: must be an integer from 0 to 4294967295"});
        spec["base"]["seed"] = cmd["seed"];
        // json::array, not {x}: brace-initializing from one json copies it under clang (wasm) but makes an array under GCC.
        if (spec.contains("seeds")) spec["seeds"] = nlohmann::json::array({cmd["seed"]});
      }
      std::vector<std::string> errors;
      if (!shorten(&spec["base"], cmd, &errors)) return fail(errors);
    }
    std::vector<std::string> errors;
    auto job = LabJob::create(spec.is_null() ? nlohmann::json::object() : spec, &errors);
    if (!job) return fail(errors);
    job->set_shard(shard_, job_shards_);
    job_ = std::move(job);
    ++job_epoch_;
    shard_jobs_.clear();
    job_id_ = id == cmd.end() ? 0 : id->get<int>();
    job_status_ = "running";
    job_started_ms_ = -1;  // the clock starts at the job's first tick
    job_results_.clear();
    job_records_.clear();
    // The preset's lesson applies to its own spec (at any seed), not to another spec sent with its name.
    job_lesson_ = preset && (!cmd.contains("spec") || preset->scenario == spec) ? preset->lesson : nlohmann::json();
  } else if (name == "job.cancel") {
    if (job_ && job_status_ == "running") job_status_ = "cancelled";
    job_.reset();
    ++job_epoch_;
  } else {
    return fail({"cmd: unknown command \"" + name + "\""});
  }
  return {{"ok", true}};
}

// ---- tick ----------------------------------------------------------------------------------

bool LabSession::tick(double budget_ms, double (*now_ms)()) {
  const double start = now_ms();
  bool stepped = false;
  if (sharded()) {
    if (coordinator()) advance_target(start);
    stepped = step_owned(budget_ms, start, now_ms);
  } else if (playing_ && !slots_.empty()) {
    const int steps = steps_per_second_ > 0 ? paced_steps(start) : 1 << 30;
    last_tick_ms_ = start;
    for (int i = 0; i < steps && now_ms() - start < budget_ms; ++i) {
      step_all();
      stepped = true;
      bool all_done = true;
      for (auto& s : slots_) all_done = all_done && s->run->done();
      if (all_done) {
        playing_ = false;
        snapshot_due_ = true;
        break;
      }
    }
  }
  if (job_ && job_status_ == "running") {
    if (job_started_ms_ < 0) job_started_ms_ = start;
    if (!job_->done()) {
      const double left = budget_ms - (now_ms() - start);
      job_->work(std::max(1.0, playing_ ? left * 0.5 : left), now_ms);
      for (nlohmann::json& r : job_->take_results()) {
        if (r.contains("key") && r["key"].is_string()) job_records_[r["key"].get<std::string>()] = r.value("record", nlohmann::json());
        job_results_.push_back(std::move(r));
      }
    }
    update_job_progress(now_ms());
  }
  // Views: after every step at slow speeds, at log points and view changes otherwise.
  const double now = now_ms();
  for (auto& s : slots_) {
    if (s->remote) continue;
    // The speed while it trains: a window ends at the run's last step, so a pause or the end of a "Step 10"
    // adds no idle time to it, and steps after a rest (a pause, a Step command) start a new window. Rests
    // are told from the short waits of runs in step with each other by their length: over a second, or
    // over two and a half steps at a slow set speed.
    const int steps = s->run->steps_done();
    if (steps != s->last_steps) {
      const double rest_ms = steps_per_second_ > 0 ? std::max(1000.0, 2500.0 / steps_per_second_) : 1000.0;
      if (s->last_step_ms < 0 || now - s->last_step_ms > rest_ms) s->rate_time = now, s->rate_steps = steps;
      s->last_steps = steps;
      s->last_step_ms = now;
      if (now - s->rate_time > 500.0) {
        s->rate = (steps - s->rate_steps) / ((now - s->rate_time) / 1000.0);
        s->rate_time = now;
        s->rate_steps = steps;
      }
    }
    const bool new_point = s->run->history().size() != s->logged_points;
    const bool slow = steps_per_second_ > 0 && steps_per_second_ <= 20;
    if (views_dirty_ || new_point || (stepped && slow) || (stepped && now - last_snapshot_ms_ >= kSnapshotMs)) {
      refresh_views(*s);
      if (new_point || views_dirty_) {
        // The query row at this log point (the main query unless one is chosen).
        const int T = s->run->model().length(), P = s->run->model().prefix();
        const int q = view_query_ >= 0 ? std::min(view_query_, T - 1) : T - 1;
        std::vector<float> row;
        const Model& m = s->run->model();
        attention_row(&row, m, 0, std::clamp(view_layer_, 0, m.config().layers - 1),
                      std::clamp(view_head_, 0, m.config().heads - 1), P + q);
        if (s->rows_query != q) {
          s->rows.clear();
          s->row_steps.clear();
          s->sent_rows = 0;
          s->rows_query = q;
        }
        if (s->row_steps.empty() || s->row_steps.back() != s->run->steps_done()) {
          if (s->row_steps.size() >= kMaxProbeRows) {  // keep the series bounded: drop the oldest
            s->row_steps.erase(s->row_steps.begin());
            s->rows.erase(s->rows.begin(), s->rows.begin() + row.size());
            s->sent_rows = s->sent_rows > 0 ? s->sent_rows - 1 : 0;
          }
          s->row_steps.push_back(s->run->steps_done());
          s->rows.insert(s->rows.end(), row.begin(), row.end());
        }
        s->logged_points = s->run->history().size();
      }
    }
  }
  views_dirty_ = false;
  if (stepped || (job_ && job_status_ == "running")) {
    if (now - last_snapshot_ms_ >= kSnapshotMs || (steps_per_second_ > 0 && steps_per_second_ <= 20)) snapshot_due_ = true;
  }
  if (snapshot_due_) last_snapshot_ms_ = now;
  return snapshot_due_;
}

// The job's progress: this engine's part, or on the coordinator of a sharded
// job the whole: each helper's part (as last reported) weighted by its points.
void LabSession::update_job_progress(double now) {
  job_progress_ = job_->progress();
  bool all_done = job_->done();
  if (sharded() && coordinator() && job_shards_ > 1) {
    const long long total = job_progress_.value("total", 0LL);
    double work = job_progress_.value("fraction", 0.0) * job_progress_.value("owned", 0LL);
    long long finished = job_progress_.value("finished", 0LL);
    for (int k = 1; k < job_shards_; ++k) {
      const long long owned = total / job_shards_ + (k < total % job_shards_);  // points j with j % m == k
      const auto it = shard_jobs_.find(k);
      if (it == shard_jobs_.end()) {
        all_done = all_done && owned == 0;
        continue;
      }
      work += it->second.fraction * owned;
      finished += it->second.finished;
      all_done = all_done && it->second.done;
    }
    job_progress_["fraction"] = total > 0 ? std::min(1.0, work / total) : 1.0;
    job_progress_["finished"] = finished;
    job_progress_["owned"] = total;
    job_progress_["done"] = all_done;
  }
  const double elapsed = (now - job_started_ms_) / 1000.0;
  job_progress_["elapsed_seconds"] = elapsed;
  job_progress_["seconds_left"] = number_or_null(estimate_seconds_left(job_progress_.value("fraction", 0.0), elapsed));
  if (all_done) {
    job_status_ = "finished";
    snapshot_due_ = true;
  }
}

// ---- snapshot ------------------------------------------------------------------------------

nlohmann::json LabSession::slot_json(Slot& s, Snapshot* out) {
  const Run& run = *s.run;
  nlohmann::json j = {{"id", s.id},
                      {"label", s.label},
                      {"step", run.steps_done()},
                      {"steps", run.config().train.steps},
                      {"done", run.done()},
                      {"steps_per_second", s.rate},
                      {"data_fingerprint", s.data_print},
                      {"train_fingerprint", s.train_print},
                      {"seed", run.config().seed},
                      {"layers", run.config().model.layers},
                      {"heads", run.config().model.heads},
                      {"seq", run.model().seq()},
                      {"pairs_full", run.model().spec().mask.full_pairs(run.model().seq())},
                      {"prefix", run.model().prefix()},
                      {"length", run.model().length()},
                      {"converged_at", run.converged_at()},
                      {"params", run.model().num_params()}};
  // While it plays: the time to its last step at the speed measured over the last half second.
  const double left = playing_ && !run.done() ? run_seconds_left(run.steps_done(), run.config().train.steps, s.rate) : NAN;
  j["seconds_left"] = number_or_null(left);
  j["diverged"] = run.diverged() ? nlohmann::json{{"step", run.divergence().step}, {"what", run.divergence().what},
                                                  {"advice", run.divergence().advice}}
                                 : nlohmann::json(nullptr);
  if (s.send_config || s.history_reset) {
    j["config"] = config_to_json(run.config());
    j["groups"] = run.task().group_names();
    std::vector<double> chance;
    for (size_t g = 0; g < run.task().group_names().size(); ++g) chance.push_back(run.task().chance(static_cast<int>(g)));
    j["chance"] = chance;
    j["task"] = run.task().name();
    std::vector<std::string> names;
    const TaskBatch& probe = run.probe_set();
    for (int t = 0; t < probe.T; ++t) names.push_back(run.task().token_name(probe.tokens[t]));
    j["probe_tokens"] = names;
    s.send_config = false;
  }
  if (s.history_reset) {
    j["history_reset"] = true;
    s.sent_points = 0;
    s.history_reset = false;
  }
  const std::vector<LogPoint>& h = run.history();
  if (s.sent_points > h.size()) s.sent_points = 0;
  // With each new measurement, what the exercises quote of this run (core/lab/results.h).
  if (s.sent_points < h.size()) {
    j["record"] = run_record(run);
    j["record"]["label"] = s.label;
    j["record"]["steps_per_second"] = s.rate;
  }
  j["history"] = history_to_json(std::vector<LogPoint>(h.begin() + s.sent_points, h.end()));
  s.sent_points = h.size();
  if (s.image_fresh) {
    j["image"] = {{"n", s.image.n}, {"side", s.image.side}, {"block", s.image.block},
                  {"layer", std::clamp(view_layer_, 0, run.config().model.layers - 1)},
                  {"head", std::clamp(view_head_, 0, run.config().model.heads - 1)}};
    out->arrays.push_back({s.id + ".image", s.image.weights});
    out->arrays.push_back({s.id + ".extra", s.image.extra});
    s.image_fresh = false;
  }
  const size_t N = static_cast<size_t>(run.model().seq());
  if (!s.row_steps.empty() && s.sent_rows < s.row_steps.size()) {
    j["rows"] = {{"query", s.rows_query}, {"n", N},
                 {"steps", std::vector<int>(s.row_steps.begin() + s.sent_rows, s.row_steps.end())},
                 {"reset", s.sent_rows == 0}};
    out->arrays.push_back({s.id + ".rows", std::vector<float>(s.rows.begin() + s.sent_rows * N, s.rows.end())});
    s.sent_rows = s.row_steps.size();
  }
  return j;
}

// A helper's snapshot holds only its runs (the page merges them by id); its
// report to the coordinator leaves with it.
Snapshot LabSession::helper_snapshot() {
  Snapshot out;
  nlohmann::json runs = nlohmann::json::array(), reported = nlohmann::json::array();
  for (auto& s : slots_) {
    runs.push_back(slot_json(*s, &out));
    const std::vector<LogPoint>& h = s->run->history();
    if (s->reported_points > h.size()) s->reported_points = 0;
    reported.push_back({{"id", s->id}, {"step", s->run->steps_done()}, {"done", s->run->done()},
                        {"steps_per_second", s->rate}, {"history_reset", s->report_reset},
                        {"history", history_to_json(std::vector<LogPoint>(h.begin() + s->reported_points, h.end()))}});
    s->reported_points = h.size();
    s->report_reset = false;
  }
  out.json = {{"shard", shard_}, {"run_epoch", run_epoch_}, {"runs", runs}};
  nlohmann::json report = {{"cmd", "shard.report"}, {"from", shard_}, {"run_epoch", run_epoch_}, {"runs", reported}};
  if (job_) {
    report["job_epoch"] = job_epoch_;
    report["job"] = job_progress_;
    report["job_results"] = std::exchange(job_results_, {});
  }
  outbox_.push_back({0, report});
  snapshot_due_ = false;
  return out;
}

Snapshot LabSession::snapshot() {
  if (sharded() && !coordinator()) return helper_snapshot();
  Snapshot out;
  nlohmann::json runs = nlohmann::json::array();
  for (auto& s : slots_)  // a run another engine trains: the page has it from that engine's snapshots
    runs.push_back(s->remote ? nlohmann::json{{"id", s->id}, {"label", s->label}, {"remote", true}} : slot_json(*s, &out));
  out.json = {{"playing", playing_},
              {"speed", steps_per_second_},
              {"engines", shards_},
              {"arithmetic", simd::arch_name()},
              {"run_epoch", run_epoch_},
              {"view", {{"layer", view_layer_}, {"head", view_head_}, {"query", view_query_}}},
              {"runs", runs},
              {"scenario", scenario_.is_null() ? nlohmann::json(nullptr) : scenario_.value("name", nlohmann::json(""))}};
  out.json["interventions"] = applied_;
  if (!replay_errors_.empty()) out.json["errors"] = std::exchange(replay_errors_, {});
  out.json["job"] = {{"id", job_id_}, {"status", job_status_}, {"progress", job_progress_}};
  // The lessons, judged on what the runs and the job have measured so far (core/lab/lesson.h).
  if (lesson_.is_object() && !slots_.empty()) {
    LessonData d;
    for (auto& s : slots_)
      d.runs[s->id] = s->remote ? lesson_run(*s->run, s->label, s->remote_history, s->remote_step, s->remote_done)
                                : lesson_run(*s->run, s->label);
    d.intervened = !applied_.empty();
    out.json["lesson"] = verdict_to_json(evaluate_lesson(lesson_, d), lesson_);
  }
  if (job_lesson_.is_object()) {
    LessonData d;
    d.results = job_records_;
    d.job_done = job_status_ == "finished";
    out.json["job"]["lesson"] = verdict_to_json(evaluate_lesson(job_lesson_, d), job_lesson_);
  }
  out.json["job_results"] = std::exchange(job_results_, {});
  snapshot_due_ = false;
  return out;
}

}  // namespace attnlab
