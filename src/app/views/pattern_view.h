// The Pattern explorer view (idea 3 of the course): a sliding window loses
// long-range links; global tokens restore them, at a cost that grows with
// n (2w + 1 + g), not n^2. Shows the mask (zoomable to n = 8192, drawn at
// screen resolution by shaders/colormap.frag), the receptive field of one
// token layer by layer, and the cost against full attention, all computed by
// core/patterns/pattern_explorer.h.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/gfx/colormap_canvas.h"
#include "app/views/mask_viewport.h"
#include "app/views/view.h"
#include "core/kernels/attention_mask.h"
#include "core/patterns/pattern_explorer.h"

namespace attnlab {

class PatternView : public SettingsView {
 public:
  PatternView();

  const char* id() const override { return "patterns"; }
  const char* title() const override { return "Pattern explorer"; }
  void draw() override;
  // The settings, the computed numbers and the mask's zoom, as JSON.
  nlohmann::json state() const override;
  // patterns.set {n, causal, window, globals, registers, sinks, layers, source}
  // (one message per refused field), patterns.reset (SettingsView), and
  // patterns.fit (the whole mask)
  bool command(const std::string& name, const nlohmann::json& args, std::vector<std::string>* errors) override;

  std::vector<std::string> set(const nlohmann::json& fields) override;
  void reset() override;

 private:
  void apply(const PatternSettings& next);  // clamps the source and sinks to n, recomputes
  void fit();

  void draw_settings();
  void draw_examples();
  void draw_cost_numbers();
  void draw_mask(float width);
  void draw_mask_axes(float left, float top, float size);  // the image's top-left corner and side, pixels
  void draw_mask_legend(float width);
  void draw_receptive_field(float width);
  void draw_reach_words(float width);
  void draw_cost_plot(float width, float height);

  PatternSettings settings_;
  PatternReport report_;
  AttentionMask mask_;
  unsigned version_ = 0;  // bumped on every settings change

  MaskViewport view_;
  // The raster on screen and what it was computed for.
  ColormapCanvas mask_canvas_;
  unsigned raster_version_ = ~0u;
  MaskViewport raster_view_;
  int raster_size_ = 0;
  double raster_ms_ = 0;  // time to compute the last raster

  ColormapCanvas field_canvas_;
  unsigned field_version_ = ~0u;
  int field_columns_ = 0;

  ColormapCanvas mask_legend_, field_legend_;
};

}  // namespace attnlab
