// The Softmax sandbox view: one attention row whose logits the student drags,
// plus global tokens that are always visible. Shows the weights as bars (drawn
// by shaders/colormap.frag) and the row's measures, all computed by
// core/sandbox/sandbox.h.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/gfx/colormap_canvas.h"
#include "app/views/view.h"
#include "core/sandbox/sandbox.h"

namespace attnlab {

// sandbox.set {fields} (one message per rejected field), sandbox.reset (SettingsView)
class SandboxView : public SettingsView {
 public:
  SandboxView();

  const char* id() const override { return "sandbox"; }
  const char* title() const override { return "Softmax sandbox"; }
  void draw() override;
  // For the page's API: the settings and every measure, as JSON.
  nlohmann::json state() const override;
  std::vector<std::string> set(const nlohmann::json& fields) override;
  void reset() override;

 private:
  uint64_t random_draws_ = 0;  // "Random" presses so far: each press draws a new row
  void recompute();
  void draw_chart(float width, float height);
  void draw_sliders(float width, float chart_left);
  void draw_controls();
  void draw_example_buttons();
  void draw_measures();

  SandboxConfig config_;
  SandboxResult result_;
  float new_global_score_ = 2.0f;
  ColormapCanvas bars_;
  ColormapCanvas legend_;
  float column_width_ = 0;  // pixels, shared by the bars and their sliders
};

}  // namespace attnlab
