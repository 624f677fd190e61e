#include "app/ui/item_rects.h"

#include <algorithm>
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
  // Empty on a window's first frame, before ImGui has laid it out: a click
  // there would land at the page's corner.
  if (b.x <= a.x || b.y <= a.y) return;
  const float s = pixel_ratio();  // framebuffer pixels per CSS pixel
  g_items[name] = ImVec4(a.x / s, a.y / s, b.x / s, b.y / s);
}

void record_rect(const char* name, ImVec2 a, ImVec2 b) {
  const ImVec2 w0 = ImGui::GetWindowPos(), w1(w0.x + ImGui::GetWindowWidth(), w0.y + ImGui::GetWindowHeight());
  a = ImVec2(std::max(a.x, w0.x), std::max(a.y, w0.y));
  b = ImVec2(std::min(b.x, w1.x), std::min(b.y, w1.y));
  if (b.x <= a.x || b.y <= a.y) return;  // scrolled out of sight
  const float s = pixel_ratio();
  g_items[name] = ImVec4(a.x / s, a.y / s, b.x / s, b.y / s);
}

void begin_item_frame() { g_last.swap(g_items), g_items.clear(); }

nlohmann::json recorded_items() {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, r] : g_last.empty() ? g_items : g_last) j[name] = {r.x, r.y, r.z, r.w};
  return j;
}

}  // namespace attnlab
