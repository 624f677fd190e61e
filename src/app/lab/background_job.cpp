#include "app/lab/background_job.h"

#include <algorithm>
#include <cmath>

#include "app/ui/help.h"
#include "app/ui/item_rects.h"
#include "app/ui/lesson_verdict.h"
#include "app/ui/theme.h"
#include "core/lab/presets.h"
#include "core/base/json_read.h"
#include "core/lab/time_left.h"
#include "imgui.h"

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
    const int number = ++lab_->state.job_id;
    lab_->state.job_results.clear();
    lab_->state.job = {{"id", number}, {"status", "running"}, {"progress", {{"fraction", 0.0}}}};
    running_ = shown_ = id;
    results_.clear();
    lesson_ = nullptr;
    seen_ = 0;
    lab_->send({{"cmd", "job.start"}, {"spec", p->scenario}, {"preset", p->id}, {"id", number}});
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
  if (lab_->state.job.is_object() && lab_->state.job.contains("lesson") && lab_->state.job["lesson"].is_object()) {
    lesson_ = lab_->state.job["lesson"];
    lab_->results.record_lesson(running_, lesson_);
  }
  if (!mine() && lab_->state.job.is_object() && lab_->state.job.value("status", std::string()) != "running")
    running_.clear();
}

nlohmann::json BackgroundJob::state() const {
  const bool running = mine();
  const nlohmann::json prog = running ? lab_->state.job.value("progress", nlohmann::json::object()) : nlohmann::json::object();
  // The engine's estimate (null: not yet known, or not running).
  return {{"shown", shown_}, {"running", running}, {"progress", prog.value("fraction", 0.0)},
          {"seconds_left", number_or_null(json_number(prog, "seconds_left", NAN))},
          {"results", results_}, {"lesson", lesson_}};
}

void BackgroundJob::draw_controls(std::string (*progress_label)(const nlohmann::json& progress), float bar_width,
                                  std::vector<std::string>* errors) {
  const std::string view = view_;
  for (const Preset& p : presets()) {
    if (p.view != view) continue;
    ImGui::BeginDisabled(mine());
    if (ImGui::Button(p.title.c_str())) command("start", {{"preset", p.id}}, errors);
    record_item((view + ".start." + p.id).c_str());
    ImGui::EndDisabled();
    help_marker(p.summary.c_str());
    ImGui::SameLine(0, px(16.0f));
  }
  if (mine()) {
    const nlohmann::json prog = lab_->state.job.value("progress", nlohmann::json::object());
    // The bar and Cancel go on a line of their own when they do not fit beside the buttons (a tablet).
    const ImGuiStyle& style = ImGui::GetStyle();
    const float cancel_width = ImGui::CalcTextSize("Cancel").x + 2 * style.FramePadding.x + style.ItemSpacing.x;
    if (ImGui::GetContentRegionAvail().x < bar_width + cancel_width) ImGui::NewLine();
    const float width = std::min(bar_width, ImGui::GetContentRegionAvail().x - cancel_width);
    // The empty part in the window's colour, framed, so that the fill and the white label both stand out.
    ImGui::PushStyleColor(ImGuiCol_FrameBg, ImGui::GetStyleColorVec4(ImGuiCol_WindowBg));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, std::max(1.0f, style.FrameBorderSize));
    ImGui::ProgressBar(static_cast<float>(prog.value("fraction", 0.0)), ImVec2(width, 0), progress_label(prog).c_str());
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
    record_item((view + ".progress").c_str());
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) command("cancel", {}, errors);
    record_item((view + ".cancel").c_str());
  } else {
    ImGui::NewLine();
  }
}

std::string progress_time_left(const nlohmann::json& progress) {
  return time_left_text(json_number(progress, "seconds_left", NAN));
}

void BackgroundJob::draw_lesson() { draw_lesson_verdict(lesson_); }

}  // namespace attnlab
