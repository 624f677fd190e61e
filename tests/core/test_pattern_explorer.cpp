// The Pattern explorer's settings (the page API's validation) and report.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/patterns/pattern_explorer.h"

namespace attnlab {
namespace {

TEST(PatternExplorer, DefaultsAreValidAndShowTheWindowsLimit) {
  const PatternSettings s;
  ASSERT_TRUE(pattern_validate(s).empty());
  const PatternReport r = pattern_report(s);
  EXPECT_EQ(r.positions, 256);
  EXPECT_EQ(r.first_to_last, (255 + 15) / 16);  // a causal window of 16: ceil(255 / 16) layers
  EXPECT_GT(r.first_to_last, s.layers);
  EXPECT_EQ(r.cost.pairs, pattern_mask(s).pairs(256));
  ASSERT_EQ(r.curve_tokens.front(), 16);
  ASSERT_EQ(r.curve_tokens.back(), 8192);
}

TEST(PatternExplorer, AGlobalTokenReachesTheEndInTwoLayers) {
  PatternSettings s;
  s.tokens = 1024;
  s.causal = false;
  s.window = 8;
  s.globals = 1;
  s.layers = 3;
  const PatternReport r = pattern_report(s);
  EXPECT_EQ(r.positions, 1025);
  EXPECT_EQ(r.prefix, 1);
  EXPECT_EQ(r.first_to_last, 2);
  EXPECT_EQ(r.field.source, 1);  // token 0 is at position 1, after the global
  EXPECT_EQ(r.field.count(2), 1025);
  // Without it: ceil(1023 / 8) layers.
  s.globals = 0;
  EXPECT_EQ(pattern_report(s).first_to_last, 128);
  const nlohmann::json j = pattern_report_to_json(s, pattern_report(s));  // token 0 is at the edge: 8 more per layer
  EXPECT_EQ(j["firstToLastLayers"], 128);
  EXPECT_EQ(j["reachedWithin"], false);
  EXPECT_EQ(j["receptiveField"], nlohmann::json({9, 17, 25}));
}

TEST(PatternExplorer, JsonRefusesBadFieldsNamingThemAndKeepsTheGoodOnes) {
  PatternSettings s;
  std::vector<std::string> errors;
  pattern_update_from_json(&s, {{"window", 4}, {"globals", 65}, {"causal", "yes"}, {"layers", 8}, {"bogus", 1}}, &errors);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(s.window, 4);
  EXPECT_EQ(s.layers, 8);
  EXPECT_EQ(s.globals, 0);
  EXPECT_TRUE(s.causal);
  std::string all;
  for (const std::string& e : errors) all += e + "\n";
  EXPECT_NE(all.find("globals: must be an integer from 0 to 64"), std::string::npos) << all;
  EXPECT_NE(all.find("causal: must be true or false"), std::string::npos) << all;
  EXPECT_NE(all.find("bogus: unknown field"), std::string::npos) << all;

  errors.clear();
  pattern_update_from_json(&s, {{"n", 10}, {"window", -2}, {"source", 1.5}, {"sinks", 3}}, &errors);
  ASSERT_EQ(errors.size(), 3u) << errors[0];
  EXPECT_EQ(errors[0], "n: must be an integer from 16 to 8192");
  // Then the others in the object's (sorted) order.
  EXPECT_EQ(errors[1], "source: must be an integer from 0 to 255 (a token, 0 to n - 1)");
  EXPECT_EQ(errors[2], "window: must be -1 (full attention) or an integer from 0 to 8192");
  EXPECT_EQ(s.sinks, 3);
  EXPECT_EQ(s.tokens, 256);
}

TEST(PatternExplorer, NIsAppliedFirstAndPullsTheSourceIntoRange) {
  PatternSettings s;
  std::vector<std::string> errors;
  pattern_update_from_json(&s, {{"source", 600}, {"n", 1000}}, &errors);  // source checked against the new n
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(s.source, 600);
  pattern_update_from_json(&s, {{"n", 100}}, &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(s.source, 99);
  pattern_update_from_json(&s, {{"n", 32}, {"source", 40}}, &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "source: must be an integer from 0 to 31 (a token, 0 to n - 1)");
  EXPECT_EQ(s.tokens, 32);
  EXPECT_EQ(pattern_settings_to_json(s)["n"], 32);
}

TEST(PatternExplorer, PositionNames) {
  PatternSettings s;
  s.globals = 2;
  s.registers = 1;
  s.sinks = 1;
  EXPECT_EQ(pattern_position_name(s, 1), "global G2");
  EXPECT_EQ(pattern_position_name(s, 2), "register R1");
  EXPECT_EQ(pattern_position_name(s, 3), "token 0 (sink)");
  EXPECT_EQ(pattern_position_name(s, 4), "token 1");
}

}  // namespace
}  // namespace attnlab
