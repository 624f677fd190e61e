// Typed reads of JSON that never throw: a damaged save file, snapshot or
// result gives the fallback, not an exception that would abort the page.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace attnlab {

// j[key] as a number, or fallback when j is not an object, has no such key,
// or holds something else there.
inline double json_number(const nlohmann::json& j, const char* key, double fallback) {
  if (!j.is_object()) return fallback;
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : fallback;
}

// The other way: a number, or null for NaN ("not known yet"), as the snapshots carry it.
inline nlohmann::json number_or_null(double v) { return v == v ? nlohmann::json(v) : nlohmann::json(); }

// j[key] as text, or "" likewise.
inline std::string json_text(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return "";
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace attnlab
