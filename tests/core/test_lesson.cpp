// Lessons (core/lab/lesson.h): the judgement on hand-made measurements, the
// checks of a lesson's form, and every shipped preset's lesson naming
// measures and results its experiment really produces.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "core/lab/lesson.h"
#include "core/lab/presets.h"
#include "core/lab/session.h"

namespace attnlab {
namespace {

using json = nlohmann::json;

json term(const char* run, const char* measure) { return {{"run", run}, {"measure", measure}}; }

LessonRun run_of(std::vector<std::pair<int, double>> accuracy, bool done) {
  LessonRun r;
  for (auto [step, a] : accuracy) r.points.push_back({{"step", step}, {"accuracy", a}});
  r.done = done;
  return r;
}

const json kLesson = {{"says", "B learns and A does not"},
                      {"claims", {{{"left", term("b", "accuracy")}, {"op", ">="}, {"right", {{"value", 0.95}}}},
                                  {{"left", term("a", "accuracy")}, {"op", "<="}, {"right", {{"value", 0.2}}}}}}};

TEST(Lesson, HeldNotHeldAndNotYet) {
  LessonData d;
  d.runs["a"] = run_of({{0, 0.06}, {100, 0.05}}, false);
  d.runs["b"] = run_of({{0, 0.06}, {100, 0.99}}, false);
  LessonVerdict v = evaluate_lesson(kLesson, d);
  EXPECT_EQ(v.status, "not yet");  // judged at the end
  EXPECT_NE(v.text.find("A to finish"), std::string::npos) << v.text;
  d.runs["a"].done = d.runs["b"].done = true;
  v = evaluate_lesson(kLesson, d);
  EXPECT_EQ(v.status, "held");
  EXPECT_NE(v.text.find("B learns and A does not"), std::string::npos) << v.text;
  EXPECT_EQ(v.values[0]["left"], 0.99);
  EXPECT_EQ(v.values[1]["held"], true);
  d.runs["a"].points.back()["accuracy"] = 0.5;
  v = evaluate_lesson(kLesson, d);
  EXPECT_EQ(v.status, "not held");
  EXPECT_NE(v.text.find("0.5"), std::string::npos) << v.text;   // the number that failed
  EXPECT_EQ(v.values[1]["held"], false);
  d.intervened = true;
  EXPECT_NE(evaluate_lesson(kLesson, d).text.find("interventions"), std::string::npos);
}

TEST(Lesson, WindowsTimesAndPlus) {
  const json lesson = {{"says", "B is calmer than A"},
                       {"claims", {{{"left", {{"run", "b"}, {"measure", "drift"}, {"steps", {100, 200}}}},
                                    {"op", "<="},
                                    {"right", {{"run", "a"}, {"measure", "drift"}, {"steps", {100, 200}}}},
                                    {"times", 0.5},
                                    {"plus", 0.01}}}}};
  EXPECT_TRUE(lesson_problems(lesson).empty());
  LessonData d;
  d.runs["a"].points = {{{"step", 50}, {"drift", 9.0}}, {{"step", 100}, {"drift", 0.4}}, {{"step", 150}, {"drift", 0.2}}};
  d.runs["b"].points = {{{"step", 100}, {"drift", 0.1}}, {{"step", 150}, {"drift", 0.1}}};
  EXPECT_EQ(evaluate_lesson(lesson, d).status, "not yet");  // step 200 not measured yet
  d.runs["a"].points.push_back({{"step", 200}, {"drift", 0.3}});
  d.runs["b"].points.push_back({{"step", 200}, {"drift", 0.16}});
  const LessonVerdict v = evaluate_lesson(lesson, d);
  EXPECT_DOUBLE_EQ(v.values[0]["left"].get<double>(), 0.12);           // mean of 0.1, 0.1, 0.16
  EXPECT_DOUBLE_EQ(v.values[0]["right"].get<double>(), 0.3 * 0.5 + 0.01);  // mean of 0.4, 0.2, 0.3; step 50 is outside
  EXPECT_EQ(v.status, "held");
}

// A claim at step 0 waits for the measurement before training, and says so
// (not "to reach step 0", which reads as if something had to happen first).
TEST(Lesson, AClaimAtStepZeroWaitsForTheFirstMeasurement) {
  const json lesson = {{"says", "B costs about what A costs"},
                       {"claims", {{{"left", {{"run", "b"}, {"measure", "pairs"}, {"steps", {0, 0}}}},
                                    {"op", "<="},
                                    {"right", {{"run", "a"}, {"measure", "pairs"}, {"steps", {0, 0}}}},
                                    {"times", 1.1}}}}};
  LessonData d;
  d.runs["a"], d.runs["b"];
  LessonVerdict v = evaluate_lesson(lesson, d);
  EXPECT_EQ(v.status, "not yet");
  EXPECT_NE(v.text.find("B's first measurement"), std::string::npos) << v.text;
  EXPECT_EQ(v.text.find("reach step 0"), std::string::npos) << v.text;
  d.runs["a"].points = {{{"step", 0}, {"pairs", 100.0}}};
  d.runs["b"].points = {{{"step", 0}, {"pairs", 105.0}}};
  EXPECT_EQ(evaluate_lesson(lesson, d).status, "held");
}

// A best so far is judged held the moment it holds (it can only grow), and
// not held only once the run ends without it.
TEST(Lesson, ABestSoFarIsHeldAsSoonAsItHolds) {
  const json lesson = {{"says", "B learns"},
                       {"claims", {{{"left", {{"run", "b"}, {"measure", "accuracy"}, {"best", true}}},
                                    {"op", ">="}, {"right", {{"value", 0.95}}}}}}};
  EXPECT_TRUE(lesson_problems(lesson).empty());
  LessonData d;
  d.runs["b"] = run_of({{0, 0.06}, {100, 0.5}}, false);
  d.runs["b"].step = 100;
  d.runs["b"].steps = 1200;
  LessonVerdict v = evaluate_lesson(lesson, d);
  EXPECT_EQ(v.status, "not yet");
  EXPECT_NE(v.text.find("B to reach it or finish (best so far 0.5, step 100 of 1200)"), std::string::npos) << v.text;
  d.runs["b"].points.push_back({{"step", 200}, {"accuracy", 0.97}});
  d.runs["b"].points.push_back({{"step", 300}, {"accuracy", 0.9}});  // a dip after: the best stays
  v = evaluate_lesson(lesson, d);
  EXPECT_EQ(v.status, "held");
  EXPECT_EQ(v.values[0]["left"], 0.97);
  d.runs["b"] = run_of({{0, 0.06}, {1200, 0.5}}, true);
  EXPECT_EQ(evaluate_lesson(lesson, d).status, "not held");
  json wrong = lesson;
  wrong["claims"][0]["op"] = "<=";  // a best can only grow: "<=" could not be decided early
  EXPECT_EQ(lesson_problems(wrong), std::vector<std::string>{"lesson.claims[1].left: best: only with >= or >"});
}

TEST(Lesson, JobResultsAndMissingOnes) {
  const json lesson = {{"says", "one token holds less than sixteen"},
                       {"claims", {{{"left", {{"result", "g16_k4"}, {"measure", "accuracy"}}}, {"op", ">="},
                                    {"right", {{"result", "g1_k4"}, {"measure", "accuracy"}}}, {"plus", 0.3}}}}};
  LessonData d;
  d.results["g1_k4"] = {{"accuracy", 0.3}};
  EXPECT_EQ(evaluate_lesson(lesson, d).status, "not yet");
  EXPECT_EQ(evaluate_lesson(lesson, d).text, "Not judged yet: waiting for point g16_k4.");
  d.job_done = true;
  EXPECT_EQ(evaluate_lesson(lesson, d).status, "not held");  // the job finished without that point
  d.results["g16_k4"] = {{"accuracy", 0.98}};
  EXPECT_EQ(evaluate_lesson(lesson, d).status, "held");
  d.results["g16_k4"] = {{"error", "diverged"}};
  EXPECT_EQ(evaluate_lesson(lesson, d).status, "not held");
}

TEST(Lesson, BadLessonsAreNamed) {
  EXPECT_FALSE(lesson_problems(json::array()).empty());
  json bad = kLesson;
  bad["claims"][0]["op"] = "==";
  bad["claims"][1]["left"]["run"] = "c";
  const auto problems = lesson_problems(bad);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0], "lesson.claims[1].op: must be >=, <=, > or <");
  EXPECT_EQ(problems[1], "lesson.claims[2].left: run: must be \"a\" or \"b\"");
}

// Every shipped preset states a well-formed lesson, and every measure and
// result it names exists in what its experiment produces (a short run).
TEST(Lesson, EveryPresetsLessonNamesWhatItsExperimentMeasures) {
  for (const Preset& p : presets()) {
    SCOPED_TRACE(p.id);
    ASSERT_TRUE(p.lesson.is_object());
    EXPECT_TRUE(lesson_problems(p.lesson).empty()) << lesson_problems(p.lesson)[0];
    LabSession lab;
    const bool training = p.view == "training";
    json reply = lab.command({{"cmd", training ? "load" : "job.start"}, {"preset", p.id}, {"steps", 2}});
    ASSERT_TRUE(reply.value("ok", false)) << reply.dump();
    if (training) lab.command({{"cmd", "play"}});
    while (lab.busy()) lab.tick(1e9, +[] { return 0.0; });
    lab.tick(1e9, +[] { return 0.0; });
    const Snapshot s = lab.snapshot();
    const json verdict = training ? s.json.value("lesson", json()) : s.json["job"].value("lesson", json());
    ASSERT_TRUE(verdict.is_object()) << s.json.dump().substr(0, 400);
    EXPECT_NE(verdict["status"], "not yet") << verdict.dump();
    std::set<std::string> measures;
    if (training) {
      for (const json& r : s.json["runs"])
        for (auto it = r["record"].begin(); it != r["record"].end(); ++it) measures.insert(it.key());
    }
    for (const json& c : p.lesson["claims"])
      for (const char* side : {"left", "right"}) {
        const json& t = c[side];
        if (t.contains("value")) continue;
        if (training) {
          EXPECT_TRUE(measures.count(t["measure"].get<std::string>())) << "no measure " << t["measure"];
        } else {
          // A job's claims are judged with numbers once it is done: a missing key or measure has none.
          bool judged = false;
          for (const json& v : verdict["values"]) judged |= v.contains("left") && v.contains("right");
          EXPECT_TRUE(judged) << verdict.dump();
        }
      }
    if (!training) {
      for (const json& v : verdict["values"])
        EXPECT_TRUE(v.contains("left") && v.contains("right")) << p.id << ": " << v.dump();
    }
  }
}

}  // namespace
}  // namespace attnlab
