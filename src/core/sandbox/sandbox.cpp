#include "core/sandbox/sandbox.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/base/rng.h"
#include "core/measures/row_measures.h"
#include "core/sandbox/softmax.h"

namespace attnlab {
namespace {

using L = SandboxLimits;

std::string range_text(double lo, double hi) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g to %g", lo, hi);
  return buf;
}

bool in_range(float v, float lo, float hi) { return std::isfinite(v) && v >= lo && v <= hi; }

SandboxRowStats row_stats(const std::vector<float>& w, int n, int g, float null_mass,
                          float threshold) {
  SandboxRowStats s;
  s.visible_keys = n + g;
  s.entropy = row_entropy(w.data(), n + g);
  s.entropy_normalized = row_entropy_normalized(w.data(), n + g);
  s.peak_index = row_argmax(w.data(), n + g);
  s.peak = s.peak_index >= 0 ? w[s.peak_index] : 0.0f;
  s.peaky = s.peak > threshold;
  s.key_mass = row_mass(w.data(), 0, n);
  s.global_mass = row_mass(w.data(), n, g);
  s.null_mass = null_mass;
  return s;
}

}  // namespace

std::vector<std::string> sandbox_validate(const SandboxConfig& c) {
  std::vector<std::string> errors;
  const int n = static_cast<int>(c.logits.size());
  if (n < L::kMinKeys || n > L::kMaxKeys)
    errors.push_back("logits: needs " + range_text(L::kMinKeys, L::kMaxKeys) + " values, got " +
                     std::to_string(n));
  for (float v : c.logits)
    if (!in_range(v, L::kMinLogit, L::kMaxLogit)) {
      errors.push_back("logits: every value must be a number from " +
                       range_text(L::kMinLogit, L::kMaxLogit));
      break;
    }
  if (static_cast<int>(c.global_scores.size()) > L::kMaxGlobals)
    errors.push_back("globals: at most " + std::to_string(L::kMaxGlobals) + " global tokens, got " +
                     std::to_string(c.global_scores.size()));
  for (float v : c.global_scores)
    if (!in_range(v, L::kMinLogit, L::kMaxLogit)) {
      errors.push_back("globals: every score must be a number from " +
                       range_text(L::kMinLogit, L::kMaxLogit));
      break;
    }
  if (!in_range(c.temperature, L::kMinTemperature, L::kMaxTemperature))
    errors.push_back("temperature: must be from " + range_text(L::kMinTemperature, L::kMaxTemperature));
  if (!in_range(c.peak_threshold, L::kMinPeakThreshold, L::kMaxPeakThreshold))
    errors.push_back("peakThreshold: must be from " +
                     range_text(L::kMinPeakThreshold, L::kMaxPeakThreshold));
  return errors;
}

SandboxResult sandbox_compute(const SandboxConfig& c) {
  const int n = static_cast<int>(c.logits.size());
  const int g = static_cast<int>(c.global_scores.size());
  const SoftmaxOptions options{c.temperature, c.softmax1};

  // The row the query sees: the n keys, then the g global tokens.
  std::vector<float> row(c.logits);
  row.insert(row.end(), c.global_scores.begin(), c.global_scores.end());

  SandboxResult r;
  r.weights.resize(n + g);
  float null_mass = softmax_row(r.weights.data(), row.data(), options, n + g);
  r.stats = row_stats(r.weights, n, g, null_mass, c.peak_threshold);

  std::vector<float> alone(n);
  null_mass = softmax_row(alone.data(), c.logits.data(), options, n);
  r.without_globals = row_stats(alone, n, 0, null_mass, c.peak_threshold);
  return r;
}

SandboxConfig sandbox_default() {
  SandboxConfig c;
  // Mostly small scores and one strong match: the peaky row of the course
  // (about 0.9 on one key).
  c.logits = {0.3f, -0.5f, 1.0f, 0.2f, -1.2f, 0.6f, 5.2f, -0.3f,
              0.1f, 0.8f, -0.7f, 0.4f, -0.2f, 0.9f, -1.0f, 0.0f};
  return c;
}

namespace {

// Reads a list of numbers; reports and returns false on any non-number.
bool read_floats(const nlohmann::json& j, const char* field, std::vector<float>* out,
                 std::vector<std::string>* errors) {
  if (!j.is_array()) {
    errors->push_back(std::string(field) + ": must be a list of numbers");
    return false;
  }
  if (j.size() > 1024) {
    errors->push_back(std::string(field) + ": list is far too long (" + std::to_string(j.size()) + ")");
    return false;
  }
  std::vector<float> v;
  for (const auto& x : j) {
    if (!x.is_number()) {
      errors->push_back(std::string(field) + ": must be a list of numbers");
      return false;
    }
    v.push_back(x.get<float>());
  }
  *out = std::move(v);
  return true;
}

}  // namespace

void sandbox_update_from_json(SandboxConfig* config, const nlohmann::json& j,
                              std::vector<std::string>* errors) {
  if (!j.is_object()) {
    errors->push_back("sandbox settings must be a JSON object");
    return;
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    const nlohmann::json& v = it.value();
    SandboxConfig trial = *config;
    bool parsed = true;
    if (key == "logits") {
      parsed = read_floats(v, "logits", &trial.logits, errors);
    } else if (key == "globals") {
      parsed = read_floats(v, "globals", &trial.global_scores, errors);
    } else if (key == "temperature" || key == "peakThreshold") {
      if (!v.is_number()) {
        errors->push_back(key + ": must be a number");
        parsed = false;
      } else {
        (key == "temperature" ? trial.temperature : trial.peak_threshold) = v.get<float>();
      }
    } else if (key == "softmax1") {
      if (!v.is_boolean()) {
        errors->push_back("softmax1: must be true or false");
        parsed = false;
      } else {
        trial.softmax1 = v.get<bool>();
      }
    } else {
      errors->push_back(key + ": unknown field (known: logits, globals, temperature, softmax1, peakThreshold)");
      parsed = false;
    }
    if (!parsed) continue;
    // Keep a field only if it leaves the whole config valid.
    std::vector<std::string> problems = sandbox_validate(trial);
    if (problems.empty())
      *config = std::move(trial);
    else
      errors->insert(errors->end(), problems.begin(), problems.end());
  }
}

namespace {
nlohmann::json stats_json(const SandboxRowStats& s) {
  return {{"visibleKeys", s.visible_keys},   {"entropy", s.entropy},
          {"entropyNormalized", s.entropy_normalized},
          {"peak", s.peak},                  {"peakIndex", s.peak_index},
          {"peaky", s.peaky},                {"keyMass", s.key_mass},
          {"globalMass", s.global_mass},     {"nullMass", s.null_mass}};
}
}  // namespace

nlohmann::json sandbox_to_json(const SandboxConfig& c, const SandboxResult& r) {
  return {{"logits", c.logits},
          {"globals", c.global_scores},
          {"temperature", c.temperature},
          {"softmax1", c.softmax1},
          {"peakThreshold", c.peak_threshold},
          {"weights", r.weights},
          {"measures", stats_json(r.stats)},
          {"withoutGlobals", stats_json(r.without_globals)}};
}

std::vector<float> sandbox_random_logits(int n, uint64_t draw, float lo, float hi) {
  Rng rng = Rng(1234).fork(draw);
  std::vector<float> out(static_cast<size_t>(std::max(0, n)));
  for (float& x : out)
    x = std::clamp(static_cast<float>(std::round(rng.normal() * 2.0 * 10.0) / 10.0), lo, hi);
  return out;
}

}  // namespace attnlab
