// The lab's background jobs (see jobs.h).
//
// Index
//   - helpers        configs from JSON, timing
//   - SweepJob       a grid of runs, one result per finished run
//   - StreamJob      train each variant, then evaluate it under each rolling cache
//   - create
#include "core/lab/jobs.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/lab/results.h"
#include "core/training/config_schema.h"
#include "core/model/stream_eval.h"
#include "core/training/run.h"
#include "core/training/run_report.h"

namespace attnlab {
namespace {

// ---- helpers ---------------------------------------------------------------------

bool config_from(const nlohmann::json& j, RunConfig* c, std::vector<std::string>* errors, const std::string& where) {
  std::vector<std::string> e;
  config_update_from_json(c, j, &e);
  for (std::string& m : e) errors->push_back(where + ": " + m);
  return e.empty();
}

// Runs steps of `run` until the budget is spent or it is done.
void train_for(Run* run, double budget_ms, double (*now_ms)()) {
  const double start = now_ms();
  do run->step();
  while (!run->done() && now_ms() - start < budget_ms);
}

// ---- SweepJob ------------------------------------------------------------------------

class SweepJob : public LabJob {
 public:
  SweepJob(std::vector<RunConfig> configs, std::vector<nlohmann::json> labels, std::vector<std::string> keys)
      : configs_(std::move(configs)), labels_(std::move(labels)), keys_(std::move(keys)) {}

  bool done() const override { return next_owned() >= configs_.size() && !run_; }

  void work(double budget_ms, double (*now_ms)()) override {
    const double start = now_ms();
    while (!done() && now_ms() - start < budget_ms) {
      if (!run_) {
        next_ = next_owned();
        ++started_;
        std::vector<std::string> errors;
        run_ = Run::create(configs_[next_], &errors);  // validated when the job was created
        current_ = next_++;
      }
      train_for(run_.get(), budget_ms - (now_ms() - start), now_ms);
      if (run_->done()) {
        nlohmann::json r = labels_[current_];
        const nlohmann::json s = run_summary(*run_);
        r["final"] = s.value("final", nlohmann::json::object());
        r["initial"] = s.value("initial", nlohmann::json::object());
        r["cost"] = s["cost"];
        r["converged_at"] = run_->converged_at();
        r["diverged"] = s["diverged"];
        r["steps"] = run_->steps_done();
        r["chance"] = s["task"]["chance"].empty() ? nlohmann::json(nullptr) : s["task"]["chance"][0];
        r["length"] = configs_[current_].task.length;  // what the view's caption states
        r["window"] = configs_[current_].model.window;
        // What the exercises quote (core/lab/results.h).
        r["key"] = keys_[current_];
        nlohmann::json record = run_record(*run_);
        const nlohmann::json init = s.value("initial", nlohmann::json::object());
        for (const char* k : {"local_mass", "cosine", "accuracy"})
          record[std::string("init_") + k] = init.value(k, nlohmann::json(nullptr));
        r["record"] = record;
        results_.push_back(r);
        run_.reset();
      }
    }
  }

  nlohmann::json progress() const override {
    const double steps = run_ ? static_cast<double>(run_->steps_done()) / run_->config().train.steps : 0.0;
    const size_t owned = owned_count(configs_.size());
    const double fraction = owned == 0 ? 1.0 : (static_cast<double>(current_done()) + steps) / owned;
    return {{"kind", "sweep"}, {"fraction", std::min(1.0, fraction)}, {"points", configs_.size()},
            {"total", configs_.size()}, {"owned", owned}, {"finished", current_done()}, {"done", done()},
            {"current", run_ ? labels_[current_] : nlohmann::json(nullptr)},
            {"current_step", run_ ? run_->steps_done() : 0}};
  }

  std::vector<nlohmann::json> take_results() override { return std::exchange(results_, {}); }

 private:
  // Owned points finished: those started, less the one training.
  size_t current_done() const { return run_ ? started_ - 1 : started_; }
  size_t next_owned() const {
    size_t i = next_;
    while (i < configs_.size() && !owns(i)) ++i;
    return i;
  }
  std::vector<RunConfig> configs_;
  std::vector<nlohmann::json> labels_;
  std::vector<std::string> keys_;  // each point's results key ("g1_k4")
  size_t next_ = 0, current_ = 0, started_ = 0;
  std::unique_ptr<Run> run_;
  std::vector<nlohmann::json> results_;
};

// ---- StreamJob ---------------------------------------------------------------------------

class StreamJob : public LabJob {
 public:
  StreamJob(std::vector<RunConfig> configs, std::vector<std::string> labels, std::vector<std::string> keys,
            std::vector<StreamCache> caches, int streams)
      : configs_(std::move(configs)), labels_(std::move(labels)), keys_(std::move(keys)), caches_(std::move(caches)),
        streams_(streams) {}

  bool done() const override { return next_owned(variant_) >= configs_.size(); }

  void work(double budget_ms, double (*now_ms)()) override {
    if (done()) return;
    if (!run_) {
      variant_ = next_owned(variant_);
      std::vector<std::string> errors;
      run_ = Run::create(configs_[variant_], &errors);
    }
    if (!run_->done()) {
      train_for(run_.get(), budget_ms, now_ms);
      return;
    }
    // Trained: evaluate one cache per slice (each takes a while on long streams).
    const StreamCache& c = caches_[cache_];
    nlohmann::json r = {{"variant", labels_[variant_]}, {"cache", {c.keep_first, c.recent}},
                        {"label", std::to_string(c.keep_first) + "+" + std::to_string(c.recent)}};
    const std::string problem = stream_eval_problem(run_->model(), c);
    if (!problem.empty()) {
      r["error"] = problem;
    } else if (run_->diverged()) {
      r["error"] = "training diverged: " + run_->divergence().what;
    } else {
      Rng rng = Rng(configs_[variant_].seed).fork(4);  // the same streams for every cache and variant
      const StreamEvalResult e =
          stream_eval(run_->model(), run_->task(), c, configs_[variant_].task.eval_length, streams_, &rng);
      r["loss"] = e.loss;
      r["perplexity"] = e.perplexity;
      r["loss_by_bin"] = e.loss_by_bin;
      r["bin_width"] = e.bin_width;
      r["first_mass"] = e.first_mass;
    }
    r["sink_threshold"] = configs_[variant_].train.sink_threshold;
    if (cache_ == 0) {  // the trained model's own attention, once per variant
      const nlohmann::json s = run_summary(*run_);
      final_ = s.value("final", nlohmann::json::object());
      r["final"] = final_;
    }
    // What the exercises and the lesson quote (core/lab/results.h).
    r["key"] = keys_[variant_] + "_" + std::to_string(c.keep_first) + "_" + std::to_string(c.recent);
    nlohmann::json record = nlohmann::json::object();
    for (const char* k : {"loss", "perplexity", "first_mass", "error", "sink_threshold"})
      if (r.contains(k)) record[k] = r[k];
    // The trained model's sinks: heads whose first-token mass passes the threshold, and the largest such mass.
    double largest = 0.0;
    for (const nlohmann::json& h : final_.value("per_head", nlohmann::json::array()))
      largest = std::max(largest, h.value("first_mass", 0.0));
    record["sink_heads"] = final_.value("sink_heads", 0);
    record["max_head_first_mass"] = largest;
    r["record"] = record;
    results_.push_back(r);
    if (++cache_ >= caches_.size()) {
      cache_ = 0;
      ++variant_;
      run_.reset();
    }
  }

  nlohmann::json progress() const override {
    const size_t owned = owned_count(configs_.size());
    size_t owned_done = 0;  // owned variants before the current one
    for (size_t i = 0; i < std::min(variant_, configs_.size()); ++i) owned_done += owns(i);
    const double per_variant = 1.0 / std::max<size_t>(1, owned);
    double within = 0.0;
    if (run_) {
      // Training is 80% of a variant's work, its cache evaluations the rest.
      within = 0.8 * run_->steps_done() / std::max(1, run_->config().train.steps) +
               0.2 * static_cast<double>(cache_) / caches_.size();
    }
    return {{"kind", "stream"}, {"fraction", owned == 0 || done() ? 1.0 : std::min(1.0, per_variant * (owned_done + within))},
            {"total", configs_.size()}, {"owned", owned}, {"finished", owned_done}, {"variant", done() ? "" : labels_[next_owned(variant_)]}, {"training", run_ && !run_->done()},
            {"step", run_ ? run_->steps_done() : 0}, {"done", done()}};
  }

  std::vector<nlohmann::json> take_results() override { return std::exchange(results_, {}); }

 private:
  size_t next_owned(size_t i) const {
    while (i < configs_.size() && !owns(i)) ++i;
    return i;
  }
  std::vector<RunConfig> configs_;
  std::vector<std::string> labels_;
  std::vector<std::string> keys_;  // each variant's results key ("plain", "sink-token")
  nlohmann::json final_;           // the current variant's trained measures
  std::vector<StreamCache> caches_;
  int streams_;
  size_t variant_ = 0, cache_ = 0;
  std::unique_ptr<Run> run_;
  std::vector<nlohmann::json> results_;
};

}  // namespace

// ---- create --------------------------------------------------------------------------------

std::unique_ptr<LabJob> LabJob::create(const nlohmann::json& spec, std::vector<std::string>* errors) {
  errors->clear();
  constexpr size_t kMaxRuns = 200;
  if (!spec.is_object() || !spec.contains("kind") || !spec["kind"].is_string()) {
    errors->push_back("job.kind: must be \"sweep\" or \"stream\"");
    return nullptr;
  }
  RunConfig base;
  if (spec.contains("base") && !config_from(spec["base"], &base, errors, "job.base")) return nullptr;
  const std::string kind = spec["kind"];
  if (kind == "sweep") {
    if (!spec.contains("over") || !spec["over"].is_array() || spec["over"].empty() || spec["over"].size() > 2) {
      errors->push_back("job.over: must be a list of one or two {\"field\": ..., \"values\": [...]}");
      return nullptr;
    }
    std::vector<nlohmann::json> seeds = {base.seed};
    if (spec.contains("seeds")) {
      if (!spec["seeds"].is_array() || spec["seeds"].empty()) {
        errors->push_back("job.seeds: must be a non-empty list of seeds");
        return nullptr;
      }
      seeds = spec["seeds"].get<std::vector<nlohmann::json>>();
    }
    // The grid, validated point by point before anything runs.
    std::vector<RunConfig> configs = {base};
    std::vector<nlohmann::json> labels = {nlohmann::json::object()};
    std::vector<std::string> keys = {""};
    for (const nlohmann::json& axis : spec["over"]) {
      const ConfigField* f = axis.is_object() && axis.contains("field") && axis["field"].is_string()
                                 ? find_field(axis["field"].get<std::string>()) : nullptr;
      if (!f && axis.is_object() && axis.contains("field") && axis["field"].is_string()) {
        // Name it: "set_size" is neither a flag (set-size) nor a path (task.set_size).
        errors->push_back("job.over: \"" + axis["field"].get<std::string>().substr(0, 64) +
                          "\" is not a config field (give a flag such as set-size or a path such as task.set_size)");
        return nullptr;
      }
      if (!f || !axis.contains("values") || !axis["values"].is_array() || axis["values"].empty()) {
        errors->push_back("job.over: each axis needs a known \"field\" and a non-empty \"values\" list");
        return nullptr;
      }
      // The results key's prefix for this field ("g" for model.globals): the preset names it.
      std::string prefix = f->key;
      if (axis.contains("key")) {
        const bool ok = axis["key"].is_string() && !axis["key"].get<std::string>().empty() &&
                        axis["key"].get<std::string>().size() <= 16 &&
                        result_slug(axis["key"].get<std::string>()) == axis["key"].get<std::string>();
        if (!ok) {
          errors->push_back("job.over: a \"key\" is 1 to 16 lower-case letters, digits and '-'");
          return nullptr;
        }
        prefix = axis["key"];
      }
      std::vector<RunConfig> next_configs;
      std::vector<nlohmann::json> next_labels;
      std::vector<std::string> next_keys;
      for (size_t i = 0; i < configs.size(); ++i)
        for (const nlohmann::json& v : axis["values"]) {
          RunConfig c = configs[i];
          std::string error;
          if (!set_field_json(&c, *f, v, &error)) {
            errors->push_back("job.over: " + error);
            return nullptr;
          }
          nlohmann::json l = labels[i];
          l[f->key] = v;
          next_configs.push_back(c);
          next_labels.push_back(l);
          next_keys.push_back(keys[i] + (keys[i].empty() ? "" : "_") + result_key_part(prefix, v));
        }
      configs = std::move(next_configs);
      labels = std::move(next_labels);
      keys = std::move(next_keys);
    }
    std::vector<RunConfig> all;
    std::vector<nlohmann::json> all_labels;
    std::vector<std::string> all_keys;
    for (size_t i = 0; i < configs.size(); ++i)
      for (const nlohmann::json& s : seeds) {
        RunConfig c = configs[i];
        std::string error;
        if (!set_field_json(&c, *find_field("seed"), s, &error)) {
          errors->push_back("job.seeds: " + error);
          return nullptr;
        }
        const std::vector<std::string> problems = validate_config(c);
        if (!problems.empty()) {
          errors->push_back("job point " + labels[i].dump() + ": " + problems[0]);
          return nullptr;
        }
        nlohmann::json l = labels[i];
        l["seed"] = s;
        all.push_back(c);
        all_labels.push_back(l);
        all_keys.push_back(seeds.size() > 1 ? keys[i] + "_" + result_key_part("s", s) : keys[i]);
      }
    if (all.size() > kMaxRuns) {
      errors->push_back("job.over: " + std::to_string(all.size()) + " runs is too many (at most " +
                        std::to_string(kMaxRuns) + ")");
      return nullptr;
    }
    return std::make_unique<SweepJob>(std::move(all), std::move(all_labels), std::move(all_keys));
  }
  if (kind == "stream") {
    std::vector<RunConfig> configs;
    std::vector<std::string> labels, keys;
    if (!spec.contains("variants") || !spec["variants"].is_array() || spec["variants"].empty() ||
        spec["variants"].size() > 8) {
      errors->push_back("job.variants: must be a list of 1 to 8 {\"label\": ..., \"changes\": {...}}");
      return nullptr;
    }
    for (const nlohmann::json& v : spec["variants"]) {
      RunConfig c = base;
      if (!v.is_object() || !v.contains("label") || !v["label"].is_string()) {
        errors->push_back("job.variants: each variant needs a \"label\"");
        return nullptr;
      }
      if (v.contains("changes") && !config_from(v["changes"], &c, errors, "job.variants." + v["label"].get<std::string>()))
        return nullptr;
      const std::vector<std::string> problems = validate_config(c);
      if (!problems.empty()) {
        errors->push_back("job.variants." + v["label"].get<std::string>() + ": " + problems[0]);
        return nullptr;
      }
      // The results key: the variant's "key", else its label as a slug.
      std::string key = result_slug(v["label"].get<std::string>());
      if (v.contains("key")) {
        if (!v["key"].is_string() || v["key"].get<std::string>().empty() || v["key"].get<std::string>().size() > 24 ||
            result_slug(v["key"].get<std::string>()) != v["key"].get<std::string>()) {
          errors->push_back("job.variants." + v["label"].get<std::string>() +
                            ".key: 1 to 24 lower-case letters, digits and '-'");
          return nullptr;
        }
        key = v["key"];
      }
      configs.push_back(c);
      labels.push_back(v["label"]);
      keys.push_back(key);
    }
    std::vector<StreamCache> caches;
    if (!spec.contains("caches") || !spec["caches"].is_array() || spec["caches"].empty()) {
      errors->push_back("job.caches: must be a list of [S, R] pairs");
      return nullptr;
    }
    for (const nlohmann::json& c : spec["caches"]) {
      if (!c.is_array() || c.size() != 2 || !c[0].is_number_integer() || !c[1].is_number_integer() ||
          c[0].get<int>() < 0 || c[1].get<int>() < 1 || c[0].get<int>() + c[1].get<int>() > base.task.length) {
        errors->push_back("job.caches: each cache is [S, R] with S >= 0, R >= 1 and S + R <= task.length");
        return nullptr;
      }
      caches.push_back({c[0].get<int>(), c[1].get<int>()});
    }
    int streams = 4;
    if (spec.contains("streams")) {
      if (!spec["streams"].is_number_integer() || spec["streams"].get<int>() < 1 || spec["streams"].get<int>() > 64) {
        errors->push_back("job.streams: must be an integer from 1 to 64");
        return nullptr;
      }
      streams = spec["streams"];
    }
    return std::make_unique<StreamJob>(std::move(configs), std::move(labels), std::move(keys), std::move(caches), streams);
  }
  errors->push_back("job.kind: must be \"sweep\" or \"stream\" (got \"" + kind + "\")");
  return nullptr;
}

}  // namespace attnlab
