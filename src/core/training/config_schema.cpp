#include "core/training/config_schema.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "core/model/model.h"

namespace attnlab {
namespace {

#define ADDR(expr) [](RunConfig& c) -> void* { return &(c.expr); }


}  // namespace

const std::vector<ConfigField>& config_fields() {
  using T = FieldType;
  static const std::vector<ConfigField> fields = {
      {"", "seed", "seed", T::Seed, 0, 4294967295.0, nullptr,
       "Random seed: the same config and seed give the same run, bit for bit, on one build.", ADDR(seed)},

      {"model", "layers", "layers", T::Int, 1, 4, nullptr, "Transformer blocks (pre-LN).", ADDR(model.layers)},
      {"model", "heads", "heads", T::Int, 1, 4, nullptr, "Attention heads per block; must divide width.", ADDR(model.heads)},
      {"model", "width", "width", T::Int, 16, 128, nullptr, "Model width C; the MLP is 4C wide.", ADDR(model.width)},
      {"model", "positions", "positions", T::String, 0, 0, "learned|rope|none",
       "Position information: learned absolute embeddings, rotary (RoPE) on q and k, or none (a causal model "
       "still tells positions apart).", ADDR(model.positions)},
      {"model", "causal", "causal", T::Bool, 0, 1, nullptr, "Queries see only keys at or before them.", ADDR(model.causal)},
      {"model", "window", "window", T::Int, -1, 8192, nullptr,
       "Sliding-window half-width w: a token sees tokens at most w away. -1 = full attention.", ADDR(model.window)},
      {"model", "globals", "globals", T::Int, 0, 256, nullptr,
       "Extra learned global tokens: they see every token and every token sees them.", ADDR(model.globals)},
      {"model", "registers", "registers", T::Int, 0, 64, nullptr,
       "Extra learned register tokens, always visible (in a causal model they see only each other).",
       ADDR(model.registers)},
      {"model", "sinks", "sinks", T::Int, 0, 64, nullptr,
       "The first k tokens stay visible to every token whatever the window (StreamingLLM).", ADDR(model.sinks)},
      {"model", "softmax1", "softmax1", T::Bool, 0, 1, nullptr,
       "softmax1: +1 in the softmax denominator, an always-visible key with logit 0 and a zero value.",
       ADDR(model.softmax1)},
      {"model", "sink_logit", "sink-logit", T::Bool, 0, 1, nullptr,
       "A learnable per-head sink logit: like softmax1 with a learned score (a key bias with zero value).",
       ADDR(model.sink_logit)},
      {"model", "logit_scale", "logit-scale", T::Float, 0.01, 100, nullptr,
       "Multiplies the attention logits q.k/sqrt(d); the inverse of a temperature.", ADDR(model.logit_scale)},
      {"model", "softcap", "softcap", T::Float, 0, 1000, nullptr,
       "Logit soft-capping cap*tanh(logit/cap); 0 = off (Gemma 2 uses 50).", ADDR(model.softcap)},
      {"model", "qk_norm", "qk-norm", T::Bool, 0, 1, nullptr, "RMS-normalize q and k per head before the dot product.",
       ADDR(model.qk_norm)},
      {"model", "qk_init", "qk-init", T::Float, 0.01, 100, nullptr,
       "Multiplies the initial scale of W_q and W_k (large values start attention peaky).", ADDR(model.qk_init)},

      {"task", "kind", "task", T::String, 0, 0, "retrieval|membership|recall|copy|mixed|stream|backcopy",
       "The task: retrieval (introduction to conclusion), membership and recall (global-memory capacity: K "
       "facts), copy (local detail), mixed (retrieval + copy), stream (language modeling, rolling-cache "
       "evaluation), backcopy (Bigram-Backcopy language modeling: most heads idle, rolling-cache evaluation).",
       ADDR(task.kind)},
      {"task", "length", "length", T::Int, 8, 8192, nullptr, "Tokens per training sequence (n).", ADDR(task.length)},
      {"task", "symbols", "symbols", T::Int, 2, 256, nullptr, "Alphabet of filler, copy and noise tokens.",
       ADDR(task.symbols)},
      {"task", "topics", "topics", T::Int, 2, 256, nullptr, "retrieval/mixed: keys the query may ask for (chance 1/topics).",
       ADDR(task.topics)},
      {"task", "key_position", "key-position", T::Int, 1, 8190, nullptr, "retrieval/mixed: where the key sits.",
       ADDR(task.key_position)},
      {"task", "items", "items", T::Int, 2, 1024, nullptr, "membership: item vocabulary.", ADDR(task.items)},
      {"task", "set_size", "set-size", T::Int, 1, 1023, nullptr, "membership/recall: K, the facts listed in the introduction.",
       ADDR(task.set_size)},
      {"task", "copy_offset", "copy-offset", T::Int, 1, 8191, nullptr, "copy/mixed: predict the token this many places back.",
       ADDR(task.copy_offset)},
      {"task", "bindings", "bindings", T::Int, 1, 256, nullptr, "stream: key -> value pairs per document.",
       ADDR(task.bindings)},
      {"task", "bind_rate", "bind-rate", T::Float, 0, 1, nullptr, "stream: share of steps that emit a bound key.",
       ADDR(task.bind_rate)},
      {"task", "eval_length", "eval-length", T::Int, 8, 65536, nullptr, "stream/backcopy: length of the evaluation streams.",
       ADDR(task.eval_length)},
      {"task", "triggers", "triggers", T::Int, 1, 512, nullptr, "backcopy: trigger symbols (the token after one copies the token before it).",
       ADDR(task.triggers)},
      {"task", "trigger_rate", "trigger-rate", T::Float, 0, 0.5, nullptr, "backcopy: share of steps that emit a trigger.",
       ADDR(task.trigger_rate)},
      {"task", "eval_size", "eval-size", T::Int, 1, 4096, nullptr, "Sequences in the fixed evaluation set.",
       ADDR(task.eval_size)},

      {"train", "steps", "steps", T::Int, 1, 1000000, nullptr, "Training steps.", ADDR(train.steps)},
      {"train", "batch", "batch", T::Int, 1, 256, nullptr, "Sequences per step.", ADDR(train.batch)},
      {"train", "lr", "lr", T::Float, 1e-6, 1, nullptr, "Peak learning rate (AdamW).", ADDR(train.lr)},
      {"train", "warmup", "warmup", T::Int, 0, 100000, nullptr, "Linear warm-up steps; constant after.", ADDR(train.warmup)},
      {"train", "weight_decay", "weight-decay", T::Float, 0, 1, nullptr, "AdamW weight decay, on matrices only.",
       ADDR(train.weight_decay)},
      {"train", "grad_clip", "grad-clip", T::Float, 0, 1000, nullptr, "Clip the global gradient norm to this; 0 = off.",
       ADDR(train.grad_clip)},
      {"train", "beta1", "beta1", T::Float, 0, 0.9999, nullptr, "AdamW beta1.", ADDR(train.beta1)},
      {"train", "beta2", "beta2", T::Float, 0, 0.99999, nullptr, "AdamW beta2.", ADDR(train.beta2)},
      {"train", "log_every", "log-every", T::Int, 1, 100000, nullptr, "Measure every this many steps.",
       ADDR(train.log_every)},
      {"train", "probe_batch", "probe-batch", T::Int, 1, 64, nullptr,
       "Evaluation sequences the attention measures look at.", ADDR(train.probe_batch)},
      {"train", "peak_threshold", "peak-threshold", T::Float, 0.5, 0.999, nullptr,
       "A row is peaky when its peak weight exceeds this.", ADDR(train.peak_threshold)},
      {"train", "sink_threshold", "sink-threshold", T::Float, 0.01, 0.99, nullptr,
       "A head sinks when its mean first-token mass exceeds this (Gu et al. use 0.3).", ADDR(train.sink_threshold)},
      {"train", "converge_at", "converge-at", T::Float, 0.01, 1, nullptr,
       "A run has converged when its main evaluation accuracy reaches this.", ADDR(train.converge_at)},
  };
  return fields;
}

const ConfigField* find_field(const std::string& name) {
  for (const ConfigField& f : config_fields())
    if (name == f.flag || name == field_path(f)) return &f;
  return nullptr;
}

std::string field_path(const ConfigField& f) {
  return std::string(f.section).empty() ? std::string(f.key) : std::string(f.section) + "." + f.key;
}

namespace {

std::string number_text(double v) {
  char buf[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

std::string field_allowed(const ConfigField& f) {
  switch (f.type) {
    case FieldType::Int:
    case FieldType::Seed:
      return "an integer from " + number_text(f.min) + " to " + number_text(f.max);
    case FieldType::Float:
      return "a number from " + number_text(f.min) + " to " + number_text(f.max);
    case FieldType::Bool:
      return "true or false";
    case FieldType::String: {
      std::string out = "one of ";
      for (const char* ch = f.choices; *ch; ++ch) out += *ch == '|' ? std::string(", ") : std::string(1, *ch);
      return out;
    }
  }
  return "";
}

std::string field_value_text(const RunConfig& c, const ConfigField& f) {
  void* p = f.address(const_cast<RunConfig&>(c));
  switch (f.type) {
    case FieldType::Int: return std::to_string(*static_cast<int*>(p));
    case FieldType::Seed: return std::to_string(*static_cast<uint64_t*>(p));
    case FieldType::Float: return number_text(*static_cast<float*>(p));
    case FieldType::Bool: return *static_cast<bool*>(p) ? "true" : "false";
    case FieldType::String: return *static_cast<std::string*>(p);
  }
  return "";
}

namespace {

bool in_choices(const ConfigField& f, const std::string& v) {
  std::string s = f.choices;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find('|', start);
    if (end == std::string::npos) end = s.size();
    if (s.compare(start, end - start, v) == 0) return true;
    start = end + 1;
  }
  return false;
}

bool store_number(RunConfig* c, const ConfigField& f, double v, std::string* error) {
  const bool integral = f.type == FieldType::Int || f.type == FieldType::Seed;
  if (!std::isfinite(v) || v < f.min || v > f.max || (integral && v != std::floor(v))) {
    *error = field_path(f) + ": must be " + field_allowed(f);
    return false;
  }
  void* p = f.address(*c);
  if (f.type == FieldType::Int) *static_cast<int*>(p) = static_cast<int>(v);
  if (f.type == FieldType::Seed) *static_cast<uint64_t*>(p) = static_cast<uint64_t>(v);
  if (f.type == FieldType::Float) *static_cast<float*>(p) = static_cast<float>(v);
  return true;
}

}  // namespace

bool set_field_text(RunConfig* c, const ConfigField& f, const std::string& text, std::string* error) {
  switch (f.type) {
    case FieldType::Bool:
      if (text == "true" || text == "1" || text == "on" || text == "yes") {
        *static_cast<bool*>(f.address(*c)) = true;
        return true;
      }
      if (text == "false" || text == "0" || text == "off" || text == "no") {
        *static_cast<bool*>(f.address(*c)) = false;
        return true;
      }
      *error = field_path(f) + ": must be " + field_allowed(f) + ", got \"" + text + "\"";
      return false;
    case FieldType::String:
      if (!in_choices(f, text)) {
        *error = field_path(f) + ": must be " + field_allowed(f) + ", got \"" + text + "\"";
        return false;
      }
      *static_cast<std::string*>(f.address(*c)) = text;
      return true;
    default: {
      char* end = nullptr;
      const double v = std::strtod(text.c_str(), &end);
      if (text.empty() || end == nullptr || *end != '\0') {
        *error = field_path(f) + ": must be " + field_allowed(f) + ", got \"" + text + "\"";
        return false;
      }
      return store_number(c, f, v, error);
    }
  }
}

bool set_field_json(RunConfig* c, const ConfigField& f, const nlohmann::json& value, std::string* error) {
  switch (f.type) {
    case FieldType::Bool:
      if (!value.is_boolean()) {
        *error = field_path(f) + ": must be " + field_allowed(f);
        return false;
      }
      *static_cast<bool*>(f.address(*c)) = value.get<bool>();
      return true;
    case FieldType::String:
      if (!value.is_string() || !in_choices(f, value.get<std::string>())) {
        *error = field_path(f) + ": must be " + field_allowed(f);
        return false;
      }
      *static_cast<std::string*>(f.address(*c)) = value.get<std::string>();
      return true;
    default:
      if (!value.is_number()) {
        *error = field_path(f) + ": must be " + field_allowed(f);
        return false;
      }
      return store_number(c, f, value.get<double>(), error);
  }
}

std::vector<std::string> validate_config(const RunConfig& c) {
  std::vector<std::string> errors;
  // Ranges (values set in code, not through set_field_*, are checked here too).
  for (const ConfigField& f : config_fields()) {
    RunConfig copy = c;
    std::string error;
    if (!set_field_text(&copy, f, field_value_text(c, f), &error)) errors.push_back(error);
  }
  if (!errors.empty()) return errors;

  const ModelConfig& m = c.model;
  if (m.width % m.heads != 0)
    errors.push_back("model.width: must be divisible by model.heads (" + std::to_string(m.heads) + ")");
  else if (m.positions == "rope" && (m.width / m.heads) % 2 != 0)
    errors.push_back("model.positions: rope needs an even head dimension (width / heads)");
  if (m.softmax1 && m.sink_logit)
    errors.push_back("model.sink_logit: softmax1 and a learnable sink logit are alternatives (softmax1 is the "
                     "sink logit fixed at 0); switch one off");
  if (m.sinks > c.task.length)
    errors.push_back("model.sinks: must be at most task.length (" + std::to_string(c.task.length) + ")");
  if ((c.task.kind == "stream" || c.task.kind == "backcopy") && !m.causal)
    errors.push_back("model.causal: the " + c.task.kind + " task is next-token prediction, so the model must be causal");
  if (m.globals > 0 && m.causal &&
      (c.task.kind == "stream" || c.task.kind == "backcopy" || c.task.kind == "copy" || c.task.kind == "mixed"))
    errors.push_back("model.globals: global tokens see every position, so in a causal model they leak future "
                     "tokens into the per-position targets of task " + c.task.kind +
                     "; use registers or sinks, or a bidirectional model");
  const std::vector<std::string> task_errors = validate_task(c.task);
  errors.insert(errors.end(), task_errors.begin(), task_errors.end());
  if (!errors.empty()) return errors;

  const double bytes = Model::estimate_bytes(c, c.train.batch);
  if (bytes > kMaxRunBytes) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "train.batch: the run needs about %.1f GB of memory (%d sequences of %d tokens, width %d, "
                  "%d layers), more than the %.1f GB limit; lower train.batch, task.length or model.width",
                  bytes / 1e9, c.train.batch, c.task.length + m.globals + m.registers, m.width, m.layers,
                  kMaxRunBytes / 1e9);
    errors.push_back(buf);
  }
  return errors;
}

void config_update_from_json(RunConfig* c, const nlohmann::json& j, std::vector<std::string>* errors) {
  if (!j.is_object()) {
    errors->push_back("config: must be a JSON object {\"seed\": ..., \"model\": {...}, \"task\": {...}, \"train\": {...}}");
    return;
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    if (key == "model" || key == "task" || key == "train") {
      if (!it.value().is_object()) {
        errors->push_back(key + ": must be an object of fields");
        continue;
      }
      for (auto f = it.value().begin(); f != it.value().end(); ++f) {
        const ConfigField* field = find_field(key + "." + f.key());
        if (!field) {
          errors->push_back(key + "." + f.key() + ": unknown field");
          continue;
        }
        std::string error;
        if (!set_field_json(c, *field, f.value(), &error)) errors->push_back(error);
      }
    } else if (key == "seed") {
      std::string error;
      if (!set_field_json(c, *find_field("seed"), it.value(), &error)) errors->push_back(error);
    } else {
      errors->push_back(key + ": unknown field (known: seed, model, task, train)");
    }
  }
}

nlohmann::json config_to_json(const RunConfig& c) {
  nlohmann::json j = nlohmann::json::object();
  for (const ConfigField& f : config_fields()) {
    void* p = f.address(const_cast<RunConfig&>(c));
    nlohmann::json v;
    switch (f.type) {
      case FieldType::Int: v = *static_cast<int*>(p); break;
      case FieldType::Seed: v = *static_cast<uint64_t*>(p); break;
      case FieldType::Float: v = *static_cast<float*>(p); break;
      case FieldType::Bool: v = *static_cast<bool*>(p); break;
      case FieldType::String: v = *static_cast<std::string*>(p); break;
    }
    if (std::string(f.section).empty())
      j[f.key] = v;
    else
      j[f.section][f.key] = v;
  }
  return j;
}

}  // namespace attnlab
