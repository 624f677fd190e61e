// Look and feel: the font (Inter, embedded), the colours, and the scale for
// HiDPI screens. The whole UI is laid out in framebuffer pixels; every size
// is multiplied by ui_scale() (the device pixel ratio in the browser, the
// monitor's content scale on the desktop), and the font is rasterized at that
// scale so text stays crisp.
#pragma once

#include "imgui.h"

namespace attnlab {

struct Rgb {
  float r, g, b;
};

struct ThemeColors {
  Rgb plot_background;     // behind bars and heatmaps
  Rgb special_background;  // behind global / sink / register tokens
  Rgb masked;              // heatmap cells that are not scored
  ImVec4 text_dim;         // secondary text
  ImVec4 accent;           // global tokens in text and plots
  ImVec4 good, warn;       // status colours (with words, never colour alone)
};

const ThemeColors& theme_colors();

// Base sizes in CSS pixels; multiplied by the scale.
constexpr float kBaseFontSize = 17.0f;
constexpr float kHeadingFontSize = 22.0f;

// Presenter mode (for a projector): everything 1.3 times larger, pure white
// on black, and the explanatory clutter hidden (views ask presenter_mode()).
constexpr float kPresenterZoom = 1.3f;

// Call before ImGui::NewFrame whenever the scale or the mode changes (and
// once at start). Rebuilds the font atlas and rescales the style. Returns
// false if the embedded font is missing.
bool apply_theme(float pixel_ratio, bool presenter = false);

bool presenter_mode();

float ui_scale();     // the device pixel ratio, times kPresenterZoom in presenter mode
float pixel_ratio();  // framebuffer pixels per CSS pixel
ImFont* heading_font();

// Pixels for a size given in CSS pixels.
inline float px(float css_pixels) { return css_pixels * ui_scale(); }

}  // namespace attnlab
