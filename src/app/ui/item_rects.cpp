#include "app/ui/item_rects.h"

#include <map>
#include <string>

#include "app/ui/theme.h"
#include "imgui.h"

namespace attnlab {
namespace {
std::map<std::string, ImVec4> g_items, g_last;
}  // namespace

void record_item(const char* name) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  const float s = ui_scale();  // framebuffer pixels per CSS pixel
  g_items[name] = ImVec4(a.x / s, a.y / s, b.x / s, b.y / s);
}

void begin_item_frame() { g_last.swap(g_items), g_items.clear(); }

nlohmann::json recorded_items() {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, r] : g_last.empty() ? g_items : g_last) j[name] = {r.x, r.y, r.z, r.w};
  return j;
}

}  // namespace attnlab
