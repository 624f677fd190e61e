// Every exercise's experiment, run for real through the app (a short
// version: a few training steps), and then every {/pointer} template in its
// texts must resolve to a value that run produced, and every numeric answer
// must equal what the experiment computes (its answer_from). The shipped
// exercises and the README's example file both.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "app_testing.h"
#include "core/course/exercises.h"
#include "core/lab/presets.h"

namespace attnlab {
namespace {

using testing::ImGuiContextScope;
using testing::InProcessLink;
using testing::MemoryHost;

// A few steps instead of hundreds: the presets' own experiments, shortened
// (so their lessons are still judged), measured at three log points.
void shorten(nlohmann::json* cmd) {
  const std::string name = cmd->value("cmd", std::string());
  if (name == "load") {
    const Preset* p = preset_of_scenario((*cmd)["scenario"]);
    if (p) *cmd = {{"cmd", "load"}, {"preset", p->id}, {"steps", 6}};
    else (*cmd)["scenario"]["config"]["train"]["steps"] = 6, (*cmd)["scenario"]["config"]["train"]["log_every"] = 3;
  }
  if (name == "speed") (*cmd)["steps_per_second"] = 0;
  if (name == "job.start") {
    cmd->erase("spec");
    (*cmd)["steps"] = 4;
  }
}

struct AppUnderTest {
  ImGuiContextScope imgui;
  MemoryHost host;
  InProcessLink* link = nullptr;
  App app{&host, [this](LabLink::ReplyHandler r, LabLink::SnapshotHandler s) {
            auto l = std::make_unique<InProcessLink>(std::move(r), std::move(s));
            l->rewrite = shorten;
            link = l.get();
            return l;
          }};

  nlohmann::json command(const nlohmann::json& c) { return app.command(c); }
  // Runs an exercise's experiment to the end, as the student's "Run the experiment" does.
  void run(const std::string& id) {
    const nlohmann::json reply = command({{"cmd", "exercises.run"}, {"id", id}});
    ASSERT_TRUE(reply.value("ok", false)) << id << ": " << reply.dump();
    link->run_until_idle();
    app.update();  // the results book takes what the runs measured
  }
};

std::vector<std::string> texts_of(const Exercise& e) {
  std::vector<std::string> t = {e.question, e.explanation, e.measured, e.course_vs_lab};
  for (const ExerciseChoice& c : e.choices) t.push_back(c.text), t.push_back(c.feedback);
  return t;
}

// Runs each exercise's experiment and checks its texts and its answer.
void check_exercises(AppUnderTest* t, const std::vector<Exercise>& exercises, int* templates, int* answers) {
  for (const Exercise& e : exercises) {
    SCOPED_TRACE("exercise " + e.id);
    if (e.experiment.is_object()) t->run(e.id);
    const nlohmann::json state = t->app.state();
    for (const std::string& text : texts_of(e)) {
      const std::vector<ExerciseTemplate> ts = templates_in(text);
      *templates += static_cast<int>(ts.size());
      for (const ExerciseTemplate& tp : ts) {
        bool missing = false;
        const std::string value = fill_template("{" + tp.pointer + "}", state, &missing);
        EXPECT_FALSE(missing) << tp.pointer << " is not in the state after the experiment ran";
        if (!missing) {
          const nlohmann::json& v = state[nlohmann::json::json_pointer(tp.pointer)];
          EXPECT_TRUE(v.is_number() || (v.is_string() && !v.get<std::string>().empty())) << tp.pointer << " = " << v.dump();
        }
      }
      bool missing = false;
      const std::string filled = fill_template(text, state, &missing);
      EXPECT_FALSE(missing) << filled;
    }
    if (e.kind == "number") {
      ASSERT_FALSE(e.answer_from.empty()) << "a numeric answer names where its experiment computes it";
      ++*answers;
      const nlohmann::json& v = state[nlohmann::json::json_pointer(e.answer_from)];
      ASSERT_TRUE(v.is_number()) << e.answer_from << " = " << v.dump();
      EXPECT_NEAR(v.get<double>(), e.answer, e.tolerance + 1e-12) << e.answer_from;
      // And the feedback quotes it.
      t->command({{"cmd", "exercises.answer"}, {"id", e.id}, {"answer", e.answer}});
      const std::string computed = t->app.state()["exercises"]["feedback"]["computed"];
      EXPECT_NE(computed.find("The lab computes"), std::string::npos) << computed;
    }
  }
}

TEST(ExerciseRuns, EveryShippedTemplateResolvesToWhatItsExperimentMeasured) {
  AppUnderTest t;
  std::vector<std::string> errors;
  const ExerciseSet set = parse_exercises(builtin_exercises_json(), &errors);
  ASSERT_TRUE(errors.empty());
  int templates = 0, answers = 0;
  check_exercises(&t, set.exercises, &templates, &answers);
  EXPECT_GE(templates, 30);
  EXPECT_GE(answers, 1);
}

TEST(ExerciseRuns, TheReadmeExampleFileLoadsAndItsAnswersHold) {
  std::ifstream in(ATTNLAB_SOURCE_DIR "/README.md");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string readme = ss.str();
  const size_t section = readme.find("## Writing an exercise file");
  ASSERT_NE(section, std::string::npos);
  const size_t open = readme.find("```json\n", section), close = readme.find("\n```", open + 8);
  ASSERT_NE(open, std::string::npos);
  const std::string file = readme.substr(open + 8, close - open - 8);
  std::vector<std::string> errors;
  const ExerciseSet set = parse_exercises(file, &errors);
  ASSERT_TRUE(errors.empty()) << errors[0];
  AppUnderTest t;
  ASSERT_TRUE(t.command({{"cmd", "exercises.load_text"}, {"text", file}, {"name", "README"}}).value("ok", false));
  int templates = 0, answers = 0;
  check_exercises(&t, set.exercises, &templates, &answers);
  EXPECT_GE(templates, 2);
  EXPECT_EQ(answers, 1);
}

}  // namespace
}  // namespace attnlab
