#include "app/lab/lab_state.h"

#include <algorithm>

#include "core/base/json_read.h"
#include "core/training/config_schema.h"
#include "core/training/run_report.h"

namespace attnlab {
namespace {

const std::vector<float>* find_array(const Snapshot& s, const std::string& name) {
  for (const auto& [n, v] : s.arrays)
    if (n == name) return &v;
  return nullptr;
}

template <class T>
T get(const nlohmann::json& j, const char* key, T fallback) {
  return j.contains(key) && !j[key].is_null() ? j[key].get<T>() : fallback;
}

constexpr size_t kMaxRows = 600;  // the engine keeps the same bound

// The accessible page's tables (web/attnlab-access.js) read the plots' data
// from state(), which tests poll many times a second: a bounded tail of the
// curves (the measures the Training lab plots), and one heatmap row.
constexpr size_t kCurvePoints = 12;
const char* const kCurveFields[] = {"step", "train_loss", "eval_loss", "accuracy", "entropy_norm",
                                    "peaky", "jump", "drift", "special_mass", "max_logit"};

// The key a row of weights puts most on, skipping masked keys (< 0); -1 if none is scored.
int row_peak(const float* w, int n) {
  int peak = -1;
  for (int k = 0; k < n; ++k)
    if (w[k] >= 0 && (peak < 0 || w[k] > w[peak])) peak = k;
  return peak;
}

// One query's attention row of the shown head: the followed query's latest
// row if there is one, else the heatmap's last row (the question, in the
// retrieval tasks); its keys, the weights (null where masked), and its peak.
nlohmann::json shown_row(const RunView& r) {
  std::vector<float> w;
  int query = -1, block = 1;
  if (r.rows_n > 0 && r.rows.size() >= static_cast<size_t>(r.rows_n)) {
    w.assign(r.rows.end() - r.rows_n, r.rows.end());
    query = r.rows_query;
  } else if (r.image_side > 0 && r.image.size() == static_cast<size_t>(r.image_side) * r.image_side) {
    w.assign(r.image.end() - r.image_side, r.image.end());
    query = r.image_side - 1;
    block = r.image_block;
  } else {
    return nullptr;
  }
  nlohmann::json weights = nlohmann::json::array();
  for (float x : w) weights.push_back(x < 0 ? nlohmann::json(nullptr) : nlohmann::json(x));
  const int peak_key = row_peak(w.data(), static_cast<int>(w.size()));
  return {{"query", query}, {"block", block}, {"weights", weights}, {"peak_key", peak_key},
          {"peak", peak_key >= 0 ? nlohmann::json(w[peak_key]) : nlohmann::json(nullptr)}};
}

// The heatmap in words, one entry per image row (a block of `block` queries
// when the sequence is long): the key it weighs most and that weight; and the
// row the whole picture peaks in. Keys and queries are the first position of
// their block. null before the first picture.
nlohmann::json heatmap_rows(const RunView& r) {
  const int side = r.image_side, block = std::max(1, r.image_block);
  if (side <= 0 || r.image.size() != static_cast<size_t>(side) * side) return nullptr;
  nlohmann::json rows = nlohmann::json::array();
  int top_query = -1, top_key = -1;
  float top = -1.0f;
  for (int i = 0; i < side; ++i) {
    const float* w = &r.image[static_cast<size_t>(i) * side];
    const int peak = row_peak(w, side);
    if (peak < 0) { rows.push_back({{"query", i * block}, {"peak_key", nullptr}, {"peak", nullptr}}); continue; }
    rows.push_back({{"query", i * block}, {"peak_key", peak * block}, {"peak", w[peak]}});
    if (w[peak] > top) top = w[peak], top_query = i * block, top_key = peak * block;
  }
  return {{"layer", r.image_layer}, {"head", r.image_head}, {"block", block}, {"rows", rows},
          {"top_query", top_query}, {"top_key", top_key}, {"top", top >= 0 ? nlohmann::json(top) : nlohmann::json(nullptr)}};
}

// The query-over-time strip in words: for each probe step, the key the probed
// query weighs most and that weight. null before the first strip row.
nlohmann::json rows_over_time(const RunView& r) {
  const int n = r.rows_n;
  if (n <= 0 || r.rows.size() != r.row_steps.size() * static_cast<size_t>(n) || r.row_steps.empty()) return nullptr;
  nlohmann::json steps = nlohmann::json::array();
  for (size_t t = 0; t < r.row_steps.size(); ++t) {
    const float* w = &r.rows[t * n];
    const int peak = row_peak(w, n);
    steps.push_back({{"step", r.row_steps[t]}, {"peak_key", peak >= 0 ? nlohmann::json(peak) : nlohmann::json(nullptr)},
                     {"peak", peak >= 0 ? nlohmann::json(w[peak]) : nlohmann::json(nullptr)}});
  }
  return {{"query", r.rows_query}, {"steps", steps}};
}

}  // namespace

RunView* LabState::run(const std::string& id) {
  for (RunView& r : runs)
    if (r.id == id) return &r;
  return nullptr;
}

void LabState::apply_run(RunView* r, const nlohmann::json& rj, const Snapshot& s) {
  const std::string& id = r->id;
  r->label = get(rj, "label", r->label);
  r->step = get(rj, "step", 0);
  r->steps = get(rj, "steps", 0);
  r->done = get(rj, "done", false);
  r->steps_per_second = get(rj, "steps_per_second", 0.0);
  r->seconds_left = json_number(rj, "seconds_left", NAN);
  r->layers = get(rj, "layers", 1);
  r->heads = get(rj, "heads", 1);
  r->seq = get(rj, "seq", 0);
  r->pairs_full = get(rj, "pairs_full", 0LL);
  if (rj.contains("record") && rj["record"].is_object()) r->record = rj["record"];
  r->prefix = get(rj, "prefix", 0);
  r->length = get(rj, "length", 0);
  r->converged_at = get(rj, "converged_at", -1);
  r->params = get(rj, "params", 0LL);
  r->seed = get(rj, "seed", uint64_t{0});
  r->data_fingerprint = get(rj, "data_fingerprint", uint64_t{0});
  r->train_fingerprint = get(rj, "train_fingerprint", uint64_t{0});
  r->diverged = rj.contains("diverged") ? rj["diverged"] : nlohmann::json(nullptr);
  if (rj.contains("config")) {
    r->config = rj["config"];
    r->groups = get(rj, "groups", std::vector<std::string>{});
    r->chance = get(rj, "chance", std::vector<double>{});
    r->task = get(rj, "task", std::string());
    r->probe_tokens = get(rj, "probe_tokens", std::vector<std::string>{});
  }
  if (get(rj, "history_reset", false)) {
    r->history.clear();
    r->record = nlohmann::json();
    r->rows.clear();
    r->row_steps.clear();
  }
  if (rj.contains("history")) {
    std::vector<LogPoint> more = history_from_json(rj["history"]);
    r->history.insert(r->history.end(), more.begin(), more.end());
  }
  if (rj.contains("image")) {
    const std::vector<float>* img = find_array(s, id + ".image");
    const std::vector<float>* extra = find_array(s, id + ".extra");
    const nlohmann::json& im = rj["image"];
    if (img) {
      r->image = *img;
      r->extra = extra ? *extra : std::vector<float>();
      r->image_n = get(im, "n", 0);
      r->image_side = get(im, "side", 0);
      r->image_block = get(im, "block", 1);
      r->image_layer = get(im, "layer", 0);
      r->image_head = get(im, "head", 0);
      ++r->image_version;
    }
  }
  if (rj.contains("rows")) {
    const nlohmann::json& rw = rj["rows"];
    const std::vector<float>* data = find_array(s, id + ".rows");
    if (get(rw, "reset", false) || get(rw, "query", -1) != r->rows_query || get(rw, "n", 0) != r->rows_n) {
      r->rows.clear();
      r->row_steps.clear();
    }
    r->rows_query = get(rw, "query", -1);
    r->rows_n = get(rw, "n", 0);
    const std::vector<int> steps = get(rw, "steps", std::vector<int>{});
    if (data && r->rows_n > 0 && data->size() == steps.size() * static_cast<size_t>(r->rows_n)) {
      r->row_steps.insert(r->row_steps.end(), steps.begin(), steps.end());
      r->rows.insert(r->rows.end(), data->begin(), data->end());
      while (r->row_steps.size() > kMaxRows) {
        r->row_steps.erase(r->row_steps.begin());
        r->rows.erase(r->rows.begin(), r->rows.begin() + r->rows_n);
      }
      ++r->rows_version;
    }
  }
}

void LabState::apply(Snapshot&& s) {
  const nlohmann::json& j = s.json;
  if (!j.is_object()) return;
  const int shard = j.contains("shard") && j["shard"].is_number_integer() ? j["shard"].get<int>() : 0;
  if (j.contains("engine_memory_mb") && j["engine_memory_mb"].is_number() && shard >= 0 && shard < 64) {
    if (engine_memory_by_engine.size() <= static_cast<size_t>(shard)) engine_memory_by_engine.resize(shard + 1, 0.0);
    engine_memory_by_engine[shard] = j["engine_memory_mb"];
    engine_memory_mb = 0;
    for (double mb : engine_memory_by_engine) engine_memory_mb += mb;
  }
  // Engines post on their own, so one engine's snapshot from before a load can
  // arrive after another's from after it: a snapshot of an earlier load says
  // nothing of the runs now shown (it would drop a run a helper has just
  // created, or replay an old run's history into the new one).
  const int epoch = get(j, "run_epoch", -1);
  const bool stale = epoch >= 0 && epoch < run_epoch;
  if (epoch > run_epoch) run_epoch = epoch;
  // A run of the same name from an earlier load starts again blank (label,
  // config, history), so a helper's run never shows the previous preset's
  // settings while its engine has not reported yet. Its image and rows
  // versions move on, so the views upload the new run's pictures.
  auto fresh = [&](const RunView* old, const std::string& id) {
    RunView r;
    r.id = id;
    r.epoch = epoch;
    if (old) r.image_version = old->image_version + 1, r.rows_version = old->rows_version + 1;
    return r;
  };
  auto outdated = [&](const RunView* r) { return epoch >= 0 && r->epoch < epoch; };
  if (shard != 0) {  // a helper: its runs, merged by id; the rest is the coordinator's to say
    if (!stale && j.contains("runs") && j["runs"].is_array())
      for (const nlohmann::json& rj : j["runs"]) {
        const std::string id = get(rj, "id", std::string());
        RunView* r = run(id);
        if (!r) {  // before the coordinator's snapshot that lists it
          runs.push_back(fresh(nullptr, id));
          r = &runs.back();
        } else if (outdated(r)) {
          *r = fresh(r, id);
        }
        apply_run(r, rj, s);
      }
    return;
  }
  playing = get(j, "playing", false);
  speed = get(j, "speed", 0.0);
  engines = get(j, "engines", 1);
  arithmetic = get(j, "arithmetic", std::string());
  if (j.contains("errors") && j["errors"].is_array())
    for (const nlohmann::json& e : j["errors"])
      if (e.is_string()) errors.push_back(e);
  if (!stale) {
    scenario = j.contains("scenario") && j["scenario"].is_string() ? j["scenario"].get<std::string>() : "";
    if (j.contains("interventions") && j["interventions"].is_array()) interventions = j["interventions"];
    if (j.contains("runs")) lesson = j.contains("lesson") && j["lesson"].is_object() ? j["lesson"] : nlohmann::json();
  }
  if (!stale && j.contains("runs") && j["runs"].is_array()) {
    std::vector<RunView> next;
    for (const nlohmann::json& rj : j["runs"]) {
      const std::string id = get(rj, "id", std::string());
      RunView* old = run(id);
      RunView r = old && !outdated(old) ? std::move(*old) : fresh(old, id);
      r.id = id;
      if (!get(rj, "remote", false)) apply_run(&r, rj, s);  // remote: trained by a helper, which sends it
      else if (r.label.empty()) r.label = get(rj, "label", r.label);
      next.push_back(std::move(r));
    }
    runs = std::move(next);
    loaded = !runs.empty();
  }
  // A snapshot sent before the engine took the latest job.start speaks of an
  // earlier job (its status, its results): not of the one the UI now shows.
  const bool current_job = j.contains("job") && j["job"].is_object() && get(j["job"], "id", -1) == job_id;
  if (current_job) job = j["job"];
  if (current_job && j.contains("job_results") && j["job_results"].is_array() && !j["job_results"].empty()) {
    for (const nlohmann::json& r : j["job_results"]) job_results.push_back(r);
    ++job_version;
  }
}

nlohmann::json LabState::to_json() const {
  nlohmann::json rs = nlohmann::json::array();
  for (const RunView& r : runs) {
    nlohmann::json o = {{"id", r.id},
                        {"label", r.label},
                        {"task", r.task},
                        {"step", r.step},
                        {"steps", r.steps},
                        {"done", r.done},
                        {"steps_per_second", r.steps_per_second},
                        {"seconds_left", number_or_null(r.seconds_left)},
                        {"seed", r.seed},
                        {"data_fingerprint", r.data_fingerprint},
                        {"train_fingerprint", r.train_fingerprint},
                        {"diverged", r.diverged},
                        {"converged_at", r.converged_at},
                        {"prefix", r.prefix},
                        {"seq", r.seq},
                        {"pairs_full", r.pairs_full},
                        {"history_points", r.history.size()},
                        {"heatmap", {{"side", r.image_side}, {"layer", r.image_layer}, {"head", r.image_head},
                                     {"version", r.image_version}}},
                        {"probe_rows", r.row_steps.size()},
                        {"config", r.config}};
    if (!r.history.empty()) {
      RunConfig c;
      std::vector<std::string> errors;
      config_update_from_json(&c, r.config, &errors);
      o["latest"] = logpoint_summary(r.history.back(), c, r.groups);
      nlohmann::json events = nlohmann::json::array();
      for (const LogPoint& p : r.history)
        if (!p.event.empty()) events.push_back({{"step", p.step}, {"event", p.event}});
      o["events"] = events;
      nlohmann::json curve = nlohmann::json::array();
      for (size_t i = r.history.size() > kCurvePoints ? r.history.size() - kCurvePoints : 0; i < r.history.size(); ++i) {
        const nlohmann::json all = logpoint_summary(r.history[i], c, r.groups);
        nlohmann::json p;
        for (const char* f : kCurveFields) p[f] = all.value(f, nlohmann::json(nullptr));
        curve.push_back(p);
      }
      o["curve"] = curve;
      // The measures of the head the heatmap shows, for its one-sentence summary.
      const std::vector<HeadMeasures>& heads = r.history.back().heads;
      const size_t h = static_cast<size_t>(r.image_layer * r.heads + r.image_head);
      if (h < heads.size())
        o["shown_head"] = {{"layer", r.image_layer}, {"head", r.image_head}, {"special_mass", heads[h].special_mass},
                           {"first_mass", heads[h].first_mass}, {"peak", heads[h].peak}, {"peaky", heads[h].peaky},
                           {"entropy_norm", heads[h].entropy_norm}};
    }
    o["row"] = shown_row(r);
    o["heatmap_rows"] = heatmap_rows(r);
    o["rows_over_time"] = rows_over_time(r);
    rs.push_back(o);
  }
  return {{"loaded", loaded}, {"playing", playing}, {"speed", speed}, {"scenario", scenario}, {"runs", rs},
          {"job", job}, {"job_results", job_results.size()},
          {"interventions", interventions}, {"engine_memory_mb", engine_memory_mb}, {"engines", engines},
          {"arithmetic", arithmetic}, {"lesson", lesson}};
}

}  // namespace attnlab
