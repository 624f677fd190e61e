#include "core/training/run_report.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/base/json_read.h"
#include "core/training/config_schema.h"

namespace attnlab {
namespace {

// The per-head measures, by name, in CSV and JSON order.
struct HeadField {
  const char* name;
  double HeadMeasures::*member;
};
const HeadField kHeadFields[] = {
    {"entropy", &HeadMeasures::entropy},         {"entropy_norm", &HeadMeasures::entropy_norm},
    {"peak", &HeadMeasures::peak},               {"peaky", &HeadMeasures::peaky},
    {"jump", &HeadMeasures::jump},               {"drift", &HeadMeasures::drift},
    {"special_mass", &HeadMeasures::special_mass}, {"first_mass", &HeadMeasures::first_mass},
    {"local_mass", &HeadMeasures::local_mass},   {"max_logit", &HeadMeasures::max_logit},
    {"jump_active", &HeadMeasures::jump_active}, {"drift_active", &HeadMeasures::drift_active},
    {"jump_idle", &HeadMeasures::jump_idle},     {"drift_idle", &HeadMeasures::drift_idle},
};

double num(const nlohmann::json& j, const char* key) { return json_number(j, key, 0.0); }

std::string csv_number(double v) {
  if (!std::isfinite(v)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

nlohmann::json history_to_json(const std::vector<LogPoint>& history) {
  nlohmann::json out = nlohmann::json::array();
  for (const LogPoint& p : history) {
    nlohmann::json heads = nlohmann::json::array();
    for (const HeadMeasures& h : p.heads) {
      nlohmann::json o;
      for (const HeadField& f : kHeadFields) o[f.name] = h.*f.member;
      heads.push_back(o);
    }
    out.push_back({{"step", p.step}, {"lr", p.lr}, {"train_loss", p.train_loss}, {"eval_loss", p.eval_loss},
                   {"accuracy", p.accuracy}, {"grad_norm", p.grad_norm}, {"heads", heads}, {"cosine", p.cosine},
                   {"pairs", p.pairs}, {"step_flops", p.step_flops}, {"event", p.event}});
  }
  return out;
}

std::vector<LogPoint> history_from_json(const nlohmann::json& j) {
  std::vector<LogPoint> out;
  if (!j.is_array()) return out;
  for (const nlohmann::json& e : j) {
    if (!e.is_object()) continue;
    LogPoint p;
    p.step = static_cast<int>(num(e, "step"));
    p.lr = num(e, "lr");
    p.train_loss = num(e, "train_loss");
    p.eval_loss = num(e, "eval_loss");
    p.grad_norm = num(e, "grad_norm");
    p.pairs = static_cast<long long>(num(e, "pairs"));
    p.step_flops = num(e, "step_flops");
    if (e.contains("event") && e["event"].is_string()) p.event = e["event"].get<std::string>();
    if (e.contains("accuracy") && e["accuracy"].is_array())
      for (const auto& a : e["accuracy"]) p.accuracy.push_back(a.is_number() ? a.get<double>() : 0.0);
    if (e.contains("cosine") && e["cosine"].is_array())
      for (const auto& a : e["cosine"]) p.cosine.push_back(a.is_number() ? a.get<double>() : 0.0);
    if (e.contains("heads") && e["heads"].is_array())
      for (const auto& h : e["heads"]) {
        HeadMeasures m;
        for (const HeadField& f : kHeadFields) m.*f.member = num(h, f.name);
        p.heads.push_back(m);
      }
    out.push_back(std::move(p));
  }
  return out;
}

nlohmann::json logpoint_summary(const LogPoint& p, const RunConfig& config, const std::vector<std::string>& groups) {
  nlohmann::json o = {{"step", p.step}, {"lr", p.lr}, {"train_loss", p.train_loss}, {"eval_loss", p.eval_loss},
                      {"grad_norm", p.grad_norm}};
  for (size_t g = 0; g < p.accuracy.size(); ++g)
    o[g == 0 ? std::string("accuracy") : "accuracy_" + (g < groups.size() ? groups[g] : std::to_string(g))] =
        p.accuracy[g];
  for (const HeadField& f : kHeadFields) o[f.name] = head_mean(p.heads, f.member);
  int sink_heads = 0;
  for (const HeadMeasures& h : p.heads) sink_heads += h.first_mass > config.train.sink_threshold;
  o["max_logit"] = p.heads.empty() ? 0.0 : head_max(p.heads, &HeadMeasures::max_logit);
  o["sink_heads"] = sink_heads;
  double cos = 0.0;
  for (double c : p.cosine) cos += c;
  o["cosine"] = p.cosine.empty() ? 0.0 : cos / p.cosine.size();
  o["pairs"] = p.pairs;
  o["step_flops"] = p.step_flops;
  return o;
}

void write_history_csv(std::ostream& out, const Run& run) {
  write_history_csv(out, run.history(), run.config(), run.task().group_names());
}

void write_history_csv(std::ostream& out, const std::vector<LogPoint>& history, const RunConfig& config,
                       const std::vector<std::string>& groups) {
  const int L = config.model.layers;
  out << "step,lr,train_loss,eval_loss";
  for (const std::string& g : groups) out << ",accuracy_" << g;
  out << ",grad_norm,max_logit,sink_heads,cosine,pairs,step_flops";
  for (const HeadField& f : kHeadFields) out << "," << f.name;
  for (int l = 0; l < L; ++l) out << ",L" << l << "_cosine";
  const size_t heads = history.empty() ? 0 : history.back().heads.size();
  const int H = config.model.heads;
  for (size_t i = 0; i < heads; ++i)
    for (const HeadField& f : kHeadFields) out << ",L" << i / H << "H" << i % H << "_" << f.name;
  out << ",event\n";
  for (const LogPoint& p : history) {
    const nlohmann::json s = logpoint_summary(p, config, groups);
    out << p.step << "," << csv_number(p.lr) << "," << csv_number(p.train_loss) << "," << csv_number(p.eval_loss);
    for (size_t g = 0; g < groups.size(); ++g) out << "," << csv_number(g < p.accuracy.size() ? p.accuracy[g] : NAN);
    out << "," << csv_number(p.grad_norm) << "," << csv_number(s["max_logit"].get<double>()) << ","
        << s["sink_heads"].get<int>() << "," << csv_number(s["cosine"].get<double>()) << "," << p.pairs << ","
        << csv_number(p.step_flops);
    for (const HeadField& f : kHeadFields) {
      out << "," << csv_number(s[f.name].get<double>());
    }
    for (int l = 0; l < L; ++l) out << "," << csv_number(l < static_cast<int>(p.cosine.size()) ? p.cosine[l] : NAN);
    for (size_t i = 0; i < heads; ++i)
      for (const HeadField& f : kHeadFields) {
        double v = i < p.heads.size() ? p.heads[i].*f.member : NAN;
        if (has_not_yet(f.member) && v < 0) v = NAN;
        out << "," << csv_number(v);
      }
    std::string event = p.event;
    for (char& ch : event)
      if (ch == '"') ch = '\'';
    out << ",\"" << event << "\"\n";
  }
}

nlohmann::json run_summary(const Run& run) {
  const std::vector<std::string> groups = run.task().group_names();
  nlohmann::json o;
  o["config"] = config_to_json(run.config());
  o["steps_done"] = run.steps_done();
  o["params"] = run.model().num_params();
  o["task"] = {{"name", run.task().name()}, {"groups", groups}, {"vocab", run.task().vocab_size()}};
  nlohmann::json chance = nlohmann::json::array();
  for (size_t g = 0; g < groups.size(); ++g) chance.push_back(run.task().chance(static_cast<int>(g)));
  o["task"]["chance"] = chance;
  const int N = run.model().seq();
  const AttentionSpec& spec = run.model().spec();
  o["cost"] = {{"seq", N},
               {"pairs_per_head", spec.mask.pairs(N)},
               {"pairs_full", spec.mask.full_pairs(N)},  // full attention of the model's causality
               {"pairs_full_bidirectional", static_cast<long long>(N) * N},
               {"pairs_full_causal", static_cast<long long>(N) * (N + 1) / 2},
               {"attention_flops_forward", attention_forward_flops(spec, run.config().train.batch, N) *
                                               run.config().model.layers},
               {"step_flops", run.model().step_flops(run.config().train.batch)}};
  o["converged_at"] = run.converged_at();
  if (run.diverged())
    o["diverged"] = {{"step", run.divergence().step}, {"what", run.divergence().what},
                     {"advice", run.divergence().advice}};
  else
    o["diverged"] = nullptr;
  if (!run.history().empty()) {
    o["initial"] = logpoint_summary(run.history().front(), run.config(), groups);
    const LogPoint& last = run.history().back();
    o["final"] = logpoint_summary(last, run.config(), groups);
    nlohmann::json heads = nlohmann::json::array();
    const int H = run.config().model.heads;
    for (size_t i = 0; i < last.heads.size(); ++i) {
      nlohmann::json h = {{"layer", i / H}, {"head", i % H}};
      for (const HeadField& f : kHeadFields) h[f.name] = last.heads[i].*f.member;
      heads.push_back(h);
    }
    o["final"]["per_head"] = heads;
    o["final"]["per_layer_cosine"] = last.cosine;
  }
  return o;
}

}  // namespace attnlab
