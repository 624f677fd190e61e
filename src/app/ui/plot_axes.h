// The axes of a plot, without drawing: a data range from the data and the
// fixed bounds, the mapping between data and pixels, and the ticks that fit
// without overlapping (1, 2 or 5 x 10^k steps; powers of ten on log axes),
// with their label texts. Pure: text widths come in through TickMetrics, so
// tests check it without a window (tests/app/test_plot_axes.cpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

namespace attnlab::axes {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The smallest 1, 2 or 5 x 10^k that is >= raw (raw > 0).
double nice_step(double raw);
// 1 -> 2 -> 5 -> 10 (x 10^k), and back.
double next_nice_step(double step);
double previous_nice_step(double step);

// Linear tick text: as many decimals as the step needs; k and M on axes that
// reach 10^4 with round-thousand steps (0, 500k, 1M, 1.5M).
void linear_label(double v, double step, double max_abs, char* buf, int size);
// Log tick text for m x 10^k: plain numbers from 0.001 to 9999, then k and M;
// "m·10ᵏ" beyond, or everywhere when `powers`.
void log_label(double v, bool powers, char* buf, int size);

// One axis: data units <-> pixels.
struct Axis {
  bool log = false;
  double lo = 0.0, hi = 1.0;         // data units (log: both > 0)
  float p_lo = 0.0f, p_hi = 1.0f;    // pixels of lo and hi (y: p_lo is the bottom)

  bool valid(double v) const { return std::isfinite(v) && (!log || v > 0.0); }
  double fwd(double v) const { return log ? std::log10(v) : v; }
  float to_px(double v) const {
    double f = (fwd(v) - fwd(lo)) / (fwd(hi) - fwd(lo));
    if (std::isnan(f)) f = 0.0;
    // Far outside the range stays finite, so lines leaving the plot keep their direction.
    return p_lo + static_cast<float>(std::clamp(f, -1e4, 1e4)) * (p_hi - p_lo);
  }
  // Within [lo, hi], up to rounding (log10 and back is not exact).
  bool contains(double v) const {
    const double a = fwd(lo), b = fwd(hi), t = fwd(v), tol = 1e-9 * (b - a);
    return t >= a - tol && t <= b + tol;
  }
  double from_px(float p) const {
    const double t = fwd(lo) + (fwd(hi) - fwd(lo)) * (p - p_lo) / (p_hi - p_lo);
    return log ? std::pow(10.0, t) : t;
  }
};

// The data's extent along one axis.
struct Extent {
  double lo = kInf, hi = -kInf;
  void add(double v) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return lo > hi; }
};

// One tick: its value and (when labelled) its text and the text's width.
struct Tick {
  double value = 0.0;
  bool major = true;      // log axes: 10^k; minor ticks are shorter, their grid fainter
  bool labelled = false;  // with text
  char text[32] = "";
  float width = 0.0f;     // of text, pixels
};

// An axis range: fixed bounds as given, the others from the data (padded by
// pad x the spread), widened when the data has a single value. Returns false
// when neither data nor a fixed bound decides the range (no ticks then).
bool resolve_range(double fixed_lo, double fixed_hi, const Extent& data, bool log, double pad, Axis* axis);

// What tick layout needs to know of the text: one line's height and a
// label's width, in pixels, and how many pixels make one CSS pixel.
struct TickMetrics {
  float unit = 1.0f;
  float line_height = 16.0f;
  std::function<float(const char*)> text_width;
};

// As many ticks as fit along the axis's pixel length (a.p_lo .. a.p_hi).
// integer: no fractional steps (x counts steps, g or K).
void choose_ticks(const Axis& a, bool horizontal, bool integer, const TickMetrics& m, std::vector<Tick>* out);

}  // namespace attnlab::axes
