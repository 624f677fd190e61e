// The lab's engine: commands, A/B runs on the same data, interventions,
// views, and background jobs, driven by a fake clock.
#include <gtest/gtest.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include "core/lab/presets.h"
#include "core/lab/scenario.h"
#include "core/lab/session.h"
#include "core/lab/time_left.h"

namespace attnlab {
namespace {

double g_now = 0;
double fake_now() { return g_now += 1.0; }  // every call advances the clock 1 ms
double slow_now() { return g_now += 25.0; }  // 25 ms a call: a job that takes seconds

// A clock that moves only when the test moves it: pacing is then exact.
double g_manual = 0;
double manual_now() { return g_manual; }

nlohmann::json small_config() {
  return {{"seed", 3},
          {"model", {{"layers", 1}, {"heads", 2}, {"width", 16}, {"window", 4}}},
          {"task", {{"kind", "retrieval"}, {"length", 24}, {"topics", 4}, {"symbols", 6}, {"eval_size", 16}}},
          {"train", {{"steps", 30}, {"batch", 4}, {"log_every", 5}, {"probe_batch", 2}}}};
}

const nlohmann::json* array_named(const Snapshot& s, const std::string& name, size_t* size) {
  for (const auto& [n, v] : s.arrays)
    if (n == name) {
      *size = v.size();
      return &s.json;
    }
  return nullptr;
}

TEST(LabSession, RefusesBadScenariosNamingTheField) {
  LabSession lab;
  nlohmann::json bad = small_config();
  bad["model"]["heads"] = 9;
  auto reply = lab.command({{"cmd", "load"}, {"scenario", {{"config", bad}}}});
  ASSERT_FALSE(reply["ok"]);
  EXPECT_EQ(reply["errors"][0], "model.heads: must be an integer from 1 to 4");
  reply = lab.command({{"cmd", "play"}});
  EXPECT_FALSE(reply["ok"]);  // nothing loaded
  reply = lab.command({{"cmd", "fly"}});
  EXPECT_FALSE(reply["ok"]);
}

// A and B may share one Web Worker (one engine, or the coordinator's copy of
// B): each fits alone here (about 1.2 GB), together they would not.
TEST(LabSession, RefusesAnABPairThatWouldNotFitOneWorker) {
  LabSession lab;
  nlohmann::json big = {{"seed", 1},
                        {"model", {{"width", 64}, {"window", 16}}},
                        {"task", {{"kind", "retrieval"}, {"length", 4096}}},
                        {"train", {{"batch", 16}}}};
  auto reply = lab.command({{"cmd", "load"}, {"scenario", {{"config", big}, {"b", {{"model", {{"globals", 1}}}}}}}});
  ASSERT_FALSE(reply["ok"]);
  EXPECT_NE(reply["errors"][0].get<std::string>().find("A and B together need about 2.4 GB"), std::string::npos)
      << reply.dump();
  big["train"]["batch"] = 8;  // half the memory: both fit
  EXPECT_EQ(scenario_errors({{"config", big}, {"b", {{"model", {{"globals", 1}}}}}}).size(), 0u);
}

TEST(LabSession, StepsAndSnapshotsHistoryOnce) {
  LabSession lab;
  ASSERT_TRUE(lab.command({{"cmd", "load"}, {"scenario", {{"name", "t"}, {"config", small_config()}}}})["ok"]);
  ASSERT_TRUE(lab.command({{"cmd", "step"}, {"n", 10}})["ok"]);
  lab.tick(50, fake_now);
  Snapshot s = lab.snapshot();
  const nlohmann::json& run = s.json["runs"][0];
  EXPECT_EQ(run["step"], 10);
  EXPECT_EQ(run["history"].size(), 3u);  // steps 0, 5, 10
  EXPECT_TRUE(run.contains("config"));
  size_t n = 0;
  ASSERT_TRUE(array_named(s, "a.image", &n));
  EXPECT_EQ(n, 24u * 24u);
  lab.tick(50, fake_now);
  s = lab.snapshot();
  EXPECT_EQ(s.json["runs"][0]["history"].size(), 0u);  // nothing new
}

TEST(LabSession, PlaysAtTheChosenSpeedAndPauses) {
  LabSession lab;
  lab.command({{"cmd", "load"}, {"scenario", {{"config", small_config()}}}});
  lab.command({{"cmd", "speed"}, {"steps_per_second", 0}});
  lab.command({{"cmd", "play"}});
  while (lab.busy()) lab.tick(20, fake_now);
  Snapshot s = lab.snapshot();
  EXPECT_EQ(s.json["runs"][0]["step"], 30);
  EXPECT_TRUE(s.json["runs"][0]["done"]);
  EXPECT_FALSE(s.json["playing"]);
}

// The steps/s beside each run is its speed while it trains: a pause, the rest
// before a "Step", and the Step's own few steps leave it as it was (it read
// 8 steps/s after a "Step 10" in the page while the runs trained at 25-30).
TEST(LabSession, StepsPerSecondCountsOnlyTheTimeARunTrains) {
  LabSession lab;
  nlohmann::json config = small_config();
  config["train"]["steps"] = 200;
  lab.command({{"cmd", "load"}, {"scenario", {{"config", config}}}});
  auto rate = [&] { return lab.snapshot().json["runs"][0]["steps_per_second"].get<double>(); };
  auto play_for = [&](double ms, double tick_ms) {
    for (double t = 0; t < ms; t += tick_ms) {
      g_manual += tick_ms;
      lab.tick(1e6, manual_now);
    }
  };
  lab.command({{"cmd", "speed"}, {"steps_per_second", 10}});
  lab.command({{"cmd", "play"}});
  g_manual = 100000;
  play_for(2000, 50);
  EXPECT_NEAR(rate(), 10, 0.5);
  lab.command({{"cmd", "pause"}});
  play_for(5000, 50);  // ticks while paused
  EXPECT_NEAR(rate(), 10, 0.5) << "paused";
  lab.command({{"cmd", "step"}, {"n", 3}});
  play_for(2000, 50);
  EXPECT_NEAR(rate(), 10, 0.5) << "after a Step";
  lab.command({{"cmd", "speed"}, {"steps_per_second", 20}});
  lab.command({{"cmd", "play"}});
  play_for(2000, 50);
  EXPECT_NEAR(rate(), 20, 1.0) << "at the new speed, not diluted by the rests before";
  // A slow set speed: a step every 2 s is the run training, not resting.
  lab.command({{"cmd", "speed"}, {"steps_per_second", 0.5}});
  play_for(12000, 100);
  EXPECT_NEAR(rate(), 0.5, 0.05);
}

// A limited speed takes exactly that many steps per second of the caller's
// clock: one at once on Play, then one per 1/speed seconds, however often
// the caller ticks; none while the clock stands still or while paused.
TEST(LabSession, PacesStepsByTheCallersClock) {
  LabSession lab;
  lab.command({{"cmd", "load"}, {"scenario", {{"config", small_config()}}}});
  auto step = [&] { return lab.snapshot().json["runs"][0]["step"].get<int>(); };
  lab.command({{"cmd", "speed"}, {"steps_per_second", 10}});
  lab.command({{"cmd", "play"}});
  g_manual = 1000;
  lab.tick(1e6, manual_now);
  EXPECT_EQ(step(), 1) << "Play takes the first step at once";
  for (int i = 0; i < 10; ++i) lab.tick(1e6, manual_now);
  EXPECT_EQ(step(), 1) << "the clock did not move";
  for (int i = 0; i < 20; ++i) {  // one second in ticks of 50 ms
    g_manual += 50;
    lab.tick(1e6, manual_now);
  }
  EXPECT_EQ(step(), 11);
  for (int i = 0; i < 4; ++i) {  // half a second in ticks of 125 ms: steps owed carry over
    g_manual += 125;
    lab.tick(1e6, manual_now);
  }
  EXPECT_EQ(step(), 16);
  // The time left at the speed measured so far (about 10 steps/s): 14 steps, about 1.4 s.
  const nlohmann::json playing = lab.snapshot().json["runs"][0];
  ASSERT_TRUE(playing["seconds_left"].is_number()) << playing.dump();
  EXPECT_NEAR(playing["seconds_left"].get<double>(), 14 / playing["steps_per_second"].get<double>(), 1e-9);
  EXPECT_NEAR(playing["seconds_left"].get<double>(), 1.4, 0.3);
  lab.command({{"cmd", "pause"}});
  g_manual += 5000;
  lab.tick(1e6, manual_now);
  EXPECT_EQ(step(), 16) << "paused";
  EXPECT_TRUE(lab.snapshot().json["runs"][0]["seconds_left"].is_null()) << "no time left while paused";
  // Another speed, from Play again.
  lab.command({{"cmd", "speed"}, {"steps_per_second", 2}});
  lab.command({{"cmd", "play"}});
  lab.tick(1e6, manual_now);
  EXPECT_EQ(step(), 17);
  for (int i = 0; i < 8; ++i) {  // two seconds in ticks of 250 ms
    g_manual += 250;
    lab.tick(1e6, manual_now);
  }
  EXPECT_EQ(step(), 21);
}

TEST(LabSession, ABRunsShareSeedAndData) {
  LabSession lab;
  ASSERT_TRUE(lab.command({{"cmd", "load"},
                           {"scenario", {{"config", small_config()}, {"b", {{"model", {{"globals", 2}}}}}}}})["ok"]);
  lab.command({{"cmd", "step"}, {"n", 5}});
  lab.tick(10, fake_now);
  const Snapshot s = lab.snapshot();
  ASSERT_EQ(s.json["runs"].size(), 2u);
  const auto& a = s.json["runs"][0];
  const auto& b = s.json["runs"][1];
  EXPECT_EQ(a["seed"], b["seed"]);
  EXPECT_EQ(a["data_fingerprint"], b["data_fingerprint"]);
  EXPECT_EQ(a["train_fingerprint"], b["train_fingerprint"]);
  EXPECT_EQ(a["prefix"], 0);
  EXPECT_EQ(b["prefix"], 2);
}

TEST(LabSession, InterventionsContinueTheRun) {
  LabSession lab;
  lab.command({{"cmd", "load"}, {"scenario", {{"config", small_config()}}}});
  lab.command({{"cmd", "step"}, {"n", 10}});
  auto reply = lab.command({{"cmd", "apply"}, {"changes", {{"model", {{"globals", 2}}}}}});
  ASSERT_TRUE(reply["ok"]) << reply.dump();
  lab.command({{"cmd", "step"}, {"n", 10}});
  lab.tick(10, fake_now);
  const Snapshot s = lab.snapshot();
  const auto& run = s.json["runs"][0];
  EXPECT_EQ(run["step"], 20);
  EXPECT_EQ(run["prefix"], 2);
  bool marked = false;
  for (const auto& p : run["history"]) marked |= p["event"].get<std::string>().find("model.globals 0 -> 2") != std::string::npos;
  EXPECT_TRUE(marked);
  reply = lab.command({{"cmd", "apply"}, {"changes", {{"model", {{"width", 64}}}}}});
  EXPECT_FALSE(reply["ok"]);
}

// A shared link carries the interventions with their steps: loading them
// replays the same run, to the last bit of the loss.
TEST(LabSession, ScheduledInterventionsReplayTheSameRun) {
  auto final_loss = [](LabSession& lab) {
    lab.tick(10, fake_now);
    const Snapshot s = lab.snapshot();
    return s.json["runs"][0]["history"].back()["eval_loss"].get<double>();
  };
  LabSession live;
  live.command({{"cmd", "load"}, {"scenario", {{"config", small_config()}}}});
  live.command({{"cmd", "step"}, {"n", 7}});
  live.command({{"cmd", "apply"}, {"changes", {{"model", {{"globals", 2}}}}}});
  live.command({{"cmd", "step"}, {"n", 13}});
  live.tick(10, fake_now);
  const Snapshot ls = live.snapshot();
  const nlohmann::json recorded = ls.json["interventions"];
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0]["step"], 7);
  const double live_loss = ls.json["runs"][0]["history"].back()["eval_loss"];

  LabSession replay;
  ASSERT_TRUE(replay.command({{"cmd", "load"}, {"scenario", {{"config", small_config()}, {"interventions", recorded}}}})["ok"]);
  replay.command({{"cmd", "step"}, {"n", 20}});
  EXPECT_EQ(final_loss(replay), live_loss);

  LabSession without;  // and the intervention matters
  without.command({{"cmd", "load"}, {"scenario", {{"config", small_config()}}}});
  without.command({{"cmd", "step"}, {"n", 20}});
  EXPECT_NE(final_loss(without), live_loss);

  auto bad = replay.command({{"cmd", "load"}, {"scenario", {{"config", small_config()}, {"interventions", {{{"step", -1}}}}}}});
  EXPECT_FALSE(bad["ok"]);
}

TEST(TimeLeft, EstimatesFromTheSpeedSoFarAndSaysSo) {
  EXPECT_DOUBLE_EQ(estimate_seconds_left(0.25, 10.0), 30.0);
  EXPECT_TRUE(std::isnan(estimate_seconds_left(0.01, 10.0))) << "under 2% done: unknown";
  EXPECT_TRUE(std::isnan(estimate_seconds_left(0.5, 0.5))) << "under a second measured: unknown";
  EXPECT_EQ(estimate_seconds_left(1.0, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(run_seconds_left(10, 30, 5.0), 4.0);
  EXPECT_TRUE(std::isnan(run_seconds_left(10, 30, 0.0)));
  EXPECT_EQ(run_seconds_left(30, 30, 0.0), 0.0);
  EXPECT_EQ(time_left_text(NAN), "estimating the time left");
  EXPECT_EQ(time_left_text(0.2), "under a second left");
  EXPECT_EQ(time_left_text(40.4), "about 40 s left");
  EXPECT_EQ(time_left_text(125), "about 2 min 10 s left");
  EXPECT_EQ(time_left_text(121), "about 2 min left");
}

TEST(LabSession, SweepJobReportsProgressResultsAndCancels) {
  LabSession lab;
  nlohmann::json spec = {{"kind", "sweep"},
                         {"base", small_config()},
                         {"over", {{{"field", "globals"}, {"values", {0, 1}}}}},
                         {"seeds", {1, 2}}};
  spec["base"]["train"]["steps"] = 10;
  ASSERT_TRUE(lab.command({{"cmd", "job.start"}, {"spec", spec}})["ok"]);
  lab.tick(5, fake_now);
  Snapshot s = lab.snapshot();
  EXPECT_EQ(s.json["job"]["status"], "running");
  size_t results = s.json["job_results"].size();
  int estimates = 0;
  while (lab.busy()) {
    lab.tick(200, slow_now);
    const Snapshot now = lab.snapshot();
    results += now.json["job_results"].size();
    for (const nlohmann::json& r : now.json["job_results"]) {  // what the Memory lab's captions state
      EXPECT_EQ(r.value("length", nlohmann::json()), spec["base"]["task"]["length"]);
      EXPECT_EQ(r.value("window", nlohmann::json()), spec["base"]["model"]["window"]);
    }
    // The time left, from the job's speed so far, once there is enough to go on.
    const nlohmann::json& prog = now.json["job"]["progress"];
    if (prog["seconds_left"].is_number() && lab.busy()) {
      ++estimates;
      const double f = prog["fraction"], elapsed = prog["elapsed_seconds"];
      EXPECT_NEAR(prog["seconds_left"].get<double>(), elapsed * (1 - f) / f, 1e-9);
    }
  }
  EXPECT_EQ(results, 4u);
  EXPECT_GT(estimates, 0) << "no time-left estimate while the job ran";
  // Cancel a fresh job in the middle.
  spec["base"]["train"]["steps"] = 1000;
  lab.command({{"cmd", "job.start"}, {"spec", spec}});
  lab.tick(5, fake_now);
  ASSERT_TRUE(lab.busy());
  lab.command({{"cmd", "job.cancel"}});
  EXPECT_FALSE(lab.busy());
  EXPECT_EQ(lab.snapshot().json["job"]["status"], "cancelled");
  // A bad spec names the field.
  auto reply = lab.command({{"cmd", "job.start"}, {"spec", {{"kind", "sweep"}, {"over", 3}}}});
  ASSERT_FALSE(reply["ok"]);
  EXPECT_EQ(reply["errors"][0].get<std::string>().rfind("job.over", 0), 0u);
}

// The UI numbers its jobs; every snapshot names the job it speaks of, so a
// snapshot still in flight about a cancelled job is not read as the new one's.
// A job preset at another seed (as the exercises and `attnlab lesson --seed` start it), in every build:
// the seed list is built as an array, which brace-initialization from one json value is not under clang.
TEST(LabSession, JobPresetStartsAtAnotherSeed) {
  LabSession lab;
  const nlohmann::json reply =
      lab.command({{"cmd", "job.start"}, {"preset", "memory-cost"}, {"seed", 5}, {"steps", 2}});
  ASSERT_TRUE(reply.value("ok", false)) << reply.dump();
  while (lab.busy()) lab.tick(1e9, fake_now);
  const nlohmann::json results = lab.snapshot().json["job_results"];
  ASSERT_FALSE(results.empty());
  for (const nlohmann::json& r : results) EXPECT_EQ(r.value("seed", -1), 5) << r.dump();
}

TEST(LabSession, SnapshotsNameTheirJob) {
  LabSession lab;
  nlohmann::json spec = {{"kind", "sweep"}, {"base", small_config()}, {"over", {{{"field", "globals"}, {"values", {0, 1}}}}}};
  spec["base"]["train"]["steps"] = 1000;
  EXPECT_EQ(lab.snapshot().json["job"]["id"], 0);
  ASSERT_TRUE(lab.command({{"cmd", "job.start"}, {"spec", spec}, {"id", 7}})["ok"]);
  lab.tick(5, fake_now);
  EXPECT_EQ(lab.snapshot().json["job"]["id"], 7);
  lab.command({{"cmd", "job.cancel"}});
  const nlohmann::json cancelled = lab.snapshot().json["job"];
  EXPECT_EQ(cancelled["id"], 7);
  EXPECT_EQ(cancelled["status"], "cancelled");
  ASSERT_TRUE(lab.command({{"cmd", "job.start"}, {"spec", spec}, {"id", 8}})["ok"]);
  EXPECT_EQ(lab.snapshot().json["job"]["id"], 8);
  EXPECT_EQ(lab.snapshot().json["job"]["status"], "running");
  for (const nlohmann::json& bad : {nlohmann::json(-1), nlohmann::json("8"), nlohmann::json(1.5)}) {
    const nlohmann::json reply = lab.command({{"cmd", "job.start"}, {"spec", spec}, {"id", bad}});
    ASSERT_FALSE(reply["ok"]) << bad;
    EXPECT_EQ(reply["errors"][0].get<std::string>().rfind("id: ", 0), 0u);
  }
}

TEST(LabSession, StreamJobEvaluatesEveryCache) {
  LabSession lab;
  nlohmann::json base = {{"seed", 1},
                         {"model", {{"layers", 1}, {"heads", 2}, {"width", 16}, {"causal", true}, {"positions", "rope"}}},
                         {"task", {{"kind", "stream"}, {"length", 16}, {"symbols", 6}, {"bindings", 2},
                                   {"eval_length", 48}, {"eval_size", 8}}},
                         {"train", {{"steps", 5}, {"batch", 2}, {"log_every", 5}, {"probe_batch", 1}}}};
  nlohmann::json spec = {{"kind", "stream"},
                         {"base", base},
                         {"variants", {{{"label", "plain"}}, {{"label", "softmax1"}, {"changes", {{"model", {{"softmax1", true}}}}}}}},
                         {"caches", {{0, 16}, {4, 12}}},
                         {"streams", 1}};
  const nlohmann::json reply = lab.command({{"cmd", "job.start"}, {"spec", spec}});
  ASSERT_TRUE(reply["ok"]) << reply.dump();
  std::vector<nlohmann::json> results;
  while (lab.busy()) {
    lab.tick(20, fake_now);
    const Snapshot snap = lab.snapshot();  // keep it alive while iterating
    for (const auto& r : snap.json["job_results"]) results.push_back(r);
  }
  ASSERT_EQ(results.size(), 4u);
  for (const auto& r : results) {
    EXPECT_FALSE(r.contains("error")) << r.dump();
    EXPECT_GT(r["perplexity"].get<double>(), 1.0);
    EXPECT_EQ(r["loss_by_bin"].size(), 16u);
  }
}

// Every preset the app ships is accepted by the engine as it stands: the
// training scenarios load, and the sweep and stream jobs start (a sweep axis
// names a config field the schema knows). The Memory lab's capacity sweep once
// named "set_size", which is neither a flag nor a path, and never started.
TEST(LabSession, EveryShippedPresetStarts) {
  for (const Preset& p : presets()) {
    LabSession lab;
    nlohmann::json reply;
    if (p.view == "training") reply = lab.command({{"cmd", "load"}, {"scenario", p.scenario}});
    else reply = lab.command({{"cmd", "job.start"}, {"spec", p.scenario}});
    EXPECT_TRUE(reply.value("ok", false)) << p.id << ": " << reply.dump();
    if (p.view != "training") {
      lab.tick(5, fake_now);
      EXPECT_EQ(lab.snapshot().json["job"]["status"], "running") << p.id;
      lab.command({{"cmd", "job.cancel"}});
    }
  }
}

}  // namespace
}  // namespace attnlab
