// Lessons: see lesson.h.
//
// Index
//   - names       how a measure and a term are said in a sentence
//   - checking    lesson_problems
//   - evaluating  terms, claims, the verdict and its sentence
#include "core/lab/lesson.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/training/run.h"
#include "core/training/run_report.h"

namespace attnlab {
namespace {

// ---- names -----------------------------------------------------------------------

struct MeasureName {
  const char* key;
  const char* words;
};
constexpr MeasureName kMeasureNames[] = {
    {"accuracy", "accuracy"},
    {"eval_loss", "evaluation loss"},
    {"peaky", "share of peaky rows"},
    {"peak", "mean peak weight"},
    {"jump", "peak jump rate"},
    {"drift", "attention drift"},
    {"entropy_norm", "normalized row entropy"},
    {"special_mass", "attention on global and sink tokens"},
    {"local_mass", "attention on ordinary tokens"},
    {"first_mass", "attention on the first token"},
    {"sink_heads", "number of sink heads"},
    {"cosine", "hidden-state cosine"},
    {"max_logit", "largest attention logit"},
    {"pairs", "pairs scored per head"},
    {"perplexity", "perplexity"},
    {"loss", "loss"},
    {"init_local_mass", "attention on ordinary tokens at initialization"},
    {"init_cosine", "hidden-state cosine at initialization"},
};

std::string measure_words(const std::string& m) {
  for (const MeasureName& n : kMeasureNames)
    if (m == n.key) return n.words;
  return m;
}

std::string number(double v) {
  char b[32];
  if (std::fabs(v) >= 1000 && std::fabs(v) < 1e9) std::snprintf(b, sizeof b, "%.0f", v);  // 4347, not 4.35e+03
  else std::snprintf(b, sizeof b, "%.3g", v);
  return b;
}

const char* op_words(const std::string& op) {
  if (op == ">=") return "\u2265";
  if (op == "<=") return "\u2264";
  return op == ">" ? ">" : "<";
}

// ---- checking ----------------------------------------------------------------------

bool is_term(const nlohmann::json& t, std::string* why) {
  if (!t.is_object()) return *why = "must be an object", false;
  if (t.contains("value")) {
    if (!t["value"].is_number() || !std::isfinite(t["value"].get<double>())) return *why = "value: must be a number", false;
    return true;
  }
  const bool run = t.contains("run"), result = t.contains("result");
  if (run == result) return *why = "needs one of \"run\", \"result\" or \"value\"", false;
  if (run && !(t["run"] == "a" || t["run"] == "b")) return *why = "run: must be \"a\" or \"b\"", false;
  if (result && (!t["result"].is_string() || t["result"].get<std::string>().empty()))
    return *why = "result: must be a result key such as \"g1_k4\"", false;
  if (!t.contains("measure") || !t["measure"].is_string() || t["measure"].get<std::string>().empty())
    return *why = "measure: must name a measure such as \"accuracy\"", false;
  if (t.contains("best") && (!run || t["best"] != true || t.contains("steps")))
    return *why = "best: must be true, on a run, without steps", false;
  if (t.contains("steps")) {
    const nlohmann::json& s = t["steps"];
    if (!run || !s.is_array() || s.size() != 2 || !s[0].is_number_integer() || !s[1].is_number_integer() ||
        s[0].get<int>() < 0 || s[1].get<int>() < s[0].get<int>())
      return *why = "steps: must be [from, to] with 0 <= from <= to, on a run", false;
  }
  return true;
}

// ---- evaluating ----------------------------------------------------------------------

struct TermValue {
  enum class State { Value, NotYet, Missing } state = State::NotYet;
  double value = NAN;
  std::string words;     // "B's accuracy at the end"
  std::string waiting;   // for NotYet: what it waits for ("B to finish", "step 300")
  bool rising = false;   // a best so far of a run still training: it can only grow
};

double field(const nlohmann::json& o, const std::string& m) {
  if (!o.is_object() || !o.contains(m) || !o[m].is_number()) return NAN;
  return o[m].get<double>();
}

TermValue term_value(const nlohmann::json& t, const LessonData& d) {
  TermValue v;
  if (t.contains("value")) {
    v.state = TermValue::State::Value;
    v.value = t["value"].get<double>();
    v.words = number(v.value);
    return v;
  }
  const std::string m = t["measure"].get<std::string>();
  if (t.contains("result")) {
    const std::string key = t["result"].get<std::string>();
    v.words = "the " + measure_words(m) + " of point " + key;
    const auto it = d.results.find(key);
    if (it == d.results.end()) {
      v.state = d.job_done ? TermValue::State::Missing : TermValue::State::NotYet;
      v.waiting = "result " + key;
      return v;
    }
    v.value = field(it->second, m);
    v.state = std::isfinite(v.value) ? TermValue::State::Value : TermValue::State::Missing;
    return v;
  }
  const std::string id = t["run"].get<std::string>();
  const auto it = d.runs.find(id);
  const std::string who = id == "a" ? "A" : "B";  // the page's status lines name them A and B
  if (it == d.runs.end()) {
    v.words = who + "'s " + measure_words(m);
    v.state = TermValue::State::Missing;
    return v;
  }
  const LessonRun& r = it->second;
  if (t.value("best", false)) {
    v.words = who + "'s best " + measure_words(m);
    double best = NAN;
    for (const nlohmann::json& p : r.points) {
      const double x = field(p, m);
      if (std::isfinite(x) && !(x <= best)) best = x;
    }
    v.value = best;
    v.rising = !r.done;
    v.waiting = who + " to reach it or finish (best so far " + (std::isfinite(best) ? number(best) : std::string("none")) +
                (r.steps > 0 ? ", step " + std::to_string(r.step) + " of " + std::to_string(r.steps) : std::string()) + ")";
    if (std::isfinite(best)) v.state = TermValue::State::Value;
    else v.state = r.done ? TermValue::State::Missing : TermValue::State::NotYet;
    return v;
  }
  if (!t.contains("steps")) {
    v.words = who + "'s " + measure_words(m) + " at the end";
    if (!r.done || r.points.empty()) {
      v.waiting = who + " to finish";
      if (r.steps > 0) v.waiting += " (step " + std::to_string(r.step) + " of " + std::to_string(r.steps) + ")";
      return v;
    }
    v.value = field(r.points.back(), m);
    v.state = std::isfinite(v.value) ? TermValue::State::Value : TermValue::State::Missing;
    return v;
  }
  const int from = t["steps"][0].get<int>(), to = t["steps"][1].get<int>();
  v.words = who + "'s " + measure_words(m) +
            (from == to ? " at step " + std::to_string(from) : " over steps " + std::to_string(from) + "\u2013" + std::to_string(to));
  const int last = r.points.empty() ? -1 : static_cast<int>(field(r.points.back(), "step"));
  if (last < to && !r.done) {
    // Step 0 is the measurement before training: "to reach step 0" would read as if something had to happen.
    v.waiting = to == 0 ? who + "'s first measurement" : who + " to reach step " + std::to_string(to);
    return v;
  }
  double sum = 0;
  int n = 0;
  for (const nlohmann::json& p : r.points) {
    const double step = field(p, "step"), x = field(p, m);
    if (step >= from && step <= to && std::isfinite(x)) sum += x, ++n;
  }
  v.value = n > 0 ? sum / n : NAN;
  v.state = n > 0 ? TermValue::State::Value : TermValue::State::Missing;
  return v;
}

bool compare(double l, const std::string& op, double r) {
  if (op == ">=") return l >= r;
  if (op == "<=") return l <= r;
  if (op == ">") return l > r;
  return l < r;
}

}  // namespace

std::vector<std::string> lesson_problems(const nlohmann::json& lesson) {
  std::vector<std::string> out;
  if (!lesson.is_object()) return {"lesson: must be an object with \"says\" and \"claims\""};
  if (!lesson.contains("says") || !lesson["says"].is_string() || lesson["says"].get<std::string>().empty())
    out.push_back("lesson.says: must be a sentence");
  if (!lesson.contains("claims") || !lesson["claims"].is_array() || lesson["claims"].empty() || lesson["claims"].size() > 8) {
    out.push_back("lesson.claims: must be a list of 1 to 8 claims");
    return out;
  }
  for (size_t i = 0; i < lesson["claims"].size(); ++i) {
    const nlohmann::json& c = lesson["claims"][i];
    const std::string where = "lesson.claims[" + std::to_string(i + 1) + "]";
    if (!c.is_object()) {
      out.push_back(where + ": must be an object {left, op, right}");
      continue;
    }
    std::string why;
    for (const char* side : {"left", "right"})
      if (!c.contains(side) || !is_term(c[side], &why)) out.push_back(where + "." + side + ": " + (why.empty() ? "is missing" : why));
    if (!c.contains("op") || !(c["op"] == ">=" || c["op"] == "<=" || c["op"] == ">" || c["op"] == "<"))
      out.push_back(where + ".op: must be >=, <=, > or <");
    for (const char* k : {"plus", "times"})
      if (c.contains(k) && (!c[k].is_number() || !std::isfinite(c[k].get<double>())))
        out.push_back(where + "." + k + ": must be a number");
    // A best so far is decided early only where growing cannot undo it.
    if (c.contains("right") && c["right"].is_object() && c["right"].contains("best"))
      out.push_back(where + ".right: best: only on the left");
    if (c.contains("left") && c["left"].is_object() && c["left"].contains("best") && !(c.value("op", "") == ">=" || c.value("op", "") == ">"))
      out.push_back(where + ".left: best: only with >= or >");
  }
  return out;
}

LessonVerdict evaluate_lesson(const nlohmann::json& lesson, const LessonData& d) {
  LessonVerdict v;
  std::vector<std::string> held_words, failed_words, waiting;
  bool any_failed = false, any_pending = false;
  for (const nlohmann::json& c : lesson["claims"]) {
    const TermValue l = term_value(c["left"], d), r = term_value(c["right"], d);
    const std::string op = c["op"].get<std::string>();
    const double plus = c.value("plus", 0.0), times = c.value("times", 1.0);
    std::string right_words = r.words;
    if (times != 1) right_words += " \u00d7 " + number(times);
    if (plus != 0) right_words += (plus > 0 ? " + " : " \u2212 ") + number(std::fabs(plus));
    nlohmann::json entry = {{"claim", l.words + " " + op_words(op) + " " + right_words}, {"op", op}};
    using S = TermValue::State;
    if (l.state == S::NotYet || r.state == S::NotYet) {
      any_pending = true;
      for (const TermValue* t : {&l, &r})
        if (t->state == S::NotYet && std::find(waiting.begin(), waiting.end(), t->waiting) == waiting.end())
          waiting.push_back(t->waiting);
      entry["held"] = nullptr;
    } else if (l.state == S::Missing || r.state == S::Missing) {
      any_failed = true;
      failed_words.push_back((l.state == S::Missing ? l.words : r.words) + " was not measured");
      entry["held"] = false;
    } else if (l.rising && !compare(l.value, op, r.value * times + plus)) {
      any_pending = true;  // a best so far that does not hold yet: it may still
      if (std::find(waiting.begin(), waiting.end(), l.waiting) == waiting.end()) waiting.push_back(l.waiting);
      entry["held"] = nullptr;
    } else {
      const double right = r.value * times + plus;
      const bool ok = compare(l.value, op, right);
      entry["left"] = l.value;
      entry["right"] = right;
      entry["held"] = ok;
      const std::string said = l.words + " (" + number(l.value) + ") " + (ok ? op_words(op) : "is not " + std::string(op_words(op))) +
                               " " + right_words + (c["right"].contains("value") ? "" : " (" + number(right) + ")");
      (ok ? held_words : failed_words).push_back(said);
      any_failed |= !ok;
    }
    v.values.push_back(entry);
  }
  auto joined = [](const std::vector<std::string>& parts) {
    std::string s;
    for (size_t i = 0; i < parts.size(); ++i) s += (i ? "; " : "") + parts[i];
    return s;
  };
  const std::string says = lesson["says"].get<std::string>();
  if (any_failed) {
    v.status = "not held";
    v.text = "Not shown in this run: " + joined(failed_words) + ". (The lesson: " + says + ")";
  } else if (any_pending) {
    v.status = "not yet";
    // "A to finish (step 37 of 1200)"; the results a job has yet to give, as one list.
    std::vector<std::string> runs, keys;
    for (const std::string& w : waiting) (w.rfind("result ", 0) == 0 ? keys : runs).push_back(w.rfind("result ", 0) == 0 ? w.substr(7) : w);
    std::string list;
    for (size_t i = 0; i < keys.size(); ++i) list += (i ? ", " : "") + keys[i];
    // The same name the verdict gives them once they arrive ("the accuracy of point g64").
    if (!keys.empty()) runs.push_back((keys.size() == 1 ? "point " : "points ") + list);
    v.text = "Not judged yet: waiting for " + joined(runs) + ".";
  } else {
    v.status = "held";
    v.text = "Shown in this run: " + says + " (" + joined(held_words) + ").";
  }
  if (d.intervened && v.status != "not yet")
    v.text += " This run was changed mid-way (interventions), so it is not the preset's own experiment.";
  return v;
}

nlohmann::json verdict_to_json(const LessonVerdict& verdict, const nlohmann::json& lesson) {
  return {{"status", verdict.status},
          {"held", verdict.status == "held" ? nlohmann::json(true)
                                             : verdict.status == "not held" ? nlohmann::json(false) : nlohmann::json(nullptr)},
          {"text", verdict.text},
          {"values", verdict.values},
          {"says", lesson.value("says", std::string())}};
}

LessonRun lesson_run(const Run& run, const std::string& label) {
  return lesson_run(run, label, run.history(), run.steps_done(), run.done());
}

LessonRun lesson_run(const Run& run, const std::string& label, const std::vector<LogPoint>& history, int step, bool done) {
  LessonRun r;
  r.label = label;
  r.done = done;
  r.step = step;
  r.steps = run.config().train.steps;
  const std::vector<std::string> groups = run.task().group_names();
  for (const LogPoint& p : history) r.points.push_back(logpoint_summary(p, run.config(), groups));
  return r;
}

}  // namespace attnlab
