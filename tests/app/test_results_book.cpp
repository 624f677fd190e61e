// The book of what the student's runs measured (app/lab/results_book.h): it
// keeps the engine's records under the engine's keys, only for the scenario
// on screen, saves at most every few seconds, and survives damaged storage.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/lab/results_book.h"
#include "app_testing.h"

namespace attnlab {
namespace {

using testing::MemoryHost;

LabState state_with_run(const std::string& scenario, int points, double accuracy) {
  LabState st;
  st.scenario = scenario;
  RunView r;
  r.id = "a";
  r.history.resize(points);
  r.record = {{"step", 10 * (points - 1)}, {"accuracy", accuracy}};
  st.runs.push_back(r);
  st.loaded = true;
  return st;
}

TEST(ResultsBook, RecordsTheRunsOfThePresetOnScreen) {
  ResultsBook book;
  book.record_training("window-misses-introduction", state_with_run("peaky-attention", 2, 0.5));
  EXPECT_TRUE(book.json().empty()) << "another scenario's snapshot is not this preset's result";
  book.record_training("window-misses-introduction", state_with_run("window-misses-introduction", 2, 0.5));
  EXPECT_EQ(book.json()["window-misses-introduction"]["a"]["accuracy"], 0.5);
  // A new record is taken only with a new measurement.
  book.record_training("window-misses-introduction", state_with_run("window-misses-introduction", 2, 0.9));
  EXPECT_EQ(book.json()["window-misses-introduction"]["a"]["accuracy"], 0.5);
  book.record_training("window-misses-introduction", state_with_run("window-misses-introduction", 3, 0.9));
  EXPECT_EQ(book.json()["window-misses-introduction"]["a"]["accuracy"], 0.9);
}

TEST(ResultsBook, KeepsJobResultsUnderTheEngineKeys) {
  ResultsBook book;
  book.record_job_result("memory-capacity", {{"key", "g1_k4"}, {"record", {{"accuracy", 0.7}}}, {"final", {}}});
  book.record_job_result("memory-capacity", {{"record", {{"accuracy", 0.1}}}});   // no key
  book.record_job_result("memory-capacity", {{"key", "g4_k4"}, {"record", 3}});  // not a record
  book.record_job_result("", {{"key", "g1_k4"}, {"record", {{"accuracy", 0.2}}}});
  EXPECT_EQ(book.json(), (nlohmann::json{{"memory-capacity", {{"g1_k4", {{"accuracy", 0.7}}}}}}));
}

TEST(ResultsBook, SavesWhenChangedAtMostEveryThreeSeconds) {
  MemoryHost host;
  ResultsBook book;
  book.save_if_due(host, 100.0);
  EXPECT_EQ(host.storage_writes, 0) << "nothing changed";
  book.record_job_result("memory-cost", {{"key", "g0"}, {"record", {{"pairs", 1}}}});
  book.save_if_due(host, 100.0);
  EXPECT_EQ(host.storage_writes, 1);
  book.record_job_result("memory-cost", {{"key", "g4"}, {"record", {{"pairs", 2}}}});
  book.save_if_due(host, 101.0);
  EXPECT_EQ(host.storage_writes, 1) << "too soon";
  book.save_if_due(host, 103.5);
  EXPECT_EQ(host.storage_writes, 2);
  // A second book reads it back.
  ResultsBook again;
  again.load(host);
  EXPECT_EQ(again.json(), book.json());
  again.clear(host);
  EXPECT_TRUE(again.json().empty());
  ResultsBook cleared;
  cleared.load(host);
  EXPECT_TRUE(cleared.json().empty());
}

TEST(ResultsBook, DamagedStorageStartsEmpty) {
  for (const char* saved : {"", "{not json", "[1, 2]", "\"text\"", "null"}) {
    MemoryHost host;
    host.storage["attnlab.results.v1"] = saved;
    ResultsBook book;
    book.load(host);
    EXPECT_TRUE(book.json().is_object()) << saved;
    EXPECT_TRUE(book.json().empty()) << saved;
  }
}

}  // namespace
}  // namespace attnlab
