// Line plots: see plot.h.
//
// Index
//   - palette       plot_color()
//   - boxes         rectangles for label placement (the axes and ticks are in plot_axes.h)
//   - lines         series (gaps, thinning, dashes, dots), dashed annotation lines
//   - legend        items wrapped into right-aligned lines
//   - hover         crosshair, nearest point of each series, tooltip
//   - plot()        layout (header, axes, plot area) and drawing order
#include "app/ui/plot.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

#include "app/ui/plot_axes.h"
#include "app/ui/theme.h"

namespace attnlab {
namespace {

using axes::Axis;
using axes::Extent;
using axes::Tick;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---- palette --------------------------------------------------------------

// Okabe & Ito's colour-blind-safe set, without black.
constexpr ImU32 kPalette[] = {
    IM_COL32(230, 159, 0, 255),    // orange
    IM_COL32(86, 180, 233, 255),   // sky blue
    IM_COL32(0, 158, 115, 255),    // bluish green
    IM_COL32(240, 228, 66, 255),   // yellow
    IM_COL32(40, 138, 214, 255),   // blue (0, 114, 178 is too dark on our background)
    IM_COL32(213, 94, 0, 255),     // vermillion
    IM_COL32(204, 121, 167, 255),  // reddish purple
};
constexpr int kPaletteSize = static_cast<int>(sizeof kPalette / sizeof kPalette[0]);

ImU32 u32(const ImVec4& c) { return ImGui::ColorConvertFloat4ToU32(c); }
ImU32 u32(const Rgb& c, float alpha) { return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, alpha)); }
ImU32 with_alpha(ImU32 c, int alpha) { return (c & ~IM_COL32_A_MASK) | (static_cast<ImU32>(alpha) << IM_COL32_A_SHIFT); }

// ---- boxes ---------------------------------------------------------------

struct Box {
  ImVec2 min, max;
  bool contains(ImVec2 p) const { return p.x >= min.x && p.x < max.x && p.y >= min.y && p.y < max.y; }
  bool overlaps(const Box& b) const { return b.min.x < max.x && b.max.x > min.x && b.min.y < max.y && b.max.y > min.y; }
};

// The current font's metrics, for the tick layout.
axes::TickMetrics tick_metrics() {
  return {px(1.0f), ImGui::GetTextLineHeight(), [](const char* text) { return ImGui::CalcTextSize(text).x; }};
}

// ---- lines ----------------------------------------------------------------

// Pixel sizes for one frame, from CSS pixels.
struct Metrics {
  float line_h;        // text line
  float thickness;     // series lines, whole pixels (ImGui's textured lines: crisp, 2 vertices a point)
  float hairline;      // grid and axes, whole pixels
  float dash, gap;     // series dash pattern
  float dot;           // radius of markers and of isolated points
  float inset;         // data stays this far inside the frame
  float tick;          // tick mark length
  float bucket;        // thinning: one column of the envelope
};

Metrics metrics() {
  Metrics m;
  m.line_h = ImGui::GetTextLineHeight();
  m.thickness = std::max(1.0f, std::round(px(2.0f)));
  m.hairline = std::max(1.0f, std::round(px(1.0f)));
  m.dash = px(8.0f);
  m.gap = px(5.0f);
  m.dot = px(3.5f);
  m.inset = px(6.0f);
  m.tick = px(4.0f);
  m.bucket = std::max(2.0f, m.thickness);
  return m;
}

// Centre of a hairline near v, so 1-pixel lines cover whole pixels.
float snap(float v, float hairline) {
  return static_cast<int>(hairline) % 2 ? std::floor(v) + 0.5f : std::round(v);
}

// A polyline drawn as dashes; the pattern runs on across vertices. Short
// segments (dense, noisy data) count only their x extent, so a noisy curve
// still reads as dashes rather than as specks; longer ones count their length,
// so a steep rise between sparse points is dashed too.
void dashed_polyline(ImDrawList* dl, const ImVec2* pts, int n, ImU32 color, float thickness, float dash,
                     float gap, float dense_below) {
  std::vector<ImVec2> piece;
  bool on = true;
  float left = dash;  // pattern length left in the current dash or gap
  piece.push_back(pts[0]);
  for (int i = 0; i + 1 < n; ++i) {
    const ImVec2 a = pts[i], b = pts[i + 1];
    const float dx = b.x - a.x, dy = b.y - a.y;
    const float len = std::fabs(dx) < dense_below ? std::fabs(dx) : std::sqrt(dx * dx + dy * dy);
    if (len <= 0.0f) {  // vertical, within a column
      if (on) piece.push_back(b);
      continue;
    }
    float t = 0.0f;
    while (len - t > left) {
      t += left;
      const ImVec2 p(a.x + dx * t / len, a.y + dy * t / len);
      if (on) {
        piece.push_back(p);
        dl->AddPolyline(piece.data(), static_cast<int>(piece.size()), color, ImDrawFlags_None, thickness);
        piece.clear();
      } else {
        piece.assign(1, p);
      }
      on = !on;
      left = on ? dash : gap;
    }
    left -= len - t;
    if (on) piece.push_back(b);
  }
  if (on && piece.size() >= 2)
    dl->AddPolyline(piece.data(), static_cast<int>(piece.size()), color, ImDrawFlags_None, thickness);
}

void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 color, float thickness, float dash, float gap) {
  const ImVec2 pts[2] = {a, b};
  dashed_polyline(dl, pts, 2, color, thickness, dash, gap, 0.0f);
}

double x_at(const PlotSeries& s, int i) { return s.x ? s.x[i] : static_cast<double>(i); }

// A series in pixels: runs of valid points (a gap between runs). Many
// points per pixel are thinned to each column's first, lowest, highest and
// last point: it looks the same, and keeps the draw list small (a few
// vertices per pixel column, however many points the history holds).
struct Trace {
  std::vector<ImVec2> points;
  std::vector<int> run_ends;  // points[run_ends[r-1] .. run_ends[r]) is run r
};

Trace trace_series(const PlotSeries& s, const Axis& ax, const Axis& ay, float bucket) {
  Trace trace;
  if (!s.y || s.count <= 0) return trace;
  std::vector<ImVec2>& pts = trace.points;
  int run_start = 0;
  struct Column {
    int index = 0, n = 0;
    ImVec2 first, last, top, bottom;
    int top_i = 0, bottom_i = 0;
  } col;
  auto push = [&](ImVec2 p) {
    if (static_cast<int>(pts.size()) == run_start || pts.back().x != p.x || pts.back().y != p.y) pts.push_back(p);
  };
  auto emit_column = [&]() {
    if (col.n == 0) return;
    push(col.first);
    if (col.n > 1) {
      push(col.top_i < col.bottom_i ? col.top : col.bottom);
      push(col.top_i < col.bottom_i ? col.bottom : col.top);
      push(col.last);
    }
    col.n = 0;
  };
  auto end_run = [&]() {
    emit_column();
    if (static_cast<int>(pts.size()) > run_start) trace.run_ends.push_back(static_cast<int>(pts.size()));
    run_start = static_cast<int>(pts.size());
  };
  for (int i = 0; i < s.count; ++i) {
    const double x = x_at(s, i), y = s.y[i];
    if (!ax.valid(x) || !ay.valid(y)) {
      end_run();  // a gap
      continue;
    }
    const ImVec2 p(ax.to_px(x), ay.to_px(y));
    const int index = static_cast<int>(std::floor(p.x / bucket));
    if (col.n > 0 && index != col.index) emit_column();
    if (col.n == 0) {
      col.index = index;
      col.first = col.last = col.top = col.bottom = p;
      col.top_i = col.bottom_i = i;
      col.n = 1;
      continue;
    }
    col.last = p;
    ++col.n;
    if (p.y < col.top.y) col.top = p, col.top_i = i;
    if (p.y > col.bottom.y) col.bottom = p, col.bottom_i = i;
  }
  end_run();
  return trace;
}

// Runs as polylines (solid or dashed), isolated points as dots, and a dot on
// every point when the series asks for markers.
void draw_trace(ImDrawList* dl, const Trace& trace, const PlotSeries& s, const Axis& ax, const Axis& ay,
                ImU32 color, const Metrics& m) {
  int start = 0;
  for (int end : trace.run_ends) {
    const ImVec2* p = trace.points.data() + start;
    const int n = end - start;
    if (n == 1 && !s.markers)
      dl->AddCircleFilled(p[0], m.dot, color, 12);
    else if (n >= 2 && s.dashed)
      dashed_polyline(dl, p, n, color, m.thickness, m.dash, m.gap, 3.0f * m.bucket);
    else if (n >= 2)
      dl->AddPolyline(p, n, color, ImDrawFlags_None, m.thickness);
    start = end;
  }
  if (s.markers)
    for (int i = 0; i < s.count; ++i)
      if (ax.valid(x_at(s, i)) && ay.valid(s.y[i]))
        dl->AddCircleFilled(ImVec2(ax.to_px(x_at(s, i)), ay.to_px(s.y[i])), m.dot, color, 12);
}

// Does segment ab cross the box? (Liang-Barsky clipping.)
bool segment_hits(ImVec2 a, ImVec2 b, const Box& box) {
  float t0 = 0.0f, t1 = 1.0f;
  auto clip = [&](float p, float q) {
    if (p == 0.0f) return q >= 0.0f;
    const float t = q / p;
    if (p < 0.0f) {
      if (t > t1) return false;
      t0 = std::max(t0, t);
    } else {
      if (t < t0) return false;
      t1 = std::min(t1, t);
    }
    return true;
  };
  const float dx = b.x - a.x, dy = b.y - a.y;
  return clip(-dx, a.x - box.min.x) && clip(dx, box.max.x - a.x) && clip(-dy, a.y - box.min.y) &&
         clip(dy, box.max.y - a.y);
}

// How much of the data a label box would hide: segments (and lone points) under it.
int data_under(const Box& box, const std::vector<Trace>& traces) {
  int hits = 0;
  for (const Trace& trace : traces) {
    int start = 0;
    for (int end : trace.run_ends) {
      const ImVec2* p = trace.points.data() + start;
      if (end - start == 1 && box.contains(p[0])) ++hits;
      for (int i = 0; i + 1 < end - start; ++i) {
        if (std::max(p[i].x, p[i + 1].x) < box.min.x || std::min(p[i].x, p[i + 1].x) > box.max.x) continue;
        hits += segment_hits(p[i], p[i + 1], box);
      }
      start = end;
    }
  }
  return hits;
}

// Of the candidate positions (top-left corners) for a text, the one whose box
// hides the least data and overlaps no label placed so far; ties go to the
// earlier candidate. Returns false when every candidate collides or leaves the area.
bool place_label(const ImVec2* candidates, int n, ImVec2 text_size, const Box& area,
                 const std::vector<Trace>& traces, std::vector<Box>* placed, ImVec2* out) {
  const float pad = px(3.0f);
  int best_hits = std::numeric_limits<int>::max();
  for (int c = 0; c < n; ++c) {
    const Box box{ImVec2(candidates[c].x - pad, candidates[c].y),
                  ImVec2(candidates[c].x + text_size.x + pad, candidates[c].y + text_size.y)};
    if (box.min.x < area.min.x || box.max.x > area.max.x || box.min.y < area.min.y || box.max.y > area.max.y)
      continue;
    if (std::any_of(placed->begin(), placed->end(), [&](const Box& p) { return p.overlaps(box); })) continue;
    const int hits = data_under(box, traces);
    if (hits < best_hits) {
      best_hits = hits;
      *out = candidates[c];
    }
    if (hits == 0) break;
  }
  if (best_hits == std::numeric_limits<int>::max()) return false;
  placed->push_back(Box{ImVec2(out->x - pad, out->y), ImVec2(out->x + text_size.x + pad, out->y + text_size.y)});
  return true;
}

// The legend's sample of a series: a short stretch of its line (dashes and dot included).
void draw_swatch(ImDrawList* dl, ImVec2 left_centre, float width, const PlotSeries& s, ImU32 color,
                 const Metrics& m) {
  const ImVec2 a(left_centre.x, left_centre.y), b(left_centre.x + width, left_centre.y);
  if (s.dashed)
    dashed_line(dl, a, b, color, m.thickness, m.dash * 0.75f, m.gap * 0.75f);
  else
    dl->AddLine(a, b, color, m.thickness);
  if (s.markers) dl->AddCircleFilled(ImVec2(a.x + width * 0.5f, a.y), m.dot, color, 12);
}

// Text on a translucent box of the plot's background: readable over lines,
// which still show through.
void label_box(ImDrawList* dl, ImVec2 pos, const char* text, ImU32 text_color, ImU32 box_color) {
  const ImVec2 size = ImGui::CalcTextSize(text);
  const float pad = px(3.0f);
  dl->AddRectFilled(ImVec2(pos.x - pad, pos.y), ImVec2(pos.x + size.x + pad, pos.y + size.y), box_color,
                    px(3.0f));
  dl->AddText(pos, text_color, text);
}

// ---- legend ---------------------------------------------------------------

struct LegendLayout {
  std::vector<int> series;      // the labelled series, in order
  std::vector<float> widths;    // of each item
  std::vector<int> line_start;  // index into series where each line starts
  std::vector<float> line_width;
  std::vector<int> line_row;    // header row of each line
  int rows() const { return line_row.empty() ? 0 : line_row.back() + 1; }
};

// Items are [swatch  label], item_gap apart, wrapped greedily into lines: the
// first beside the title (first_width wide), the others under it (width).
// When not one item fits beside the title, the legend starts on the next row.
LegendLayout layout_legend(const PlotSeries* series, int n_series, float first_width, float width, float swatch,
                           float item_gap) {
  LegendLayout l;
  for (int i = 0; i < n_series; ++i) {
    if (!series[i].label || !series[i].label[0]) continue;
    l.series.push_back(i);
    l.widths.push_back(swatch + px(6.0f) + ImGui::CalcTextSize(series[i].label).x);
  }
  float used = 0.0f, room = first_width;
  int row = 0;
  for (size_t k = 0; k < l.series.size(); ++k) {
    const float w = l.widths[k];
    if (!l.line_start.empty() && used + item_gap + w <= room) {
      used += item_gap + w;
      l.line_width.back() = used;
      continue;
    }
    if (!l.line_start.empty() || w > room) {
      ++row;
      room = width;
    }
    l.line_start.push_back(static_cast<int>(k));
    l.line_width.push_back(w);
    l.line_row.push_back(row);
    used = w;
  }
  return l;
}

// ---- hover ----------------------------------------------------------------

// The valid point of s nearest to screen x px_x, within the plot's columns.
// Returns its index, or -1.
int nearest_point(const PlotSeries& s, const Axis& ax, const Axis& ay, float px_x, float left, float right,
                  float* distance) {
  int best = -1;
  float best_d = std::numeric_limits<float>::max();
  if (!s.y) return -1;
  for (int i = 0; i < s.count; ++i) {
    const double x = x_at(s, i);
    if (!ax.valid(x) || !ay.valid(s.y[i])) continue;
    const float p = ax.to_px(x);
    if (p < left - 1.0f || p > right + 1.0f) continue;
    const float d = std::fabs(p - px_x);
    if (d < best_d) best_d = d, best = i;
  }
  *distance = best_d;
  return best;
}

struct HoverContext {
  const PlotOptions& options;
  const PlotSeries* series;
  int n_series;
  const PlotMarker* markers;
  int n_markers;
  Axis ax, ay;
  Box plot;  // the plot area
  const Metrics& m;
};

ImU32 series_color(const PlotSeries* series, int i) { return series[i].color ? series[i].color : plot_color(i); }

// Crosshair at the data x nearest the mouse, each series' point there
// highlighted, and a tooltip: x, markers under the mouse, one row per series.
// Returns the crosshair's x (NaN when there is no data under the plot).
double draw_hover(ImDrawList* dl, const HoverContext& c, ImVec2 mouse) {
  const Metrics& m = c.m;
  float best_d = std::numeric_limits<float>::max();
  double cross_x = kNaN;
  for (int s = 0; s < c.n_series; ++s) {
    float d = 0.0f;
    const int i = nearest_point(c.series[s], c.ax, c.ay, mouse.x, c.plot.min.x, c.plot.max.x, &d);
    if (i >= 0 && d < best_d) best_d = d, cross_x = x_at(c.series[s], i);
  }
  std::vector<int> near_markers;
  for (int k = 0; k < c.n_markers; ++k)
    if (c.ax.valid(c.markers[k].x) && std::fabs(c.ax.to_px(c.markers[k].x) - mouse.x) <= px(6.0f))
      near_markers.push_back(k);
  if (std::isnan(cross_x) && near_markers.empty()) return kNaN;

  // Each series' point nearest the crosshair, if it has one close enough.
  std::vector<int> point(c.n_series, -1);
  if (!std::isnan(cross_x)) {
    const float cross_px = c.ax.to_px(cross_x);
    const float x = snap(cross_px, m.hairline);
    dl->PushClipRect(c.plot.min, c.plot.max, true);
    dl->AddLine(ImVec2(x, c.plot.min.y), ImVec2(x, c.plot.max.y), IM_COL32(255, 255, 255, 120), m.hairline);
    for (int s = 0; s < c.n_series; ++s) {
      float d = 0.0f;
      const int i = nearest_point(c.series[s], c.ax, c.ay, cross_px, c.plot.min.x, c.plot.max.x, &d);
      if (i < 0 || d > px(24.0f)) continue;
      point[s] = i;
      const ImVec2 p(c.ax.to_px(x_at(c.series[s], i)), c.ay.to_px(c.series[s].y[i]));
      dl->AddCircleFilled(p, m.dot + px(2.0f), u32(theme_colors().plot_background, 1.0f), 16);
      dl->AddCircleFilled(p, m.dot + px(0.5f), series_color(c.series, s), 16);
    }
    dl->PopClipRect();
  }

  if (!ImGui::BeginTooltip()) return cross_x;
  const ImVec4 dim = theme_colors().text_dim;
  const float swatch = px(22.0f);
  char xbuf[64];
  if (!std::isnan(cross_x)) {
    std::snprintf(xbuf, sizeof xbuf, c.options.x_format, cross_x);
    if (c.options.x_label)
      ImGui::Text("%s = %s", c.options.x_label, xbuf);
    else
      ImGui::Text("x = %s", xbuf);
  }
  for (int k : near_markers) {  // a short dashed line, as in the plot, then the label
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float x = snap(at.x + swatch * 0.5f, m.hairline);
    dashed_line(ImGui::GetWindowDrawList(), ImVec2(x, at.y), ImVec2(x, at.y + m.line_h), u32(dim), m.hairline,
                px(4.0f), px(3.0f));
    ImGui::Dummy(ImVec2(swatch, m.line_h));
    ImGui::SameLine();
    std::snprintf(xbuf, sizeof xbuf, c.options.x_format, c.markers[k].x);
    ImGui::TextColored(dim, "%s  (at %s)", c.markers[k].label ? c.markers[k].label : "marker", xbuf);
  }
  const bool any_point = std::any_of(point.begin(), point.end(), [](int i) { return i >= 0; });
  if (any_point && ImGui::BeginTable("##values", 2, ImGuiTableFlags_SizingFixedFit)) {
    for (int s = 0; s < c.n_series; ++s) {
      if (point[s] < 0) continue;
      const PlotSeries& ser = c.series[s];
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      const ImVec2 at = ImGui::GetCursorScreenPos();
      draw_swatch(ImGui::GetWindowDrawList(), ImVec2(at.x, at.y + m.line_h * 0.5f), swatch, ser,
                  series_color(c.series, s), m);
      ImGui::Dummy(ImVec2(swatch, m.line_h));
      ImGui::SameLine();
      // An unnamed series is named by the plot: its y label, else its title.
      const char* name = ser.label                          ? ser.label
                         : c.n_series == 1 && c.options.y_label ? c.options.y_label
                         : c.n_series == 1 && c.options.title   ? c.options.title
                                                                : nullptr;
      if (name)
        ImGui::TextUnformatted(name);
      else
        ImGui::Text("series %d", s + 1);
      ImGui::TableSetColumnIndex(1);
      char ybuf[64];
      std::snprintf(ybuf, sizeof ybuf, c.options.y_format, ser.y[point[s]]);
      ImGui::TextUnformatted(ybuf);
      const double x = x_at(ser, point[s]);
      if (x != cross_x) {  // a series sampled at other x: say where this value is from
        std::snprintf(xbuf, sizeof xbuf, c.options.x_format, x);
        ImGui::SameLine();
        ImGui::TextColored(dim, "(at %s)", xbuf);
      }
    }
    ImGui::EndTable();
  }
  ImGui::EndTooltip();
  return cross_x;
}

}  // namespace

ImU32 plot_color(int i) { return kPalette[((i % kPaletteSize) + kPaletteSize) % kPaletteSize]; }

// ---- plot() ---------------------------------------------------------------
//
// Layout, top to bottom:
//   title  y label                              legend (right, wrapping)
//   (or the y label here, above the axis, when the legend needs the room)
//   y tick labels | plot area (frame, grid, lines)
//                   x tick labels                        (x label, if short of height)
//                   x label (centred)
// Labels are horizontal, so they read at a glance; the legend sits above the
// data, never on it.
bool plot(const char* id, ImVec2 size, const PlotOptions& o, const PlotSeries* series, int n_series,
          const PlotMarker* markers, int n_markers, double* hovered_x) {
  if (hovered_x) *hovered_x = kNaN;
  if (!series) n_series = 0;
  if (!markers) n_markers = 0;
  ImGui::PushID(id);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (size.x <= 0.0f) size.x = std::max(px(120.0f), avail.x + size.x);
  if (size.y <= 0.0f) size.y = std::max(px(160.0f), avail.y + size.y);
  size = ImVec2(std::floor(size.x), std::floor(size.y));
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##plot", size);
  const bool item_hovered = ImGui::IsItemHovered();
  if (!ImGui::IsItemVisible()) {  // scrolled away: nothing to draw
    ImGui::PopID();
    return false;
  }
  const ImVec2 origin(std::floor(pos.x), std::floor(pos.y));
  const ImVec2 end(origin.x + size.x, origin.y + size.y);
  const Metrics m = metrics();
  const ThemeColors& theme = theme_colors();
  const ImU32 text_color = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 dim_color = u32(theme.text_dim);
  const ImU32 grid_color = IM_COL32(255, 255, 255, 26), minor_grid_color = IM_COL32(255, 255, 255, 12);
  const ImU32 axis_color = ImGui::GetColorU32(ImGuiCol_Border);
  const ImU32 annotation_color = with_alpha(dim_color, 190);
  const ImU32 box_color = u32(theme.plot_background, 0.6f);  // a line under a label still shows

  // Data extents: x from every valid point, then y from those inside the x range.
  Axis ax, ay;
  ax.log = o.log_x;
  ay.log = o.log_y;
  Extent x_data, y_data;
  for (int s = 0; s < n_series; ++s) {
    if (!series[s].y) continue;
    for (int i = 0; i < series[s].count; ++i)
      if (ax.valid(x_at(series[s], i)) && ay.valid(series[s].y[i])) x_data.add(x_at(series[s], i));
  }
  const bool has_x = axes::resolve_range(o.x_min, o.x_max, x_data, o.log_x, 0.0, &ax);
  for (int s = 0; s < n_series; ++s) {
    if (!series[s].y) continue;
    for (int i = 0; i < series[s].count; ++i) {
      const double x = x_at(series[s], i), y = series[s].y[i];
      if (ax.valid(x) && ay.valid(y) && ax.contains(x)) y_data.add(y);
    }
  }
  const bool has_y = axes::resolve_range(o.y_min, o.y_max, y_data, o.log_y, 0.06, &ay);
  const bool no_data = x_data.empty();

  // Header: the title at the top left, the legend right-aligned beside it
  // (wrapping onto further rows), and the y label either after the title
  // (dim, like a unit) or on the left of the last header row, just above the
  // axis: whichever takes fewer rows, the latter on a tie.
  ImFont* title_font = heading_font();
  const float title_size = ImGui::GetFontSize();  // the semi-bold face at body size
  const float swatch = px(22.0f), item_gap = px(18.0f), row_h = m.line_h + px(4.0f);
  const float legend_width = size.x - px(10.0f);  // the least right margin
  const float title_width = o.title ? title_font->CalcTextSizeA(title_size, FLT_MAX, 0.0f, o.title).x : 0.0f;
  const float y_label_width = o.y_label ? ImGui::CalcTextSize(o.y_label).x : 0.0f;
  const float y_label_gap = o.title && o.y_label ? px(10.0f) : 0.0f;
  const int n_legend = o.legend ? n_series : 0;
  auto beside = [&](float left_width) { return left_width > 0.0f ? left_width + px(20.0f) : 0.0f; };
  auto legend_for = [&](float left_width) {
    return layout_legend(series, n_legend, legend_width - beside(left_width), legend_width, swatch, item_gap);
  };
  // Beside the title: y label on the last legend row (if that is not the title's row and there is room).
  LegendLayout legend = legend_for(title_width);
  const int rows_beside = std::max(o.title ? 1 : 0, legend.rows());
  const bool y_label_shares_row =
      o.y_label && legend.rows() > 0 && legend.line_row.back() > 0 &&
      beside(y_label_width) + legend.line_width.back() <= legend_width;
  int header_rows = rows_beside + (o.y_label && !y_label_shares_row ? 1 : 0);
  int y_label_row = header_rows - 1;
  bool y_label_inline = false;
  float left_width = title_width;
  if (o.y_label) {
    LegendLayout after_title = legend_for(title_width + y_label_gap + y_label_width);
    const int rows_inline = std::max(1, after_title.rows());
    if (rows_inline < header_rows) {
      legend = std::move(after_title);
      header_rows = rows_inline;
      y_label_row = 0;
      y_label_inline = true;
      left_width = title_width + y_label_gap + y_label_width;
    }
  }
  // Where each header row's legend line may start: right of that row's text.
  auto legend_left = [&](int row) {
    if (row == 0) return beside(left_width);
    return o.y_label && !y_label_inline && row == y_label_row ? beside(y_label_width) : 0.0f;
  };

  // The plot area. Half a text line above and below it holds the outermost
  // y tick labels, which are centred on their ticks. The x label goes under
  // the tick labels, or, when that would leave the plot too short, at the
  // right end of their row.
  Box area;
  area.min.y = std::floor(origin.y + header_rows * row_h + m.line_h * 0.5f + px(2.0f));
  const float x_ticks_h = m.line_h * 0.5f + px(3.0f) + m.line_h;
  const float x_label_h = o.x_label ? m.line_h + px(2.0f) : 0.0f;
  area.max.y = std::floor(end.y - x_ticks_h - x_label_h - px(2.0f));
  const bool x_label_inline = o.x_label && area.max.y - area.min.y < px(110.0f);
  if (x_label_inline) area.max.y = std::floor(end.y - x_ticks_h - px(2.0f));
  area.max.y = std::max(area.max.y, area.min.y + px(20.0f));
  ay.p_lo = area.max.y - m.inset;
  ay.p_hi = area.min.y + m.inset;
  std::vector<Tick> y_ticks, x_ticks;
  if (has_y) axes::choose_ticks(ay, false, false, tick_metrics(), &y_ticks);
  float y_labels_w = 0.0f;
  for (const Tick& t : y_ticks) y_labels_w = std::max(y_labels_w, t.width);
  area.min.x = std::floor(origin.x + (y_labels_w > 0.0f ? y_labels_w + m.tick + px(6.0f) : px(4.0f)));

  // Right margin: enough for half of the last x label, which is centred on its tick.
  float right_margin = px(10.0f);
  for (int pass = 0; pass < 2; ++pass) {
    area.max.x = std::floor(end.x - right_margin);
    area.max.x = std::max(area.max.x, area.min.x + px(20.0f));
    ax.p_lo = area.min.x + m.inset;
    ax.p_hi = area.max.x - m.inset;
    if (!has_x) break;
    axes::choose_ticks(ax, true, o.x_integer, tick_metrics(), &x_ticks);
    float overflow = 0.0f;
    for (const Tick& t : x_ticks)
      if (t.labelled) overflow = std::max(overflow, ax.to_px(t.value) + 0.5f * t.width - end.x);
    if (overflow <= 0.0f) break;
    right_margin += overflow;
  }
  // An x label in the tick row takes the place of the tick labels it would touch.
  const ImVec2 x_label_size = o.x_label ? ImGui::CalcTextSize(o.x_label) : ImVec2(0.0f, 0.0f);
  if (x_label_inline)
    for (Tick& t : x_ticks)
      if (t.labelled && ax.to_px(t.value) + 0.5f * t.width + px(14.0f) > area.max.x - x_label_size.x)
        t.labelled = false;

  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(origin, end, true);
  dl->AddRectFilled(area.min, area.max, u32(theme.plot_background, 1.0f));

  // Grid, axes, ticks and their labels.
  for (const Tick& t : y_ticks) {
    const float y = snap(ay.to_px(t.value), m.hairline);
    if (y < area.min.y || y > area.max.y) continue;
    dl->AddLine(ImVec2(area.min.x, y), ImVec2(area.max.x, y), t.major ? grid_color : minor_grid_color,
                m.hairline);
    dl->AddLine(ImVec2(area.min.x - (t.major ? m.tick : m.tick * 0.5f), y), ImVec2(area.min.x, y),
                axis_color, m.hairline);
    if (t.labelled)
      dl->AddText(ImVec2(area.min.x - m.tick - px(4.0f) - t.width, y - m.line_h * 0.5f), dim_color, t.text);
  }
  const float x_labels_y = area.max.y + m.line_h * 0.5f + px(3.0f);
  for (const Tick& t : x_ticks) {
    const float x = snap(ax.to_px(t.value), m.hairline);
    if (x < area.min.x || x > area.max.x) continue;
    dl->AddLine(ImVec2(x, area.min.y), ImVec2(x, area.max.y), t.major ? grid_color : minor_grid_color,
                m.hairline);
    dl->AddLine(ImVec2(x, area.max.y), ImVec2(x, area.max.y + (t.major ? m.tick : m.tick * 0.5f)),
                axis_color, m.hairline);
    if (t.labelled) {
      const float left = std::clamp(x - 0.5f * t.width, origin.x, end.x - t.width);
      dl->AddText(ImVec2(left, x_labels_y), dim_color, t.text);
    }
  }
  {
    const float x = snap(area.min.x, m.hairline), y = snap(area.max.y, m.hairline);
    dl->AddLine(ImVec2(x, area.min.y), ImVec2(x, y), axis_color, m.hairline);
    dl->AddLine(ImVec2(x, y), ImVec2(area.max.x, y), axis_color, m.hairline);
  }

  // Inside the plot area: reference lines, markers, then the data on top.
  dl->PushClipRect(area.min, area.max, true);
  for (int r = 0; r < o.n_references && o.references; ++r) {
    const PlotReference& ref = o.references[r];
    if (!ay.valid(ref.y) || !has_y) continue;
    const float y = snap(ay.to_px(ref.y), m.hairline);
    dashed_line(dl, ImVec2(area.min.x, y), ImVec2(area.max.x, y), annotation_color, m.hairline, px(6.0f),
                px(4.0f));
  }
  for (int k = 0; k < n_markers; ++k) {
    if (!ax.valid(markers[k].x) || !has_x) continue;
    const float x = snap(ax.to_px(markers[k].x), m.hairline);
    dashed_line(dl, ImVec2(x, area.min.y), ImVec2(x, area.max.y), annotation_color, m.hairline, px(4.0f),
                px(3.0f));
  }
  std::vector<Trace> traces(n_series);
  for (int s = 0; s < n_series; ++s) {
    traces[s] = trace_series(series[s], ax, ay, m.bucket);
    draw_trace(dl, traces[s], series[s], ax, ay, series_color(series, s), m);
  }

  // Labels of references (beside the line, at either end) and of markers
  // (beside the line, near the top or the bottom): wherever they hide the
  // least data. A marker label with no room shows on hover only.
  const float gap = px(5.0f);
  std::vector<Box> placed;
  for (int r = 0; r < o.n_references && o.references; ++r) {
    const PlotReference& ref = o.references[r];
    if (!ref.label || !ay.valid(ref.y) || !has_y) continue;
    const float y = ay.to_px(ref.y);
    const ImVec2 ts = ImGui::CalcTextSize(ref.label);
    const float right = area.max.x - ts.x - gap, left = area.min.x + gap;
    const float above = y - ts.y - px(1.0f), below = y + px(2.0f);
    const ImVec2 candidates[] = {{right, above}, {right, below}, {left, above}, {left, below}};
    ImVec2 at;
    if (place_label(candidates, 4, ts, area, traces, &placed, &at))
      label_box(dl, at, ref.label, dim_color, box_color);
  }
  for (int k = 0; k < n_markers; ++k) {
    if (!markers[k].label || !ax.valid(markers[k].x) || !has_x) continue;
    const float x = ax.to_px(markers[k].x);
    if (x < area.min.x || x > area.max.x) continue;
    const ImVec2 ts = ImGui::CalcTextSize(markers[k].label);
    const float right = x + gap, left = x - gap - ts.x, row = ts.y + px(2.0f);
    const float top = area.min.y + px(3.0f), bottom = area.max.y - px(3.0f) - ts.y;
    const ImVec2 candidates[] = {{right, top},          {left, top},          {right, top + row},
                                 {left, top + row},     {right, bottom},      {left, bottom},
                                 {right, bottom - row}, {left, bottom - row}};
    ImVec2 at;
    if (place_label(candidates, 8, ts, area, traces, &placed, &at))
      label_box(dl, at, markers[k].label, dim_color, box_color);
  }
  if (no_data && o.empty_text) {
    const ImVec2 ts = ImGui::CalcTextSize(o.empty_text);
    dl->AddText(ImVec2(std::floor((area.min.x + area.max.x - ts.x) * 0.5f),
                       std::floor((area.min.y + area.max.y - ts.y) * 0.5f)),
                dim_color, o.empty_text);
  }
  dl->PopClipRect();

  // Header and axis labels.
  if (o.title)
    dl->AddText(title_font, title_size, ImVec2(origin.x, origin.y + px(2.0f)), text_color, o.title);
  if (o.y_label)
    dl->AddText(ImVec2(origin.x + (y_label_inline ? title_width + y_label_gap : 0.0f),
                       origin.y + y_label_row * row_h + px(2.0f)),
                dim_color, o.y_label);
  for (size_t line = 0; line < legend.line_start.size(); ++line) {
    const size_t first = legend.line_start[line];
    const size_t last = line + 1 < legend.line_start.size() ? legend.line_start[line + 1] : legend.series.size();
    // Right-aligned with the plot area.
    const int row = legend.line_row[line];
    float x = std::max(area.max.x - legend.line_width[line], origin.x + legend_left(row));
    const float y = origin.y + row * row_h + px(2.0f);
    for (size_t k = first; k < last; ++k) {
      const PlotSeries& s = series[legend.series[k]];
      draw_swatch(dl, ImVec2(x, y + m.line_h * 0.5f), swatch, s, series_color(series, legend.series[k]), m);
      dl->AddText(ImVec2(x + swatch + px(6.0f), y), text_color, s.label);
      x += legend.widths[k] + item_gap;
    }
  }
  if (x_label_inline) {
    dl->AddText(ImVec2(area.max.x - x_label_size.x, x_labels_y), dim_color, o.x_label);
  } else if (o.x_label) {
    const float left = std::clamp((area.min.x + area.max.x - x_label_size.x) * 0.5f, origin.x, end.x - x_label_size.x);
    dl->AddText(ImVec2(std::floor(left), x_labels_y + m.line_h + px(2.0f)), dim_color, o.x_label);
  }

  // Hover.
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const bool over_area = item_hovered && area.contains(mouse);
  if (over_area) {
    const HoverContext context{o, series, n_series, markers, n_markers, ax, ay, area, m};
    const double x = draw_hover(dl, context, mouse);
    if (hovered_x) *hovered_x = !std::isnan(x) ? x : (has_x ? ax.from_px(mouse.x) : kNaN);
  }
  dl->PopClipRect();
  ImGui::PopID();
  return over_area;
}

}  // namespace attnlab
