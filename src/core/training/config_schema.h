// The one schema of a run's configuration: every field's name, type, range,
// default and meaning, and the one validation. The command-line runner's
// flags and --help, the JSON config files and the app's scenarios all go
// through here, so a bad value gets the same message everywhere, naming the
// field and its allowed range.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/training/config.h"

namespace attnlab {

enum class FieldType { Int, Float, Bool, String, Seed };

struct ConfigField {
  const char* section;  // "model", "task", "train", or "" (top level)
  const char* key;      // the JSON key inside its section
  const char* flag;     // the command-line flag, without "--" (unique)
  FieldType type;
  double min, max;      // numbers
  const char* choices;  // strings: "a|b|c"
  const char* help;
  void* (*address)(RunConfig&);
};

const std::vector<ConfigField>& config_fields();

// By flag ("heads") or by path ("model.heads"); null if none.
const ConfigField* find_field(const std::string& name);
std::string field_path(const ConfigField& f);        // "model.heads"
std::string field_allowed(const ConfigField& f);     // "an integer from 1 to 4"
std::string field_value_text(const RunConfig& c, const ConfigField& f);

// Parse text (a flag's value) or JSON into a field; on failure *error names
// the field and what is allowed, and the config is unchanged.
bool set_field_text(RunConfig* c, const ConfigField& f, const std::string& text, std::string* error);
bool set_field_json(RunConfig* c, const ConfigField& f, const nlohmann::json& value, std::string* error);

// Every problem with a config, one message per problem, each starting with
// the field's path: ranges, then combinations (width divisible by heads, the
// task's own constraints, global tokens in a causal language model, memory).
std::vector<std::string> validate_config(const RunConfig& c);

// {"seed":..., "model":{...}, "task":{...}, "train":{...}}. Updates only the
// fields present; each bad or unknown field is reported and skipped, the good
// ones still apply.
void config_update_from_json(RunConfig* c, const nlohmann::json& j, std::vector<std::string>* errors);
nlohmann::json config_to_json(const RunConfig& c);

// The largest run a page or the runner will start.
constexpr double kMaxRunBytes = 1.5e9;

}  // namespace attnlab
