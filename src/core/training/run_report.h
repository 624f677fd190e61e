// A run's history and final measures as JSON and CSV, for the command-line
// runner, the app's exports and save files. Column and key names are the
// measure names of core/measures (entropy, peaky, jump, drift, special_mass, ...).
#pragma once

#include <ostream>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/training/run.h"

namespace attnlab {

nlohmann::json history_to_json(const std::vector<LogPoint>& history);
// Tolerant: fields missing or of the wrong type are left at their defaults.
std::vector<LogPoint> history_from_json(const nlohmann::json& j);

// Averages over heads (and layers) of one log point, e.g. "entropy_norm".
nlohmann::json logpoint_summary(const LogPoint& p, const RunConfig& config, const std::vector<std::string>& groups);

// One row per log point: step, lr, losses, accuracies, grad norm, the
// measures averaged over heads, then every measure per layer and head.
void write_history_csv(std::ostream& out, const Run& run);
// The same from a history the app received in snapshots (one run's config and accuracy groups).
void write_history_csv(std::ostream& out, const std::vector<LogPoint>& history, const RunConfig& config,
                       const std::vector<std::string>& groups);

// The final state of a run as one JSON object: the config, the last
// measures (averaged and per head), convergence, divergence, cost.
nlohmann::json run_summary(const Run& run);

}  // namespace attnlab
