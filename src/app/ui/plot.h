// Line plots drawn with ImDrawList: training curves (loss, accuracy, ...
// against step), A/B runs overlaid, accuracy against K with one line per g,
// loss against position with one line per cache.
//
// Data-driven and stateless: the caller owns the arrays and passes them every
// frame. Everything is sized through px(), so it reads the same on a projector
// and on a HiDPI screen. Dense series are thinned to a few points per pixel
// column, so a plot adds at most ~4 vertices per pixel of width per series to
// the window's draw list, however long the history: the frame's cost (and
// the software rasterizer's, without a GPU) stays bounded. The axes and ticks
// are computed in plot_axes.h.
//
//   PlotOptions o;
//   o.title = "Loss";  o.x_label = "step";  o.y_label = "cross-entropy (nats)";
//   const PlotSeries s[] = {{"run A", steps, loss_a, n, plot_color(0)},
//                           {"run B", steps, loss_b, n, plot_color(1), /*dashed=*/true}};
//   const PlotMarker m[] = {{1500, "globals 0 -> 4"}};
//   plot("##loss", ImVec2(0, px(260)), o, s, 2, m, 1);
#pragma once

#include <limits>

#include "imgui.h"

namespace attnlab {

// One line. Non-finite points (and points <= 0 on a log axis) are gaps.
struct PlotSeries {
  const char* label = nullptr;  // legend and tooltip; nullptr: unnamed
  const double* x = nullptr;    // count values; nullptr: x = 0, 1, 2, ...
  const double* y = nullptr;    // count values
  int count = 0;
  ImU32 color = 0;              // 0: plot_color(index of the series)
  bool dashed = false;          // e.g. run B in an A/B comparison
  bool markers = false;         // a dot at every point (for few points, e.g. one per K)
};

// A vertical line at x, e.g. where an intervention happened ("globals 0 -> 4").
// The label is drawn beside the line, near its top or bottom, wherever it
// hides least data (when there is room), and in the tooltip near the line.
struct PlotMarker {
  double x = 0.0;
  const char* label = nullptr;
};

// A horizontal line at y with a label beside it, e.g. "chance 0.0625". It does
// not widen an automatic range: fix the range if it must be in view.
struct PlotReference {
  double y = 0.0;
  const char* label = nullptr;
};

struct PlotOptions {
  static constexpr double kAuto = std::numeric_limits<double>::quiet_NaN();

  const char* title = nullptr;    // above the plot, left
  const char* x_label = nullptr;  // under the tick labels, centred (at their right end when short of height)
  const char* y_label = nullptr;  // after the title, or above the y axis (horizontal: readable from afar)
  bool log_x = false, log_y = false;
  // Each bound is fixed when set, else taken from the data (with a little
  // padding on y). Either bound may be set alone, e.g. y_min = 0 for a loss.
  double x_min = kAuto, x_max = kAuto;
  double y_min = kAuto, y_max = kAuto;
  bool x_integer = false;  // x counts something (steps, g, K): no fractional ticks
  // Tooltip formats. Tick labels choose their digits from the tick spacing.
  const char* x_format = "%.6g";
  const char* y_format = "%.3g";
  const PlotReference* references = nullptr;
  int n_references = 0;
  // Off: no legend, e.g. when a grid of plots shares one; labels still name
  // the series in the tooltip.
  bool legend = true;
  const char* empty_text = "no data yet";  // centred when no series has a finite point
};

// Draws the plot as one item at the cursor. size in pixels: x <= 0 means the
// available width (minus |x|), y <= 0 the available height (minus |y|, at
// least px(160)). Returns true while the mouse is over the plot area; then
// *hovered_x (if given) is the x under the crosshair, e.g. to show that
// step's attention elsewhere.
bool plot(const char* id, ImVec2 size, const PlotOptions& options, const PlotSeries* series,
          int n_series, const PlotMarker* markers = nullptr, int n_markers = 0,
          double* hovered_x = nullptr);

// Line colours: Okabe-Ito (orange, sky blue, bluish green, yellow, blue,
// vermillion, reddish purple), safe for colour-blind viewers, with the blue
// lightened to stand out on the dark background. Cycles after 7. A/B
// comparisons use 0 and 1, with B dashed.
ImU32 plot_color(int i);

}  // namespace attnlab
