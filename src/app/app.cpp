#include "app/app.h"

#include "app/ui/help.h"
#include "app/ui/theme.h"
#include "imgui.h"

namespace attnlab {
namespace {

struct ViewInfo {
  View view;
  const char* id;     // for the API
  const char* title;  // for the tab
};
constexpr ViewInfo kViews[] = {
    {View::Sandbox, "sandbox", "Softmax sandbox"},
};

}  // namespace

const char* view_name(View view) {
  for (const ViewInfo& v : kViews)
    if (v.view == view) return v.id;
  return "?";
}

void App::frame() {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin("Attention Lab", nullptr, flags);
  draw_header();
  switch (view_) {
    case View::Sandbox: sandbox_.draw(); break;
  }
  ImGui::End();
}

void App::draw_header() {
  heading("Attention Lab");
  ImGui::SameLine();
  ImGui::TextDisabled("  how attention behaves, and how to fix it");
  if (ImGui::BeginTabBar("##views")) {
    for (const ViewInfo& v : kViews) {
      // When a command changed the view, select its tab once.
      const ImGuiTabItemFlags f =
          select_tab_ && v.view == view_ ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None;
      if (ImGui::BeginTabItem(v.title, nullptr, f)) {
        if (!select_tab_) view_ = v.view;
        ImGui::EndTabItem();
      }
    }
    select_tab_ = false;
    ImGui::EndTabBar();
  }
}

nlohmann::json App::state() const {
  return {{"view", view_name(view_)}, {"sandbox", sandbox_.state()}};
}

nlohmann::json App::command(const nlohmann::json& cmd) {
  auto fail = [](std::string message) {
    return nlohmann::json{{"ok", false}, {"errors", {std::move(message)}}};
  };
  if (!cmd.is_object() || !cmd.contains("cmd") || !cmd["cmd"].is_string())
    return fail("cmd: a command is an object with a string field \"cmd\"");
  const std::string name = cmd["cmd"].get<std::string>();
  std::vector<std::string> errors;
  if (name == "view.select") {
    const auto it = cmd.find("view");
    bool found = false;
    if (it != cmd.end() && it->is_string())
      for (const ViewInfo& v : kViews)
        if (*it == v.id) {
          view_ = v.view;
          select_tab_ = true;
          found = true;
        }
    if (!found) {
      std::string known;
      for (const ViewInfo& v : kViews) known += std::string(known.empty() ? "" : ", ") + v.id;
      return fail("view: must be one of " + known);
    }
  } else if (name == "sandbox.set") {
    nlohmann::json fields = cmd;
    fields.erase("cmd");
    errors = sandbox_.set(fields);
  } else if (name == "sandbox.reset") {
    sandbox_.reset();
  } else {
    return fail("cmd: unknown command \"" + name + "\" (known: view.select, sandbox.set, sandbox.reset)");
  }
  if (!errors.empty()) return {{"ok", false}, {"errors", errors}};
  return {{"ok", true}};
}

}  // namespace attnlab
