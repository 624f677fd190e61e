// Course exercises as data: a JSON file a course author writes (no C++), the
// one schema for it, and its one validator. A bad entry never stops the good
// ones: each problem is reported with the entry and the field it concerns.
//
// {
//   "title": "Global tokens",                       optional
//   "exercises": [
//     {
//       "id": "window-fix",                         unique, [a-z0-9-], <= 64 chars
//       "title": "Linking the conclusion to the introduction",
//       "question": "...",
//       "kind": "choice" | "number" | "text",
//       "choices": [ {"id": "a", "text": "...", "correct": true, "feedback": "..."} ],   choice
//       "answer": 0.5, "tolerance": 0.05, "unit": "share",                              number
//       "answer_from": "/patterns/reachLayers",   number, optional: where the experiment computes the
//                                                 answer; shown with the feedback, and the tests check
//                                                 the answer against it
//       "keywords": ["denominator", "always"], "model_answer": "...",                    text
//       "experiment": {"view": "training", "preset": "window-misses-introduction"},
//                     or {"view": "training", "scenario": {...config JSON...}}
//                     or {"view": "sandbox", "sandbox": {...}} / {"view": "patterns", "patterns": {...}}
//                     or {"view": "memory" | "streaming", "preset": "..."}
//       "explanation": "why the answer is what it is",
//       "measured": "what your run showed: {/lab/runs/0/latest/accuracy|%.3f}",
//       "course_vs_lab": "where the course's intended answer and the lab's measurements differ"
//     }
//   ]
// }
//
// Text fields may quote measured numbers: {/json/pointer|printf-format} is
// replaced by that value of the app's state (attnlab.state()) when the
// feedback is shown; see fill_template.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace attnlab {

struct ExerciseChoice {
  std::string id, text, feedback;
  bool correct = false;
};

struct Exercise {
  std::string id, title, question, kind;
  std::vector<ExerciseChoice> choices;       // kind "choice"
  double answer = 0, tolerance = 0;          // kind "number"
  std::string unit;
  std::string answer_from;                   // kind "number": a state pointer the experiment fills with the answer
  std::vector<std::string> keywords;         // kind "text": words a good answer mentions
  std::string model_answer;
  nlohmann::json experiment;                 // null, or validated as described above
  std::string explanation, measured, course_vs_lab;
};

struct ExerciseSet {
  std::string title;
  std::vector<Exercise> exercises;
};

// Parses and validates; the valid entries are returned, one message per
// problem goes to *errors ("exercise 3 (\"legal\"): choices: ..."). Never throws.
ExerciseSet parse_exercises(const std::string& text, std::vector<std::string>* errors);

// Checks an answer: for choice, the choice id; for number, the number as text;
// for text, the answer text (correct when it mentions every keyword, any case).
struct ExerciseVerdict {
  bool valid = false;    // the answer could be read
  bool correct = false;
  std::string feedback;  // the chosen choice's feedback, or a note for number/text answers
};
ExerciseVerdict check_answer(const Exercise& e, const std::string& answer);

// Replaces {/json/pointer|format} with the value in state ("%.3f" style
// formats for numbers; strings as they are). Values that do not exist (the
// experiment has not been run) become "(not measured yet)" and set *missing.
std::string fill_template(const std::string& text, const nlohmann::json& state, bool* missing);

// The templates a text holds, in order: {/a/b|%.2f} -> {"/a/b", "%.2f"}; format
// "" when none is given, "(unterminated)" for a "{/" without its "}".
struct ExerciseTemplate {
  std::string pointer, format;
};
std::vector<ExerciseTemplate> templates_in(const std::string& text);

// The exercises that ship with the app (data/exercises.json, embedded).
const char* builtin_exercises_json();

}  // namespace attnlab
