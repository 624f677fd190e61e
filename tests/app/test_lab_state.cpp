// What the app keeps of the engine's snapshots (app/lab/lab_state.h): the
// history accumulates, a reset starts it again, a snapshot about an earlier
// job is not taken for the current one, the query rows stay bounded.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/lab/lab_state.h"
#include "core/lab/session.h"

namespace attnlab {
namespace {

double g_clock = 0;
double clock_ms() { return g_clock; }

nlohmann::json small_scenario() {
  return {{"name", "small"},
          {"config", {{"seed", 3},
                      {"model", {{"layers", 1}, {"heads", 2}, {"width", 16}, {"window", 4}}},
                      {"task", {{"kind", "retrieval"}, {"length", 24}, {"topics", 4}, {"symbols", 6}, {"eval_size", 16}}},
                      {"train", {{"steps", 30}, {"batch", 4}, {"log_every", 5}, {"probe_batch", 2}}}}},
          {"b", {{"model", {{"globals", 1}}}}}};
}

TEST(LabState, AccumulatesTheEngineHistoryAndKeepsTheLatestRecord) {
  LabSession lab;
  LabState st;
  ASSERT_TRUE(lab.command({{"cmd", "load"}, {"scenario", small_scenario()}})["ok"]);
  for (int n : {10, 5, 7}) {
    lab.command({{"cmd", "step"}, {"n", n}});
    lab.tick(1e9, clock_ms);
    st.apply(lab.snapshot());
  }
  ASSERT_TRUE(st.loaded);
  ASSERT_EQ(st.runs.size(), 2u);
  const RunView* a = st.run("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->step, 22);
  EXPECT_EQ(a->history.size(), 5u);  // steps 0, 5, 10, 15, 20: each point once
  for (size_t i = 0; i < a->history.size(); ++i) EXPECT_EQ(a->history[i].step, static_cast<int>(5 * i));
  EXPECT_EQ(a->record.value("step", -1), 20);  // the latest measurement's record
  EXPECT_EQ(a->record.value("steps", -1), 30);
  EXPECT_EQ(a->pairs_full, 24LL * 24);        // bidirectional, 24 positions
  EXPECT_EQ(st.run("b")->pairs_full, 25LL * 25);  // one more position: the global token
  EXPECT_EQ(st.run("b")->prefix, 1);
  EXPECT_EQ(a->image_side, 24);
  EXPECT_GT(a->image_version, 0);
  const nlohmann::json j = st.to_json();
  EXPECT_EQ(j["runs"][0]["history_points"], 5);
  EXPECT_EQ(j["runs"][0]["latest"]["step"], 20);

  // A reset starts the history again, and forgets the old record.
  lab.command({{"cmd", "reset"}});
  lab.tick(1e9, clock_ms);
  st.apply(lab.snapshot());
  EXPECT_EQ(st.run("a")->step, 0);
  EXPECT_TRUE(st.run("a")->history.empty());
  EXPECT_TRUE(st.run("a")->record.is_null());
  lab.command({{"cmd", "step"}, {"n", 5}});
  lab.tick(1e9, clock_ms);
  st.apply(lab.snapshot());
  EXPECT_EQ(st.run("a")->history.size(), 2u);
  EXPECT_EQ(st.run("a")->record.value("step", -1), 5);
}

TEST(LabState, IgnoresJobStatusAndResultsOfAnEarlierJob) {
  LabState st;
  st.job_id = 2;  // the UI has started job 2
  Snapshot old_job;
  old_job.json = {{"job", {{"id", 1}, {"status", "cancelled"}}}, {"job_results", {{{"key", "x"}}}}};
  st.apply(std::move(old_job));
  EXPECT_TRUE(st.job.is_null());
  EXPECT_TRUE(st.job_results.empty());
  Snapshot current;
  current.json = {{"job", {{"id", 2}, {"status", "running"}}}, {"job_results", {{{"key", "g1"}}, {{"key", "g4"}}}}};
  st.apply(std::move(current));
  EXPECT_EQ(st.job["status"], "running");
  EXPECT_EQ(st.job_results.size(), 2u);
  EXPECT_EQ(st.job_version, 1);
}

TEST(LabState, QueryRowsStayBoundedAndRestartForAnotherQuery) {
  LabState st;
  auto rows = [](int query, int first_step, int count) {
    Snapshot s;
    std::vector<int> steps;
    for (int i = 0; i < count; ++i) steps.push_back(first_step + i);
    s.json = {{"runs", {{{"id", "a"}, {"rows", {{"query", query}, {"n", 4}, {"steps", steps}}}}}}};
    s.arrays.push_back({"a.rows", std::vector<float>(static_cast<size_t>(count) * 4, 0.25f)});
    return s;
  };
  for (int k = 0; k < 7; ++k) st.apply(rows(3, k * 100, 100));
  const RunView* a = st.run("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->row_steps.size(), 600u);  // the oldest were dropped
  EXPECT_EQ(a->row_steps.front(), 100);
  EXPECT_EQ(a->rows.size(), 600u * 4);
  st.apply(rows(5, 0, 10));  // another query: its own rows only
  EXPECT_EQ(st.run("a")->row_steps.size(), 10u);
  EXPECT_EQ(st.run("a")->rows_query, 5);
  // Arrays that do not match their steps are not taken.
  Snapshot bad = rows(5, 10, 3);
  bad.arrays[0].second.resize(5);
  st.apply(std::move(bad));
  EXPECT_EQ(st.run("a")->row_steps.size(), 10u);
}

TEST(LabState, ToleratesSnapshotsWithMissingOrWrongFields) {
  LabState st;
  Snapshot s;
  s.json = {{"runs", {{{"id", "a"}, {"history", "not a list"}, {"record", 5}}}}, {"errors", {"engine says no", 3}}};
  st.apply(std::move(s));
  ASSERT_EQ(st.runs.size(), 1u);
  EXPECT_TRUE(st.runs[0].history.empty());
  EXPECT_TRUE(st.runs[0].record.is_null());
  EXPECT_EQ(st.errors, std::vector<std::string>{"engine says no"});
  Snapshot not_object;
  not_object.json = nlohmann::json::array();
  st.apply(std::move(not_object));
  EXPECT_EQ(st.runs.size(), 1u);
}

}  // namespace
}  // namespace attnlab

namespace attnlab {
namespace {

// Engine 0 of two (the coordinator) and engine 1 (a helper, which trains B).
void make_two_engines(LabSession* coordinator, LabSession* helper) {
  coordinator->command({{"cmd", "shard"}, {"index", 0}, {"count", 2}});
  helper->command({{"cmd", "shard"}, {"index", 1}, {"count", 2}});
}

// Two engines (core/lab/session.h): the coordinator's snapshot lists B as
// remote; B's history, heatmap and speed come from the helper's snapshots,
// whose play state and job fields are not the page's.
TEST(LabState, MergesAHelperEnginesRunsById) {
  LabSession coordinator, helper;
  make_two_engines(&coordinator, &helper);
  for (LabSession* e : {&coordinator, &helper}) ASSERT_TRUE(e->command({{"cmd", "load"}, {"scenario", small_scenario()}})["ok"]);
  LabState st;
  st.apply(helper.snapshot());  // the helper's first snapshot may come first
  st.apply(coordinator.snapshot());
  coordinator.command({{"cmd", "step"}, {"n", 12}});
  for (auto& [to, cmd] : coordinator.take_outbox()) helper.command(cmd);
  for (int i = 0; i < 4; ++i) {
    g_clock += 200;
    if (helper.tick(1e9, clock_ms)) st.apply(helper.snapshot());
    if (coordinator.tick(1e9, clock_ms)) st.apply(coordinator.snapshot());
    for (auto& [to, cmd] : helper.take_outbox()) coordinator.command(cmd);
  }
  st.apply(coordinator.snapshot());
  ASSERT_EQ(st.runs.size(), 2u);
  EXPECT_EQ(st.runs[0].id, "a");
  EXPECT_EQ(st.runs[1].id, "b");
  EXPECT_EQ(st.runs[0].step, 12);
  EXPECT_EQ(st.runs[1].step, 12);
  EXPECT_EQ(st.runs[1].history.size(), 3u);  // steps 0, 5, 10, sent once by the helper
  EXPECT_EQ(st.runs[1].prefix, 1);           // B's own config (one global token)
  EXPECT_EQ(st.engines, 2);
  EXPECT_FALSE(st.playing);
}

// Found by the WebKit smoke suite: the helper's first snapshot after a load
// (creating B, with its config) can reach the page before the coordinator's
// last one from before the load, which lists no run; applied, that one
// dropped B, and the coordinator's next snapshot brought B back blank (no
// config, no groups: one column short in the CSV export).
TEST(LabState, ASnapshotFromBeforeTheLoadDoesNotDropAHelpersRun) {
  LabSession coordinator, helper;
  make_two_engines(&coordinator, &helper);
  LabState st;
  Snapshot before_load = coordinator.snapshot();  // no run yet, sent before the load reached it
  Snapshot helper_before = helper.snapshot();
  for (LabSession* e : {&coordinator, &helper}) ASSERT_TRUE(e->command({{"cmd", "load"}, {"scenario", small_scenario()}})["ok"]);
  st.apply(helper.snapshot());
  st.apply(std::move(before_load));
  st.apply(std::move(helper_before));
  st.apply(coordinator.snapshot());
  ASSERT_EQ(st.runs.size(), 2u);
  EXPECT_EQ(st.runs[1].id, "b");
  EXPECT_FALSE(st.runs[1].config.is_null());
  EXPECT_FALSE(st.runs[1].groups.empty());
  EXPECT_EQ(st.runs[1].prefix, 1);
  EXPECT_TRUE(st.loaded);
}

// The other order: the coordinator lists B (trained by the helper) for the
// new load before the helper has reported it. B then shows as a blank run of
// the new load, not with the previous preset's label and config.
TEST(LabState, AHelpersRunFromAnEarlierLoadIsNotShownAsTheNewOne) {
  LabSession coordinator, helper;
  make_two_engines(&coordinator, &helper);
  for (LabSession* e : {&coordinator, &helper}) ASSERT_TRUE(e->command({{"cmd", "load"}, {"scenario", small_scenario()}})["ok"]);
  LabState st;
  st.apply(coordinator.snapshot());
  st.apply(helper.snapshot());
  ASSERT_EQ(st.runs.size(), 2u);
  ASSERT_EQ(st.runs[1].prefix, 1);  // B of the first load, one global token
  nlohmann::json other = small_scenario();
  other["b"]["model"]["globals"] = 2;
  other["b_label"] = "two globals";
  for (LabSession* e : {&coordinator, &helper}) ASSERT_TRUE(e->command({{"cmd", "load"}, {"scenario", other}})["ok"]);
  st.apply(coordinator.snapshot());
  ASSERT_EQ(st.runs.size(), 2u);
  EXPECT_TRUE(st.runs[1].config.is_null());  // not yet reported: blank, not the old B
  EXPECT_EQ(st.runs[1].label, "two globals");
  st.apply(helper.snapshot());
  EXPECT_EQ(st.runs[1].prefix, 2);
  EXPECT_EQ(st.runs[1].config["model"]["globals"], 2);
}

// The heatmap and the query-over-time strip in words (the accessible page's
// tables): each row's strongest key and weight, in positions (a cell is a
// block of 2 here), masked cells (< 0) never chosen.
TEST(LabState, DescribesTheHeatmapAndTheStripRowByRow) {
  LabState st;
  RunView r;
  r.id = "a";
  r.image_side = 3;
  r.image_block = 2;
  r.image = {0.2f, 0.7f, -1.0f,  //
             -1.0f, -1.0f, -1.0f,  //
             0.9f, 0.05f, 0.05f};
  r.rows_n = 3;
  r.rows_query = 5;
  r.row_steps = {0, 10};
  r.rows = {0.5f, 0.3f, 0.2f,  //
            -1.0f, 0.4f, 0.6f};
  st.runs.push_back(r);
  const nlohmann::json j = st.to_json()["runs"][0];
  const nlohmann::json& hm = j["heatmap_rows"];
  ASSERT_EQ(hm["rows"].size(), 3u);
  EXPECT_EQ(hm["rows"][0]["query"], 0);
  EXPECT_EQ(hm["rows"][0]["peak_key"], 2);  // cell 1 of block 2
  EXPECT_FLOAT_EQ(hm["rows"][0]["peak"].get<float>(), 0.7f);
  EXPECT_TRUE(hm["rows"][1]["peak_key"].is_null());  // nothing scored
  EXPECT_EQ(hm["rows"][2]["query"], 4);
  EXPECT_EQ(hm["rows"][2]["peak_key"], 0);
  EXPECT_EQ(hm["top_query"], 4);
  EXPECT_EQ(hm["top_key"], 0);
  const nlohmann::json& ot = j["rows_over_time"];
  EXPECT_EQ(ot["query"], 5);
  ASSERT_EQ(ot["steps"].size(), 2u);
  EXPECT_EQ(ot["steps"][0]["peak_key"], 0);
  EXPECT_EQ(ot["steps"][1]["step"], 10);
  EXPECT_EQ(ot["steps"][1]["peak_key"], 2);
  EXPECT_FLOAT_EQ(ot["steps"][1]["peak"].get<float>(), 0.6f);
}

}  // namespace
}  // namespace attnlab
