// The softmax sandbox: one attention row whose logits the user drags, plus
// 0-16 global tokens that every query can always see. Everything the sandbox
// view shows is computed here, exactly, from the user's values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace attnlab {

struct SandboxLimits {
  static constexpr int kMinKeys = 8, kMaxKeys = 32;
  static constexpr int kMaxGlobals = 16;
  static constexpr float kMinLogit = -20.0f, kMaxLogit = 20.0f;
  static constexpr float kMinTemperature = 0.05f, kMaxTemperature = 20.0f;
  static constexpr float kMinPeakThreshold = 0.5f, kMaxPeakThreshold = 0.999f;
};

struct SandboxConfig {
  std::vector<float> logits;         // [n] scores of the ordinary keys, n in 8..32
  std::vector<float> global_scores;  // [g] scores of the global tokens, g in 0..16
  float temperature = 1.0f;          // every score is divided by it
  bool softmax1 = false;             // implicit zero-logit key ("+1" in the denominator)
  float peak_threshold = 0.9f;       // a row is "peaky" when its peak weight exceeds this
};

// Measures of one row (see row_measures.h for the definitions).
struct SandboxRowStats {
  int visible_keys = 0;           // n + g (the softmax1 zero key is not a key)
  double entropy = 0;             // nats, over the visible keys
  double entropy_normalized = 0;  // entropy / ln(visible_keys)
  float peak = 0;                 // largest weight
  int peak_index = -1;            // index into weights (keys first, then globals)
  bool peaky = false;             // peak > peak_threshold
  double key_mass = 0;            // mass on the n ordinary keys
  double global_mass = 0;         // mass on the g global tokens
  double null_mass = 0;           // mass absorbed by the softmax1 zero key
};

struct SandboxResult {
  std::vector<float> weights;  // [n + g]: the n keys, then the g global tokens
  SandboxRowStats stats;
  SandboxRowStats without_globals;  // the same row with g = 0, for comparison
};

// Empty when valid; otherwise one message per bad field, naming it.
std::vector<std::string> sandbox_validate(const SandboxConfig& config);

// Requires a valid config.
SandboxResult sandbox_compute(const SandboxConfig& config);

// A peaky row to start from (16 keys, peak about 0.9, no global tokens).
SandboxConfig sandbox_default();

// n logits drawn from a normal distribution (mean 0, sd 2), rounded to 0.1
// and clamped to [lo, hi]: the same values for the same draw on every build
// (core/base/rng.h), so a shared "Random" row is the same row everywhere.
std::vector<float> sandbox_random_logits(int n, uint64_t draw, float lo, float hi);

// JSON, the format of the page's API: {"logits": [...], "globals": [...],
// "temperature": t, "softmax1": b, "peakThreshold": p}. Updates only the
// fields present; a bad field is reported (named) and left unchanged while the
// good ones still apply. Unknown keys are reported too.
void sandbox_update_from_json(SandboxConfig* config, const nlohmann::json& j,
                              std::vector<std::string>* errors);
nlohmann::json sandbox_to_json(const SandboxConfig& config, const SandboxResult& result);

}  // namespace attnlab
