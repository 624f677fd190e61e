// Shared links: base64url, the round trip of a whole state, and hostile links
// (every bad field dropped with a notice naming it, the good ones applied).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/lab/presets.h"
#include "core/patterns/pattern_explorer.h"
#include "core/sandbox/sandbox.h"
#include "core/share/shared_state.h"

namespace attnlab {
namespace {

using json = nlohmann::json;

std::string all_of(const std::vector<std::string>& notices) {
  std::string s;
  for (const std::string& n : notices) s += "\n  " + n;
  return s;
}

bool has_notice(const std::vector<std::string>& notices, const std::string& prefix) {
  for (const std::string& n : notices)
    if (n.compare(0, prefix.size(), prefix) == 0) return true;
  return false;
}

SharedState parse_json(const json& state, std::vector<std::string>* notices) {
  return parse_shared_state("#" + encode_shared_state(state), notices);
}

json valid_scenario() {
  const Preset* p = find_preset("peaky-attention");
  EXPECT_NE(p, nullptr);
  json sc = p ? p->scenario : json::object();
  sc["interventions"] = {{{"step", 120}, {"target", "both"}, {"changes", {{"model", {{"globals", 4}}}}}},
                         {{"step", 200}, {"target", "a"}, {"changes", {{"train", {{"lr", 1e-3}}}}}},
                         {{"step", 0}, {"changes", {{"model", {{"qk_norm", true}}}}}}};
  return sc;
}

json full_state() {
  return {{"v", 1},
          {"view", "training"},
          {"preset", "peaky-attention"},
          {"scenario", valid_scenario()},
          {"sandbox", {{"logits", {0, 1, 2, 3, 4, 5, 6, 7.5}}, {"globals", {5, 5}}, {"temperature", 1.5},
                       {"softmax1", true}, {"peakThreshold", 0.8}}},
          {"patterns", {{"n", 512}, {"causal", false}, {"window", 8}, {"globals", 2}, {"registers", 1},
                        {"sinks", 1}, {"layers", 3}, {"source", 7}}},
          {"training", {{"layer", 1}, {"head", 1}, {"query", -1}, {"speed", 10}}},
          {"exercise", "legal"},
          {"presenter", true}};
}

// What a link's accepted parts must be: what the views accept without a complaint.
void expect_applies_cleanly(const SharedState& s) {
  if (!s.scenario.is_null()) {
    std::vector<std::string> e;
    EXPECT_TRUE(validate_scenario(s.scenario, &e)) << all_of(e);
  }
  if (!s.sandbox.is_null()) {
    SandboxConfig c = sandbox_default();
    std::vector<std::string> e;
    sandbox_update_from_json(&c, s.sandbox, &e);
    EXPECT_TRUE(e.empty()) << s.sandbox << all_of(e);
  }
  if (!s.patterns.is_null()) {
    PatternSettings p;
    std::vector<std::string> e;
    pattern_update_from_json(&p, s.patterns, &e);
    EXPECT_TRUE(e.empty()) << s.patterns << all_of(e);
  }
}

// --- base64url -------------------------------------------------------------------

TEST(Base64Url, KnownValues) {
  // RFC 4648 section 10, without padding, and the two URL-safe letters.
  const std::pair<const char*, const char*> cases[] = {{"", ""},          {"f", "Zg"},         {"fo", "Zm8"},
                                                       {"foo", "Zm9v"},   {"foob", "Zm9vYg"},  {"fooba", "Zm9vYmE"},
                                                       {"foobar", "Zm9vYmFy"}, {"\xfb\xff", "-_8"}};
  for (const auto& [plain, encoded] : cases) {
    EXPECT_EQ(base64url_encode(plain), encoded);
    std::string back;
    EXPECT_TRUE(base64url_decode(encoded, &back)) << encoded;
    EXPECT_EQ(back, plain);
  }
}

TEST(Base64Url, RoundTripOfRandomBytesOfEveryLength) {
  std::mt19937 rng(20261126);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (int trial = 0; trial < 20; ++trial)
    for (size_t n = 0; n <= 64; ++n) {
      std::string bytes(n, '\0');
      for (char& c : bytes) c = static_cast<char>(rng() & 0xFF);
      const std::string text = base64url_encode(bytes);
      EXPECT_EQ(text.size(), (4 * n + 2) / 3) << n;
      EXPECT_EQ(text.find_first_not_of(alphabet), std::string::npos) << text;
      EXPECT_NE(text.size() % 4, 1u);
      std::string back = "stale";
      ASSERT_TRUE(base64url_decode(text, &back)) << text;
      ASSERT_EQ(back, bytes) << "length " << n;
    }
}

TEST(Base64Url, RejectsBadCharactersAndLengths) {
  std::string out;
  for (const std::string& bad : {std::string("Z"), std::string("Zm9vY"), std::string("Zm9vYmFyZ"), std::string("Zm9+"),
                                 std::string("Zm9/"), std::string("Zm 9v"), std::string("Zm9v\n"), std::string("Zm9v!"),
                                 std::string("Zm\0v", 4), std::string("Zm9\xff"), std::string("Zm9v%3D"),
                                 // Padding only completes the last group, and nothing follows it.
                                 std::string("Zg=x"), std::string("Zm9v=garbage"), std::string("Zm9vY="),
                                 std::string("="), std::string("Zm9v===="), std::string("Zg="),
                                 std::string("Zg======"), std::string("Zm9vYg===")}) {
    EXPECT_FALSE(base64url_decode(bad, &out)) << "\"" << bad << "\" decoded as \"" << out << "\"";
  }
  // Standard padding is accepted.
  EXPECT_TRUE(base64url_decode("Zg==", &out));
  EXPECT_EQ(out, "f");
  EXPECT_TRUE(base64url_decode("Zm8=", &out));
  EXPECT_EQ(out, "fo");
}

// --- whole links -----------------------------------------------------------------

TEST(SharedState, EmptyLinkIsTheDefaultState) {
  for (const char* f : {"", "#", "&", "#&&&"}) {
    std::vector<std::string> notices;
    const SharedState s = parse_shared_state(f, &notices);
    EXPECT_TRUE(notices.empty()) << f << all_of(notices);
    EXPECT_TRUE(s.view.empty() && s.preset.empty() && s.exercise.empty());
    EXPECT_TRUE(s.scenario.is_null() && s.sandbox.is_null() && s.patterns.is_null() && s.training.is_null());
    EXPECT_FALSE(s.presenter || s.has_presenter);
  }
}

TEST(SharedState, FullStateRoundTrips) {
  const json state = full_state();
  {
    std::vector<std::string> e;
    ASSERT_TRUE(validate_scenario(state["scenario"], &e)) << all_of(e);
  }
  const std::string fragment = encode_shared_state(state);
  EXPECT_EQ(fragment.rfind("s=", 0), 0u);
  for (const std::string& f : {fragment, "#" + fragment}) {
    std::vector<std::string> notices;
    const SharedState s = parse_shared_state(f, &notices);
    EXPECT_TRUE(notices.empty()) << all_of(notices);
    EXPECT_EQ(s.view, "training");
    EXPECT_EQ(s.preset, "peaky-attention");
    EXPECT_EQ(s.exercise, "legal");
    EXPECT_TRUE(s.presenter);
    EXPECT_TRUE(s.has_presenter);
    EXPECT_EQ(s.scenario, state["scenario"]);
    EXPECT_EQ(s.sandbox, state["sandbox"]);
    EXPECT_EQ(s.patterns, state["patterns"]);
    EXPECT_EQ(s.training, state["training"]);
    expect_applies_cleanly(s);
  }
}

TEST(SharedState, EveryTrainingPresetIsAValidScenario) {
  int count = 0;
  for (const Preset& p : presets()) {
    if (p.view != "training") continue;
    ++count;
    std::vector<std::string> e;
    EXPECT_TRUE(validate_scenario(p.scenario, &e)) << p.id << all_of(e);
    std::vector<std::string> notices;
    const SharedState s = parse_json({{"view", "training"}, {"preset", p.id}, {"scenario", p.scenario}}, &notices);
    EXPECT_TRUE(notices.empty()) << p.id << all_of(notices);
    EXPECT_EQ(s.scenario, p.scenario);
  }
  EXPECT_GE(count, 3);
}

TEST(SharedState, PlainFields) {
  std::vector<std::string> notices;
  SharedState s = parse_shared_state("view=training&preset=peaky-attention&presenter=1", &notices);
  EXPECT_TRUE(notices.empty()) << all_of(notices);
  EXPECT_EQ(s.view, "training");
  EXPECT_EQ(s.preset, "peaky-attention");
  EXPECT_TRUE(s.presenter);
  EXPECT_TRUE(s.has_presenter);

  s = parse_shared_state("#exercise=window%2Dfix&view=%65xercises&presenter=0&&", &notices);
  EXPECT_TRUE(notices.empty()) << all_of(notices);
  EXPECT_EQ(s.exercise, "window-fix");
  EXPECT_EQ(s.view, "exercises");
  EXPECT_FALSE(s.presenter);
  EXPECT_TRUE(s.has_presenter);

  // Plain fields override the same field of the JSON part, wherever they stand.
  s = parse_shared_state("view=training&" + encode_shared_state({{"view", "sandbox"}, {"exercise", "legal"}}), &notices);
  EXPECT_TRUE(notices.empty()) << all_of(notices);
  EXPECT_EQ(s.view, "training");
  EXPECT_EQ(s.exercise, "legal");
}

// One bad field at a time, next to good ones: the notice names the field and
// the good fields still apply.
TEST(SharedState, EachBadFieldIsDroppedWithANoticeNamingIt) {
  struct Case {
    const char* field;
    json value;
    const char* notice;
  };
  const std::vector<Case> cases = {
      {"view", 5, "link: view:"},
      {"view", "lecture", "link: view:"},
      {"view", json::array({"training"}), "link: view:"},
      {"preset", "no-such-preset", "link: preset:"},
      {"preset", 3, "link: preset:"},
      {"exercise", "Not An Id!", "link: exercise:"},
      {"exercise", std::string(65, 'a'), "link: exercise:"},
      {"exercise", 7, "link: exercise:"},
      {"presenter", "yes", "link: presenter:"},
      {"presenter", 1, "link: presenter:"},
      {"v", 2, "link: v:"},
      {"v", "1", "link: v:"},
      {"training", json::array(), "link: training:"},
      {"training", {{"layer", 1e308}}, "link: training.layer:"},
      {"training", {{"layer", 4}}, "link: training.layer:"},
      {"training", {{"head", -1}}, "link: training.head:"},
      {"training", {{"query", "NaN"}}, "link: training.query:"},
      {"training", {{"query", -2}}, "link: training.query:"},
      {"training", {{"speed", -1e-300}}, "link: training.speed:"},
      {"training", {{"speed", true}}, "link: training.speed:"},
      {"training", {{"colour", 1}}, "link: training.colour: unknown field"},
      {"sandbox", "flat", "link: sandbox"},
      {"sandbox", {{"logits", "x"}}, "link: sandbox.logits:"},
      {"sandbox", {{"logits", {1, 2}}}, "link: sandbox.logits:"},
      {"sandbox", {{"logits", {1e308, 0, 0, 0, 0, 0, 0, 0}}}, "link: sandbox.logits:"},
      {"sandbox", {{"temperature", 1e308}}, "link: sandbox.temperature:"},
      {"sandbox", {{"temperature", -1}}, "link: sandbox.temperature:"},
      {"sandbox", {{"softmax1", "NaN"}}, "link: sandbox.softmax1:"},
      {"sandbox", {{"zzz", 1}}, "link: sandbox.zzz:"},
      {"patterns", 12, "link: patterns:"},
      {"patterns", {{"n", -1}}, "link: patterns.n:"},
      {"patterns", {{"n", 1e308}}, "link: patterns.n:"},
      {"patterns", {{"window", "NaN"}}, "link: patterns.window:"},
      {"patterns", {{"causal", "no"}}, "link: patterns.causal:"},
      {"patterns", {{"layers", 9}}, "link: patterns.layers:"},
      {"patterns", {{"x", 1}}, "link: patterns.x:"},
      {"scenario", "peaky-attention", "link: scenario:"},
      {"scenario", {{"name", "no config"}}, "link: scenario:"},
      {"scenario", {{"config", {{"model", {{"heads", 1e308}}}}}}, "link: scenario.config: model.heads:"},
      {"scenario", {{"config", {{"model", {{"heads", -1}}}}}}, "link: scenario.config: model.heads:"},
      {"scenario", {{"config", {{"seed", "NaN"}}}}, "link: scenario.config: seed:"},
      {"scenario", {{"config", {{"bogus", 1}}}}, "link: scenario.config: bogus:"},
      {"scenario", {{"config", json::object()}, {"b", 3}}, "link: scenario.b:"},
      {"scenario", {{"config", json::object()}, {"b", {{"model", {{"heads", 0}}}}}}, "link: scenario.b: model.heads:"},
      {"scenario", {{"config", json::object()}, {"a_label", std::string(81, 'x')}}, "link: scenario.a_label:"},
      {"scenario", {{"config", json::object()}, {"colour", 1}}, "link: scenario.colour: unknown field"},
      {"colour", "red", "link: colour: unknown field"},
  };
  for (const Case& c : cases) {
    json state = {{"view", "sandbox"}, {"exercise", "legal"}, {"presenter", true},
                  {"training", {{"speed", 50}}}, {"patterns", {{"layers", 4}}}};
    json value = c.value;
    // Fields that are objects keep one good setting next to the bad one.
    const std::string good_training = value.contains("head") ? "layer" : "head";
    if (value.is_object() && std::string(c.field) == "training") value[good_training] = 2;
    if (value.is_object() && std::string(c.field) == "patterns") value["globals"] = 3;
    if (value.is_object() && std::string(c.field) == "sandbox") value["peakThreshold"] = 0.75;
    state[c.field] = value;
    std::vector<std::string> notices;
    SharedState s;
    EXPECT_NO_THROW(s = parse_json(state, &notices)) << c.field << " " << c.value;
    EXPECT_TRUE(has_notice(notices, c.notice)) << c.field << " = " << c.value.dump().substr(0, 80) << all_of(notices);
    for (const std::string& n : notices) EXPECT_LT(n.size(), 400u) << n;
    const std::string f = c.field;
    if (f != "view") { EXPECT_EQ(s.view, "sandbox") << f; }
    if (f != "exercise") { EXPECT_EQ(s.exercise, "legal") << f; }
    if (f != "presenter") { EXPECT_TRUE(s.presenter && s.has_presenter) << f; }
    if (f == "view") { EXPECT_EQ(s.view, ""); }
    if (f == "preset") { EXPECT_EQ(s.preset, ""); }
    if (f == "exercise") { EXPECT_EQ(s.exercise, ""); }
    if (f == "presenter") { EXPECT_FALSE(s.has_presenter); }
    if (f == "scenario") {
      EXPECT_TRUE(s.scenario.is_null());
      EXPECT_TRUE(has_notice(notices, "link: the scenario was not loaded")) << all_of(notices);
    }
    if (f == "training") {
      EXPECT_EQ(s.training, value.is_object() ? json({{good_training, 2}}) : json()) << s.training;
    } else {
      EXPECT_EQ(s.training, json({{"speed", 50}}));
    }
    if (f == "patterns") {
      EXPECT_EQ(s.patterns, value.is_object() ? json({{"globals", 3}}) : json()) << s.patterns;
    } else {
      EXPECT_EQ(s.patterns, json({{"layers", 4}}));
    }
    if (f == "sandbox") {
      EXPECT_EQ(s.sandbox, value.is_object() ? json({{"peakThreshold", 0.75}}) : json()) << s.sandbox;
    }
    expect_applies_cleanly(s);
  }
}

TEST(SharedState, PatternFieldsAreCheckedTogether) {
  // Each is valid alone, but source 100 is not a token of n = 16: the link
  // keeps only what the Pattern explorer will accept.
  std::vector<std::string> notices;
  SharedState s = parse_json({{"patterns", {{"source", 100}, {"n", 16}, {"sinks", 20}}}}, &notices);
  EXPECT_TRUE(has_notice(notices, "link: patterns.source:")) << all_of(notices);
  EXPECT_TRUE(has_notice(notices, "link: patterns.sinks:")) << all_of(notices);
  EXPECT_EQ(s.patterns, json({{"n", 16}}));
  expect_applies_cleanly(s);
}

TEST(SharedState, BadInterventionsAreNamedAndTheScenarioIsNotLoaded) {
  json sc = valid_scenario();
  const json changes = {{"model", {{"globals", 4}}}};
  sc["interventions"] = {{{"step", -1}, {"changes", changes}},
                         {{"step", 1.5}, {"changes", changes}},
                         {{"step", "10"}, {"changes", changes}},
                         {{"step", 10}, {"target", "c"}, {"changes", changes}},
                         {{"step", 10}},
                         {{"step", 10}, {"changes", {{"model", {{"heads", "x"}}}}}},
                         {{"step", 10}, {"changes", {{"model", {{"nope", 1}}}}}},
                         {{"step", 1e308}, {"changes", changes}},
                         {{"step", 2000000}, {"changes", changes}},
                         "x",
                         {{"step", 5}, {"target", "b"}, {"changes", changes}}};
  std::vector<std::string> notices;
  const SharedState s = parse_json({{"view", "training"}, {"scenario", sc}}, &notices);
  EXPECT_TRUE(s.scenario.is_null());
  EXPECT_EQ(s.view, "training");
  const char* const expected[] = {
      "link: scenario.interventions[1].step:",   "link: scenario.interventions[2].step:",
      "link: scenario.interventions[3].step:",   "link: scenario.interventions[4].target:",
      "link: scenario.interventions[5].changes:", "link: scenario.interventions[6].changes: model.heads:",
      "link: scenario.interventions[7].changes: model.nope:", "link: scenario.interventions[8].step:",
      "link: scenario.interventions[9].step:",   "link: scenario.interventions[10].step:",
      "link: the scenario was not loaded"};
  for (const char* e : expected) EXPECT_TRUE(has_notice(notices, e)) << e << all_of(notices);
  EXPECT_FALSE(has_notice(notices, "link: scenario.interventions[11]")) << all_of(notices);

  sc["interventions"] = json::array();
  for (int i = 0; i < 51; ++i) sc["interventions"].push_back({{"step", i}, {"changes", changes}});
  notices.clear();
  EXPECT_TRUE(parse_json({{"scenario", sc}}, &notices).scenario.is_null());
  EXPECT_TRUE(has_notice(notices, "link: scenario.interventions: must be a list of at most 50")) << all_of(notices);
  sc["interventions"] = {{"step", 1}};
  notices.clear();
  EXPECT_TRUE(parse_json({{"scenario", sc}}, &notices).scenario.is_null());
  EXPECT_TRUE(has_notice(notices, "link: scenario.interventions:")) << all_of(notices);
}

TEST(SharedState, DamagedJsonPartIsIgnoredAndThePlainFieldsStillApply) {
  const std::vector<std::string> damaged = {
      "s=", "s=!!!!", "s=Zm9v!", "s=A", "s=Zm9vY", "s=%%%", "s=" + base64url_encode("[1, 2]"),
      "s=" + base64url_encode("\"text\""), "s=" + base64url_encode("{\"view\":"), "s=" + base64url_encode("{} {}"),
      "s=" + base64url_encode(std::string("{\"view\": \"tr\xff\"}")), "s=" + base64url_encode(""),
      "s=" + base64url_encode(std::string(10000, '[') + std::string(10000, ']'))};
  for (const std::string& part : damaged) {
    std::vector<std::string> notices;
    SharedState s;
    EXPECT_NO_THROW(s = parse_shared_state(part + "&exercise=legal", &notices)) << part;
    EXPECT_TRUE(has_notice(notices, "link: the scenario part (s=...)")) << part << all_of(notices);
    EXPECT_EQ(notices.size(), 1u) << part << all_of(notices);
    EXPECT_EQ(s.exercise, "legal");
    EXPECT_EQ(s.view, "");
  }
}

TEST(SharedState, DeeplyNestedJsonDoesNotCrash) {
  // 10000 levels: a recursive copy or dump of this would take megabytes of stack.
  for (const char* field : {"view", "preset", "scenario", "sandbox", "patterns", "training", "unknown"}) {
    const std::string deep = std::string(10000, '[') + std::string(10000, ']');
    const std::string text = std::string("{\"exercise\": \"legal\", \"") + field + "\": " + deep + "}";
    std::vector<std::string> notices;
    SharedState s;
    EXPECT_NO_THROW(s = parse_shared_state("s=" + base64url_encode(text), &notices)) << field;
    EXPECT_FALSE(notices.empty()) << field;
    EXPECT_TRUE(s.scenario.is_null());
  }
  // Inside a scenario's config and B changes, and a sandbox's list.
  const std::string deep_object = [] {
    std::string s;
    for (int i = 0; i < 3000; ++i) s += "{\"a\":";
    return s + "1" + std::string(3000, '}');
  }();
  for (const std::string& text :
       {"{\"scenario\": {\"config\": {}, \"b\": " + deep_object + "}}", "{\"scenario\": {\"config\": " + deep_object + "}}",
        "{\"sandbox\": {\"logits\": [" + deep_object + "]}}"}) {
    std::vector<std::string> notices;
    SharedState s;
    EXPECT_NO_THROW(s = parse_shared_state("s=" + base64url_encode(text), &notices));
    EXPECT_FALSE(notices.empty());
    EXPECT_TRUE(s.scenario.is_null() && s.sandbox.is_null());
  }
  // A normal depth is fine.
  std::vector<std::string> notices;
  const SharedState s = parse_json({{"scenario", valid_scenario()}}, &notices);
  EXPECT_TRUE(notices.empty()) << all_of(notices);
  EXPECT_FALSE(s.scenario.is_null());
}

TEST(SharedState, VeryLongLinksAndStringsAreBounded) {
  std::vector<std::string> notices;
  // Over the length limit: one notice, nothing applied.
  SharedState s = parse_shared_state("view=training&exercise=" + std::string(100000, 'a'), &notices);
  ASSERT_EQ(notices.size(), 1u) << all_of(notices);
  EXPECT_NE(notices[0].find("too long"), std::string::npos);
  EXPECT_EQ(s.view, "");
  notices.clear();
  s = parse_json({{"view", std::string(100000, 'v')}}, &notices);
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_NE(notices[0].find("too long"), std::string::npos);
  // Long but within the limit: notices quote only the start.
  notices.clear();
  s = parse_json({{"view", std::string(12000, 'v')}, {"preset", std::string(300, '\x01')}, {std::string(5000, 'k'), 1},
                  {"exercise", "legal"}},
                 &notices);
  EXPECT_EQ(notices.size(), 3u) << all_of(notices);
  for (const std::string& n : notices) {
    EXPECT_LT(n.size(), 200u) << n.substr(0, 200);
    for (char c : n) EXPECT_TRUE(c >= 32 && c < 127) << n;
  }
  EXPECT_EQ(s.exercise, "legal");
  // Many empty or odd parts do not hang.
  notices.clear();
  s = parse_shared_state(std::string(30000, '&') + "view=training", &notices);
  EXPECT_EQ(s.view, "training");
  notices.clear();
  s = parse_shared_state(std::string(30000, '='), &notices);
  EXPECT_EQ(notices.size(), 1u) << all_of(notices);  // one field with an empty name
}

TEST(SharedState, StateGivenAsJsonIsReadTheSameWay) {
  std::vector<std::string> a, b;
  const SharedState from_link = parse_json(full_state(), &a);
  const SharedState from_json = parse_shared_json(full_state(), &b);
  EXPECT_TRUE(a.empty() && b.empty()) << all_of(a) << all_of(b);
  EXPECT_EQ(from_json.view, from_link.view);
  EXPECT_EQ(from_json.scenario, from_link.scenario);
  EXPECT_EQ(from_json.patterns, from_link.patterns);
  for (const json& bad : {json(), json(3), json::array({1}), json("view=training")}) {
    std::vector<std::string> notices;
    const SharedState s = parse_shared_json(bad, &notices);
    EXPECT_EQ(notices.size(), 1u) << bad << all_of(notices);
    EXPECT_TRUE(s.view.empty() && s.scenario.is_null());
  }
}

TEST(SharedState, UrlEscapesInPlainFields) {
  std::vector<std::string> notices;
  SharedState s = parse_shared_state("view=%74%72aining&exercise=%6Cegal&preset=%", &notices);
  EXPECT_EQ(s.view, "training");
  EXPECT_EQ(s.exercise, "legal");
  EXPECT_TRUE(has_notice(notices, "link: preset:")) << all_of(notices);
  notices.clear();
  s = parse_shared_state("view=%zz&exercise=%4&presenter=%00", &notices);
  EXPECT_TRUE(has_notice(notices, "link: view: \"%zz\"")) << all_of(notices);
  EXPECT_TRUE(has_notice(notices, "link: exercise:")) << all_of(notices);
  // A NUL byte is not a yes or a no: refused with a notice, not read as "off".
  EXPECT_TRUE(has_notice(notices, "link: presenter:")) << all_of(notices);
  EXPECT_FALSE(s.has_presenter);
}

}  // namespace
}  // namespace attnlab
