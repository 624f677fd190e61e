// libFuzzer target: the bytes as a link's fragment, and as the JSON inside
// "s=" (base64url of the bytes). Besides crashes, leaks and undefined
// behaviour (ASan + UBSan), it checks what the parser promises:
//   - base64url round-trips any bytes;
//   - what a link's state accepts is what the views accept without a
//     complaint (scenario, sandbox, pattern settings, training ranges);
//   - the accepted state, encoded again, parses to the same state with no
//     notice (when it still fits in a link).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/lab/presets.h"
#include "core/patterns/pattern_explorer.h"
#include "core/sandbox/sandbox.h"
#include "core/share/shared_state.h"

namespace {

using attnlab::SharedState;
using nlohmann::json;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_shared_state: %s\n%s\n", what, detail.substr(0, 2000).c_str());
  std::abort();
}

std::string all_of(const std::vector<std::string>& notices) {
  std::string s;
  for (const std::string& n : notices) s += "  " + n + "\n";
  return s;
}

// The accepted state as the JSON a link carries.
json to_json(const SharedState& s) {
  json j = {{"v", 1}};
  if (!s.view.empty()) j["view"] = s.view;
  if (!s.preset.empty()) j["preset"] = s.preset;
  if (!s.exercise.empty()) j["exercise"] = s.exercise;
  if (s.has_presenter) j["presenter"] = s.presenter;
  if (!s.scenario.is_null()) j["scenario"] = s.scenario;
  if (!s.sandbox.is_null()) j["sandbox"] = s.sandbox;
  if (!s.patterns.is_null()) j["patterns"] = s.patterns;
  if (!s.training.is_null()) j["training"] = s.training;
  return j;
}

void check_accepted(const SharedState& s) {
  if (!s.preset.empty() && !attnlab::find_preset(s.preset)) fail("accepted an unknown preset", s.preset);
  if (!s.scenario.is_null()) {
    std::vector<std::string> e;
    if (!attnlab::validate_scenario(s.scenario, &e)) fail("accepted a scenario that does not validate", all_of(e));
  }
  if (!s.sandbox.is_null()) {
    attnlab::SandboxConfig c = attnlab::sandbox_default();
    std::vector<std::string> e;
    attnlab::sandbox_update_from_json(&c, s.sandbox, &e);
    if (!e.empty()) fail("accepted sandbox settings the sandbox refuses", s.sandbox.dump() + "\n" + all_of(e));
  }
  if (!s.patterns.is_null()) {
    attnlab::PatternSettings p;
    std::vector<std::string> e;
    attnlab::pattern_update_from_json(&p, s.patterns, &e);
    if (!e.empty()) fail("accepted pattern settings the explorer refuses", s.patterns.dump() + "\n" + all_of(e));
  }
  if (!s.training.is_null()) {
    if (!s.training.is_object()) fail("training is not an object", s.training.dump());
    for (auto it = s.training.begin(); it != s.training.end(); ++it)
      if (!it.value().is_number() || !std::isfinite(it.value().get<double>()))
        fail("accepted a training value that is not a finite number", s.training.dump());
  }
}

void check_round_trip(const SharedState& s) {
  const std::string fragment = attnlab::encode_shared_state(to_json(s));
  if (fragment.size() > 32 * 1024) return;  // re-encoded numbers may be longer ("1e5" -> "100000.0")
  std::vector<std::string> notices;
  const SharedState t = attnlab::parse_shared_state(fragment, &notices);
  if (!notices.empty()) fail("the accepted state, encoded again, gives notices", all_of(notices));
  if (t.view != s.view || t.preset != s.preset || t.exercise != s.exercise || t.presenter != s.presenter ||
      t.has_presenter != s.has_presenter || t.scenario != s.scenario || t.sandbox != s.sandbox ||
      t.patterns != s.patterns || t.training != s.training)
    fail("the accepted state does not round-trip", to_json(s).dump() + "\n" + to_json(t).dump());
}

void run(const std::string& fragment) {
  std::vector<std::string> notices;
  const SharedState s = attnlab::parse_shared_state(fragment, &notices);
  check_accepted(s);
  check_round_trip(s);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const std::string encoded = attnlab::base64url_encode(bytes);
  std::string decoded;
  if (!attnlab::base64url_decode(encoded, &decoded) || decoded != bytes) fail("base64url does not round-trip", encoded);
  attnlab::base64url_decode(bytes, &decoded);  // any text: true or false, never a crash
  run(bytes);               // as a fragment
  run("s=" + encoded);      // as the link's JSON
  return 0;
}
