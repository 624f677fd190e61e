// A training run (see run.h).
//
// Index
//   - create          validate, build the task, the model, the data
//   - step            the training step: forward, zero_grad, backward, update
//   - log_now         evaluation and attention measures
//   - apply           interventions mid-run
//   - save / load     the whole state as bytes
#include "core/training/run.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/base/json_read.h"
#include "core/kernels/crossentropy.h"
#include "core/measures/oversmoothing.h"
#include "core/training/config_schema.h"
#include "core/training/run_report.h"

namespace attnlab {
namespace {

// Streams forked from the seed, one per purpose.
enum Stream : uint64_t { kInit = 1, kTrain = 2, kEval = 3 };
constexpr int kProbeRows = 32;  // query rows per probe sequence

const char* kDivergenceAdvice =
    "Try a lower learning rate (train.lr), gradient clipping (train.grad_clip), a smaller model.logit_scale or "
    "model.qk_init, or model.qk_norm.";

}  // namespace

// ---- create ------------------------------------------------------------------------------

Run::Run(const RunConfig& config) : config_(config) {}

std::unique_ptr<Run> Run::create(const RunConfig& config, std::vector<std::string>* errors) {
  *errors = validate_config(config);
  if (!errors->empty()) return nullptr;
  std::unique_ptr<Run> run(new Run(config));
  run->task_ = make_task(config.task);
  run->model_ = std::make_unique<Model>(config.model, run->task_->vocab_size(), run->task_->length());
  const Rng base(config.seed);
  run->init_rng_ = base.fork(kInit);
  run->train_rng_ = base.fork(kTrain);
  Rng eval_rng = base.fork(kEval);
  run->model_->init(&run->init_rng_);
  run->task_->sample(&run->eval_, config.task.eval_size, &eval_rng, Split::Eval);
  // The probe batch: the first sequences of the evaluation set.
  const int Bp = std::min(config.train.probe_batch, config.task.eval_size), T = run->eval_.T;
  TaskBatch& p = run->probe_;
  p.B = Bp;
  p.T = T;
  p.tokens.assign(run->eval_.tokens.begin(), run->eval_.tokens.begin() + static_cast<size_t>(Bp) * T);
  p.targets.assign(run->eval_.targets.begin(), run->eval_.targets.begin() + static_cast<size_t>(Bp) * T);
  p.groups.assign(run->eval_.groups.begin(), run->eval_.groups.begin() + static_cast<size_t>(Bp) * T);
  run->probe_active_.resize(static_cast<size_t>(Bp) * T);
  for (size_t i = 0; i < run->probe_active_.size(); ++i)
    run->probe_active_[i] = p.targets[i] >= 0 && run->task_->needs_context(p.groups[i]);
  run->probe_measures_.set_queries(choose_probe_queries(run->task_->probe_positions(), T, kProbeRows));
  return run;
}

float Run::learning_rate(int step) const {
  const TrainConfig& t = config_.train;
  return t.warmup > 0 && step < t.warmup ? t.lr * static_cast<float>(step + 1) / t.warmup : t.lr;
}

// ---- step --------------------------------------------------------------------------------

void Run::step() {
  if (done()) return;
  if (step_ == 0 && history_.empty()) log_now();  // the measures at initialization
  const TrainConfig& t = config_.train;
  task_->sample(&batch_, t.batch, &train_rng_, Split::Train);

  const float loss = model_->forward(batch_.tokens.data(), batch_.targets.data(), t.batch);
  model_->zero_grad();
  model_->backward();
  // Nothing that is not finite may reach the optimizer.
  if (!std::isfinite(loss)) {
    divergence_ = {step_ + 1, std::string("the training loss became ") + (std::isnan(loss) ? "NaN" : "infinite"),
                   kDivergenceAdvice};
    return;
  }
  const float norm = model_->clip_grad_norm(t.grad_clip);
  if (!std::isfinite(norm)) {
    divergence_ = {step_ + 1, "the gradient of " + model_->first_nonfinite_grad() + " is not finite",
                   kDivergenceAdvice};
    return;
  }
  model_->update(learning_rate(step_), t, step_ + 1);

  ++step_;
  last_loss_ = loss;
  last_grad_norm_ = norm;
  if (step_ % t.log_every == 0 || step_ == t.steps) log_now();
}

// ---- log_now -------------------------------------------------------------------------------

void Run::evaluate(LogPoint* point) {
  const int T = eval_.T, V = model_->vocab(), E = eval_.B;
  const int chunk = std::max(1, config_.train.batch);
  const int groups = static_cast<int>(task_->group_names().size());
  std::vector<double> correct(groups, 0.0), count(groups, 0.0);
  double loss_sum = 0.0, loss_count = 0.0;
  for (int b0 = 0; b0 < E; b0 += chunk) {
    const int B = std::min(chunk, E - b0);
    const size_t off = static_cast<size_t>(b0) * T;
    model_->forward(eval_.tokens.data() + off, eval_.targets.data() + off, B);
    const float* logits = model_->logits();
    const float* losses = model_->losses();
    for (int i = 0; i < B * T; ++i) {
      const int target = eval_.targets[off + i];
      if (target == kIgnoreTarget) continue;
      const float* row = logits + static_cast<size_t>(i) * V;
      const int guess = static_cast<int>(std::max_element(row, row + V) - row);
      const int g = eval_.groups[off + i];
      correct[g] += guess == target;
      count[g] += 1.0;
      loss_sum += losses[i];
      loss_count += 1.0;
    }
  }
  point->eval_loss = loss_count > 0 ? loss_sum / loss_count : 0.0;
  point->accuracy.resize(groups);
  for (int g = 0; g < groups; ++g) point->accuracy[g] = count[g] > 0 ? correct[g] / count[g] : 0.0;
}

void Run::log_now() {
  LogPoint p;
  p.step = step_;
  p.lr = learning_rate(std::max(0, step_ - 1));
  p.train_loss = last_loss_;
  p.grad_norm = last_grad_norm_;
  evaluate(&p);
  // The attention measures, on the probe batch.
  const int Bp = probe_.B, T = probe_.T, N = model_->seq(), P = model_->prefix(), C = config_.model.width;
  model_->forward(probe_.tokens.data(), probe_.targets.data(), Bp);
  p.heads = probe_measures_.measure(*model_, probe_active_.data(), Bp, config_.train.peak_threshold);
  for (int l = 0; l < config_.model.layers; ++l) {
    double cos = 0.0;
    for (int b = 0; b < Bp; ++b)
      cos += mean_pairwise_cosine(model_->layer_acts(l).res3 + (static_cast<size_t>(b) * N + P) * C, T, C, C);
    p.cosine.push_back(cos / Bp);
  }
  p.pairs = model_->spec().mask.pairs(N);
  p.step_flops = model_->step_flops(config_.train.batch);
  p.event = pending_event_;
  pending_event_.clear();
  if (!history_.empty() && history_.back().step == p.step) history_.pop_back();
  history_.push_back(p);
  // Weights cannot turn non-finite from finite gradients in one step, but
  // check here (cheaply, at log time) so a broken state never goes unnoticed.
  const std::string bad = model_->first_nonfinite_param();
  if (!bad.empty() && !diverged()) divergence_ = {step_, "the weights of " + bad + " are not finite", kDivergenceAdvice};
}

int Run::converged_at() const {
  for (const LogPoint& p : history_)
    if (!p.accuracy.empty() && p.accuracy[0] >= config_.train.converge_at) return p.step;
  return -1;
}

// ---- apply -----------------------------------------------------------------------------------

bool Run::check_changes(const nlohmann::json& changes, RunConfig* next_out, std::vector<std::string>* errors) const {
  static const char* kAllowed[] = {
      "model.window", "model.globals", "model.registers", "model.sinks", "model.softmax1", "model.sink_logit",
      "model.logit_scale", "model.softcap", "model.qk_norm", "train.lr", "train.warmup", "train.weight_decay",
      "train.grad_clip", "train.steps", "train.log_every", "train.peak_threshold", "train.sink_threshold",
      "train.converge_at"};
  errors->clear();
  if (!changes.is_object()) {
    errors->push_back("changes: must be an object such as {\"model\": {\"globals\": 4}}");
    return false;
  }
  RunConfig next = config_;
  for (auto sec = changes.begin(); sec != changes.end(); ++sec) {
    if (!sec.value().is_object()) {
      errors->push_back(sec.key() + ": must be an object of fields");
      continue;
    }
    for (auto f = sec.value().begin(); f != sec.value().end(); ++f) {
      const std::string path = sec.key() + "." + f.key();
      const ConfigField* field = find_field(path);
      if (!field) {
        errors->push_back(path + ": unknown field");
        continue;
      }
      if (std::find_if(std::begin(kAllowed), std::end(kAllowed), [&](const char* a) { return path == a; }) ==
          std::end(kAllowed)) {
        errors->push_back(path + ": cannot change during a run (only the attention variant and the training "
                                 "settings can); start a new run instead");
        continue;
      }
      std::string error;
      if (!set_field_json(&next, *field, f.value(), &error)) errors->push_back(error);
    }
  }
  if (errors->empty()) *errors = validate_config(next);
  if (!errors->empty()) return false;
  if (next_out) *next_out = next;
  return true;
}

bool Run::apply(const nlohmann::json& changes, std::vector<std::string>* errors) {
  RunConfig next;
  if (!check_changes(changes, &next, errors)) return false;

  std::string event;
  for (const ConfigField& f : config_fields()) {
    const std::string before = field_value_text(config_, f), after = field_value_text(next, f);
    if (before != after) event += (event.empty() ? "" : ", ") + field_path(f) + " " + before + " -> " + after;
  }
  const bool model_changed = config_to_json(next)["model"] != config_to_json(config_)["model"];
  config_ = next;
  if (model_changed) {
    model_->reconfigure(config_.model, &init_rng_);
    probe_measures_.reset();  // rows of a different attention: jump and drift restart
  }
  if (!event.empty()) pending_event_ += (pending_event_.empty() ? "" : "; ") + event;
  return true;
}

// ---- save / load -------------------------------------------------------------------------------

namespace {

constexpr char kMagic[4] = {'A', 'T', 'N', 'L'};
constexpr uint32_t kVersion = 1;

template <class T>
void put(std::vector<uint8_t>* out, const T* data, size_t count) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(data);
  out->insert(out->end(), p, p + sizeof(T) * count);
}

template <class T>
void put_vector(std::vector<uint8_t>* out, const std::vector<T>& v) {
  const uint64_t n = v.size();
  put(out, &n, 1);
  put(out, v.data(), v.size());
}

struct Reader {
  const std::vector<uint8_t>& bytes;
  size_t pos = 0;
  bool ok = true;
  template <class T>
  void get(T* data, size_t count) {
    const size_t n = sizeof(T) * count;
    if (!ok || pos + n > bytes.size()) {
      ok = false;
      return;
    }
    std::memcpy(data, bytes.data() + pos, n);
    pos += n;
  }
  template <class T>
  void get_vector(std::vector<T>* v, uint64_t max_count) {
    uint64_t n = 0;
    get(&n, 1);
    if (!ok || n > max_count) {
      ok = false;
      return;
    }
    v->resize(n);
    get(v->data(), n);
  }
};

}  // namespace

std::vector<uint8_t> Run::save() const {
  std::vector<uint8_t> out;
  put(&out, kMagic, 4);
  put(&out, &kVersion, 1);
  nlohmann::json meta = {{"config", config_to_json(config_)},
                         {"step", step_},
                         {"last_loss", last_loss_},
                         {"last_grad_norm", last_grad_norm_},
                         {"pending_event", pending_event_},
                         {"divergence", {{"step", divergence_.step}, {"what", divergence_.what}, {"advice", divergence_.advice}}},
                         {"history", history_to_json(history_)}};
  const std::string text = meta.dump();
  std::vector<char> chars(text.begin(), text.end());
  put_vector(&out, chars);
  put(&out, train_rng_.state(), 4);
  put(&out, init_rng_.state(), 4);
  Model& m = *model_;
  put_vector(&out, m.param_data());
  put_vector(&out, m.adam_m());
  put_vector(&out, m.adam_v());
  AttentionProbe& probe = const_cast<AttentionProbe&>(probe_measures_);
  put_vector(&out, probe.prev_argmax());
  put_vector(&out, probe.prev_rows());
  return out;
}

std::unique_ptr<Run> Run::load(const std::vector<uint8_t>& bytes, std::vector<std::string>* errors) {
  errors->clear();
  Reader r{bytes};
  char magic[4] = {};
  uint32_t version = 0;
  r.get(magic, 4);
  r.get(&version, 1);
  if (!r.ok || std::memcmp(magic, kMagic, 4) != 0) {
    errors->push_back("state: not an Attention Lab run state");
    return nullptr;
  }
  if (version != kVersion) {
    errors->push_back("state: version " + std::to_string(version) + " is not supported (expected " +
                      std::to_string(kVersion) + ")");
    return nullptr;
  }
  std::vector<char> chars;
  r.get_vector(&chars, bytes.size());
  const nlohmann::json meta = nlohmann::json::parse(chars.begin(), chars.end(), nullptr, false);
  if (!r.ok || meta.is_discarded() || !meta.is_object() || !meta.contains("config")) {
    errors->push_back("state: the run description is damaged");
    return nullptr;
  }
  RunConfig config;
  config_update_from_json(&config, meta["config"], errors);
  if (!errors->empty()) return nullptr;
  std::unique_ptr<Run> run = create(config, errors);
  if (!run) return nullptr;
  uint64_t train_state[4], init_state[4];
  r.get(train_state, 4);
  r.get(init_state, 4);
  Model& m = *run->model_;
  const size_t n = m.param_data().size();
  std::vector<float> params, mom1, mom2;
  r.get_vector(&params, n);
  r.get_vector(&mom1, n);
  r.get_vector(&mom2, n);
  std::vector<int> argmax;
  std::vector<float> rows;
  r.get_vector(&argmax, bytes.size());
  r.get_vector(&rows, bytes.size());
  if (!r.ok || params.size() != n || mom1.size() != n || mom2.size() != n) {
    errors->push_back("state: the saved weights do not match the model its config describes");
    return nullptr;
  }
  run->train_rng_.set_state(train_state);
  run->init_rng_.set_state(init_state);
  // Copy into the arenas: the model's named views point into them.
  std::copy(params.begin(), params.end(), m.param_data().begin());
  std::copy(mom1.begin(), mom1.end(), m.adam_m().begin());
  std::copy(mom2.begin(), mom2.end(), m.adam_v().begin());
  run->probe_measures_.prev_argmax() = std::move(argmax);
  run->probe_measures_.prev_rows() = std::move(rows);
  // Typed reads that never throw (a damaged state must not abort the page).
  auto number = json_number;
  auto text = json_text;
  run->step_ = static_cast<int>(number(meta, "step", 0));
  run->last_loss_ = static_cast<float>(number(meta, "last_loss", 0));
  run->last_grad_norm_ = static_cast<float>(number(meta, "last_grad_norm", 0));
  run->pending_event_ = text(meta, "pending_event");
  if (meta.contains("divergence") && meta["divergence"].is_object()) {
    const nlohmann::json& d = meta["divergence"];
    run->divergence_ = {static_cast<int>(number(d, "step", -1)), text(d, "what"), text(d, "advice")};
  }
  if (meta.contains("history")) run->history_ = history_from_json(meta["history"]);
  return run;
}

}  // namespace attnlab
