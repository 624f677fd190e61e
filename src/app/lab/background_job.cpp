#include "app/lab/background_job.h"

#include "core/lab/presets.h"

namespace attnlab {

bool BackgroundJob::mine() const {
  return !running_.empty() && lab_->state.job.is_object() && lab_->state.job.value("status", std::string()) == "running";
}

bool BackgroundJob::command(const std::string& name, const nlohmann::json& args, std::vector<std::string>* errors) {
  if (name == "start") {
    const std::string id = args.contains("preset") && args["preset"].is_string() ? args["preset"].get<std::string>() : "";
    const Preset* p = find_preset(id);
    if (!p || p->view != view_) {
      std::string known;
      for (const Preset& q : presets())
        if (q.view == view_) known += (known.empty() ? "" : ", ") + q.id;
      errors->push_back("preset: must be one of " + known);
      return true;
    }
    lab_->state.job_results.clear();
    lab_->state.job = {{"status", "running"}, {"progress", {{"fraction", 0.0}}}};
    running_ = shown_ = id;
    results_.clear();
    seen_ = 0;
    lab_->send({{"cmd", "job.start"}, {"spec", p->scenario}});
    return true;
  }
  if (name == "cancel") {
    if (mine()) lab_->send({{"cmd", "job.cancel"}});
    running_.clear();
    return true;
  }
  return false;
}

void BackgroundJob::update() {
  if (running_.empty()) return;
  const auto& all = lab_->state.job_results;
  for (; seen_ < all.size(); ++seen_) {
    results_.push_back(all[seen_]);
    lab_->results.record_job_result(running_, all[seen_]);
  }
  if (!mine() && lab_->state.job.is_object() && lab_->state.job.value("status", std::string()) != "running")
    running_.clear();
}

nlohmann::json BackgroundJob::state() const {
  const bool running = mine();
  return {{"shown", shown_}, {"running", running},
          {"progress", running ? lab_->state.job.value("progress", nlohmann::json::object()).value("fraction", 0.0) : 0.0},
          {"results", results_}};
}

}  // namespace attnlab
