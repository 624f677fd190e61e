// The softmax sandbox: global-token mass, smoothing, softmax1, temperature,
// validation and the JSON interface the page's API uses.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/sandbox/sandbox.h"

namespace attnlab {
namespace {

TEST(Sandbox, DefaultRowIsPeaky) {
  const SandboxConfig c = sandbox_default();
  ASSERT_TRUE(sandbox_validate(c).empty());
  const SandboxResult r = sandbox_compute(c);
  EXPECT_TRUE(r.stats.peaky);
  EXPECT_GT(r.stats.peak, 0.9f);
  EXPECT_EQ(r.stats.peak_index, 6);
  EXPECT_EQ(r.stats.visible_keys, 16);
  EXPECT_NEAR(r.stats.key_mass, 1.0, 1e-6);
  EXPECT_EQ(r.stats.global_mass, 0.0);
}

TEST(Sandbox, GlobalMassIsTheShareOfTheirTerms) {
  SandboxConfig c;
  c.logits.assign(8, 0.0f);            // eight terms exp(0) = 1
  c.global_scores.assign(2, std::log(4.0f));  // two terms of 4
  const SandboxResult r = sandbox_compute(c);
  EXPECT_NEAR(r.stats.global_mass, 8.0 / 16.0, 1e-6);
  EXPECT_NEAR(r.stats.key_mass, 8.0 / 16.0, 1e-6);
  ASSERT_EQ(r.weights.size(), 10u);
  EXPECT_NEAR(r.weights[8], 0.25f, 1e-6);
}

TEST(Sandbox, GlobalTokensOfComparableScoreFlattenAPeakyRow) {
  SandboxConfig c = sandbox_default();
  const SandboxResult before = sandbox_compute(c);
  c.global_scores.assign(8, 5.0f);  // comparable to the peak's logit 5.2
  const SandboxResult after = sandbox_compute(c);
  EXPECT_LT(after.stats.peak, 0.2f);
  EXPECT_GT(after.stats.entropy, before.stats.entropy + 1.0);
  EXPECT_FALSE(after.stats.peaky);
  // The comparison column is the row without the global tokens.
  EXPECT_EQ(after.without_globals.peak, before.stats.peak);
  EXPECT_EQ(after.without_globals.entropy, before.stats.entropy);
}

TEST(Sandbox, WeakGlobalTokensBarelyChangeTheRow) {
  SandboxConfig c = sandbox_default();
  c.global_scores.assign(4, -10.0f);
  const SandboxResult r = sandbox_compute(c);
  EXPECT_LT(r.stats.global_mass, 1e-5);
  EXPECT_NEAR(r.stats.peak, r.without_globals.peak, 1e-5);
}

TEST(Sandbox, Softmax1AbsorbsMassWhenEveryLogitIsLow) {
  SandboxConfig c;
  c.logits.assign(8, -3.0f);
  c.softmax1 = true;
  const SandboxResult r = sandbox_compute(c);
  const double keys = 8 * std::exp(-3.0);
  EXPECT_NEAR(r.stats.null_mass, 1.0 / (1.0 + keys), 1e-6);
  EXPECT_NEAR(r.stats.key_mass, keys / (1.0 + keys), 1e-6);
  // Eight equal weights: the entropy is over the keys only.
  const double w = std::exp(-3.0) / (1.0 + keys);
  EXPECT_NEAR(r.stats.entropy, -8 * w * std::log(w), 1e-6);
}

TEST(Sandbox, TemperatureChangesEntropy) {
  SandboxConfig c = sandbox_default();
  const double base = sandbox_compute(c).stats.entropy;
  c.temperature = 4.0f;
  const double warm = sandbox_compute(c).stats.entropy;
  c.temperature = 0.25f;
  const double cold = sandbox_compute(c).stats.entropy;
  EXPECT_GT(warm, base);
  EXPECT_LT(cold, base);
}

TEST(Sandbox, ValidationNamesTheField) {
  SandboxConfig c = sandbox_default();
  c.logits.resize(40);
  c.global_scores.assign(17, 0.0f);
  c.temperature = 0.0f;
  c.peak_threshold = 2.0f;
  const auto errors = sandbox_validate(c);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].rfind("logits:", 0), 0u);
  EXPECT_EQ(errors[1].rfind("globals:", 0), 0u);
  EXPECT_EQ(errors[2].rfind("temperature:", 0), 0u);
  EXPECT_EQ(errors[3].rfind("peakThreshold:", 0), 0u);
  c = sandbox_default();
  c.logits[3] = NAN;
  ASSERT_EQ(sandbox_validate(c).size(), 1u);
}

TEST(Sandbox, JsonUpdateAppliesGoodFieldsAndReportsBadOnes) {
  SandboxConfig c = sandbox_default();
  std::vector<std::string> errors;
  const auto j = nlohmann::json::parse(
      R"({"globals": [1, 2, 3], "temperature": -1, "softmax1": "yes", "colour": 3, "logits": [1, 2]})");
  sandbox_update_from_json(&c, j, &errors);
  EXPECT_EQ(c.global_scores, (std::vector<float>{1, 2, 3}));
  EXPECT_EQ(c.temperature, 1.0f);
  EXPECT_FALSE(c.softmax1);
  EXPECT_EQ(c.logits.size(), 16u);
  ASSERT_EQ(errors.size(), 4u);
  std::string all;
  for (const auto& e : errors) all += e + "\n";
  EXPECT_NE(all.find("temperature:"), std::string::npos) << all;
  EXPECT_NE(all.find("softmax1:"), std::string::npos) << all;
  EXPECT_NE(all.find("colour: unknown field"), std::string::npos) << all;
  EXPECT_NE(all.find("logits: needs 8 to 32 values, got 2"), std::string::npos) << all;
}

TEST(Sandbox, JsonRoundTripCarriesTheMeasures) {
  SandboxConfig c = sandbox_default();
  c.global_scores = {4.0f};
  const SandboxResult r = sandbox_compute(c);
  const nlohmann::json j = sandbox_to_json(c, r);
  EXPECT_NEAR(j["measures"]["globalMass"].get<double>(), r.stats.global_mass, 1e-12);
  EXPECT_NEAR(j["measures"]["entropy"].get<double>(), r.stats.entropy, 1e-12);
  EXPECT_EQ(j["weights"].size(), 17u);
  SandboxConfig back;
  std::vector<std::string> errors;
  back.logits.assign(8, 0.0f);
  sandbox_update_from_json(&back, {{"logits", j["logits"]}, {"globals", j["globals"]}}, &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(back.logits, c.logits);
}

// "Random" logits come from the core's own generator: the same row for the
// same draw in every build (this test runs natively and in wasm against the
// same numbers), rounded to 0.1, in range, and spread like a normal with sd 2.
TEST(Sandbox, RandomLogitsAreTheSameOnEveryBuild) {
  const std::vector<float> first = sandbox_random_logits(8, 0, -10.0f, 10.0f);
  EXPECT_EQ(first, (std::vector<float>{-2.6f, -1.7f, -4.0f, 0.5f, -2.1f, 1.5f, -1.1f, -0.9f}));
  EXPECT_EQ(sandbox_random_logits(8, 0, -10.0f, 10.0f), first);
  EXPECT_NE(sandbox_random_logits(8, 1, -10.0f, 10.0f), first);
  double sum = 0, sum2 = 0;
  int n = 0;
  for (uint64_t draw = 0; draw < 200; ++draw)
    for (float x : sandbox_random_logits(32, draw, -3.0f, 3.0f)) {
      EXPECT_GE(x, -3.0f);
      EXPECT_LE(x, 3.0f);
      EXPECT_NEAR(x * 10.0f, std::round(x * 10.0f), 1e-3f);
      sum += x, sum2 += static_cast<double>(x) * x, ++n;
    }
  EXPECT_NEAR(sum / n, 0.0, 0.1);
  // Clamped at +-3 (1.5 sd), the sd of a normal with sd 2 shrinks to about 1.7.
  EXPECT_NEAR(std::sqrt(sum2 / n - (sum / n) * (sum / n)), 1.7, 0.15);
}

}  // namespace
}  // namespace attnlab
