// attnlab: the headless runner. Trains the same engine the app uses and
// prints or writes the same measures, for scripts, tests and EXPERIMENTS.md.
//
//   attnlab run   [--config FILE.json] [--FIELD VALUE ...] [--csv FILE] [--json] [--save FILE]
//   attnlab sweep --over FIELD=v1,v2,... [--over FIELD=...] [--seeds 1,2,3] [--FIELD VALUE ...] --csv FILE
//   attnlab lesson --preset ID [--seed S] [--json]   |   attnlab lesson --list
//   attnlab help | --help
//
// Every config field is a flag (see --help); a bad flag or value exits with
// status 2 and a message naming the flag and what it allows.
//
// Index
//   - usage          --help text, generated from the config schema
//   - parsing        flags into a RunConfig
//   - run            one run
//   - sweep          a grid of runs, one CSV row each
//   - lesson         a preset's experiment through the lab engine, and its lesson's verdict
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/training/config_schema.h"
#include "core/lab/presets.h"
#include "core/lab/session.h"
#include "core/model/stream_eval.h"
#include "core/training/run.h"
#include "core/training/run_report.h"

namespace attnlab {
namespace {

constexpr int kUsageError = 2;
constexpr int kLessonNotHeld = 3;

// ---- usage ------------------------------------------------------------------------

void print_usage(std::ostream& out) {
  out << "attnlab: train the Attention Lab engine headless and print its measures.\n\n"
         "Usage:\n"
         "  attnlab run   [options] [--FIELD VALUE ...]\n"
         "  attnlab sweep --over FIELD=v1,v2,... [--over FIELD=...] [--seeds 1,2,3] --csv FILE [--FIELD VALUE ...]\n"
         "  attnlab lesson --preset ID [--seed S] [--steps N] [--json]   train a preset's experiment, judge its lesson\n"
         "  attnlab lesson --list                            the presets and what each one's lesson says\n"
         "  attnlab help\n\n"
         "Run options:\n"
         "  --config FILE.json   start from this config (the app's scenario format); flags override it\n"
         "  --preset ID[:b]      start from a Training-lab preset's run A (or B with :b); then --config, then flags\n"
         "  --csv FILE           write the measures' history (one row per log point)\n"
         "  --json               print the final measures as one JSON object on stdout\n"
         "  --save FILE          save the whole run state at the end\n"
         "  --load FILE          continue a saved run (flags then only --steps and the like apply)\n"
         "  --stream-eval CACHES after training, evaluate next-token loss with rolling caches, e.g. 0+64,1+63,4+60\n"
         "                       (S+R: keep the first S tokens and the R most recent; stream task only)\n"
         "  --quiet              no progress on stderr\n\n"
         "Sweep options:\n"
         "  --over FIELD=LIST    a field and its values (one or two --over; their grid is run)\n"
         "  --seeds LIST         seeds for every point of the grid (default: the config's seed)\n"
         "  --csv FILE           one row per run: the swept fields, the seed, the final measures\n\n"
         "Config fields (flag, JSON path, allowed values, default):\n";
  const RunConfig defaults;
  for (const ConfigField& f : config_fields()) {
    std::string head = "  --" + std::string(f.flag);
    head.resize(std::max<size_t>(head.size() + 1, 22), ' ');
    out << head << f.help << "\n" << std::string(22, ' ') << field_path(f) << ": " << field_allowed(f)
        << "; default " << field_value_text(defaults, f) << "\n";
  }
  out << "\nExit status: 0 on success, 1 if the run diverged or a file could not be written, 2 on a bad flag or value;\n"
         "lesson: 0 when the lesson held, 3 when it did not.\n";
}

// ---- parsing ------------------------------------------------------------------------

struct Options {
  std::string command;
  std::string config_file, csv, save, load, stream_eval, preset;
  bool json = false, quiet = false, list = false;
  std::vector<std::pair<std::string, std::vector<std::string>>> over;  // sweep
  std::vector<std::string> seeds;
  std::vector<std::pair<const ConfigField*, std::string>> fields;    // in order
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, sep)) parts.push_back(part);
  return parts;
}

bool fail(const std::string& message) {
  std::cerr << "attnlab: " << message << "\n(attnlab help lists every flag)\n";
  return false;
}

bool parse(int argc, char** argv, Options* o) {
  if (argc < 2) return fail("a command is needed: run, sweep or help");
  o->command = argv[1];
  if (o->command == "--help" || o->command == "-h") o->command = "help";
  if (o->command != "run" && o->command != "sweep" && o->command != "lesson" && o->command != "help")
    return fail("unknown command \"" + o->command + "\" (known: run, sweep, lesson, help)");
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      o->command = "help";
      return true;
    }
    if (arg.rfind("--", 0) != 0) return fail("unexpected argument \"" + arg + "\" (flags start with --)");
    std::string name = arg.substr(2), value;
    bool has_value = false;
    const size_t eq = name.find('=');
    if (eq != std::string::npos && name.rfind("over", 0) != 0) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    auto next = [&](std::string* out) {
      if (has_value) {
        *out = value;
        return true;
      }
      if (i + 1 >= argc) return fail("--" + name + " needs a value");
      *out = argv[++i];
      return true;
    };
    if (name == "json") {
      o->json = true;
    } else if (name == "list" && o->command == "lesson") {
      o->list = true;
    } else if (name == "quiet") {
      o->quiet = true;
    } else if (name == "config" || name == "csv" || name == "save" || name == "load" || name == "stream-eval" ||
               name == "seeds" || name == "preset") {
      std::string v;
      if (!next(&v)) return false;
      (name == "config" ? o->config_file : name == "csv" ? o->csv : name == "save" ? o->save
                       : name == "load" ? o->load : name == "stream-eval" ? o->stream_eval
                       : name == "preset" ? o->preset : v) = v;
      if (name == "seeds") o->seeds = split(v, ',');
    } else if (name.rfind("over", 0) == 0) {
      std::string spec;
      if (name.size() > 4 && name[4] == '=') spec = name.substr(5);
      else if (!next(&spec)) return false;
      const size_t e = spec.find('=');
      if (e == std::string::npos) return fail("--over needs FIELD=v1,v2,..., got \"" + spec + "\"");
      const std::string field = spec.substr(0, e);
      if (!find_field(field)) return fail("--over: unknown field \"" + field + "\"");
      o->over.push_back({field, split(spec.substr(e + 1), ',')});
      if (o->over.back().second.empty()) return fail("--over " + field + ": no values");
    } else {
      bool negated = false;
      const ConfigField* f = find_field(name);
      if (!f && name.rfind("no-", 0) == 0 && (f = find_field(name.substr(3))) && f->type == FieldType::Bool)
        negated = true;
      if (!f) return fail("unknown flag --" + name);
      std::string v;
      if (f->type == FieldType::Bool && !has_value && (i + 1 >= argc || std::strncmp(argv[i + 1], "--", 2) == 0)) {
        v = negated ? "false" : "true";  // a bare boolean flag
      } else if (!next(&v)) {
        return false;
      }
      o->fields.push_back({f, v});
    }
  }
  if (o->command == "sweep" && o->over.empty()) return fail("sweep needs at least one --over FIELD=v1,v2,...");
  if (o->command == "sweep" && o->over.size() > 2) return fail("sweep takes at most two --over fields");
  if (o->command == "sweep" && o->csv.empty()) return fail("sweep needs --csv FILE");
  if (o->command == "lesson") {
    for (const auto& [f, v] : o->fields)
      if (std::string(f->key) != "seed" && std::string(f->key) != "steps")
        return fail("lesson takes --preset, --seed, --steps (a shortened run), --json and --quiet, not --" +
                    std::string(f->flag));
    if (!o->list && o->preset.empty()) return fail("lesson needs --preset ID (attnlab lesson --list lists them)");
    if (!o->list && !find_preset(o->preset)) return fail("--preset: no preset \"" + o->preset + "\" (attnlab lesson --list lists them)");
  }
  return true;
}

bool build_config(const Options& o, RunConfig* c) {
  if (!o.preset.empty()) {
    // "ID" is run A of a Training-lab preset, "ID:b" its run B.
    const bool b = o.preset.size() > 2 && o.preset.compare(o.preset.size() - 2, 2, ":b") == 0;
    const std::string id = b ? o.preset.substr(0, o.preset.size() - 2) : o.preset;
    const Preset* p = find_preset(id);
    if (!p || p->view != "training") {
      std::string known;
      for (const Preset& q : presets())
        if (q.view == "training") known += (known.empty() ? "" : ", ") + q.id;
      return fail("--preset: \"" + id + "\" is not a Training-lab preset (" + known + "; add :b for run B)");
    }
    nlohmann::json j = p->scenario["config"];
    if (b && p->scenario.contains("b")) j.merge_patch(p->scenario["b"]);
    std::vector<std::string> errors;
    config_update_from_json(c, j, &errors);
    if (!errors.empty()) return fail("--preset " + o.preset + ": " + errors[0]);
  }
  if (!o.config_file.empty()) {
    std::ifstream in(o.config_file);
    if (!in) return fail("--config: cannot read " + o.config_file);
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded()) return fail("--config: " + o.config_file + " is not valid JSON");
    std::vector<std::string> errors;
    config_update_from_json(c, j, &errors);
    if (!errors.empty()) return fail("--config " + o.config_file + ": " + errors[0]);
  }
  for (const auto& [f, v] : o.fields) {
    std::string error;
    if (!set_field_text(c, *f, v, &error)) return fail("--" + std::string(f->flag) + ": " + error);
  }
  const std::vector<std::string> errors = validate_config(*c);
  if (!errors.empty()) {
    // Name the flag as well as the field.
    std::string message = errors[0];
    const ConfigField* f = find_field(message.substr(0, message.find(':')));
    return fail((f ? "--" + std::string(f->flag) + ": " : std::string()) + message);
  }
  return true;
}

void progress(const char* label, double fraction, const std::string& tail) {
  const int width = 30, done = static_cast<int>(fraction * width + 0.5);
  std::fprintf(stderr, "\r%s [%s%s] %3.0f%% %s\x1b[K", label, std::string(done, '#').c_str(),
               std::string(width - done, '.').c_str(), 100.0 * fraction, tail.c_str());
  std::fflush(stderr);
}

std::vector<StreamCache> parse_caches(const std::string& spec, bool* ok) {
  std::vector<StreamCache> caches;
  *ok = true;
  for (const std::string& part : split(spec, ',')) {
    const size_t plus = part.find('+');
    char* end = nullptr;
    StreamCache c{};
    if (plus != std::string::npos) {
      c.keep_first = static_cast<int>(std::strtol(part.substr(0, plus).c_str(), &end, 10));
      c.recent = static_cast<int>(std::strtol(part.substr(plus + 1).c_str(), &end, 10));
    }
    if (plus == std::string::npos || c.keep_first < 0 || c.recent < 1) {
      *ok = fail("--stream-eval: \"" + part + "\" is not S+R (S >= 0 kept first tokens, R >= 1 recent ones)");
      return {};
    }
    caches.push_back(c);
  }
  return caches;
}

// ---- run --------------------------------------------------------------------------------

int command_run(const Options& o) {
  RunConfig config;
  std::unique_ptr<Run> run;
  std::vector<std::string> errors;
  if (!o.load.empty()) {
    std::ifstream in(o.load, std::ios::binary);
    if (!in) return fail("--load: cannot read " + o.load), kUsageError;
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    run = Run::load(bytes, &errors);
    if (!run) return fail("--load " + o.load + ": " + errors[0]), kUsageError;
    // Flags continue the run: only what apply() allows (e.g. --steps).
    nlohmann::json changes = nlohmann::json::object();
    for (const auto& [f, v] : o.fields) {
      RunConfig probe = run->config();
      std::string error;
      if (!set_field_text(&probe, *f, v, &error)) return fail("--" + std::string(f->flag) + ": " + error), kUsageError;
      changes[f->section][f->key] = config_to_json(probe)[f->section][f->key];
    }
    if (!changes.empty() && !run->apply(changes, &errors)) return fail(errors[0]), kUsageError;
  } else {
    if (!build_config(o, &config)) return kUsageError;
    run = Run::create(config, &errors);
    if (!run) return fail(errors[0]), kUsageError;
  }
  std::vector<StreamCache> caches;
  if (!o.stream_eval.empty()) {
    bool ok = true;
    caches = parse_caches(o.stream_eval, &ok);
    if (!ok) return kUsageError;
    if (!run->task().is_stream()) return fail("--stream-eval: needs --task stream or backcopy"), kUsageError;
  }

  const auto t0 = std::chrono::steady_clock::now();
  const int total = run->config().train.steps;
  while (!run->done()) {
    run->step();
    if (!o.quiet && (run->steps_done() % 10 == 0 || run->done())) {
      char tail[96];
      const double acc = run->history().empty() || run->history().back().accuracy.empty()
                             ? 0.0 : run->history().back().accuracy[0];
      std::snprintf(tail, sizeof tail, "step %d/%d  eval accuracy %.3f", run->steps_done(), total, acc);
      progress("training", static_cast<double>(run->steps_done()) / total, tail);
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!o.quiet) std::fprintf(stderr, "\n");

  nlohmann::json summary = run_summary(*run);
  summary["wall_seconds"] = seconds;
  summary["steps_per_second"] = seconds > 0 ? run->steps_done() / seconds : 0.0;
  if (!caches.empty()) {
    Rng rng = Rng(run->config().seed).fork(4);
    summary["stream_eval"] = stream_eval_json(run->model(), run->task(), caches, run->config().task.eval_length,
                                              std::max(1, run->config().train.probe_batch), &rng);
  }
  int status = run->diverged() ? 1 : 0;
  if (!o.csv.empty()) {
    std::ofstream out(o.csv);
    write_history_csv(out, *run);
    if (!out) std::cerr << "attnlab: cannot write " << o.csv << "\n", status = 1;
  }
  if (!o.save.empty()) {
    const std::vector<uint8_t> bytes = run->save();
    std::ofstream out(o.save, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) std::cerr << "attnlab: cannot write " << o.save << "\n", status = 1;
  }
  if (o.json) {
    std::cout << summary.dump(2) << "\n";
  } else {
    const nlohmann::json& f = summary["final"];
    std::printf("%s after %d steps (%.1f s, %.1f steps/s): eval loss %.4f, accuracy %.4f (chance %.4f)\n",
                run->task().name().c_str(), run->steps_done(), seconds, summary["steps_per_second"].get<double>(),
                f.value("eval_loss", 0.0), f.value("accuracy", 0.0), run->task().chance(0));
    std::printf("attention: entropy/ln(keys) %.3f, peak %.3f, peaky rows %.3f, jump %.3f, drift %.3f bits, "
                "special mass %.3f, max logit %.2f\n",
                f.value("entropy_norm", 0.0), f.value("peak", 0.0), f.value("peaky", 0.0), f.value("jump", 0.0),
                f.value("drift", 0.0), f.value("special_mass", 0.0), f.value("max_logit", 0.0));
    if (run->diverged())
      std::printf("DIVERGED at step %d: %s. %s\n", run->divergence().step, run->divergence().what.c_str(),
                  run->divergence().advice.c_str());
    if (summary.contains("stream_eval")) std::printf("stream evaluation: %s\n", summary["stream_eval"].dump().c_str());
  }
  return status;
}

// ---- sweep -------------------------------------------------------------------------------

int command_sweep(const Options& o) {
  RunConfig base;
  if (!build_config(o, &base)) return kUsageError;
  // The grid: every combination of the --over values, for every seed.
  std::vector<std::vector<std::string>> grid = {{}};
  for (const auto& [field, values] : o.over) {
    std::vector<std::vector<std::string>> next;
    for (const auto& point : grid)
      for (const std::string& v : values) {
        auto p = point;
        p.push_back(v);
        next.push_back(p);
      }
    grid = next;
  }
  bool seed_swept = false;
  for (const auto& [field, values] : o.over) seed_swept |= find_field(field) == find_field("seed");
  if (seed_swept && !o.seeds.empty()) return fail("--seeds and --over seed=... both set the seed; use one"), kUsageError;
  // With --over seed=..., the grid already sets it; an empty entry keeps it.
  std::vector<std::string> seeds = seed_swept ? std::vector<std::string>{""}
                                   : o.seeds.empty() ? std::vector<std::string>{std::to_string(base.seed)} : o.seeds;
  // Validate every point before running any.
  std::vector<RunConfig> configs;
  std::vector<std::vector<std::string>> labels;
  for (const auto& point : grid)
    for (const std::string& seed : seeds) {
      RunConfig c = base;
      std::string error;
      for (size_t k = 0; k < point.size(); ++k)
        if (!set_field_text(&c, *find_field(o.over[k].first), point[k], &error))
          return fail("--over " + o.over[k].first + ": " + error), kUsageError;
      if (!seed.empty() && !set_field_text(&c, *find_field("seed"), seed, &error))
        return fail("--seeds: " + error), kUsageError;
      const auto errors = validate_config(c);
      if (!errors.empty()) return fail("at " + o.over[0].first + "=" + point[0] + ": " + errors[0]), kUsageError;
      configs.push_back(c);
      auto label = point;
      if (!seed_swept) label.push_back(std::to_string(c.seed));
      labels.push_back(label);
    }

  std::ofstream out(o.csv);
  if (!out) return fail("--csv: cannot write " + o.csv), 1;
  const char* columns[] = {"eval_loss", "entropy", "entropy_norm", "peak", "peaky", "jump", "drift", "special_mass",
                           "first_mass", "local_mass", "max_logit", "sink_heads", "cosine", "pairs", "step_flops",
                           "jump_idle", "drift_idle", "jump_active", "drift_active"};
  for (const auto& [field, values] : o.over) out << field << ",";
  if (!seed_swept) out << "seed,";
  out << "steps_done,converged_at,diverged_at,divergence";
  std::vector<std::string> groups;
  {
    std::vector<std::string> errors;
    groups = Run::create(configs[0], &errors)->task().group_names();
  }
  for (const std::string& g : groups) out << ",accuracy_" << g;
  for (const char* c : columns) out << "," << c;
  const char* initial[] = {"entropy_norm", "special_mass", "local_mass", "cosine"};
  for (const char* c : initial) out << ",init_" << c;
  out << ",steps_per_second\n";

  const auto t0 = std::chrono::steady_clock::now();
  int failures = 0;
  for (size_t r = 0; r < configs.size(); ++r) {
    std::vector<std::string> errors;
    auto run = Run::create(configs[r], &errors);
    const auto t_run = std::chrono::steady_clock::now();
    const int total = configs[r].train.steps;
    while (!run->done()) {
      run->step();
      if (!o.quiet && (run->steps_done() % 25 == 0 || run->done())) {
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const double fraction = (r + static_cast<double>(run->steps_done()) / total) / configs.size();
        char tail[160];
        std::snprintf(tail, sizeof tail, "run %zu/%zu (%s)  %.0f s left", r + 1, configs.size(),
                      [&] { std::string s; for (const auto& x : labels[r]) s += (s.empty() ? "" : " ") + x; return s; }().c_str(),
                      fraction > 0 ? elapsed / fraction - elapsed : 0.0);
        progress("sweep", fraction, tail);
      }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_run).count();
    const nlohmann::json s = run_summary(*run);
    for (const std::string& v : labels[r]) out << v << ",";
    out << run->steps_done() << "," << run->converged_at() << ",";
    if (run->diverged()) {
      std::string what = run->divergence().what;
      for (char& ch : what)
        if (ch == ',' || ch == '"') ch = ' ';
      out << run->divergence().step << "," << what;
      ++failures;
    } else {
      out << ",";
    }
    const nlohmann::json f = s.contains("final") ? s["final"] : nlohmann::json::object();
    for (size_t g = 0; g < groups.size(); ++g)
      out << "," << f.value(g == 0 ? std::string("accuracy") : "accuracy_" + groups[g], 0.0);
    for (const char* c : columns) out << "," << (f.contains(c) ? f[c].dump() : std::string());
    const nlohmann::json i0 = s.contains("initial") ? s["initial"] : nlohmann::json::object();
    for (const char* c : initial) out << "," << (i0.contains(c) ? i0[c].dump() : std::string());
    out << "," << (seconds > 0 ? run->steps_done() / seconds : 0.0) << "\n";
    out.flush();
  }
  if (!o.quiet) std::fprintf(stderr, "\n");
  std::fprintf(stderr, "wrote %zu runs to %s%s\n", configs.size(), o.csv.c_str(),
               failures ? (" (" + std::to_string(failures) + " diverged)").c_str() : "");
  return 0;
}

// ---- lesson -------------------------------------------------------------------------------

double wall_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int command_lesson(const Options& o) {
  if (o.list) {
    for (const Preset& p : presets())
      std::cout << p.id << "  (" << p.view << ")\n  " << (p.lesson.is_object() ? p.lesson.value("says", std::string()) : "no lesson")
                << "\n";
    return 0;
  }
  const Preset& p = *find_preset(o.preset);
  if (!p.lesson.is_object()) {
    std::cerr << "attnlab: preset " << p.id << " states no lesson\n";
    return kUsageError;
  }
  // The page's own engine and evaluation: load (or start) the preset, run it to the end.
  LabSession lab;
  nlohmann::json cmd = {{"preset", p.id}};
  std::string seed = "the preset's";
  for (const auto& [f, v] : o.fields) {
    if (std::string(f->key) == "steps") {
      cmd["steps"] = std::stoi(v);  // a shortened run: its lesson is judged on what it measured
    } else {
      cmd["seed"] = std::stoull(v);
      seed = v;
    }
  }
  const bool training = p.view == "training";
  cmd["cmd"] = training ? "load" : "job.start";
  nlohmann::json reply = lab.command(cmd);
  if (training && reply.value("ok", false)) {
    lab.command({{"cmd", "speed"}, {"steps_per_second", 0}});
    reply = lab.command({{"cmd", "play"}});
  }
  if (!reply.value("ok", false)) {
    std::cerr << "attnlab: " << reply.dump() << "\n";
    return 1;
  }
  const double start = wall_ms();
  nlohmann::json verdict, records = nlohmann::json::object();  // what each run or job result recorded
  while (true) {
    const bool busy = lab.busy();
    lab.tick(200.0, wall_ms);
    const Snapshot s = lab.snapshot();
    verdict = training ? s.json.value("lesson", nlohmann::json()) : s.json["job"].value("lesson", nlohmann::json());
    for (const nlohmann::json& r : s.json.value("runs", nlohmann::json::array()))
      if (r.contains("record")) records[r.value("id", std::string())] = r["record"];
    for (const nlohmann::json& r : s.json.value("job_results", nlohmann::json::array()))
      if (r.contains("key") && r["key"].is_string()) records[r["key"].get<std::string>()] = r.value("record", nlohmann::json());
    if (!o.quiet) {
      const double fraction = training ? (s.json["runs"].empty() ? 0.0
                                          : s.json["runs"][0].value("step", 0) /
                                                std::max(1.0, s.json["runs"][0].value("steps", 1) * 1.0))
                                       : s.json["job"]["progress"].value("fraction", 0.0);
      progress(p.id.c_str(), std::min(1.0, fraction), "");
    }
    if (!busy) break;
  }
  if (!o.quiet) std::fprintf(stderr, "\n");
  const std::string status = verdict.value("status", std::string("not yet"));
  const double seconds = (wall_ms() - start) / 1000.0;
  if (o.json) {
    std::cout << nlohmann::json{{"preset", p.id}, {"seed", cmd.contains("seed") ? cmd["seed"] : nlohmann::json(nullptr)},
                                {"lesson", verdict}, {"records", records}, {"seconds", seconds}}.dump(2)
              << "\n";
  } else {
    std::cout << p.id << ", seed " << seed << ": " << status << " (" << seconds << " s)\n"
              << verdict.value("text", std::string()) << "\n";
    for (const nlohmann::json& v : verdict.value("values", nlohmann::json::array()))
      std::cout << "  " << (v["held"].is_null() ? "?" : v["held"].get<bool>() ? "yes" : "NO ") << "  "
                << v.value("claim", std::string()) << "\n";
  }
  return status == "held" ? 0 : kLessonNotHeld;
}

}  // namespace
}  // namespace attnlab

int main(int argc, char** argv) {
  attnlab::Options o;
  if (!attnlab::parse(argc, argv, &o)) return attnlab::kUsageError;
  if (o.command == "help") {
    attnlab::print_usage(std::cout);
    return 0;
  }
  if (o.command == "lesson") return attnlab::command_lesson(o);
  return o.command == "run" ? attnlab::command_run(o) : attnlab::command_sweep(o);
}
