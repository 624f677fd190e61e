#include "app/app.h"

#include <algorithm>

#include "app/ui/help.h"
#include "app/ui/item_rects.h"
#include "app/ui/theme.h"
#include "app/views/memory_view.h"
#include "platform/frame_timer.h"
#include "app/views/pattern_view.h"
#include "app/views/sandbox_view.h"
#include "app/views/streaming_view.h"
#include "app/views/training_view.h"
#include "imgui.h"

namespace attnlab {

void LabContext::notify(const std::string& text, bool error) {
  notices.push_back({text, error, ImGui::GetTime() + (error ? 12.0 : 5.0)});
  if (notices.size() > 4) notices.erase(notices.begin());
}

App::App() {
  lab_.link = LabLink::create(
      [this](const nlohmann::json& reply) {
        if (reply.is_object() && reply.contains("ok") && reply["ok"] == false && reply.contains("errors"))
          for (const auto& e : reply["errors"]) lab_.notify(e.is_string() ? e.get<std::string>() : e.dump(), true);
      },
      [this](Snapshot&& s) { lab_.state.apply(std::move(s)); });
  views_.push_back(std::make_unique<SandboxView>());
  views_.push_back(std::make_unique<PatternView>());
  views_.push_back(std::make_unique<TrainingView>(&lab_));
  views_.push_back(std::make_unique<MemoryView>(&lab_));
  views_.push_back(std::make_unique<StreamingView>(&lab_));
}

bool App::wants_space() const { return !ImGui::GetIO().WantTextInput; }

void App::on_space() {
  std::vector<std::string> errors;
  if (std::string(views_[current_]->id()) == "training") views_[current_]->command("toggle", {}, &errors);
}

App::~App() = default;

View* App::view(const std::string& id) {
  for (auto& v : views_)
    if (id == v->id()) return v.get();
  return nullptr;
}

void App::frame() {
  begin_item_frame();
  lab_.link->pump();
  for (auto& v : views_) v->update();
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin("Attention Lab", nullptr, flags);
  draw_header();
  views_[current_]->draw();
  ImGui::End();
  draw_notices();
}

void App::draw_header() {
  heading("Attention Lab");
  ImGui::SameLine();
  ImGui::TextDisabled("  how attention behaves, and how to fix it");
  if (!lab_.link->failure().empty()) {
    ImGui::SameLine();
    ImGui::TextColored(theme_colors().warn, "  Training engine stopped: %s", lab_.link->failure().c_str());
  }
  if (ImGui::BeginTabBar("##views")) {
    for (size_t i = 0; i < views_.size(); ++i) {
      const ImGuiTabItemFlags f = select_tab_ && i == current_ ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None;
      const bool open = ImGui::BeginTabItem(views_[i]->title(), nullptr, f);
      record_item((std::string("tab.") + views_[i]->id()).c_str());
      if (open) {
        if (!select_tab_) current_ = i;
        ImGui::EndTabItem();
      }
    }
    select_tab_ = false;
    ImGui::EndTabBar();
  }
}

// Messages for the user (refused settings, engine errors), top right.
void App::draw_notices() {
  const double now = ImGui::GetTime();
  auto& n = lab_.notices;
  n.erase(std::remove_if(n.begin(), n.end(), [&](const Notice& x) { return x.expires < now; }), n.end());
  if (n.empty()) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x - px(16.0f), vp->WorkPos.y + px(16.0f)),
                          ImGuiCond_Always, ImVec2(1.0f, 0.0f));
  ImGui::SetNextWindowBgAlpha(0.96f);
  ImGui::Begin("##notices", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav);
  ImGui::PushTextWrapPos(px(460.0f));
  for (const Notice& x : n) {
    ImGui::TextColored(x.error ? theme_colors().warn : theme_colors().good, "%s", x.error ? "Not applied:" : "Note:");
    ImGui::TextUnformatted(x.text.c_str());
  }
  ImGui::PopTextWrapPos();
  ImGui::End();
}

nlohmann::json App::state() const {
  nlohmann::json s = {{"view", views_[current_]->id()}};
  for (const auto& v : views_) s[v->id()] = v->state();
  s["lab"] = lab_.state.to_json();
  s["engine"] = {{"ready", lab_.link->ready()}, {"failure", lab_.link->failure()}};
  s["ui"] = recorded_items();
  s["perf"] = frame_timer_stats();
  return s;
}

nlohmann::json App::command(const nlohmann::json& cmd) {
  auto fail = [](std::string message) {
    return nlohmann::json{{"ok", false}, {"errors", {std::move(message)}}};
  };
  if (!cmd.is_object() || !cmd.contains("cmd") || !cmd["cmd"].is_string())
    return fail("cmd: a command is an object with a string field \"cmd\"");
  const std::string name = cmd["cmd"].get<std::string>();
  std::string known;
  for (const auto& v : views_) known += std::string(known.empty() ? "" : ", ") + v->id();
  if (name == "view.select") {
    const auto it = cmd.find("view");
    for (size_t i = 0; it != cmd.end() && it->is_string() && i < views_.size(); ++i)
      if (*it == views_[i]->id()) {
        current_ = i;
        select_tab_ = true;
        return {{"ok", true}};
      }
    return fail("view: must be one of " + known);
  }
  const size_t dot = name.find('.');
  View* v = dot == std::string::npos ? nullptr : view(name.substr(0, dot));
  if (!v) return fail("cmd: unknown command \"" + name + "\" (view.select, or <view>.<command> for views " + known + ")");
  nlohmann::json args = cmd;
  args.erase("cmd");
  std::vector<std::string> errors;
  if (!v->command(name.substr(dot + 1), args, &errors)) return fail("cmd: the " + std::string(v->id()) + " view has no command \"" + name.substr(dot + 1) + "\"");
  if (!errors.empty()) return {{"ok", false}, {"errors", errors}};
  return {{"ok", true}};
}

}  // namespace attnlab
