#include "app/ui/theme.h"

#include <cstdio>

#include "app/embedded.h"

namespace attnlab {
namespace {

float g_scale = 1.0f, g_pixel_ratio = 1.0f;
bool g_presenter = false;
ImFont* g_heading = nullptr;

// Latin, Greek, punctuation, arrows, maths and super/subscripts: what the
// views' formulas and labels use (e.g. "≈", "→", "Σ", "²").
const ImWchar kGlyphRanges[] = {
    0x0020, 0x00FF, 0x0370, 0x03FF, 0x2010, 0x205E, 0x2070, 0x209F,
    0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0, 0x25FF, 0,
};

ImFont* add_font(const char* file, float size) {
  std::string_view data = embedded_file(file);
  if (data.empty()) return nullptr;
  ImFontConfig config;
  config.FontDataOwnedByAtlas = false;  // static data, embedded in the binary
  config.OversampleH = 2;
  config.OversampleV = 1;
  std::snprintf(config.Name, sizeof config.Name, "%s %.0fpx", file, size);
  return ImGui::GetIO().Fonts->AddFontFromMemoryTTF(const_cast<char*>(data.data()),
                                                     static_cast<int>(data.size()), size, &config,
                                                     kGlyphRanges);
}

void set_colors(ImGuiStyle& style) {
  ImGui::StyleColorsDark(&style);
  ImVec4* c = style.Colors;
  // Higher contrast than ImGui's default dark theme, for projectors.
  c[ImGuiCol_Text] = ImVec4(0.96f, 0.96f, 0.97f, 1.0f);
  c[ImGuiCol_TextDisabled] = ImVec4(0.66f, 0.67f, 0.72f, 1.0f);
  c[ImGuiCol_WindowBg] = ImVec4(0.09f, 0.09f, 0.11f, 1.0f);
  c[ImGuiCol_ChildBg] = ImVec4(0.12f, 0.12f, 0.15f, 1.0f);
  c[ImGuiCol_PopupBg] = ImVec4(0.13f, 0.13f, 0.16f, 0.98f);
  c[ImGuiCol_Border] = ImVec4(0.32f, 0.33f, 0.40f, 1.0f);
  c[ImGuiCol_FrameBg] = ImVec4(0.19f, 0.20f, 0.25f, 1.0f);
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.26f, 0.28f, 0.36f, 1.0f);
  c[ImGuiCol_FrameBgActive] = ImVec4(0.30f, 0.33f, 0.44f, 1.0f);
  c[ImGuiCol_Header] = ImVec4(0.22f, 0.32f, 0.52f, 1.0f);
  c[ImGuiCol_HeaderHovered] = ImVec4(0.28f, 0.40f, 0.64f, 1.0f);
  c[ImGuiCol_Button] = ImVec4(0.22f, 0.32f, 0.52f, 1.0f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.28f, 0.40f, 0.64f, 1.0f);
  c[ImGuiCol_ButtonActive] = ImVec4(0.33f, 0.47f, 0.74f, 1.0f);
  c[ImGuiCol_SliderGrab] = ImVec4(0.55f, 0.70f, 1.00f, 1.0f);
  c[ImGuiCol_SliderGrabActive] = ImVec4(0.75f, 0.85f, 1.00f, 1.0f);
  c[ImGuiCol_CheckMark] = ImVec4(0.60f, 0.78f, 1.00f, 1.0f);
  c[ImGuiCol_Tab] = ImVec4(0.16f, 0.18f, 0.24f, 1.0f);
  c[ImGuiCol_TabHovered] = ImVec4(0.28f, 0.40f, 0.64f, 1.0f);
  c[ImGuiCol_TabActive] = ImVec4(0.24f, 0.36f, 0.60f, 1.0f);
  c[ImGuiCol_TableHeaderBg] = ImVec4(0.16f, 0.17f, 0.22f, 1.0f);
  c[ImGuiCol_TableRowBgAlt] = ImVec4(1.0f, 1.0f, 1.0f, 0.04f);
  // A progress bar's fill (ImGui's default is yellow, under which its white label had 1.9:1): white text
  // on it 4.6:1, and 3.9:1 against the empty part, which background_job.cpp draws in WindowBg.
  c[ImGuiCol_PlotHistogram] = ImVec4(0.27f, 0.45f, 0.80f, 1.0f);
  style.WindowRounding = 0.0f;
  style.ChildRounding = 4.0f;
  style.FrameRounding = 4.0f;
  style.GrabRounding = 4.0f;
  style.FramePadding = ImVec2(8.0f, 5.0f);
  style.ItemSpacing = ImVec2(10.0f, 6.0f);
  style.WindowPadding = ImVec2(14.0f, 12.0f);
  style.GrabMinSize = 12.0f;
}

// Projectors wash out dim greys and thin lines: maximum contrast, thicker frames.
void set_presenter_colors(ImGuiStyle& style) {
  ImVec4* c = style.Colors;
  c[ImGuiCol_Text] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
  c[ImGuiCol_TextDisabled] = ImVec4(0.85f, 0.85f, 0.88f, 1.0f);
  c[ImGuiCol_WindowBg] = ImVec4(0.0f, 0.0f, 0.0f, 1.0f);
  c[ImGuiCol_ChildBg] = ImVec4(0.05f, 0.05f, 0.07f, 1.0f);
  c[ImGuiCol_Border] = ImVec4(0.75f, 0.76f, 0.82f, 1.0f);
  c[ImGuiCol_FrameBg] = ImVec4(0.16f, 0.17f, 0.22f, 1.0f);
  c[ImGuiCol_Button] = ImVec4(0.10f, 0.33f, 0.75f, 1.0f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.18f, 0.45f, 0.92f, 1.0f);
  c[ImGuiCol_TabActive] = ImVec4(0.10f, 0.33f, 0.75f, 1.0f);
  style.FrameBorderSize = 1.0f;
  style.ChildBorderSize = 2.0f;
}

}  // namespace

const ThemeColors& theme_colors() {
  static const ThemeColors colors = {
      {0.12f, 0.12f, 0.15f},                 // plot background (= ChildBg)
      {0.26f, 0.19f, 0.10f},                 // special tokens: a warm band
      {0.30f, 0.30f, 0.34f},                 // masked cells
      ImVec4(0.70f, 0.71f, 0.76f, 1.0f),     // dim text
      ImVec4(1.00f, 0.70f, 0.30f, 1.0f),     // accent (orange: global tokens)
      ImVec4(0.45f, 0.85f, 0.50f, 1.0f),     // good
      ImVec4(1.00f, 0.60f, 0.45f, 1.0f),     // warning
  };
  return colors;
}

bool apply_theme(float pixel_ratio, bool presenter) {
  g_pixel_ratio = pixel_ratio;
  const float scale = g_scale = pixel_ratio * (presenter ? kPresenterZoom : 1.0f);
  g_presenter = presenter;
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFont* body = add_font("Inter-Regular.otf", kBaseFontSize * scale);
  g_heading = add_font("Inter-SemiBold.otf", kHeadingFontSize * scale);
  if (!body || !g_heading) {
    io.Fonts->Clear();
    io.Fonts->AddFontDefault();
    g_heading = nullptr;
  }
  io.Fonts->Build();
  ImGuiStyle style;
  set_colors(style);
  if (presenter) set_presenter_colors(style);
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
  return body != nullptr;
}

float ui_scale() { return g_scale; }
float pixel_ratio() { return g_pixel_ratio; }

bool presenter_mode() { return g_presenter; }

ImFont* heading_font() { return g_heading ? g_heading : ImGui::GetFont(); }

}  // namespace attnlab
