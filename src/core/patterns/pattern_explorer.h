// The Pattern explorer's settings and everything it shows, computed from
// them (the view only draws these): the mask, the receptive field of one
// token, how many layers token 0 needs to reach the last token, and the cost
// against full attention, also as a curve over the sequence length.
//
// The sequence is the mask's layout (attention_mask.h): g global tokens, then
// r register tokens, then the n ordinary tokens of the text, so N = g + r + n
// positions. "Token t" is ordinary token t, at position g + r + t; the first
// k tokens are sinks.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/kernels/attention_mask.h"
#include "core/patterns/pattern_analysis.h"

namespace attnlab {

struct PatternLimits {
  static constexpr int kMinTokens = 16, kMaxTokens = 8192;
  static constexpr int kMaxWindow = 8192;  // and -1: no window
  static constexpr int kMaxGlobals = 64, kMaxRegisters = 64, kMaxSinks = 64;
  static constexpr int kMinLayers = 1, kMaxLayers = 8;
  static constexpr int kHeadDim = 64;      // for the FLOPs: a typical head
};

struct PatternSettings {
  int tokens = 256;     // n, ordinary tokens
  bool causal = true;
  int window = 16;      // half-width w; -1 = full attention
  int globals = 0;      // g extra global tokens
  int registers = 0;    // r register tokens
  int sinks = 0;        // k: the first k tokens are sinks
  int layers = 4;       // L, for the receptive field
  int source = 0;       // the token whose information the receptive field follows
};

struct PatternReport {
  int positions = 0;                 // N = g + r + n
  int prefix = 0;                    // g + r: position of token 0
  std::vector<int> layers_to;        // [N] layers for the source's information to reach each position
  ReceptiveField field;              // of the source token, layers 0..L
  int source_to_last = kUnreachable; // layers from the source token to the last token
  int first_to_last = kUnreachable;  // layers from token 0 to token n - 1
  PatternCost cost;                  // at N, head_dim = PatternLimits::kHeadDim
  std::vector<int> curve_tokens;     // n = 16, 32, ..., 8192
  std::vector<PatternCost> curve;    // the cost at each (N = g + r + n)
};

AttentionMask pattern_mask(const PatternSettings& s);

// Empty when valid; otherwise one message per bad field, naming it and its range.
std::vector<std::string> pattern_validate(const PatternSettings& s);

// Requires valid settings.
PatternReport pattern_report(const PatternSettings& s);

// "global G1", "register R2", "token 17", "token 0 (sink)".
std::string pattern_position_name(const PatternSettings& s, int position);

// JSON, the format of the page's API: {"n", "causal", "window", "globals",
// "registers", "sinks", "layers", "source"}. Updates only the fields present,
// n first (so a new source is checked against the new n); a bad field is
// refused with a message naming it and its allowed range, and the good ones
// still apply. A smaller n pulls the source and the sinks into range.
void pattern_update_from_json(PatternSettings* s, const nlohmann::json& j, std::vector<std::string>* errors);
nlohmann::json pattern_settings_to_json(const PatternSettings& s);
// The settings' computed numbers: positions, pairs, fullPairs, pairsShare,
// flops, fullFlops, headDim, reachLayers (source to last token, -1 = never),
// firstToLastLayers, reachedWithin (L layers), receptiveField (positions
// holding the source's information after layers 1..L).
nlohmann::json pattern_report_to_json(const PatternSettings& s, const PatternReport& r);

}  // namespace attnlab
