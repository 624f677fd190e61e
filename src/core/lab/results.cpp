#include "core/lab/results.h"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "core/training/run_report.h"

namespace attnlab {

nlohmann::json run_record(const Run& run) {
  if (run.history().empty()) return nlohmann::json::object();
  const std::vector<std::string> groups = run.task().group_names();
  nlohmann::json o = logpoint_summary(run.history().back(), run.config(), groups);
  o["steps"] = run.config().train.steps;
  o["seed"] = run.config().seed;
  o["chance"] = groups.empty() ? nlohmann::json(nullptr) : nlohmann::json(run.task().chance(0));
  o["pairs_full"] = run.model().spec().mask.full_pairs(run.model().seq());
  return o;
}

std::string result_key_part(const std::string& prefix, const nlohmann::json& value) {
  if (value.is_number_integer()) return prefix + std::to_string(value.get<long long>());
  if (value.is_number()) {
    const double v = value.get<double>();
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) return prefix + std::to_string(static_cast<long long>(v));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return prefix + result_slug(buf);
  }
  if (value.is_string()) return prefix + result_slug(value.get<std::string>());
  return prefix + result_slug(value.dump());
}

std::string result_slug(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '-';
  return out;
}

}  // namespace attnlab
