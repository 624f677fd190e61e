#include "core/share/shared_state.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "core/training/config_schema.h"
#include "core/lab/presets.h"
#include "core/lab/scenario.h"
#include "core/patterns/pattern_explorer.h"
#include "core/sandbox/sandbox.h"
#include "core/base/untrusted_text.h"

namespace attnlab {
namespace {

constexpr size_t kMaxFragment = 32 * 1024;
const char* const kViews[] = {"sandbox", "patterns", "training", "memory", "streaming", "exercises"};

const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

bool short_id(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}


std::string url_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

}  // namespace

std::string base64url_encode(const std::string& bytes) {
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int k = 18; k >= 0; k -= 6) out += kAlphabet[(v >> k) & 63];
  }
  if (i + 1 == bytes.size()) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (i + 2 == bytes.size()) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

bool base64url_decode(const std::string& text, std::string* bytes) {
  bytes->clear();
  // Optional padding completes the last group of four, and nothing follows it.
  size_t data = text.find('=');
  if (data == std::string::npos) data = text.size();
  const size_t pad = text.size() - data;
  if (text.find_first_not_of('=', data) != std::string::npos || data % 4 == 1 || (pad != 0 && pad != (4 - data % 4) % 4))
    return false;
  unsigned acc = 0;
  int bits = 0;
  for (size_t i = 0; i < data; ++i) {
    const char c = text[i];
    const char* p = std::strchr(kAlphabet, c);
    if (!p || c == '\0') return false;
    acc = (acc << 6) | static_cast<unsigned>(p - kAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      *bytes += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return true;
}


std::string encode_shared_state(const nlohmann::json& state) {
  return "s=" + base64url_encode(state.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

SharedState parse_shared_state(const std::string& raw, std::vector<std::string>* notices) {
  SharedState out;
  std::string fragment = raw;
  if (!fragment.empty() && fragment[0] == '#') fragment.erase(0, 1);
  if (fragment.empty()) return out;
  if (fragment.size() > kMaxFragment) {
    notices->push_back("link: too long (" + std::to_string(fragment.size()) + " characters; at most 32768); ignored");
    return out;
  }
  // key=value pairs; "s" holds the JSON, the others are plain fields.
  nlohmann::json j = nlohmann::json::object();
  std::vector<std::pair<std::string, std::string>> plain;
  size_t start = 0;
  while (start <= fragment.size()) {
    size_t end = fragment.find('&', start);
    if (end == std::string::npos) end = fragment.size();
    const std::string part = fragment.substr(start, end - start);
    start = end + 1;
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    const std::string key = url_decode(part.substr(0, eq)), value = eq == std::string::npos ? "" : url_decode(part.substr(eq + 1));
    if (key == "s") {
      std::string text;
      nlohmann::json parsed;
      const char* why = nullptr;
      if (!base64url_decode(value, &text)) why = "is not base64url text";
      else if (json_depth(text) > kMaxJsonDepth) why = "nests arrays or objects more than 64 levels deep";
      else if ((parsed = nlohmann::json::parse(text, nullptr, false)).is_discarded()) why = "is not valid JSON";
      else if (!parsed.is_object()) why = "is not a JSON object";
      if (why) {
        notices->push_back(std::string("link: the scenario part (s=...) ") + why + "; ignored");
        continue;
      }
      j = std::move(parsed);
    } else {
      plain.push_back({key, value});
    }
  }
  for (const auto& [key, value] : plain) {
    if (key == "presenter" && (value == "1" || value == "true" || value == "on")) j[key] = true;
    else if (key == "presenter" && (value == "0" || value == "false" || value == "off")) j[key] = false;
    else j[key] = value;  // a bad presenter value stays text, and is refused below
  }
  return parse_shared_json(j, notices);
}

SharedState parse_shared_json(const nlohmann::json& j, std::vector<std::string>* notices) {
  SharedState out;
  if (!j.is_object()) {
    notices->push_back("link: must be an object of fields");
    return out;
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    const nlohmann::json& v = it.value();
    if (key == "v") {
      if (!v.is_number_integer() || v.get<long long>() != 1) notices->push_back("link: v: unknown version; reading it as version 1");
    } else if (key == "view") {
      if (!v.is_string() || std::find(std::begin(kViews), std::end(kViews), v.get<std::string>()) == std::end(kViews))
        notices->push_back("link: view: \"" + printable(v.is_string() ? v.get<std::string>() : v.dump()) +
                           "\" is not a view (sandbox, patterns, training, memory, streaming, exercises)");
      else
        out.view = v;
    } else if (key == "preset") {
      if (!v.is_string() || !find_preset(v.get<std::string>()))
        notices->push_back("link: preset: \"" + printable(v.is_string() ? v.get<std::string>() : v.dump()) + "\" is not a preset");
      else
        out.preset = v;
    } else if (key == "exercise") {
      if (!v.is_string() || !short_id(v.get<std::string>()))
        notices->push_back("link: exercise: must be an exercise id");
      else
        out.exercise = v;
    } else if (key == "presenter") {
      if (!v.is_boolean()) notices->push_back("link: presenter: must be true or false (1 or 0)");
      else out.presenter = v, out.has_presenter = true;
    } else if (key == "scenario") {
      std::vector<std::string> e;
      if (validate_scenario(v, &e)) out.scenario = v;
      for (const std::string& m : e) notices->push_back("link: " + m);
      if (!e.empty()) notices->push_back("link: the scenario was not loaded");
    } else if (key == "sandbox") {
      SandboxConfig c = sandbox_default();
      std::vector<std::string> e;
      sandbox_update_from_json(&c, v, &e);
      for (const std::string& m : e) notices->push_back("link: sandbox." + m);
      if (v.is_object()) {  // keep only the fields that applied
        nlohmann::json good = nlohmann::json::object();
        for (auto f = v.begin(); f != v.end(); ++f) {
          SandboxConfig probe = sandbox_default();
          std::vector<std::string> fe;
          sandbox_update_from_json(&probe, {{f.key(), f.value()}}, &fe);
          if (fe.empty()) good[f.key()] = f.value();
        }
        if (!good.empty()) out.sandbox = good;
      }
    } else if (key == "patterns") {
      if (!v.is_object()) {
        notices->push_back("link: patterns: must be an object of settings");
        continue;
      }
      // The settings depend on each other (source < n, sinks <= n): apply the
      // fields in the order pattern_update_from_json does (n first), each to
      // the settings so far, and keep those it accepts.
      nlohmann::json good = nlohmann::json::object();
      PatternSettings settings;
      auto apply = [&](const std::string& k, const nlohmann::json& x) {
        PatternSettings probe = settings;
        std::vector<std::string> fe;
        pattern_update_from_json(&probe, {{k, x}}, &fe);
        if (fe.empty()) settings = probe, good[k] = x;
        for (const std::string& m : fe) notices->push_back("link: patterns." + m);
      };
      if (v.contains("n")) apply("n", v["n"]);
      for (auto f = v.begin(); f != v.end(); ++f)
        if (f.key() != "n") apply(f.key(), f.value());
      if (!good.empty()) out.patterns = good;
    } else if (key == "training") {
      if (!v.is_object()) {
        notices->push_back("link: training: must be an object");
        continue;
      }
      struct Range { const char* key; double lo, hi; };
      for (const Range& r : {Range{"layer", 0, 3}, Range{"head", 0, 3}, Range{"query", -1, 8191}, Range{"speed", 0, 10000}}) {
        if (!v.contains(r.key)) continue;
        const nlohmann::json& x = v[r.key];
        if (!x.is_number() || x.get<double>() < r.lo || x.get<double>() > r.hi)
          notices->push_back(std::string("link: training.") + r.key + ": must be a number from " +
                             std::to_string(static_cast<long long>(r.lo)) + " to " + std::to_string(static_cast<long long>(r.hi)));
        else
          out.training[r.key] = x;
      }
      for (auto f = v.begin(); f != v.end(); ++f)
        if (f.key() != "layer" && f.key() != "head" && f.key() != "query" && f.key() != "speed")
          notices->push_back("link: training." + printable(f.key()) + ": unknown field");
    } else {
      notices->push_back("link: " + printable(key) + ": unknown field; ignored");
    }
  }
  return out;
}

}  // namespace attnlab
