#include "core/course/exercises.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>

#include "core/base/untrusted_text.h"

namespace attnlab {
namespace {

constexpr size_t kMaxText = 4000;     // characters in one text field
constexpr size_t kMaxShort = 200;     // ids, titles, choice texts
constexpr size_t kMaxEntries = 200;
constexpr size_t kMaxChoices = 8;
constexpr size_t kMaxFileBytes = 1 << 20;

const char* const kViews[] = {"sandbox", "patterns", "training", "memory", "streaming"};

struct EntryErrors {
  std::vector<std::string>* out;
  std::string where;
  bool ok = true;
  void add(const std::string& field, const std::string& message) {
    out->push_back(where + ": " + field + ": " + message);
    ok = false;
  }
};

bool read_string(const nlohmann::json& e, const char* key, bool required, size_t max, std::string* out,
                 EntryErrors* errs) {
  if (!e.contains(key)) {
    if (required) errs->add(key, "is missing");
    return !required;
  }
  if (!e[key].is_string()) {
    errs->add(key, "must be text");
    return false;
  }
  const std::string& s = e[key].get_ref<const std::string&>();
  if (s.size() > max) {
    errs->add(key, "is too long (" + std::to_string(s.size()) + " characters; at most " + std::to_string(max) + ")");
    return false;
  }
  if (required && s.empty()) {
    errs->add(key, "is empty");
    return false;
  }
  *out = s;
  return true;
}


// %[width][.precision](f|e|g) with at most two digits each. Anything else
// (user-controlled %s or %n, a malformed conversion, which is undefined
// behaviour in printf, or a width that overflows the buffer) is not used.
bool plain_format(const std::string& f) {
  if (f.size() < 2 || f[0] != '%') return false;
  size_t i = 1, digits = 0;
  for (; i < f.size() && std::isdigit(static_cast<unsigned char>(f[i])); ++i) ++digits;
  if (digits > 2) return false;
  if (i < f.size() && f[i] == '.') {
    digits = 0;
    for (++i; i < f.size() && std::isdigit(static_cast<unsigned char>(f[i])); ++i) ++digits;
    if (digits > 2) return false;
  }
  return i + 1 == f.size() && (f[i] == 'f' || f[i] == 'e' || f[i] == 'g');
}

bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
      return false;
  return true;
}

bool read_experiment(const nlohmann::json& e, nlohmann::json* out, EntryErrors* errs) {
  if (!e.contains("experiment")) return true;
  const nlohmann::json& x = e["experiment"];
  if (!x.is_object() || !x.contains("view") || !x["view"].is_string()) {
    errs->add("experiment", "must be an object with a \"view\"");
    return false;
  }
  const std::string view = x["view"];
  if (std::find(std::begin(kViews), std::end(kViews), view) == std::end(kViews)) {
    errs->add("experiment.view", "must be one of sandbox, patterns, training, memory, streaming");
    return false;
  }
  for (auto it = x.begin(); it != x.end(); ++it) {
    const std::string& k = it.key();
    if (k != "view" && k != "preset" && k != "scenario" && k != "sandbox" && k != "patterns") {
      errs->add("experiment." + k, "unknown field (known: view, preset, scenario, sandbox, patterns)");
      return false;
    }
  }
  if (x.contains("preset") && (!x["preset"].is_string() || x["preset"].get_ref<const std::string&>().size() > kMaxShort)) {
    errs->add("experiment.preset", "must be a preset id (text)");
    return false;
  }
  for (const char* k : {"scenario", "sandbox", "patterns"})
    if (x.contains(k) && !x[k].is_object()) {
      errs->add(std::string("experiment.") + k, "must be an object");
      return false;
    }
  // The contents of scenario / sandbox / patterns are checked by their own
  // validators when the experiment is loaded, with messages naming the field.
  *out = x;
  return true;
}

}  // namespace

ExerciseSet parse_exercises(const std::string& text, std::vector<std::string>* errors) {
  ExerciseSet set;
  if (text.size() > kMaxFileBytes) {
    errors->push_back("file: too large (" + std::to_string(text.size()) + " bytes; at most 1 MB)");
    return set;
  }
  // Deeper values would reach nlohmann's recursive copy and dump, which
  // overflow the stack (an experiment is copied out of the file).
  if (json_depth(text) > kMaxJsonDepth) {
    errors->push_back("file: nested too deeply (more than 64 levels of lists and objects)");
    return set;
  }
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    errors->push_back("file: not valid JSON");
    return set;
  }
  if (!j.is_object() || !j.contains("exercises") || !j["exercises"].is_array()) {
    errors->push_back("file: must be an object with an \"exercises\" list");
    return set;
  }
  if (j.contains("title")) {
    if (j["title"].is_string() && j["title"].get_ref<const std::string&>().size() <= kMaxShort)
      set.title = j["title"];
    else
      errors->push_back("file: title: must be text of at most 200 characters");
  }
  const nlohmann::json& list = j["exercises"];
  if (list.size() > kMaxEntries) errors->push_back("file: only the first 200 exercises are read");
  std::set<std::string> ids;
  for (size_t i = 0; i < std::min(list.size(), kMaxEntries); ++i) {
    const nlohmann::json& e = list[i];
    EntryErrors errs{errors, "exercise " + std::to_string(i + 1)};
    if (!e.is_object()) {
      errs.add("entry", "must be an object");
      continue;
    }
    Exercise x;
    if (e.contains("id") && e["id"].is_string() && e["id"].get_ref<const std::string&>().size() <= 64)
      errs.where += " (\"" + e["id"].get<std::string>() + "\")";
    read_string(e, "id", true, 64, &x.id, &errs);
    if (errs.ok && !valid_id(x.id)) errs.add("id", "may only use a-z, 0-9, - and _");
    if (errs.ok && ids.count(x.id)) errs.add("id", "is used by an earlier exercise");
    read_string(e, "title", true, kMaxShort, &x.title, &errs);
    read_string(e, "question", true, kMaxText, &x.question, &errs);
    read_string(e, "kind", true, 16, &x.kind, &errs);
    read_string(e, "explanation", false, kMaxText, &x.explanation, &errs);
    read_string(e, "measured", false, kMaxText, &x.measured, &errs);
    read_string(e, "course_vs_lab", false, kMaxText, &x.course_vs_lab, &errs);
    read_experiment(e, &x.experiment, &errs);
    if (x.kind == "choice") {
      if (!e.contains("choices") || !e["choices"].is_array() || e["choices"].size() < 2 ||
          e["choices"].size() > kMaxChoices) {
        errs.add("choices", "must be a list of 2 to 8 choices");
      } else {
        std::set<std::string> choice_ids;
        int correct = 0;
        bool choices_ok = true;  // "no correct choice" only when every choice could be read
        for (size_t c = 0; c < e["choices"].size(); ++c) {
          const nlohmann::json& cj = e["choices"][c];
          EntryErrors ce{errors, errs.where};
          const std::string field = "choices[" + std::to_string(c + 1) + "]";
          if (!cj.is_object()) {
            errs.add(field, "must be an object");
            choices_ok = false;
            continue;
          }
          ExerciseChoice choice;
          ce.where = errs.where;
          auto fail = [&](const std::string& what) {
            errs.add(field, what);
            choices_ok = false;
          };
          if (!cj.contains("id") || !cj["id"].is_string() || !valid_id(cj["id"])) fail("id: must be a short id (a-z, 0-9, - _)");
          else if (choice_ids.count(cj["id"])) fail("id: is used twice");
          else choice.id = cj["id"];
          if (!cj.contains("text") || !cj["text"].is_string() || cj["text"].get_ref<const std::string&>().empty() ||
              cj["text"].get_ref<const std::string&>().size() > kMaxText)
            fail("text: must be non-empty text");
          else
            choice.text = cj["text"];
          if (cj.contains("correct") && !cj["correct"].is_boolean()) fail("correct: must be true or false");
          else choice.correct = cj.value("correct", false);
          if (cj.contains("feedback") && (!cj["feedback"].is_string() || cj["feedback"].get_ref<const std::string&>().size() > kMaxText))
            fail("feedback: must be text");
          else if (cj.contains("feedback"))
            choice.feedback = cj["feedback"];
          correct += choice.correct;
          choice_ids.insert(choice.id);
          x.choices.push_back(choice);
        }
        if (choices_ok && correct == 0) errs.add("choices", "no choice is marked \"correct\": true");
      }
    } else if (x.kind == "number") {
      if (!e.contains("answer") || !e["answer"].is_number() || !std::isfinite(e["answer"].get<double>()))
        errs.add("answer", "must be a finite number");
      else
        x.answer = e["answer"];
      if (e.contains("tolerance")) {
        if (!e["tolerance"].is_number() || !(e["tolerance"].get<double>() >= 0) || !std::isfinite(e["tolerance"].get<double>()))
          errs.add("tolerance", "must be a number >= 0");
        else
          x.tolerance = e["tolerance"];
      }
      read_string(e, "unit", false, kMaxShort, &x.unit, &errs);
      if (read_string(e, "answer_from", false, kMaxShort, &x.answer_from, &errs) && !x.answer_from.empty() &&
          x.answer_from[0] != '/')
        errs.add("answer_from", "must be a JSON pointer into the app's state, such as /patterns/reachLayers");
    } else if (x.kind == "text") {
      if (e.contains("keywords")) {
        if (!e["keywords"].is_array() || e["keywords"].size() > 16) {
          errs.add("keywords", "must be a list of at most 16 words");
        } else {
          for (const auto& k : e["keywords"]) {
            if (!k.is_string() || k.get_ref<const std::string&>().empty() || k.get_ref<const std::string&>().size() > 64) {
              errs.add("keywords", "every keyword must be non-empty text of at most 64 characters");
              break;
            }
            x.keywords.push_back(k);
          }
        }
      }
      read_string(e, "model_answer", false, kMaxText, &x.model_answer, &errs);
    } else if (!x.kind.empty()) {  // a missing or unreadable kind is reported above
      errs.add("kind", "must be choice, number or text (got \"" + x.kind + "\")");
    }
    if (!errs.ok) continue;
    ids.insert(x.id);
    set.exercises.push_back(std::move(x));
  }
  return set;
}

namespace {
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

ExerciseVerdict check_answer(const Exercise& e, const std::string& answer) {
  ExerciseVerdict v;
  if (e.kind == "choice") {
    for (const ExerciseChoice& c : e.choices)
      if (c.id == answer) {
        v.valid = true;
        v.correct = c.correct;
        v.feedback = c.feedback;
      }
    if (!v.valid) v.feedback = "Pick one of the choices.";
  } else if (e.kind == "number") {
    char* end = nullptr;
    const double x = std::strtod(answer.c_str(), &end);
    v.valid = !answer.empty() && end && *end == '\0' && std::isfinite(x);
    if (!v.valid) {
      v.feedback = "Enter a number.";
      return v;
    }
    v.correct = std::fabs(x - e.answer) <= e.tolerance + 1e-12 * std::fabs(e.answer);
    char buf[128];
    if (e.tolerance > 0)
      std::snprintf(buf, sizeof buf, "The expected answer is %g%s%s (within %g).", e.answer, e.unit.empty() ? "" : " ",
                    e.unit.c_str(), e.tolerance);
    else
      std::snprintf(buf, sizeof buf, "The expected answer is %g%s%s.", e.answer, e.unit.empty() ? "" : " ", e.unit.c_str());
    v.feedback = buf;
  } else {
    v.valid = !answer.empty();
    if (!v.valid) {
      v.feedback = "Write an answer first.";
      return v;
    }
    const std::string a = lower(answer);
    std::vector<std::string> missing;
    for (const std::string& k : e.keywords)
      if (a.find(lower(k)) == std::string::npos) missing.push_back(k);
    v.correct = missing.empty();
    if (!missing.empty()) {
      v.feedback = "A complete answer also mentions: ";
      for (size_t i = 0; i < missing.size(); ++i) v.feedback += (i ? ", " : "") + missing[i];
      v.feedback += ".";
    }
    if (!e.model_answer.empty()) v.feedback += (v.feedback.empty() ? "" : " ") + std::string("A model answer: ") + e.model_answer;
  }
  return v;
}

std::vector<ExerciseTemplate> templates_in(const std::string& text) {
  std::vector<ExerciseTemplate> out;
  for (size_t open = text.find("{/"); open != std::string::npos; open = text.find("{/", open + 1)) {
    const size_t close = text.find('}', open);
    if (close == std::string::npos) {
      out.push_back({text.substr(open + 1), "(unterminated)"});
      break;
    }
    const std::string inner = text.substr(open + 1, close - open - 1);
    const size_t bar = inner.find('|');
    out.push_back({inner.substr(0, bar), bar == std::string::npos ? "" : inner.substr(bar + 1)});
  }
  return out;
}

std::string fill_template(const std::string& text, const nlohmann::json& state, bool* missing) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find('{', i);
    if (open == std::string::npos || open + 1 >= text.size() || text[open + 1] != '/') {
      out += text.substr(i, open == std::string::npos ? std::string::npos : open + 1 - i);
      if (open == std::string::npos) break;
      i = open + 1;
      continue;
    }
    const size_t close = text.find('}', open);
    if (close == std::string::npos) {
      out += text.substr(i);
      break;
    }
    out += text.substr(i, open - i);
    std::string inner = text.substr(open + 1, close - open - 1), format = "%.3g";
    const size_t bar = inner.find('|');
    if (bar != std::string::npos) {
      format = inner.substr(bar + 1);
      inner = inner.substr(0, bar);
    }
    const bool format_ok = plain_format(format);
    const nlohmann::json* value = nullptr;
    bool pointer_ok = true;  // JSON pointer syntax: "~" only as "~0" or "~1"
    for (size_t k = 0; k < inner.size(); ++k)
      if (inner[k] == '~' && (k + 1 >= inner.size() || (inner[k + 1] != '0' && inner[k + 1] != '1'))) pointer_ok = false;
    if (pointer_ok && !inner.empty() && inner[0] == '/') {
      const nlohmann::json* node = &state;
      // Walk by hand (contains() on a pointer may throw on array indices).
      for (const std::string& token : [&] {
             std::vector<std::string> t;
             size_t s = 1;
             while (s <= inner.size()) {
               size_t e = inner.find('/', s);
               if (e == std::string::npos) e = inner.size();
               // One pass (RFC 6901): "~00" is the key "~0", not "~".
               std::string part;
               for (size_t k = s; k < e; ++k) {
                 if (inner[k] == '~' && k + 1 < e) part += inner[++k] == '1' ? '/' : '~';
                 else part += inner[k];
               }
               t.push_back(part);
               s = e + 1;
             }
             return t;
           }()) {
        if (node->is_object() && node->contains(token)) {
          node = &(*node)[token];
        } else if (node->is_array() && !token.empty() && token.size() <= 6 &&
                   (token.size() == 1 || token[0] != '0') &&  // RFC 6901: "00" and "01" are no index
                   std::all_of(token.begin(), token.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
                   static_cast<size_t>(std::stoi(token)) < node->size()) {
          node = &(*node)[static_cast<size_t>(std::stoi(token))];
        } else {
          node = nullptr;
          break;
        }
      }
      value = node;
    }
    // NaN and infinities are measures that do not exist yet (jump and drift
    // before a second measurement).
    if (!value || value->is_null() || (value->is_number() && !std::isfinite(value->get<double>()))) {
      out += "(not measured yet)";
      if (missing) *missing = true;
    } else if (value->is_number()) {
      char buf[512];  // holds %99.99f of the largest double (410 characters)
      std::snprintf(buf, sizeof buf, format_ok ? format.c_str() : "%.3g", value->get<double>());
      out += buf;
    } else if (value->is_string()) {
      // At most 600 bytes (a lesson's verdict fits), cut before a whole UTF-8
      // character: a broken one would make the text unprintable as JSON.
      const std::string& s = value->get_ref<const std::string&>();
      size_t n = std::min<size_t>(s.size(), 600);
      while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
      out += s.substr(0, n);
    } else if (value->is_boolean()) {
      out += value->get<bool>() ? "yes" : "no";
    } else {
      out += "(not a single value)";
    }
    i = close + 1;
  }
  return out;
}

}  // namespace attnlab
