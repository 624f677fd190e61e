#include "core/patterns/pattern_explorer.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace attnlab {

using L = PatternLimits;

AttentionMask pattern_mask(const PatternSettings& s) {
  AttentionMask m;
  m.causal = s.causal;
  m.window = s.window;
  m.extra_globals = s.globals;
  m.registers = s.registers;
  m.sinks = s.sinks;
  return m;
}

namespace {

std::string range_text(int lo, int hi) { return "an integer from " + std::to_string(lo) + " to " + std::to_string(hi); }

}  // namespace

std::vector<std::string> pattern_validate(const PatternSettings& s) {
  std::vector<std::string> e;
  if (s.tokens < L::kMinTokens || s.tokens > L::kMaxTokens) e.push_back("n: must be " + range_text(L::kMinTokens, L::kMaxTokens));
  if (s.window < -1 || s.window > L::kMaxWindow)
    e.push_back("window: must be -1 (full attention) or " + range_text(0, L::kMaxWindow));
  if (s.globals < 0 || s.globals > L::kMaxGlobals) e.push_back("globals: must be " + range_text(0, L::kMaxGlobals));
  if (s.registers < 0 || s.registers > L::kMaxRegisters)
    e.push_back("registers: must be " + range_text(0, L::kMaxRegisters));
  const int max_sinks = std::min(L::kMaxSinks, s.tokens);
  if (s.sinks < 0 || s.sinks > max_sinks)
    e.push_back("sinks: must be " + range_text(0, max_sinks) + " (at most 64, and at most n)");
  if (s.layers < L::kMinLayers || s.layers > L::kMaxLayers) e.push_back("layers: must be " + range_text(L::kMinLayers, L::kMaxLayers));
  if (s.source < 0 || s.source >= s.tokens) e.push_back("source: must be " + range_text(0, s.tokens - 1) + " (a token, 0 to n - 1)");
  return e;
}

PatternReport pattern_report(const PatternSettings& s) {
  const AttentionMask mask = pattern_mask(s);
  PatternReport r;
  r.prefix = mask.prefix();
  r.positions = r.prefix + s.tokens;
  const int N = r.positions, last = N - 1;
  r.layers_to = information_layers(mask, N, r.prefix + s.source);
  r.field = receptive_field_from_layers(r.layers_to, r.prefix + s.source, s.layers);
  r.source_to_last = r.layers_to[last];
  r.first_to_last = s.source == 0 ? r.source_to_last : reach_layers(mask, N, r.prefix, last);
  r.cost = pattern_cost(mask, N, L::kHeadDim);
  std::vector<int> lengths;
  for (int n = L::kMinTokens; n <= L::kMaxTokens; n *= 2) {
    if (n < s.sinks) continue;  // the sinks would not fit
    r.curve_tokens.push_back(n);
    lengths.push_back(r.prefix + n);
  }
  r.curve = pattern_cost_curve(mask, lengths, L::kHeadDim);
  return r;
}

std::string pattern_position_name(const PatternSettings& s, int position) {
  if (position < s.globals) return "global G" + std::to_string(position + 1);
  if (position < s.globals + s.registers) return "register R" + std::to_string(position - s.globals + 1);
  const int t = position - s.globals - s.registers;
  return "token " + std::to_string(t) + (t < s.sinks ? " (sink)" : "");
}

void pattern_update_from_json(PatternSettings* s, const nlohmann::json& j, std::vector<std::string>* errors) {
  if (!j.is_object()) {
    errors->push_back("pattern settings must be a JSON object");
    return;
  }
  auto apply = [&](const std::string& key, const nlohmann::json& v) {
    PatternSettings trial = *s;
    int* field = key == "n"           ? &trial.tokens
                 : key == "window"    ? &trial.window
                 : key == "globals"   ? &trial.globals
                 : key == "registers" ? &trial.registers
                 : key == "sinks"     ? &trial.sinks
                 : key == "layers"    ? &trial.layers
                 : key == "source"    ? &trial.source
                                      : nullptr;
    if (key == "causal") {
      if (!v.is_boolean()) {
        errors->push_back("causal: must be true or false");
        return;
      }
      trial.causal = v.get<bool>();
    } else if (!field) {
      errors->push_back(key + ": unknown field (known: n, causal, window, globals, registers, sinks, layers, source)");
      return;
    } else {
      // Not an integer, or far out of range: -2 fails every field's check, which names the range.
      *field = v.is_number_integer() ? static_cast<int>(std::clamp<long long>(v.get<long long>(), -2, L::kMaxTokens + 1))
                                     : -2;
      if (key == "n" && *field >= L::kMinTokens && *field <= L::kMaxTokens) {  // pull the others into range
        trial.source = std::min(trial.source, trial.tokens - 1);
        trial.sinks = std::min(trial.sinks, trial.tokens);
      }
    }
    // Keep the field only if it leaves the settings valid.
    const std::vector<std::string> problems = pattern_validate(trial);
    if (problems.empty()) {
      *s = trial;
      return;
    }
    const std::string name = key + ":";
    size_t reported = 0;
    for (const std::string& p : problems)
      if (p.compare(0, name.size(), name) == 0) {
        errors->push_back(p);
        ++reported;
      }
    if (reported == 0) errors->insert(errors->end(), problems.begin(), problems.end());
  };
  if (j.contains("n")) apply("n", j["n"]);
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.key() != "n") apply(it.key(), it.value());
}

nlohmann::json pattern_settings_to_json(const PatternSettings& s) {
  return {{"n", s.tokens},         {"causal", s.causal}, {"window", s.window}, {"globals", s.globals},
          {"registers", s.registers}, {"sinks", s.sinks},   {"layers", s.layers}, {"source", s.source}};
}

nlohmann::json pattern_report_to_json(const PatternSettings& s, const PatternReport& r) {
  nlohmann::json field = nlohmann::json::array();
  for (int l = 1; l <= r.field.num_layers(); ++l) field.push_back(r.field.count(l));
  nlohmann::json curve = nlohmann::json::array();
  for (size_t i = 0; i < r.curve.size(); ++i)
    curve.push_back({{"n", r.curve_tokens[i]}, {"pairs", r.curve[i].pairs}, {"fullPairs", r.curve[i].full_pairs}});
  return {{"positions", r.positions},
          {"prefix", r.prefix},
          {"pairs", r.cost.pairs},
          {"fullPairs", r.cost.full_pairs},
          {"pairsShare", r.cost.share},
          {"flops", r.cost.flops},
          {"fullFlops", r.cost.full_flops},
          {"headDim", L::kHeadDim},
          {"reachLayers", r.source_to_last},
          {"firstToLastLayers", r.first_to_last},
          {"reachedWithin", r.source_to_last != kUnreachable && r.source_to_last <= s.layers},
          {"receptiveField", field},
          {"curve", curve}};
}

}  // namespace attnlab
