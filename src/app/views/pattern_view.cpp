// Pattern explorer view.
//
// Index
//   - texts                   the help a student reads
//   - commands                patterns.set / reset / fit; the mask's viewport (fit, zoom, clamp)
//   - draw()                  layout: settings and cost on the left, the mask in the middle,
//                             the receptive field and the cost curve on the right
//   - draw_settings()         n, causal, window, g, r, k, L, source
//   - draw_cost_numbers()     pairs, share of full attention, FLOPs
//   - draw_mask()             the mask at screen resolution (core/patterns/mask_raster.h): zoom, pan, hover, axes, legend
//   - draw_receptive_field()  one row per layer, and the reach in words
//   - draw_cost_plot()        pairs against n, log-log
#include "app/views/pattern_view.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "app/ui/help.h"
#include "app/ui/item_rects.h"
#include "app/ui/plot.h"
#include "app/ui/plot_axes.h"
#include "app/ui/theme.h"
#include "core/patterns/mask_raster.h"
#include "imgui.h"
#include "imgui_internal.h"  // SetItemKeyOwner: over the mask the wheel zooms instead of scrolling

namespace attnlab {
namespace {

using Limits = PatternLimits;

// Colormap values (viridis, shaders/colormap.frag) of each PairKind, indexed
// by it; negative is drawn hatched, so "not scored" never reads as a weight.
constexpr float kKindValue[] = {-1.0f, 0.30f, 0.75f, 0.52f, 1.0f};  // Masked, Ordinary, Sink, Register, Global
// Receptive-field cells.
constexpr float kNotYet = 0.0f, kEarlier = 0.42f, kNewThisLayer = 1.0f;

ImTextureID texture_id(GLuint tex) { return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(tex)); }

std::string grouped(long long v) {
  std::string digits = std::to_string(v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string flops_text(double f) {
  const char* units[] = {"", "k", "M", "G", "T"};
  int u = 0;
  while (f >= 1000.0 && u < 4) {
    f /= 1000.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g %sFLOP", f, units[u]);
  return buf;
}

// A row of legend swatches (cut from one canvas so they match the shader
// exactly) with their labels, wrapped to `width`.
void legend_row(ColormapCanvas* canvas, const float* values, const char* const* labels, int count, float width) {
  const float sw = std::floor(ImGui::GetTextLineHeight() * 0.8f);
  canvas->set_data(values, nullptr, 1, count);
  const GLuint tex = canvas->render(ColormapCanvas::Mode::Heatmap, static_cast<int>(sw) * count, static_cast<int>(sw), 0, 1);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float left = ImGui::GetCursorScreenPos().x, gap = px(14.0f);
  float x = left;
  for (int k = 0; k < count; ++k) {
    const float item = sw + px(5.0f) + ImGui::CalcTextSize(labels[k]).x;
    if (k > 0) {
      if (x + gap + item <= left + width) {
        ImGui::SameLine(0, gap);
        x += gap;
      } else {
        x = left;
      }
    }
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float y = p.y + (ImGui::GetTextLineHeight() - sw) * 0.5f;
    if (tex)
      dl->AddImage(texture_id(tex), ImVec2(p.x, y), ImVec2(p.x + sw, y + sw), ImVec2(static_cast<float>(k) / count, 1),
                   ImVec2(static_cast<float>(k + 1) / count, 0));
    ImGui::Dummy(ImVec2(sw, ImGui::GetTextLineHeight()));
    ImGui::SameLine(0, px(5.0f));
    ImGui::TextDisabled("%s", labels[k]);
    x += item;
  }
}

// ---- texts ----------------------------------------------------------------------------

constexpr const char* kHelp =
    "Attention is a grid: every query (a row) scores some keys (columns). Full attention scores all n x n "
    "pairs. A sliding window of half-width w scores only the keys within w positions, which costs about "
    "n (2w + 1) pairs instead of n^2.\n\n"
    "Information moves one hop per layer: after a layer, a token holds what it read from the keys it sees. "
    "Through a window, token 0's information creeps w positions further per layer, so reaching the last "
    "token takes about n / w layers, far more than a model has.\n\n"
    "Global tokens are extra positions that every token sees and that see every token. One of them links "
    "any two tokens in 2 layers (token -> global -> token), and the cost stays linear in n: about "
    "n (2w + 1 + 2g) pairs, since each global token adds one row and one column.\n\n"
    "Sinks are the first k tokens, which every later token sees (as in StreamingLLM); they spread their "
    "own information, not other tokens'. Register tokens are extra positions every token sees; in a causal "
    "model a register reads only global tokens and earlier registers, so it carries nothing between tokens.";

constexpr const char* kMaskHelp =
    "Row i is query i, column j is key j, top left is the first position. A coloured pixel is a pair the "
    "pattern scores; the colour says why (see the legend). Hatched pixels are pairs that are not scored at "
    "all: that is not a weight of 0, the pair is never computed.\n\n"
    "The global and register tokens come first, then the n tokens of the text. When the whole mask does "
    "not fit in the image, each pixel covers a block of pairs and is coloured if any pair in it is scored.\n\n"
    "Scroll over the mask to zoom around the mouse, drag to pan, double-click or press Fit to see it all.";

constexpr const char* kFieldHelp =
    "Row l shows which positions hold the chosen token's information after layer l. A position gets it "
    "when it scores a key that already had it (its own included), so the field can only grow.\n\n"
    "Yellow: reached in this layer. Blue: reached in an earlier layer. Dark: not reached yet. The prefix "
    "(global and register tokens) is at the left edge; the marks below show the chosen token and the "
    "last token.";

constexpr const char* kCostHelp =
    "Pairs scored: the (query, key) pairs one attention head computes for one sequence; each costs "
    "4 d FLOPs in the forward pass (q.k and the weighted sum of v), here with head dimension d = 64. "
    "Full attention on the same positions scores N^2 pairs (bidirectional) or N (N + 1) / 2 (causal).";

}  // namespace

PatternView::PatternView() { reset(); }

// ---- commands ----------------------------------------------------------------------

void PatternView::reset() {
  apply(PatternSettings{});
  fit();
}

void PatternView::apply(const PatternSettings& next) {
  const int old_positions = report_.positions;
  settings_ = next;
  settings_.source = std::clamp(settings_.source, 0, settings_.tokens - 1);
  settings_.sinks = std::clamp(settings_.sinks, 0, std::min(Limits::kMaxSinks, settings_.tokens));
  mask_ = pattern_mask(settings_);
  report_ = pattern_report(settings_);
  ++version_;
  if (report_.positions != old_positions) fit();
}

void PatternView::fit() { view_ = MaskViewport::fit(report_.positions); }

std::vector<std::string> PatternView::set(const nlohmann::json& fields) {
  std::vector<std::string> errors;
  PatternSettings next = settings_;
  pattern_update_from_json(&next, fields, &errors);
  apply(next);
  return errors;
}

bool PatternView::command(const std::string& name, const nlohmann::json& args, std::vector<std::string>* errors) {
  if (name != "fit") return SettingsView::command(name, args, errors);
  fit();
  return true;
}

nlohmann::json PatternView::state() const {
  nlohmann::json s = pattern_report_to_json(settings_, report_);
  s["settings"] = pattern_settings_to_json(settings_);
  s["view"] = {{"zoom", report_.positions / view_.span},
               {"query0", view_.query0},
               {"key0", view_.key0},
               {"span", view_.span}};
  s["rasterMs"] = raster_ms_;
  // The mask in words, for the accessible page's table (web/attnlab-access.js):
  // for at most 12 queries spread over the sequence, first and last
  // included, the keys it scores: the always-visible ones and its range.
  const int N = report_.positions;
  const std::vector<int> always = mask_.always_keys(N);
  nlohmann::json rows = nlohmann::json::array();
  const int count = std::min(N, 12);
  for (int r = 0; r < count; ++r) {
    const int i = count > 1 ? static_cast<int>(static_cast<long long>(r) * (N - 1) / (count - 1)) : 0;
    if (mask_.reads_all(i)) {
      rows.push_back({{"query", i}, {"keys", N}, {"all", true}});
      continue;
    }
    int lo = 0, hi = 0;
    mask_.ordinary_range(i, N, &lo, &hi);
    int keys = std::max(0, hi - lo);
    for (int k : always) keys += k < lo || k >= hi;
    rows.push_back({{"query", i}, {"keys", keys}, {"all", false}, {"from", lo}, {"to", hi - 1}, {"always", always.size()}});
  }
  s["maskRows"] = rows;
  return s;
}

// ---- draw() ----------------------------------------------------------------------------

void PatternView::draw() {
  view_intro(kHelp,
             "Which keys each query scores (middle), how far one token's information spreads layer by layer (right), "
             "and what the pattern costs against full attention. A window alone needs many layers to link distant "
             "tokens; add one global token and watch the reach drop to 2 layers while the cost stays linear in n.");

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  // On a projector the mask is what the room looks at: narrower columns beside it.
  const float settings_width = px(presenter_mode() ? 290.0f : 340.0f);
  const float side_min = px(presenter_mode() ? 300.0f : 380.0f);
  const float rest = avail.x - settings_width - 2 * spacing;
  const ImVec2 pad = ImGui::GetStyle().WindowPadding;
  // The mask is square: as tall as the view allows, but leaving the right column side_min.
  const float axis = px(50.0f), mask_extra_y = ImGui::GetFrameHeightWithSpacing() + ImGui::GetTextLineHeight() +
                                               2 * ImGui::GetTextLineHeightWithSpacing() + px(24.0f);
  const float side = std::floor(std::max(px(160.0f), std::min(avail.y - 2 * pad.y - mask_extra_y,
                                                               rest - side_min - axis - 2 * pad.x)));
  const float mask_width = side + axis + 2 * pad.x + px(6.0f);
  // Too narrow for three columns (a tablet held upright): the mask sits above
  // the reach and the cost, in one column beside the settings.
  const bool stacked = rest - mask_width < side_min * 0.9f;

  ImGui::BeginChild("##patterns_settings", ImVec2(settings_width, avail.y), ImGuiChildFlags_Border);
  draw_settings();
  ImGui::Spacing();
  draw_cost_numbers();
  ImGui::EndChild();

  ImGui::SameLine();
  if (stacked) ImGui::BeginGroup();
  const float right_width = avail.x - settings_width - spacing;
  const ImVec2 mask_size = stacked ? ImVec2(right_width, std::floor(std::min(avail.y * 0.5f, right_width - axis + mask_extra_y)))
                                   : ImVec2(mask_width, avail.y);
  ImGui::BeginChild("##patterns_mask", mask_size, ImGuiChildFlags_Border,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  draw_mask(ImGui::GetContentRegionAvail().x);
  ImGui::EndChild();

  if (!stacked) ImGui::SameLine();
  ImGui::BeginChild("##patterns_side", ImVec2(stacked ? right_width : 0.0f, 0.0f), ImGuiChildFlags_Border);
  const float side_width = ImGui::GetContentRegionAvail().x;
  draw_receptive_field(side_width);
  ImGui::Spacing();
  draw_cost_plot(side_width, ImGui::GetContentRegionAvail().y);
  ImGui::EndChild();
  if (stacked) ImGui::EndGroup();
}

// ---- draw_settings() ----------------------------------------------------------------------

void PatternView::draw_settings() {
  heading("Pattern");
  PatternSettings next = settings_;
  bool changed = false;
  ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x - px(150.0f));

  changed |= ImGui::SliderInt("tokens n", &next.tokens, Limits::kMinTokens, Limits::kMaxTokens, "%d",
                              ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  help_marker("The number of ordinary tokens (the text), from 16 to 8192. Global and register tokens come on "
              "top of these. Ctrl+click the slider to type any value.");

  changed |= ImGui::Checkbox("causal", &next.causal);
  help_marker("Causal (as in a language model): a token sees only itself and earlier tokens, so information "
              "flows only forward. Off: bidirectional (as in an encoder), every pair within the window.");

  bool windowed = next.window >= 0;
  if (ImGui::Checkbox("sliding window", &windowed)) {
    next.window = windowed ? std::min(16, next.tokens) : -1;
    changed = true;
  }
  help_marker("On: each token sees only the keys within w positions of itself (|i - j| <= w). Off: full "
              "attention, every pair (causal: every earlier key).");
  ImGui::BeginDisabled(!windowed);
  int w = windowed ? next.window : 16;
  if (ImGui::SliderInt("half-width w", &w, 0, std::max(16, next.tokens), "%d",
                       ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp)) {
    next.window = w;
    changed = true;
  }
  ImGui::EndDisabled();
  help_marker("How far a token sees to each side: 2w + 1 keys per query (w + 1 when causal). w = 0: a token "
              "sees only itself.");

  changed |= ImGui::SliderInt("global tokens g", &next.globals, 0, Limits::kMaxGlobals, "%d", ImGuiSliderFlags_AlwaysClamp);
  help_marker("Extra positions at the start that every token sees and that see every token (yellow rows and "
              "columns). Each adds about 2 N pairs: cheap, and any two tokens are then 2 layers apart.");

  changed |= ImGui::SliderInt("registers r", &next.registers, 0, Limits::kMaxRegisters, "%d", ImGuiSliderFlags_AlwaysClamp);
  help_marker("Extra positions after the global tokens that every token sees. In a causal model a register "
              "sees only the global tokens and earlier registers, so it cannot pass information between "
              "tokens; in a bidirectional model it sees everything, like a global token.");

  changed |= ImGui::SliderInt("sinks k", &next.sinks, 0, std::min(Limits::kMaxSinks, next.tokens), "%d",
                              ImGuiSliderFlags_AlwaysClamp);
  help_marker("The first k tokens of the text stay visible to every later token, whatever the window "
              "(attention sinks, as in StreamingLLM). They spread their own information in one layer, but "
              "they see only their window, so they do not relay other tokens'.");

  changed |= ImGui::SliderInt("layers L", &next.layers, Limits::kMinLayers, Limits::kMaxLayers, "%d",
                              ImGuiSliderFlags_AlwaysClamp);
  help_marker("How many attention layers the receptive field on the right follows (1 to 8).");

  changed |= ImGui::SliderInt("source token", &next.source, 0, next.tokens - 1, "%d", ImGuiSliderFlags_AlwaysClamp);
  help_marker("The token whose information the receptive field follows (0 is the first token of the text). "
              "Ctrl+click to type a value.");
  ImGui::PopItemWidth();

  if (ImGui::Button("Reset")) {
    reset();
    return;
  }
  help_marker("Back to the starting pattern: 256 tokens, causal, a window of 16, nothing else.");
  if (changed) apply(next);
  draw_examples();
}

// One-click steps through idea 3, each changing only what its name says.
void PatternView::draw_examples() {
  ImGui::Spacing();
  ImGui::TextDisabled("Try:");
  struct Example {
    const char* label;
    const char* tip;
    void (*change)(PatternSettings*);
  };
  static const Example examples[] = {
      {"window only", "A causal window of 16 over 256 tokens: token 0 needs 16 layers to reach the last token.",
       [](PatternSettings* s) { *s = PatternSettings{}; }},
      {"+1 global token", "Add one global token: any token reaches any other in 2 layers, for about 2N more pairs.",
       [](PatternSettings* s) { s->globals = std::max(1, s->globals); }},
      {"8192 tokens", "A long text: the window's pairs grow like n, full attention's like n^2.",
       [](PatternSettings* s) { s->tokens = 8192; }},
      {"full attention", "No window and no extra tokens: one layer reaches everything, at n^2 cost.",
       [](PatternSettings* s) {
         s->window = -1;
         s->globals = s->registers = s->sinks = 0;
       }},
  };
  const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  for (const Example& e : examples) {
    const float w = ImGui::CalcTextSize(e.label).x + 2 * ImGui::GetStyle().FramePadding.x;
    ImGui::SameLine();
    if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
    if (ImGui::SmallButton(e.label)) {
      PatternSettings next = settings_;
      e.change(&next);
      apply(next);
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", e.tip);
  }
}

// ---- draw_cost_numbers() ----------------------------------------------------------------

void PatternView::draw_cost_numbers() {
  heading("Cost per head");
  help_marker(kCostHelp);
  const PatternCost& c = report_.cost;
  if (!ImGui::BeginTable("##cost", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) return;
  ImGui::TableSetupColumn("measure", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthFixed, px(118.0f));
  auto row = [](const char* name, const char* help, const std::string& value) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted(name);
    if (help) help_marker(help);
    ImGui::TableSetColumnIndex(1);
    ImGui::TextUnformatted(value.c_str());
  };
  char share[32];
  std::snprintf(share, sizeof share, c.share >= 0.1 ? "%.0f%%" : c.share >= 0.01 ? "%.1f%%" : "%.2f%%", 100 * c.share);
  row("positions N", "g global + r register + n text tokens.", grouped(report_.positions));
  row("pairs scored", "Query-key pairs this pattern computes, per head and sequence.", grouped(c.pairs));
  row("pairs, full attention", settings_.causal ? "N (N + 1) / 2: every key up to the query." : "N^2: every pair.",
      grouped(c.full_pairs));
  row("share of full", "Pairs scored / full attention's pairs.", share);
  row("FLOPs per forward", "4 d per pair scored, d = 64 (one head, one sequence).", flops_text(c.flops));
  row("FLOPs, full attention", nullptr, flops_text(c.full_flops));
  ImGui::EndTable();
}

// ---- draw_mask() ------------------------------------------------------------------------

void PatternView::draw_mask(float width) {
  const int N = report_.positions;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Which keys each query scores");
  help_marker(kMaskHelp);
  ImGui::SameLine(0, px(14.0f));
  const bool fitted = view_.span >= N;
  ImGui::BeginDisabled(fitted);
  if (ImGui::Button("Fit")) fit();
  record_item("patterns.fit");
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Show the whole mask (double-clicking it does the same).");
  // Rows and columns, and the zoom when there is room for it.
  char zoom[32] = "";
  if (!fitted) std::snprintf(zoom, sizeof zoom, "   zoom %.3gx", N / view_.span);
  const char* axes = "rows: queries, columns: keys";
  const float line_end = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;  // at the line's start
  ImGui::SameLine();
  const float room = line_end - ImGui::GetCursorScreenPos().x;
  if (ImGui::CalcTextSize(axes).x + ImGui::CalcTextSize(zoom).x <= room) ImGui::TextDisabled("%s%s", axes, zoom);
  else if (ImGui::CalcTextSize(axes).x <= room && fitted) ImGui::TextDisabled("%s", axes);
  else if (!fitted) ImGui::TextDisabled("%s", zoom + 3);
  else ImGui::NewLine();

  const float axis_left = px(50.0f), axis_top = ImGui::GetTextLineHeight() + px(6.0f);
  const float legend_height = 2 * ImGui::GetTextLineHeightWithSpacing() + px(16.0f);  // with the gap above it
  const ImVec2 cursor = ImGui::GetCursorScreenPos();
  const float size = std::floor(std::max(px(100.0f), std::min(width - axis_left - px(4.0f),
                                                              ImGui::GetContentRegionAvail().y - axis_top - legend_height)));
  const ImVec2 p0(std::floor(cursor.x + axis_left), std::floor(cursor.y + axis_top));
  const ImVec2 p1(p0.x + size, p0.y + size);
  const int pixels = static_cast<int>(size);
  double per_pixel = view_.span / pixels;

  // Interaction first, so this frame draws the new viewport.
  ImGui::SetCursorScreenPos(p0);
  ImGui::InvisibleButton("##mask", ImVec2(size, size));
  record_item("patterns.mask");
  ImGui::SetItemKeyOwner(ImGuiKey_MouseWheelY);
  const bool hovered = ImGui::IsItemHovered();
  const ImGuiIO& io = ImGui::GetIO();
  auto query_at = [&](float y) { return view_.query0 + (y - p0.y) * per_pixel; };
  auto key_at = [&](float x) { return view_.key0 + (x - p0.x) * per_pixel; };
  if (hovered && io.MouseWheel != 0.0f) {
    view_ = view_.zoomed(std::pow(1.25, static_cast<double>(io.MouseWheel)), query_at(io.MousePos.y),
                         key_at(io.MousePos.x), report_.positions);
    per_pixel = view_.span / pixels;
  }
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 0.0f)) {
    view_ = view_.panned(-io.MouseDelta.y * per_pixel, -io.MouseDelta.x * per_pixel, report_.positions);
    ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeAll);
  }
  if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
    fit();
    per_pixel = view_.span / pixels;
  }

  // The raster, recomputed when the settings, the viewport or the size changed.
  const bool same_view = raster_view_ == view_;
  if (raster_version_ != version_ || !same_view || raster_size_ != pixels) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::vector<PairKind> kinds =
        rasterize_mask(mask_, N, view_.query0, view_.key0, per_pixel, pixels, pixels);
    std::vector<float> values(kinds.size());
    for (size_t k = 0; k < kinds.size(); ++k) values[k] = kKindValue[static_cast<int>(kinds[k])];
    mask_canvas_.set_data(values.data(), nullptr, pixels, pixels);
    raster_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    raster_version_ = version_;
    raster_view_ = view_;
    raster_size_ = pixels;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const GLuint tex = mask_canvas_.render(ColormapCanvas::Mode::Heatmap, pixels, pixels, 0.0f, 1.0f);
  if (tex) dl->AddImage(texture_id(tex), p0, p1, ImVec2(0, 1), ImVec2(1, 0));
  else ImGui::TextColored(theme_colors().warn, "The mask shader failed to build:\n%s", mask_canvas_.error());
  // Cell borders once cells are large enough to tell apart.
  const float cell = static_cast<float>(1.0 / per_pixel);
  if (cell >= px(9.0f)) {
    const ImU32 line = IM_COL32(0, 0, 0, 70);
    for (int c = static_cast<int>(std::ceil(view_.key0)); c <= view_.key0 + view_.span; ++c) {
      const float x = std::floor(p0.x + static_cast<float>((c - view_.key0) / per_pixel)) + 0.5f;
      dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p1.y), line);
    }
    for (int r = static_cast<int>(std::ceil(view_.query0)); r <= view_.query0 + view_.span; ++r) {
      const float y = std::floor(p0.y + static_cast<float>((r - view_.query0) / per_pixel)) + 0.5f;
      dl->AddLine(ImVec2(p0.x, y), ImVec2(p1.x, y), line);
    }
  }
  dl->AddRect(ImVec2(p0.x - 1, p0.y - 1), ImVec2(p1.x + 1, p1.y + 1), ImGui::GetColorU32(ImGuiCol_Border));
  draw_mask_axes(p0.x, p0.y, size);

  if (hovered && !ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    const int i = std::clamp(static_cast<int>(query_at(io.MousePos.y)), 0, N - 1);
    const int j = std::clamp(static_cast<int>(key_at(io.MousePos.x)), 0, N - 1);
    if (cell >= px(4.0f)) {
      const ImVec2 a(p0.x + static_cast<float>((j - view_.key0) / per_pixel), p0.y + static_cast<float>((i - view_.query0) / per_pixel));
      dl->PushClipRect(p0, p1, true);
      dl->AddRect(a, ImVec2(a.x + cell, a.y + cell), IM_COL32(255, 255, 255, 230), 0, 0, px(1.5f));
      dl->PopClipRect();
    }
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(px(380.0f));
    ImGui::Text("query  %s", pattern_position_name(settings_, i).c_str());
    ImGui::Text("key    %s", pattern_position_name(settings_, j).c_str());
    const bool scored = pair_kind(mask_, i, j) != PairKind::Masked;
    ImGui::TextColored(scored ? theme_colors().good : theme_colors().text_dim, "%s", explain_pair(mask_, i, j).c_str());
    if (per_pixel > 1.5)
      ImGui::TextDisabled("Each pixel here covers about %.0f x %.0f pairs and is coloured if any of them is scored. "
                          "Scroll to zoom in.", per_pixel, per_pixel);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }

  ImGui::SetCursorScreenPos(ImVec2(cursor.x, p1.y + px(8.0f)));
  draw_mask_legend(width);
}

// Tick labels in token numbers (keys on top, queries on the left), plus G1 / R1
// where the global and register tokens start; labels that would overlap are skipped.
void PatternView::draw_mask_axes(float left, float top, float size) {
  const ImVec2 p0(left, top);
  const double per_pixel = view_.span / size;
  const int prefix = report_.prefix;
  struct Tick {
    int position;
    std::string label;
  };
  std::vector<Tick> ticks;
  if (settings_.globals > 0) ticks.push_back({0, "G1"});
  if (settings_.registers > 0) ticks.push_back({settings_.globals, "R1"});
  const long long step = static_cast<long long>(axes::nice_step(std::max(1.0, px(70.0f) * per_pixel)));
  const double first = view_.key0 < view_.query0 ? view_.key0 : view_.query0;
  for (long long t = std::max(0LL, static_cast<long long>(std::floor((first - prefix) / step)) * step);
       prefix + t < first + 2 * view_.span + step && prefix + t < report_.positions; t += step)
    ticks.push_back({static_cast<int>(prefix + t), std::to_string(t)});

  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_TextDisabled), tick = ImGui::GetColorU32(ImGuiCol_Border);
  const ImU32 accent = ImGui::GetColorU32(theme_colors().accent);
  float last_x = -1e9f, last_y = -1e9f;
  for (const Tick& k : ticks) {
    const ImVec2 ts = ImGui::CalcTextSize(k.label.c_str());
    const ImU32 color = k.position < prefix ? accent : text;
    const double cx = (k.position + 0.5 - view_.key0) / per_pixel, cy = (k.position + 0.5 - view_.query0) / per_pixel;
    if (cx >= 0 && cx <= size) {
      const float x = std::floor(p0.x + static_cast<float>(cx));
      const float lx = std::clamp(x - ts.x * 0.5f, p0.x - px(4.0f), p0.x + size - ts.x + px(4.0f));
      if (lx > last_x + px(6.0f)) {
        dl->AddLine(ImVec2(x + 0.5f, p0.y - px(4.0f)), ImVec2(x + 0.5f, p0.y - 1), tick);
        dl->AddText(ImVec2(lx, p0.y - px(5.0f) - ts.y), color, k.label.c_str());
        last_x = lx + ts.x;
      }
    }
    if (cy >= 0 && cy <= size) {
      const float y = std::floor(p0.y + static_cast<float>(cy));
      const float ly = std::clamp(y - ts.y * 0.5f, p0.y - px(2.0f), p0.y + size - ts.y + px(2.0f));
      if (ly > last_y + px(2.0f)) {
        dl->AddLine(ImVec2(p0.x - px(4.0f), y + 0.5f), ImVec2(p0.x - 1, y + 0.5f), tick);
        dl->AddText(ImVec2(p0.x - px(7.0f) - ts.x, ly), color, k.label.c_str());
        last_y = ly + ts.y;
      }
    }
  }
}

void PatternView::draw_mask_legend(float width) {
  const float values[] = {kKindValue[1], kKindValue[2], kKindValue[3], kKindValue[4], kKindValue[0]};
  const char* const labels[] = {"window / causal", "sink column", "register row, column", "global row, column",
                                "not scored"};
  legend_row(&mask_legend_, values, labels, 5, width);
}

// ---- draw_receptive_field() ----------------------------------------------------------------

void PatternView::draw_receptive_field(float width) {
  char title[48];
  std::snprintf(title, sizeof title, "Receptive field of token %d", settings_.source);
  heading(title);
  help_marker(kFieldHelp);
  const int N = report_.positions, L = settings_.layers;
  const float label_width = ImGui::CalcTextSize("layer 8").x + px(8.0f);
  const float row_height = std::floor(ImGui::GetTextLineHeight());
  const float image_width = std::floor(std::max(px(60.0f), width - label_width - px(4.0f)));
  const float image_height = row_height * L;
  const int columns = std::max(1, std::min(N, static_cast<int>(image_width)));  // texels; drawn stretched
  // Each column covers positions [c N / columns, (c + 1) N / columns) and shows the highest value among them.
  auto column_positions = [&](int c) {
    return CellSpan{static_cast<int>(static_cast<long long>(c) * N / columns),
                    std::max(static_cast<int>(static_cast<long long>(c) * N / columns) + 1,
                             static_cast<int>(static_cast<long long>(c + 1) * N / columns))};
  };
  if (field_version_ != version_ || field_columns_ != columns) {
    std::vector<float> values(static_cast<size_t>(L) * columns, kNotYet);
    for (int l = 1; l <= L; ++l)
      for (int c = 0; c < columns; ++c) {
        const CellSpan span = column_positions(c);
        float& v = values[static_cast<size_t>(l - 1) * columns + c];
        for (int p = span.begin; p < span.end; ++p) {
          const int at = report_.layers_to[p];
          if (at == kUnreachable || at > l) continue;
          v = std::max(v, at == l ? kNewThisLayer : kEarlier);
        }
      }
    field_canvas_.set_data(values.data(), nullptr, L, columns);
    field_version_ = version_;
    field_columns_ = columns;
  }
  const ImVec2 cursor = ImGui::GetCursorScreenPos();
  const ImVec2 p0(std::floor(cursor.x + label_width), std::floor(cursor.y + px(2.0f)));
  const ImVec2 p1(p0.x + image_width, p0.y + image_height);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const GLuint tex = field_canvas_.render(ColormapCanvas::Mode::Heatmap, columns, static_cast<int>(image_height), 0, 1);
  if (tex) dl->AddImage(texture_id(tex), p0, p1, ImVec2(0, 1), ImVec2(1, 0));
  dl->AddRect(ImVec2(p0.x - 1, p0.y - 1), ImVec2(p1.x + 1, p1.y + 1), ImGui::GetColorU32(ImGuiCol_Border));
  const ImU32 dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  for (int l = 1; l <= L; ++l) {
    char label[24];
    std::snprintf(label, sizeof label, "layer %d", l);
    const ImVec2 ts = ImGui::CalcTextSize(label);
    dl->AddText(ImVec2(p0.x - px(6.0f) - ts.x, p0.y + (l - 0.5f) * row_height - ts.y * 0.5f), dim, label);
    if (l > 1) dl->AddLine(ImVec2(p0.x, p0.y + (l - 1) * row_height), ImVec2(p1.x, p0.y + (l - 1) * row_height),
                           IM_COL32(0, 0, 0, 90));
  }
  // Marks under the image: the prefix, the source token, the last token.
  const float mark_y = p1.y + px(2.0f), x_per_position = image_width / N;
  // A triangle under the position and its label; returns the label's right end.
  auto mark = [&](int position, const char* text, ImU32 color, bool right_align) {
    const float x = p0.x + (position + 0.5f) * x_per_position;
    dl->AddTriangleFilled(ImVec2(x, mark_y), ImVec2(x - px(5.0f), mark_y + px(7.0f)), ImVec2(x + px(5.0f), mark_y + px(7.0f)), color);
    const ImVec2 ts = ImGui::CalcTextSize(text);
    const float tx = std::clamp(right_align ? x - ts.x + px(5.0f) : x - px(5.0f), p0.x - label_width, p1.x - ts.x);
    dl->AddText(ImVec2(tx, mark_y + px(8.0f)), color, text);
    return tx + ts.x;
  };
  if (report_.prefix > 0)
    dl->AddRectFilled(ImVec2(p0.x, p0.y - px(4.0f)), ImVec2(p0.x + std::max(px(2.0f), report_.prefix * x_per_position), p0.y - px(1.0f)),
                      ImGui::GetColorU32(theme_colors().accent));
  char source_text[48];
  std::snprintf(source_text, sizeof source_text, "token %d", settings_.source);
  const float source_end = mark(report_.prefix + settings_.source, source_text, ImGui::GetColorU32(ImGuiCol_Text), false);
  char last_text[48];
  std::snprintf(last_text, sizeof last_text, "last (%d)", settings_.tokens - 1);
  const float last_x = p0.x + (N - 0.5f) * x_per_position;
  if (settings_.source != settings_.tokens - 1 && last_x - ImGui::CalcTextSize(last_text).x > source_end + px(8.0f))
    mark(N - 1, last_text, dim, true);

  ImGui::SetCursorScreenPos(p0);
  ImGui::InvisibleButton("##field", ImVec2(image_width, image_height));
  if (ImGui::IsItemHovered()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int c = std::clamp(static_cast<int>((m.x - p0.x) / image_width * columns), 0, columns - 1);
    const int l = std::clamp(static_cast<int>((m.y - p0.y) / row_height) + 1, 1, L);
    const CellSpan span = column_positions(c);
    // The position in this column reached first stands for it.
    int p = span.begin;
    for (int q = span.begin; q < span.end; ++q) {
      const int a = report_.layers_to[q], b = report_.layers_to[p];
      if (a != kUnreachable && (b == kUnreachable || a < b)) p = q;
    }
    const int at = report_.layers_to[p];
    ImGui::BeginTooltip();
    if (span.end - span.begin > 1)
      ImGui::TextDisabled("%s to %s; first reached: %s", pattern_position_name(settings_, span.begin).c_str(),
                          pattern_position_name(settings_, span.end - 1).c_str(), pattern_position_name(settings_, p).c_str());
    else
      ImGui::Text("%s", pattern_position_name(settings_, p).c_str());
    if (at == kUnreachable) ImGui::Text("never gets token %d's information", settings_.source);
    else if (at == 0) ImGui::Text("the source token itself");
    else ImGui::Text("holds token %d's information from layer %d%s", settings_.source, at,
                     at <= l ? "" : " (not yet at this layer)");
    ImGui::EndTooltip();
  }
  ImGui::SetCursorScreenPos(ImVec2(cursor.x, mark_y + px(10.0f) + ImGui::GetTextLineHeight()));
  {
    const float values[] = {kNewThisLayer, kEarlier, kNotYet};
    const char* const labels[] = {"reached in this layer", "earlier", "not yet"};
    legend_row(&field_legend_, values, labels, 3, width);
  }
  draw_reach_words(width);
}

void PatternView::draw_reach_words(float width) {
  const int s = settings_.source, last = settings_.tokens - 1, L = settings_.layers;
  const int k = report_.source_to_last;
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  if (s == last) {
    ImGui::TextUnformatted("The source is the last token: choose an earlier one to see how far it reaches.");
  } else if (k == kUnreachable) {
    ImGui::TextColored(theme_colors().warn, "Token %d never reaches token %d: no chain of scored pairs leads there.", s, last);
  } else if (k <= L) {
    ImGui::TextColored(theme_colors().good, "Token %d reaches token %d after %d layer%s (within your %d).", s, last, k,
                       k == 1 ? "" : "s", L);
  } else {
    ImGui::TextColored(theme_colors().warn, "Token %d cannot reach token %d within %d layer%s; it would take %d layers.", s,
                       last, L, L == 1 ? "" : "s", k);
  }
  // Why, in one sentence.
  const bool bidirectional_registers = !settings_.causal && settings_.registers > 0;
  if (s < settings_.sinks && s != last) {
    ImGui::TextDisabled("Token %d is a sink: every %s reads it directly.", s, settings_.causal ? "later token" : "token");
  } else if (settings_.globals > 0 || bidirectional_registers) {
    ImGui::TextDisabled("Any two tokens are 2 layers apart: token -> %s -> every token.",
                        settings_.globals > 0 ? "global" : "register (bidirectional)");
  } else if (settings_.window > 0) {
    ImGui::TextDisabled("A window moves information at most w = %d positions per layer%s.", settings_.window,
                        settings_.causal ? ", only forward" : "");
  } else if (settings_.window == 0) {
    ImGui::TextDisabled("With w = 0 every token sees only itself: nothing moves.");
  } else {
    ImGui::TextDisabled(settings_.causal ? "Full causal attention: every later token reads it in one layer."
                                         : "Full attention: every token reads every other in one layer.");
  }
  ImGui::TextDisabled("After %d layer%s: %s of %s positions hold it.", L, L == 1 ? "" : "s",
                      grouped(report_.field.count(L)).c_str(), grouped(report_.positions).c_str());
  if (report_.first_to_last != k && s != 0) {
    const int f = report_.first_to_last;
    if (f == kUnreachable) ImGui::TextDisabled("Token 0 never reaches token %d.", last);
    else ImGui::TextDisabled("Token 0 reaches token %d after %d layer%s.", last, f, f == 1 ? "" : "s");
  }
  ImGui::PopTextWrapPos();
}

// ---- draw_cost_plot() ----------------------------------------------------------------------

void PatternView::draw_cost_plot(float width, float height) {
  std::vector<double> n, pairs, full;
  for (size_t k = 0; k < report_.curve.size(); ++k) {
    n.push_back(report_.curve_tokens[k]);
    pairs.push_back(static_cast<double>(report_.curve[k].pairs));
    full.push_back(static_cast<double>(report_.curve[k].full_pairs));
  }
  const int count = static_cast<int>(n.size());
  const PlotSeries series[] = {{"this pattern", n.data(), pairs.data(), count, plot_color(0), false, true},
                               {"full attention", n.data(), full.data(), count, plot_color(5), true, false}};
  PlotOptions o;
  o.title = "Pairs scored against n";
  o.x_label = "n, tokens in the text (log scale)";
  o.y_label = "pairs per head";
  o.log_x = true;
  o.log_y = true;
  o.x_integer = true;
  o.x_format = "%.0f";
  o.y_format = "%.4g";
  char label[48];
  std::snprintf(label, sizeof label, "n = %d", settings_.tokens);
  const PlotMarker marker{static_cast<double>(settings_.tokens), label};
  plot("##pairs", ImVec2(width, std::max(px(150.0f), height)), o, series, 2, &marker, 1);
}

}  // namespace attnlab
