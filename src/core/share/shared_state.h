// What a link carries: the view, the scenario (with the interventions made
// during the run, and the steps they were made at), the view settings, an
// exercise, presenter mode. Opening the link replays the same run from the
// same seed. Links are hostile input: every field is checked on its own, and
// a bad one is dropped with a notice naming it while the good ones apply.
//
// The fragment is  #s=<base64url of the JSON below>  optionally followed by
// (or replaced with) plain fields: &view=training&preset=peaky-attention&exercise=legal&presenter=1
//
// {"v": 1, "view": "training", "preset": "peaky-attention",
//  "scenario": {"config": {...}, "b": {...}, "a_label": "...", "b_label": "...",
//               "interventions": [{"step": 120, "target": "both", "changes": {"model": {"globals": 4}}}]},
//  "sandbox": {...}, "patterns": {...}, "training": {"layer": 0, "head": 1, "query": -1, "speed": 10},
//  "exercise": "legal", "presenter": true}
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/lab/scenario.h"  // validate_scenario: links carry scenarios

namespace attnlab {

struct SharedState {
  std::string view, preset, exercise;  // "" = not given
  nlohmann::json scenario;             // null, or a scenario whose configs validate
  nlohmann::json sandbox, patterns;    // null, or fields that each applied cleanly
  nlohmann::json training;             // {"layer", "head", "query", "speed"}: only the valid ones
  bool presenter = false, has_presenter = false;
};

// Parses a location.hash (with or without the leading '#'). Never throws;
// each rejected part adds a notice ("link: scenario.config: model.heads: ...").
SharedState parse_shared_state(const std::string& fragment, std::vector<std::string>* notices);

// The same for the state as JSON (an exported scenario file, or the decoded s=...).
SharedState parse_shared_json(const nlohmann::json& state, std::vector<std::string>* notices);

// The fragment for a state given as the JSON above: "s=<base64url>".
std::string encode_shared_state(const nlohmann::json& state);

// Base64url without padding (RFC 4648 section 5), and its inverse (false on bad input).
std::string base64url_encode(const std::string& bytes);
bool base64url_decode(const std::string& text, std::string* bytes);

}  // namespace attnlab
