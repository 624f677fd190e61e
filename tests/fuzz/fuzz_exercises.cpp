// libFuzzer target: the bytes as a course file, and as a template text and an
// answer. Besides crashes, leaks and undefined behaviour (ASan + UBSan), it
// checks what the schema promises for every exercise that loads, and that
// fill_template only ever replaces {/...} templates.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/course/exercises.h"

namespace {

using attnlab::Exercise;
using attnlab::ExerciseVerdict;
using nlohmann::json;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_exercises: %s\n%s\n", what, detail.substr(0, 2000).c_str());
  std::abort();
}

// A small state like attnlab.state(): numbers, strings (one long enough to be
// cut, in two-byte characters), booleans, nulls, lists, and keys that need
// "~0" / "~1" in a pointer.
const json& state() {
  static const json s = [] {
    std::string long_text = "a";
    for (int i = 0; i < 150; ++i) long_text += "\xc3\xa9";
    return json{
        {"results", {{"p", {{"a", {{"accuracy", 0.5}, {"step", 1200}, {"pairs", 65536}, {"label", "window 16"}}},
                            {"b", {{"accuracy", 1e300}, {"done", true}, {"none", nullptr}, {"list", {1, -2.5e-7, "x"}}}}}}}},
        {"sandbox", {{"measures", {{"peak", 0.98}, {"entropy", 0.1}}}, {"a/b", 1}, {"m~n", 2}, {"~0", 3}, {"~1", 4}, {"", 5}}},
        {"patterns", {{"pairs", 4096}, {"settings", {{"n", 256}}}, {"text", long_text}}},
        {"lab", {{"runs", {{{"latest", {{"accuracy", 0.25}}}}}}}}};
  }();
  return s;
}

bool valid_utf8(const std::string& s) {
  try {
    (void)json(s).dump();
    return true;
  } catch (const json::exception&) {
    return false;
  }
}

// The value nlohmann-json's own JSON pointer finds, if the pointer is one it
// reads (an exception: skip the comparison).
bool reference_lookup(const std::string& pointer, bool* found) {
  try {
    const json::json_pointer p(pointer);
    *found = state().contains(p) && !state().at(p).is_null();
    return true;
  } catch (const json::exception&) {
    return false;
  }
}

void check_fill(const std::string& text) {
  bool missing = false;
  const std::string out = attnlab::fill_template(text, state(), &missing);
  if (text.find('{') == std::string::npos && out != text) fail("a text without templates changed", text);
  if (missing && out.find("(not measured yet)") == std::string::npos) fail("missing set but not said", text);
  if (!missing && out.find("(not measured yet)") != std::string::npos && text.find("(not measured yet)") == std::string::npos)
    fail("said \"not measured yet\" without setting missing", text);
  // Every template's replacement is short: at most 410 characters (%99.99f)
  // for the at least 3 characters of "{/}".
  if (out.size() > 140 * text.size() + 16) fail("the filled text is far longer than the text", text);
  // Valid UTF-8 stays valid (a long string is cut at a character boundary).
  if (valid_utf8(text) && !valid_utf8(out)) fail("the filled text is not valid UTF-8", text);
  // Each template finds what nlohmann-json's JSON pointer finds.
  for (size_t open = text.find("{/"); open != std::string::npos; open = text.find("{/", open + 1)) {
    const size_t close = text.find('}', open);
    if (close == std::string::npos) break;
    const std::string pointer = text.substr(open + 1, std::min(close, text.find('|', open)) - open - 1);
    bool found = false, unfilled = false;
    if (!reference_lookup(pointer, &found)) continue;
    attnlab::fill_template("{" + pointer + "}", state(), &unfilled);
    if (found == unfilled) fail(found ? "a template misses a value the pointer names" : "a template finds a value the pointer does not name", pointer);
  }
}

void check_exercise(const Exercise& e, const std::string& bytes) {
  static const std::vector<std::string> answers = {"", "a", "0", "16", "-1", "1e999", "nan", "%s%n", " 0.5", "abc"};
  std::vector<std::string> tries = answers;
  tries.push_back(bytes.substr(0, 256));
  for (const std::string& a : tries) {
    const ExerciseVerdict v = attnlab::check_answer(e, a);
    if (v.correct && !v.valid) fail("correct but not valid", e.id + " / " + a);
  }
  if (e.kind == "choice") {
    int correct = 0;
    std::set<std::string> ids;
    for (const attnlab::ExerciseChoice& c : e.choices) {
      const ExerciseVerdict v = attnlab::check_answer(e, c.id);
      if (!v.valid || v.correct != c.correct) fail("a choice is not checked as marked", e.id + " / " + c.id);
      if (!ids.insert(c.id).second) fail("two choices share an id", e.id + " / " + c.id);
      correct += c.correct;
    }
    if (e.choices.size() < 2 || e.choices.size() > 8 || correct == 0) fail("a loaded choice exercise breaks the schema", e.id);
  } else if (e.kind == "number") {
    if (!std::isfinite(e.answer) || !(e.tolerance >= 0) || !std::isfinite(e.tolerance))
      fail("a loaded number exercise has a non-finite answer or tolerance", e.id);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", e.answer);
    if (!attnlab::check_answer(e, buf).correct) fail("the exact answer is not correct", e.id + " / " + buf);
  } else if (e.kind == "text") {
    std::string all = "x";
    for (const std::string& k : e.keywords) all += " " + k;
    if (!attnlab::check_answer(e, all).correct) fail("an answer with every keyword is not correct", e.id);
  } else {
    fail("a loaded exercise has an unknown kind", e.id + " / " + e.kind);
  }
  std::vector<std::string> texts = {e.title, e.question, e.explanation, e.measured, e.course_vs_lab, e.model_answer};
  for (const attnlab::ExerciseChoice& c : e.choices) texts.push_back(c.feedback);
  for (const std::string& t : texts) check_fill(t);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> errors;
  const attnlab::ExerciseSet set = attnlab::parse_exercises(bytes, &errors);
  std::set<std::string> ids;
  for (const Exercise& e : set.exercises) {
    if (!ids.insert(e.id).second) fail("two loaded exercises share an id", e.id);
    check_exercise(e, bytes);
  }
  if (set.exercises.size() > 200) fail("more than 200 exercises", std::to_string(set.exercises.size()));
  // The bytes as a template text (the file's texts are rarely reached by mutation).
  check_fill(bytes);
  return 0;
}
