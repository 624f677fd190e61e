#include "app/ui/lesson_verdict.h"

#include <string>

#include "app/ui/help.h"
#include "app/ui/item_rects.h"
#include "app/ui/theme.h"
#include "imgui.h"

namespace attnlab {

void draw_lesson_verdict(const nlohmann::json& verdict) {
  if (!verdict.is_object()) return;
  const std::string status = verdict.value("status", std::string());
  const ImVec4 colour = status == "held" ? theme_colors().good
                        : status == "not held" ? theme_colors().warn : theme_colors().text_dim;
  const char* word = status == "held" ? "Lesson shown." : status == "not held" ? "Lesson not shown." : "Lesson:";
  // The text wraps short of the "(?)" that follows it, which would otherwise land past the window's edge.
  const float marker = presenter_mode() ? 0.0f : ImGui::CalcTextSize("(?)").x + ImGui::GetStyle().ItemSpacing.x;
  const float wrap_x = ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x - marker;
  ImGui::BeginGroup();
  ImGui::TextColored(colour, "%s", word);
  ImGui::SameLine();
  ImGui::PushTextWrapPos(wrap_x);
  ImGui::PushStyleColor(ImGuiCol_Text, status == "not yet" ? theme_colors().text_dim : ImGui::GetStyleColorVec4(ImGuiCol_Text));
  ImGui::TextUnformatted(verdict.value("text", std::string()).c_str());
  ImGui::PopStyleColor();
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  record_item("lab.lesson");
  help_marker("Each scenario states its lesson as a claim about measured values of its runs (for example \"B's final "
              "accuracy is at least 0.95\"). The lab checks it on the run in front of you, with the numbers it "
              "compared. A run that does not show its lesson says so: training is random, and EXPERIMENTS.md says on "
              "how many of 12 fresh seeds each lesson held.");
}

}  // namespace attnlab
