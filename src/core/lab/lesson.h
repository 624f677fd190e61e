// A lesson is a claim the lab checks on the run in front of the student: one
// or more comparisons of measured values, declared as data beside a preset
// (core/lab/presets.cpp). The core evaluates it and says held, not held or
// not yet, with the numbers it compared and one sentence. The page, the
// exercises, `attnlab lesson` and the behaviour tests all use this one
// evaluation of the presets' own lessons.
//
//   {"says": "One global token lets the question reach the answer; the window alone stays at chance.",
//    "claims": [
//      {"left": {"run": "b", "measure": "accuracy"}, "op": ">=", "right": {"value": 0.95}},
//      {"left": {"run": "a", "measure": "drift", "steps": [100, 300]}, "op": "<=",
//       "right": {"run": "b", "measure": "drift", "steps": [100, 300]}, "plus": -0.05}]}
//
// A term is one of
//   {"run": "a" | "b", "measure": M}                   the run's last measurement, judged when the run is done
//   {"run": ..., "measure": M, "steps": [from, to]}    the mean of its measurements in [from, to], judged once
//                                                      it has measured step `to` (or is done)
//   {"run": ..., "measure": M, "best": true}           its largest measurement so far; only on the left of >=
//                                                      or >, and judged held as soon as it holds (the best
//                                                      can only grow), not held if it still fails at the end
//   {"result": KEY, "measure": M}                      a job result's record (core/lab/results.h), judged
//                                                      once it exists (a finished job without it: not held)
//   {"value": x}
// M is a field of run_report's logpoint_summary (accuracy, peaky, jump, drift,
// special_mass, local_mass, first_mass, sink_heads, cosine, max_logit, pairs,
// eval_loss, ...) or of a result's record (accuracy, perplexity, first_mass, ...).
// A claim holds when  left op (right x times + plus),  op one of >=, <=, >, <
// (times 1 and plus 0 unless given).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace attnlab {

class Run;
struct LogPoint;

// What a lesson is evaluated on: each run's measurements (one summary per
// log point, oldest first) and label, and the results of a job by key.
struct LessonRun {
  std::string label;                 // "window 16 + 1 global", for the sentence
  std::vector<nlohmann::json> points;  // logpoint_summary of each measurement
  bool done = false;
  int step = 0, steps = 0;             // steps done, and the run's length (for "waiting for ...")
};
struct LessonData {
  std::map<std::string, LessonRun> runs;          // "a", "b"
  std::map<std::string, nlohmann::json> results;  // "g1_k4" -> record
  bool job_done = false;
  bool intervened = false;                        // the runs were changed mid-way (interventions)
};

struct LessonVerdict {
  std::string status;    // "held", "not held", "not yet"
  std::string text;      // one sentence
  nlohmann::json values = nlohmann::json::array();  // per claim: {"claim", "op", "left", "right", "held" (null: not yet)}
};

// Empty when the lesson is well formed; otherwise one message per problem.
std::vector<std::string> lesson_problems(const nlohmann::json& lesson);

// Requires a well-formed lesson.
LessonVerdict evaluate_lesson(const nlohmann::json& lesson, const LessonData& data);

// {"status", "held" (true / false / null), "text", "values", "says"}: the page's lab.lesson.
nlohmann::json verdict_to_json(const LessonVerdict& verdict, const nlohmann::json& lesson);

// A run's measurements for a lesson (every log point summarized).
LessonRun lesson_run(const Run& run, const std::string& label);
// The same from a history trained elsewhere (another engine's run, reported),
// with `run` giving its config, task and length.
LessonRun lesson_run(const Run& run, const std::string& label, const std::vector<LogPoint>& history, int step, bool done);

}  // namespace attnlab
