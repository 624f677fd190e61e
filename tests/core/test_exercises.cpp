// Course exercises: the shipped file, the one schema's per-entry errors, answer
// checking, and the measured-number templates (hostile formats included).
#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/course/exercises.h"
#include "core/lab/presets.h"
#include "core/patterns/pattern_explorer.h"
#include "core/sandbox/sandbox.h"
#include "core/share/shared_state.h"

namespace attnlab {
namespace {

using json = nlohmann::json;

std::string all_of(const std::vector<std::string>& errors) {
  std::string s;
  for (const std::string& e : errors) s += "\n  " + e;
  return s;
}

ExerciseSet builtin() {
  std::vector<std::string> errors;
  ExerciseSet set = parse_exercises(builtin_exercises_json(), &errors);
  EXPECT_TRUE(errors.empty()) << all_of(errors);
  return set;
}

// Every text of an exercise that may hold {/pointer|format} templates.
std::vector<std::string> texts_of(const Exercise& e) {
  std::vector<std::string> t = {e.title, e.question, e.explanation, e.measured, e.course_vs_lab, e.model_answer};
  for (const ExerciseChoice& c : e.choices) {
    t.push_back(c.text);
    t.push_back(c.feedback);
  }
  return t;
}

// The message for a field of an entry, as parse_exercises words its prefix.
bool has_error(const std::vector<std::string>& errors, const std::string& prefix) {
  for (const std::string& e : errors)
    if (e.compare(0, prefix.size(), prefix) == 0) return true;
  return false;
}

json choice_entry(const std::string& id) {
  return {{"id", id},
          {"title", "A title"},
          {"question", "Which?"},
          {"kind", "choice"},
          {"choices", {{{"id", "a"}, {"text", "A"}, {"correct", true}, {"feedback", "yes"}},
                       {{"id", "b"}, {"text", "B"}, {"feedback", "no"}}}}};
}

// %[width][.precision](f|e|g), at most two digits each: a format the test may pass to snprintf.
bool plain_format(const std::string& f) {
  size_t i = 1, digits = 0;
  if (f.size() < 2 || f[0] != '%') return false;
  while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i]))) ++i, ++digits;
  if (digits > 2) return false;
  if (i < f.size() && f[i] == '.') {
    digits = 0;
    for (++i; i < f.size() && std::isdigit(static_cast<unsigned char>(f[i])); ++i) ++digits;
    if (digits > 2) return false;
  }
  return i + 1 == f.size() && (f[i] == 'f' || f[i] == 'e' || f[i] == 'g');
}

std::string fmt(const char* format, double v) {
  char buf[512];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

// --- the shipped exercises ---------------------------------------------------

TEST(ExercisesBuiltin, ParseWithoutErrorsWithUniqueIds) {
  std::vector<std::string> errors;
  const ExerciseSet set = parse_exercises(builtin_exercises_json(), &errors);
  EXPECT_TRUE(errors.empty()) << all_of(errors);
  EXPECT_FALSE(set.title.empty());
  EXPECT_GE(set.exercises.size(), 6u);
  std::set<std::string> ids;
  for (const Exercise& e : set.exercises) {
    EXPECT_TRUE(ids.insert(e.id).second) << "duplicate id " << e.id;
    EXPECT_FALSE(e.title.empty()) << e.id;
    EXPECT_FALSE(e.question.empty()) << e.id;
  }
}

TEST(ExercisesBuiltin, ExperimentsNameExistingPresetsOfTheirViewAndValidSettings) {
  int with_experiment = 0;
  for (const Exercise& e : builtin().exercises) {
    if (e.experiment.is_null()) continue;
    ++with_experiment;
    const std::string view = e.experiment.at("view");
    if (e.experiment.contains("preset")) {
      const Preset* p = find_preset(e.experiment["preset"].get<std::string>());
      ASSERT_NE(p, nullptr) << e.id << ": preset " << e.experiment["preset"];
      EXPECT_EQ(p->view, view) << e.id;
    }
    if (e.experiment.contains("sandbox")) {
      EXPECT_EQ(view, "sandbox") << e.id;
      SandboxConfig c = sandbox_default();
      std::vector<std::string> errors;
      sandbox_update_from_json(&c, e.experiment["sandbox"], &errors);
      EXPECT_TRUE(errors.empty()) << e.id << all_of(errors);
    }
    if (e.experiment.contains("patterns")) {
      EXPECT_EQ(view, "patterns") << e.id;
      PatternSettings s;
      std::vector<std::string> errors;
      pattern_update_from_json(&s, e.experiment["patterns"], &errors);
      EXPECT_TRUE(errors.empty()) << e.id << all_of(errors);
    }
    if (e.experiment.contains("scenario")) {
      EXPECT_EQ(view, "training") << e.id;
      std::vector<std::string> errors;
      EXPECT_TRUE(validate_scenario(e.experiment["scenario"], &errors)) << e.id << all_of(errors);
    }
  }
  EXPECT_GE(with_experiment, 6);
}

TEST(ExercisesBuiltin, AnswersAreCheckable) {
  for (const Exercise& e : builtin().exercises) {
    if (e.kind == "choice") {
      int correct = 0;
      for (const ExerciseChoice& c : e.choices) {
        const ExerciseVerdict v = check_answer(e, c.id);
        EXPECT_TRUE(v.valid) << e.id << "/" << c.id;
        EXPECT_EQ(v.correct, c.correct) << e.id << "/" << c.id;
        EXPECT_FALSE(c.feedback.empty()) << e.id << "/" << c.id << " has no feedback";
        correct += c.correct;
      }
      EXPECT_GE(correct, 1) << e.id;
      EXPECT_LT(correct, static_cast<int>(e.choices.size())) << e.id << ": every choice is correct";
    } else if (e.kind == "number") {
      // Its value is checked against the experiment's own computation in tests/app.
      EXPECT_FALSE(e.answer_from.empty()) << e.id << ": a numeric answer names where its experiment computes it";
      EXPECT_TRUE(check_answer(e, fmt("%.17g", e.answer)).correct) << e.id;
      EXPECT_FALSE(check_answer(e, fmt("%.17g", e.answer + 2 * e.tolerance + 1)).correct) << e.id;
    } else {
      EXPECT_EQ(e.kind, "text") << e.id;
      if (!e.model_answer.empty()) { EXPECT_TRUE(check_answer(e, e.model_answer).correct) << e.id; }
    }
  }
}

// Whether each template resolves to what its experiment measures is checked
// by running the experiments (tests/app/test_exercise_runs.cpp); here, only
// that every template is well formed and reads "(not measured yet)" before.
TEST(ExercisesBuiltin, TemplatesAreWellFormedAndSayNotMeasuredYetBeforeTheRun) {
  int count = 0;
  for (const Exercise& e : builtin().exercises) {
    for (const std::string& text : texts_of(e)) {
      const std::vector<ExerciseTemplate> ts = templates_in(text);
      if (ts.empty()) continue;
      for (const ExerciseTemplate& t : ts) {
        ++count;
        EXPECT_NE(t.format, "(unterminated)") << e.id << ": " << t.pointer;
        if (!t.format.empty()) {
          EXPECT_TRUE(plain_format(t.format)) << e.id << ": " << t.format;
        }
      }
      bool missing = false;
      EXPECT_NE(fill_template(text, json::object(), &missing).find("(not measured yet)"), std::string::npos);
      EXPECT_TRUE(missing);
    }
  }
  EXPECT_GE(count, 20);
}

// --- the schema's errors ---------------------------------------------------------

TEST(ExercisesSchema, MixedFileLoadsTheGoodEntriesAndNamesEachBadOne) {
  json list = json::array();
  list.push_back(choice_entry("good-choice"));                                  // 1
  json e = choice_entry("types");                                               // 2: wrong types
  e["title"] = 5;
  e["question"] = json::array({"x"});
  list.push_back(e);
  e = choice_entry("no-question");                                              // 3
  e.erase("question");
  list.push_back(e);
  e = choice_entry("essay");                                                    // 4: unknown kind
  e["kind"] = "essay";
  list.push_back(e);
  list.push_back(choice_entry("good-choice"));                                  // 5: duplicate id
  e = choice_entry("bad-choice");                                               // 6
  e["choices"][1]["id"] = "B C";
  list.push_back(e);
  e = choice_entry("none-correct");                                             // 7
  e["choices"][0].erase("correct");
  list.push_back(e);
  list.push_back(json{{"id", "good-number"}, {"title", "T"}, {"question", "How many?"}, {"kind", "number"},
                      {"answer", 16}, {"tolerance", 0.5}, {"unit", "layers"}});  // 8
  list.push_back(json{{"id", "string-answer"}, {"title", "T"}, {"question", "Q"}, {"kind", "number"},
                      {"answer", "16"}});                                        // 9
  e = choice_entry("too-long");                                                 // 10
  e["question"] = std::string(4001, 'q');
  list.push_back(e);
  e = choice_entry("unknown-field");                                            // 11
  e["experiment"] = {{"view", "training"}, {"preset", "peaky-attention"}, {"seeds", 3}};
  list.push_back(e);
  e = choice_entry("bad-view");                                                 // 12
  e["experiment"] = {{"view", "lecture"}};
  list.push_back(e);
  list.push_back(42);                                                           // 13
  e = choice_entry("Bad Id");                                                   // 14
  list.push_back(e);
  list.push_back(json{{"id", "good-text"}, {"title", "T"}, {"question", "Why?"}, {"kind", "text"},
                      {"keywords", {"denominator"}}, {"model_answer", "The denominator."}});  // 15
  list.push_back(json{{"id", "negative-tolerance"}, {"title", "T"}, {"question", "Q"}, {"kind", "number"},
                      {"answer", 1}, {"tolerance", -1}});                        // 16
  list.push_back(json{{"id", "bad-keywords"}, {"title", "T"}, {"question", "Q"}, {"kind", "text"},
                      {"keywords", {"ok", 3}}});                                 // 17
  e = choice_entry("one-choice");                                               // 18
  e["choices"].erase(1);
  list.push_back(e);
  e = choice_entry("experiment-string");                                        // 19
  e["experiment"] = "training";
  list.push_back(e);
  e = choice_entry("choice-correct-type");                                      // 20
  e["choices"][0]["correct"] = "yes";
  list.push_back(e);

  std::vector<std::string> errors;
  const ExerciseSet set = parse_exercises(json{{"title", "Mixed"}, {"exercises", list}}.dump(), &errors);
  ASSERT_EQ(set.exercises.size(), 3u) << all_of(errors);
  EXPECT_EQ(set.exercises[0].id, "good-choice");
  EXPECT_EQ(set.exercises[1].id, "good-number");
  EXPECT_EQ(set.exercises[1].answer, 16);
  EXPECT_EQ(set.exercises[1].tolerance, 0.5);
  EXPECT_EQ(set.exercises[1].unit, "layers");
  EXPECT_EQ(set.exercises[2].id, "good-text");
  EXPECT_EQ(set.exercises[2].keywords, std::vector<std::string>{"denominator"});
  EXPECT_EQ(set.title, "Mixed");

  const char* const expected[] = {
      "exercise 2 (\"types\"): title: must be text",
      "exercise 2 (\"types\"): question: must be text",
      "exercise 3 (\"no-question\"): question: is missing",
      "exercise 4 (\"essay\"): kind: must be choice, number or text",
      "exercise 5 (\"good-choice\"): id: is used by an earlier exercise",
      "exercise 6 (\"bad-choice\"): choices[2]: id:",
      "exercise 7 (\"none-correct\"): choices: no choice is marked",
      "exercise 9 (\"string-answer\"): answer: must be a finite number",
      "exercise 10 (\"too-long\"): question: is too long (4001 characters",
      "exercise 11 (\"unknown-field\"): experiment.seeds: unknown field",
      "exercise 12 (\"bad-view\"): experiment.view: must be one of",
      "exercise 13: entry: must be an object",
      "exercise 14 (\"Bad Id\"): id: may only use",
      "exercise 16 (\"negative-tolerance\"): tolerance: must be a number >= 0",
      "exercise 17 (\"bad-keywords\"): keywords:",
      "exercise 18 (\"one-choice\"): choices: must be a list of 2 to 8",
      "exercise 19 (\"experiment-string\"): experiment: must be an object",
      "exercise 20 (\"choice-correct-type\"): choices[1]: correct: must be true or false",
  };
  for (const char* prefix : expected) EXPECT_TRUE(has_error(errors, prefix)) << prefix << all_of(errors);
  // Nothing about the good entries.
  for (const std::string& m : errors) {
    EXPECT_EQ(m.find("exercise 1 "), std::string::npos) << m;
    EXPECT_EQ(m.find("exercise 8 "), std::string::npos) << m;
    EXPECT_EQ(m.find("exercise 15 "), std::string::npos) << m;
  }
}

TEST(ExercisesSchema, EveryProblemOfAnEntryIsReported) {
  // An unknown kind and a choice list without a correct choice are reported
  // even when another field of the same entry is also wrong.
  json a = choice_entry("two-problems");
  a["kind"] = "essay";
  a.erase("title");
  json b = choice_entry("also-two");
  b["choices"][0]["correct"] = false;
  b["title"] = 3;
  std::vector<std::string> errors;
  const ExerciseSet set = parse_exercises(json{{"exercises", {a, b}}}.dump(), &errors);
  EXPECT_TRUE(set.exercises.empty());
  EXPECT_TRUE(has_error(errors, "exercise 1 (\"two-problems\"): title: is missing")) << all_of(errors);
  EXPECT_TRUE(has_error(errors, "exercise 1 (\"two-problems\"): kind: must be choice")) << all_of(errors);
  EXPECT_TRUE(has_error(errors, "exercise 2 (\"also-two\"): title: must be text")) << all_of(errors);
  EXPECT_TRUE(has_error(errors, "exercise 2 (\"also-two\"): choices: no choice is marked")) << all_of(errors);
}

TEST(ExercisesSchema, NonFiniteAnswerIsRefused) {
  // JSON has no infinity: the parser refuses 1e999, so the whole file is
  // reported (once) and nothing non-finite reaches an exercise.
  std::vector<std::string> errors;
  ExerciseSet set = parse_exercises(
      R"({"exercises": [{"id": "inf", "title": "T", "question": "Q", "kind": "number", "answer": 1e999},
                        {"id": "ok", "title": "T", "question": "Q", "kind": "number", "answer": 1}]})",
      &errors);
  EXPECT_TRUE(set.exercises.empty());
  ASSERT_EQ(errors.size(), 1u) << all_of(errors);
  EXPECT_EQ(errors[0].rfind("file: not valid JSON", 0), 0u) << errors[0];
  // The largest finite numbers are fine; a non-number answer is named.
  errors.clear();
  set = parse_exercises(
      R"({"exercises": [{"id": "big", "title": "T", "question": "Q", "kind": "number", "answer": 1.7e308, "tolerance": 1e308},
                        {"id": "text", "title": "T", "question": "Q", "kind": "number", "answer": "Infinity"},
                        {"id": "null", "title": "T", "question": "Q", "kind": "number", "answer": null}]})",
      &errors);
  ASSERT_EQ(set.exercises.size(), 1u) << all_of(errors);
  EXPECT_TRUE(check_answer(set.exercises[0], "1.7e308").correct);
  EXPECT_FALSE(check_answer(set.exercises[0], "1e999").valid);
  EXPECT_TRUE(has_error(errors, "exercise 2 (\"text\"): answer: must be a finite number")) << all_of(errors);
  EXPECT_TRUE(has_error(errors, "exercise 3 (\"null\"): answer: must be a finite number")) << all_of(errors);
}

TEST(ExercisesSchema, FileLevelProblemsGiveOneClearErrorAndNeverThrow) {
  const std::string huge = "{\"exercises\": [], \"pad\": \"" + std::string(1100000, 'x') + "\"}";
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "file: not valid JSON"},
      {"not json at all", "file: not valid JSON"},
      {"{\"exercises\": [", "file: not valid JSON"},
      {"[1, 2, 3]", "file: must be an object with an \"exercises\" list"},
      {"\"exercises\"", "file: must be an object with an \"exercises\" list"},
      {"{}", "file: must be an object with an \"exercises\" list"},
      {"{\"exercises\": {\"a\": 1}}", "file: must be an object with an \"exercises\" list"},
      {huge, "file: too large"},
      {deep, "file: "},
  };
  for (const auto& [text, message] : cases) {
    std::vector<std::string> errors;
    ExerciseSet set;
    EXPECT_NO_THROW(set = parse_exercises(text, &errors)) << text.substr(0, 40);
    EXPECT_TRUE(set.exercises.empty());
    ASSERT_EQ(errors.size(), 1u) << text.substr(0, 40) << all_of(errors);
    EXPECT_EQ(errors[0].rfind(message, 0), 0u) << errors[0];
    EXPECT_LT(errors[0].size(), 200u);
  }
  // An empty list is a valid (empty) course.
  std::vector<std::string> errors;
  EXPECT_TRUE(parse_exercises("{\"exercises\": []}", &errors).exercises.empty());
  EXPECT_TRUE(errors.empty());
}

TEST(ExercisesSchema, BadTitleIsReportedButTheExercisesLoad) {
  std::vector<std::string> errors;
  const ExerciseSet set = parse_exercises(json{{"title", std::string(201, 't')}, {"exercises", {choice_entry("a")}}}.dump(), &errors);
  EXPECT_EQ(set.exercises.size(), 1u);
  EXPECT_TRUE(set.title.empty());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("file: title:", 0), 0u) << errors[0];
}

TEST(ExercisesSchema, OnlyTheFirst200EntriesAreRead) {
  json list = json::array();
  for (int i = 0; i < 205; ++i) list.push_back(choice_entry("e" + std::to_string(i)));
  std::vector<std::string> errors;
  const ExerciseSet set = parse_exercises(json{{"exercises", list}}.dump(), &errors);
  EXPECT_EQ(set.exercises.size(), 200u);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("first 200"), std::string::npos) << errors[0];
}

TEST(ExercisesSchema, DeeplyNestedExperimentIsRefusedWithoutCrashing) {
  // Nesting deep enough to overflow a recursive copy or dump of the value.
  const std::string nested = std::string(300000, '[') + std::string(300000, ']');
  const std::string text = R"({"exercises": [{"id": "deep", "title": "T", "question": "Q", "kind": "text",
      "experiment": {"view": "training", "scenario": {"config": )" + nested + "}}}]}";
  std::vector<std::string> errors;
  const ExerciseSet set = parse_exercises(text, &errors);
  EXPECT_TRUE(set.exercises.empty());
  ASSERT_EQ(errors.size(), 1u) << all_of(errors);
  EXPECT_NE(errors[0].find("nested"), std::string::npos) << errors[0];
  // A normal depth still loads.
  errors.clear();
  const std::string ok = R"({"exercises": [{"id": "ok", "title": "T", "question": "Q", "kind": "text",
      "experiment": {"view": "training", "scenario": {"config": [[[[[[[[[[1]]]]]]]]]]}}}]})";
  EXPECT_EQ(parse_exercises(ok, &errors).exercises.size(), 1u) << all_of(errors);
}

// --- answers ---------------------------------------------------------------------

Exercise parse_one(const json& entry) {
  std::vector<std::string> errors;
  ExerciseSet set = parse_exercises(json{{"exercises", {entry}}}.dump(), &errors);
  EXPECT_TRUE(errors.empty()) << all_of(errors);
  EXPECT_EQ(set.exercises.size(), 1u);
  return set.exercises.empty() ? Exercise{} : set.exercises[0];
}

TEST(ExerciseAnswers, ChoiceRightWrongAndUnknown) {
  const Exercise e = parse_one(choice_entry("c"));
  ExerciseVerdict v = check_answer(e, "a");
  EXPECT_TRUE(v.valid);
  EXPECT_TRUE(v.correct);
  EXPECT_EQ(v.feedback, "yes");
  v = check_answer(e, "b");
  EXPECT_TRUE(v.valid);
  EXPECT_FALSE(v.correct);
  EXPECT_EQ(v.feedback, "no");
  for (const char* bad : {"c", "", "A", "a ", "B"}) {
    v = check_answer(e, bad);
    EXPECT_FALSE(v.valid) << bad;
    EXPECT_FALSE(v.correct) << bad;
    EXPECT_FALSE(v.feedback.empty()) << bad;
  }
}

TEST(ExerciseAnswers, NumberWithinToleranceAndUnreadableNumbers) {
  const Exercise e = parse_one({{"id", "n"}, {"title", "T"}, {"question", "Q"}, {"kind", "number"},
                                {"answer", 0.5}, {"tolerance", 0.05}, {"unit", "share"}});
  for (const char* right : {"0.5", "0.46", "0.549", ".5", "5e-1", "0.55"}) {
    const ExerciseVerdict v = check_answer(e, right);
    EXPECT_TRUE(v.valid) << right;
    EXPECT_TRUE(v.correct) << right;
  }
  for (const char* wrong : {"0.44", "0.56", "-0.5", "5", "1e300", "-1e300"}) {
    const ExerciseVerdict v = check_answer(e, wrong);
    EXPECT_TRUE(v.valid) << wrong;
    EXPECT_FALSE(v.correct) << wrong;
    EXPECT_NE(v.feedback.find("0.5 share"), std::string::npos) << v.feedback;
    EXPECT_NE(v.feedback.find("0.05"), std::string::npos) << v.feedback;
  }
  for (const char* unreadable : {"abc", "", "1e999", "-1e999", "nan", "NaN", "inf", "0.5abc", "0.5 0.6", "0,5"}) {
    const ExerciseVerdict v = check_answer(e, unreadable);
    EXPECT_FALSE(v.valid) << unreadable;
    EXPECT_FALSE(v.correct) << unreadable;
    EXPECT_EQ(v.feedback, "Enter a number.") << unreadable;
  }
}

TEST(ExerciseAnswers, NumberWithZeroTolerance) {
  const Exercise e = parse_one({{"id", "n"}, {"title", "T"}, {"question", "Q"}, {"kind", "number"}, {"answer", 16}});
  EXPECT_TRUE(check_answer(e, "16").correct);
  EXPECT_TRUE(check_answer(e, "16.0").correct);
  EXPECT_TRUE(check_answer(e, "1.6e1").correct);
  EXPECT_FALSE(check_answer(e, "15.999").correct);
  EXPECT_FALSE(check_answer(e, "17").correct);
}

TEST(ExerciseAnswers, TextKeywordsAnyCaseAndMissingOnesListed) {
  const Exercise e = parse_one({{"id", "t"}, {"title", "T"}, {"question", "Q"}, {"kind", "text"},
                                {"keywords", {"Denominator", "always"}}, {"model_answer", "Always in the denominator."}});
  ExerciseVerdict v = check_answer(e, "They are ALWAYS in the softmax's DENOMINATOR.");
  EXPECT_TRUE(v.valid);
  EXPECT_TRUE(v.correct);
  v = check_answer(e, "the denominator grows");
  EXPECT_TRUE(v.valid);
  EXPECT_FALSE(v.correct);
  EXPECT_NE(v.feedback.find("mentions: always."), std::string::npos) << v.feedback;
  EXPECT_EQ(v.feedback.find("Denominator,"), std::string::npos) << v.feedback;
  EXPECT_NE(v.feedback.find("A model answer: Always in the denominator."), std::string::npos) << v.feedback;
  v = check_answer(e, "no idea");
  EXPECT_FALSE(v.correct);
  EXPECT_NE(v.feedback.find("Denominator, always."), std::string::npos) << v.feedback;
  v = check_answer(e, "");
  EXPECT_FALSE(v.valid);
  EXPECT_FALSE(v.correct);
}

// --- templates -------------------------------------------------------------------

json sample_state() {
  return {{"results", {{"run", {{"accuracy", 0.12345}, {"pairs", 65536}, {"big", 1e300}, {"tiny", -2.5e-7},
                                {"label", "window 16"}, {"done", true}, {"failed", false}, {"none", nullptr},
                                {"obj", {{"x", 1}}}, {"list", {10, 20.5, "thirty"}}}}}},
          {"lab", {{"a/b", 1.5}, {"m~n", 2.5}, {"~0", 3.5}, {"~1", 4.5}, {"", 5.5}}}};
}

std::string fill(const std::string& text, bool* missing = nullptr) {
  return fill_template(text, sample_state(), missing);
}

TEST(ExerciseTemplates, NumbersWithFormats) {
  EXPECT_EQ(fill("acc {/results/run/accuracy|%.3f}."), "acc 0.123.");
  EXPECT_EQ(fill("{/results/run/accuracy}"), "0.123");  // default %.3g
  EXPECT_EQ(fill("{/results/run/accuracy|%.1e}"), "1.2e-01");
  EXPECT_EQ(fill("{/results/run/accuracy|%g}"), "0.12345");
  EXPECT_EQ(fill("{/results/run/pairs|%.0f} pairs"), "65536 pairs");
  EXPECT_EQ(fill("{/results/run/pairs|%8.1f}"), " 65536.0");
  EXPECT_EQ(fill("{/results/run/tiny|%.2e}"), "-2.50e-07");
  // A large number is printed whole, not cut off.
  EXPECT_EQ(fill("{/results/run/big|%.2f}"), fmt("%.2f", 1e300));
  EXPECT_EQ(fill("{/results/run/big|%99.99f}"), fmt("%99.99f", 1e300));
  bool missing = false;
  fill("{/results/run/accuracy|%.3f} and {/results/run/pairs}", &missing);
  EXPECT_FALSE(missing);
}

TEST(ExerciseTemplates, StringsBooleansArraysAndOtherValues) {
  EXPECT_EQ(fill("A: {/results/run/label}"), "A: window 16");
  EXPECT_EQ(fill("{/results/run/done} {/results/run/failed}"), "yes no");
  EXPECT_EQ(fill("{/results/run/list/0|%.0f} {/results/run/list/1|%.1f} {/results/run/list/2}"), "10 20.5 thirty");
  // RFC 6901: an array index has no leading zero (found by fuzz_exercises).
  bool missing = false;
  EXPECT_EQ(fill("{/results/run/list/01}", &missing), "(not measured yet)");
  EXPECT_TRUE(missing);
  EXPECT_EQ(fill("{/results/run/list/00}"), "(not measured yet)");
  EXPECT_EQ(fill("{/results/run/obj}"), "(not a single value)");
  EXPECT_EQ(fill("{/results/run/list}"), "(not a single value)");
  json state = {{"s", std::string(900, 'z')}};
  EXPECT_EQ(fill_template("{/s}", state, nullptr), std::string(600, 'z'));  // long strings are cut
  // A cut never splits a UTF-8 character (the page shows the text, and JSON dumps refuse broken UTF-8).
  state = {{"s", "a" + [] { std::string s; for (int i = 0; i < 450; ++i) s += "\xc3\xa9"; return s; }()}};
  const std::string cut = fill_template("{/s}", state, nullptr);
  EXPECT_LE(cut.size(), 600u);
  EXPECT_GE(cut.size(), 598u);
  EXPECT_NO_THROW(json(cut).dump());
}

TEST(ExerciseTemplates, PointerEscapes) {
  EXPECT_EQ(fill("{/lab/a~1b}"), "1.5");
  EXPECT_EQ(fill("{/lab/m~0n}"), "2.5");
  EXPECT_EQ(fill("{/lab/~00}"), "3.5");  // the key "~0"
  EXPECT_EQ(fill("{/lab/~01}"), "4.5");  // the key "~1"
  EXPECT_EQ(fill("{/lab/}"), "5.5");     // the key ""
  bool missing = false;
  EXPECT_EQ(fill("{/lab/~2}", &missing), "(not measured yet)");
  EXPECT_TRUE(missing);
  EXPECT_EQ(fill("{/lab/m~}"), "(not measured yet)");
  EXPECT_EQ(fill("{/lab/a/b}"), "(not measured yet)");
}

TEST(ExerciseTemplates, MissingValuesSayNotMeasuredYet) {
  bool missing = false;
  EXPECT_EQ(fill("acc {/results/other/accuracy|%.3f}.", &missing), "acc (not measured yet).");
  EXPECT_TRUE(missing);
  for (const char* t : {"{/results/run/none}", "{/results/run/list/3}", "{/results/run/list/-1}", "{/results/run/list/x}",
                        "{/results/run/list/}", "{/results/run/list/99999999999999999999}", "{/results/run/list/999999}",
                        "{/results/run/accuracy/deeper}", "{/results/run/label/0}", "{/}", "{/nothing}"}) {
    missing = false;
    std::string out;
    EXPECT_NO_THROW(out = fill(t, &missing)) << t;
    EXPECT_EQ(out, "(not measured yet)") << t;
    EXPECT_TRUE(missing) << t;
  }
  // A null state and no flag are fine.
  EXPECT_EQ(fill_template("{/a}", json(), nullptr), "(not measured yet)");
  EXPECT_EQ(fill_template("{/a}", json::array({1}), nullptr), "(not measured yet)");
}

TEST(ExerciseTemplates, HostileFormatsFallBackToTheDefault) {
  // None of these may reach snprintf: %s and %n read or write through the
  // argument, a huge width or precision would be cut off in the buffer, and
  // the malformed ones are undefined behaviour in printf.
  for (const char* f : {"%s", "%n", "%999999f", "%.99999f", "%100f", "%.100f", "%.3f%s", "%", "%%", "%%f", "%lf", "%Lf",
                        "%*f", "%.*f", "%-5f", "%+f", "%#f", "%5.3.2f", "%..3f", "%.3", "f", "%d", "%x", "%p",
                        "%c", "% f", "%'f", "%1$f", "%a", "", "%f\n", "%.3f ", " %.3f", "%ff"}) {
    const std::string text = std::string("{/results/run/accuracy|") + f + "}";
    std::string out;
    EXPECT_NO_THROW(out = fill(text)) << f;
    EXPECT_EQ(out, "0.123") << "format \"" << f << "\"";
  }
  // A bar inside the pointer part: the first bar starts the format.
  EXPECT_EQ(fill("{/results/run/accuracy|%.2f|%s}"), "0.123");
}

TEST(ExerciseTemplates, BracesThatAreNotTemplates) {
  EXPECT_EQ(fill("no templates"), "no templates");
  EXPECT_EQ(fill(""), "");
  EXPECT_EQ(fill("a set {1, 2} and {} and { /x}"), "a set {1, 2} and {} and { /x}");
  EXPECT_EQ(fill("ends with {"), "ends with {");
  EXPECT_EQ(fill("ends with {/"), "ends with {/");
  EXPECT_EQ(fill("unterminated {/results/run/accuracy|%.3f and more"), "unterminated {/results/run/accuracy|%.3f and more");
  EXPECT_EQ(fill("{{/results/run/accuracy|%.2f}}"), "{0.12}");
  EXPECT_EQ(fill("}{/results/run/done}{"), "}yes{");
  // Nested braces: the pointer runs to the first '}', so it names no value.
  bool missing = false;
  EXPECT_EQ(fill("{/results{/run/done}}", &missing), "(not measured yet)}");
  EXPECT_TRUE(missing);
  // Many templates in one text.
  std::string many, expected;
  for (int i = 0; i < 500; ++i) many += "{/results/run/done}", expected += "yes";
  EXPECT_EQ(fill(many), expected);
}

}  // namespace
}  // namespace attnlab
