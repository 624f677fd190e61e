// Several lab engines in parallel, wired as the page's loader wires its Web
// Workers (web/attnlab-loader.js): the page's commands go to every engine,
// each engine's outbox is delivered in order, and the page's view is the
// coordinator's snapshot with the helpers' runs merged in by id. Every run
// must come out bit-identical to one engine's, however many engines train it.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/lab/session.h"

namespace attnlab {
namespace {

double g_now = 0, g_ms_per_call = 1.0;
double fake_now() { return g_now += g_ms_per_call; }  // every call advances the clock

nlohmann::json small_config() {
  return {{"seed", 5},
          {"model", {{"layers", 1}, {"heads", 2}, {"width", 16}, {"window", 4}}},
          {"task", {{"kind", "retrieval"}, {"length", 24}, {"topics", 4}, {"symbols", 6}, {"eval_size", 16}}},
          {"train", {{"steps", 40}, {"batch", 4}, {"log_every", 5}, {"probe_batch", 2}}}};
}

// What the page ends up with: every run's history (as sent, in order), the
// last lesson and job verdicts, the job's results by key, the interventions.
struct PageView {
  std::map<std::string, nlohmann::json> history;  // run id -> [points]
  nlohmann::json lesson, job, interventions;
  std::map<std::string, nlohmann::json> results;  // key -> record
  bool playing = false;
  std::map<std::string, int> step;
};

class Lab {
 public:
  Lab(int engines, int job_engines) : engines_(engines) {
    if (engines > 1)
      for (int k = 0; k < engines; ++k) {
        const nlohmann::json reply =
            engines_[k].command({{"cmd", "shard"}, {"index", k}, {"count", engines}, {"job_count", job_engines}});
        EXPECT_TRUE(reply["ok"]) << reply.dump();
      }
  }

  // To every engine, as the loader broadcasts; the coordinator's reply is the page's.
  nlohmann::json command(const nlohmann::json& cmd) {
    nlohmann::json reply;
    for (size_t k = 0; k < engines_.size(); ++k) {
      nlohmann::json r = engines_[k].command(cmd);
      if (k == 0) reply = r;
      deliver(k);
    }
    return reply;
  }

  // One round: every engine ticks (the coordinator for coordinator_ms of the
  // fake clock, helpers for helper_ms), sends its snapshot when due and its messages.
  void round() {
    for (size_t k = 0; k < engines_.size(); ++k) {
      if (engines_[k].tick(k == 0 ? coordinator_ms : helper_ms, fake_now)) take(engines_[k].snapshot(), k);
      deliver(k);
    }
  }
  double coordinator_ms = 40, helper_ms = 40;

  bool busy() const {
    for (const LabSession& e : engines_)
      if (e.busy()) return true;
    return false;
  }

  // Until the page says nothing is playing and no engine has work (or the round limit).
  void settle(int max_rounds = 100000) {
    for (int i = 0; i < max_rounds; ++i) {
      round();
      bool job_running = view.job.is_object() && view.job.value("status", "") == "running";
      if (!busy() && !view.playing && !job_running && ++quiet_ > 3) return;
      if (busy() || view.playing || job_running) quiet_ = 0;
    }
    ADD_FAILURE() << "the engines did not settle";
  }

  PageView view;

 private:
  void deliver(size_t from) {
    for (auto& [to, cmd] : engines_[from].take_outbox()) {
      ASSERT_LT(static_cast<size_t>(to), engines_.size());
      const nlohmann::json r = engines_[to].command(cmd);
      EXPECT_TRUE(r.value("ok", false)) << r.dump();
    }
  }

  void take(const Snapshot& s, size_t k) {
    const nlohmann::json& j = s.json;
    for (const nlohmann::json& r : j["runs"]) {
      if (r.value("remote", false)) continue;  // the helper that trains it sends it
      const std::string id = r["id"];
      if (r.value("history_reset", false)) view.history[id] = nlohmann::json::array();
      for (const nlohmann::json& p : r["history"]) view.history[id].push_back(p);
      view.step[id] = r["step"];
    }
    if (k != 0) {
      EXPECT_TRUE(j.contains("shard"));
      return;
    }
    view.playing = j["playing"];
    view.lesson = j.value("lesson", nlohmann::json());
    view.job = j["job"];
    view.interventions = j["interventions"];
    for (const nlohmann::json& r : j["job_results"]) view.results[r["key"]] = r["record"];
  }

  std::vector<LabSession> engines_;
  int quiet_ = 0;
};

TEST(LabShards, ABRunsAreBitIdenticalOnOneTwoAndThreeEngines) {
  const nlohmann::json scenario = {{"config", small_config()}, {"b", {{"model", {{"globals", 1}}}}}};
  std::vector<PageView> views;
  for (int n : {1, 2, 3}) {
    Lab lab(n, 1);
    ASSERT_TRUE(lab.command({{"cmd", "load"}, {"scenario", scenario}})["ok"]);
    lab.command({{"cmd", "play"}});
    lab.settle();
    views.push_back(lab.view);
  }
  ASSERT_EQ(views[0].history.size(), 2u);
  EXPECT_EQ(views[0].step["a"], 40);
  EXPECT_EQ(views[0].step["b"], 40);
  EXPECT_EQ(views[0].history["a"].size(), 9u);  // steps 0, 5, ..., 40
  for (size_t i = 1; i < views.size(); ++i) {
    EXPECT_EQ(views[i].step, views[0].step) << i + 1 << " engines";
    EXPECT_EQ(views[i].history["a"], views[0].history["a"]) << i + 1 << " engines";
    EXPECT_EQ(views[i].history["b"], views[0].history["b"]) << i + 1 << " engines";
  }
  EXPECT_NE(views[0].history["a"], views[0].history["b"]);  // B is another model
}

// Live interventions and pauses at moments the engines do not share: A and B
// take each intervention at the same step, and the recorded list replays the
// same two runs on one engine, to the last bit.
TEST(LabShards, LiveInterventionsReplayOnOneEngine) {
  const nlohmann::json scenario = {{"config", small_config()}, {"b", {{"model", {{"window", 2}}}}}};
  // The helper (B) is three times as fast as the coordinator (A): B runs ahead, up to the target.
  g_ms_per_call = 10.0;
  Lab sharded(2, 1);
  sharded.coordinator_ms = 20;
  sharded.helper_ms = 60;
  ASSERT_TRUE(sharded.command({{"cmd", "load"}, {"scenario", scenario}})["ok"]);
  sharded.command({{"cmd", "play"}});
  for (int i = 0; i < 12; ++i) sharded.round();
  ASSERT_GT(sharded.view.step["b"], sharded.view.step["a"]) << "B should be ahead when the intervention comes";
  ASSERT_LT(sharded.view.step["b"], 40);
  nlohmann::json reply = sharded.command({{"cmd", "apply"}, {"changes", {{"model", {{"globals", 2}}}}}});
  ASSERT_TRUE(reply["ok"]) << reply.dump();
  EXPECT_FALSE(sharded.command({{"cmd", "apply"}, {"changes", {{"model", {{"width", 64}}}}}})["ok"]);  // refused at once
  sharded.command({{"cmd", "pause"}});
  sharded.settle();
  EXPECT_EQ(sharded.view.step["a"], sharded.view.step["b"]) << "paused at different steps";
  sharded.command({{"cmd", "step"}, {"n", 3}});
  sharded.command({{"cmd", "apply"}, {"target", "b"}, {"changes", {{"train", {{"lr", 0.01}}}}}});
  sharded.command({{"cmd", "play"}});
  sharded.settle();
  const nlohmann::json recorded = sharded.view.interventions;
  ASSERT_EQ(recorded.size(), 2u) << recorded.dump();
  EXPECT_EQ(sharded.view.step["a"], 40);
  EXPECT_EQ(sharded.view.step["b"], 40);

  Lab one(1, 1);
  nlohmann::json replay = scenario;
  replay["interventions"] = recorded;
  ASSERT_TRUE(one.command({{"cmd", "load"}, {"scenario", replay}})["ok"]);
  one.command({{"cmd", "play"}});
  one.settle();
  EXPECT_EQ(one.view.history["a"], sharded.view.history["a"]);
  EXPECT_EQ(one.view.history["b"], sharded.view.history["b"]);
  EXPECT_EQ(one.view.interventions, recorded);
  g_ms_per_call = 1.0;
}

// A preset's lesson is judged by the coordinator on B's history as the helper reported it.
TEST(LabShards, TheLessonIsJudgedOnRunsFromEveryEngine) {
  std::vector<PageView> views;
  for (int n : {1, 2}) {
    Lab lab(n, 1);
    ASSERT_TRUE(lab.command({{"cmd", "load"}, {"preset", "window-misses-introduction"}, {"steps", 12}})["ok"]);
    lab.command({{"cmd", "play"}});
    lab.settle();
    views.push_back(lab.view);
  }
  ASSERT_TRUE(views[0].lesson.is_object());
  EXPECT_NE(views[0].lesson["status"], "not yet");
  EXPECT_EQ(views[1].lesson, views[0].lesson);
  EXPECT_EQ(views[1].history, views[0].history);
}

// A sweep's points spread over two engines: the same records, the progress of the whole.
TEST(LabShards, SweepPointsSpreadOverEngines) {
  nlohmann::json spec = {{"kind", "sweep"},
                         {"base", small_config()},
                         {"over", {{{"field", "globals"}, {"values", {0, 1, 2}}}}}};
  spec["base"]["train"]["steps"] = 10;
  std::vector<PageView> views;
  for (int n : {1, 2}) {
    Lab lab(n, n);
    ASSERT_TRUE(lab.command({{"cmd", "job.start"}, {"id", 7}, {"spec", spec}})["ok"]);
    lab.settle();
    views.push_back(lab.view);
  }
  ASSERT_EQ(views[0].results.size(), 3u);
  EXPECT_EQ(views[1].results, views[0].results);
  for (const PageView& v : views) {
    EXPECT_EQ(v.job["status"], "finished");
    EXPECT_EQ(v.job["progress"]["fraction"], 1.0);
    EXPECT_EQ(v.job["progress"]["finished"], 3);
  }
}

}  // namespace
}  // namespace attnlab
