#include "app/ui/help.h"

#include "app/ui/theme.h"
#include "imgui.h"

namespace attnlab {

void help_marker(const char* text, float right_edge) {
  if (presenter_mode()) return;  // clutter on a projector; the presenter explains
  ImGui::SameLine();
  const float width = ImGui::CalcTextSize("(?)").x;
  const ImVec2 at = ImGui::GetCursorScreenPos();
  if (right_edge > 0.0f && at.x + width > right_edge) ImGui::SetCursorScreenPos(ImVec2(right_edge - width, at.y));
  ImGui::TextDisabled("(?)");
  if (ImGui::BeginItemTooltip()) {
    ImGui::PushTextWrapPos(px(460.0f));
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void view_intro(const char* help, const char* summary) {
  if (presenter_mode()) return;
  ImGui::TextUnformatted("What am I looking at?");
  help_marker(help);
  ImGui::SameLine();
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(summary);
  ImGui::PopTextWrapPos();
}

void heading(const char* text) {
  ImGui::PushFont(heading_font());
  ImGui::TextUnformatted(text);
  ImGui::PopFont();
}

}  // namespace attnlab
