// Softmax sandbox view.
//
// Index
//   - draw()           layout: chart and sliders on the left, controls and measures on the right
//   - draw_chart()     the weights as bars (our colormap shader), axis, threshold line, hover
//   - draw_sliders()   one vertical slider per key logit / global-token score, under its bar
//   - draw_controls()  n, g, temperature, softmax1, threshold, example rows
//   - draw_measures()  the measures table, with and without the global tokens
#include "app/views/sandbox_view.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "app/ui/help.h"
#include "app/ui/item_rects.h"
#include "app/ui/theme.h"
#include "imgui.h"

namespace attnlab {
namespace {

using L = SandboxLimits;
constexpr float kSliderMin = -10.0f, kSliderMax = 10.0f;

constexpr const char* kHelp =
    "A single row of attention. A query has a score (logit) for every key it can see; the softmax turns "
    "the scores into weights that sum to 1: w_i = exp(x_i/T) / sum_j exp(x_j/T).\n\n"
    "One large logit makes the row 'peaky': nearly all weight lands on one key (e.g. 0.01 / 0.98 / 0.01). "
    "Global tokens add terms to the denominator that are always present. Terms of comparable score take "
    "mass from the peak and flatten the row; that is exact algebra, and the table on the right compares "
    "the row with and without them.\n\n"
    "softmax1 adds an invisible key with logit 0 and a zero value: the row may then sum to less than 1, "
    "so a query can 'attend to nothing'.\n\n"
    "Whether a model in training actually uses global tokens this way is a separate question, which "
    "only training experiments can answer.";

std::string column_name(int i, int n) {
  return i < n ? "k" + std::to_string(i + 1) : "G" + std::to_string(i - n + 1);
}

}  // namespace

SandboxView::SandboxView() { reset(); }

void SandboxView::reset() {
  config_ = sandbox_default();
  new_global_score_ = 2.0f;
  recompute();
}

void SandboxView::recompute() { result_ = sandbox_compute(config_); }

nlohmann::json SandboxView::state() const { return sandbox_to_json(config_, result_); }

std::vector<std::string> SandboxView::set(const nlohmann::json& fields) {
  std::vector<std::string> errors;
  sandbox_update_from_json(&config_, fields, &errors);
  recompute();
  return errors;
}

void SandboxView::draw() {
  view_intro(kHelp,
             "Each bar is the attention weight that one query gives to a key: softmax(logit / temperature). "
             "Drag the sliders under the bars to change the logits. Global tokens (orange band) are keys "
             "that every query always sees: watch what their terms in the softmax denominator do to the peak.");
  const float side_width = px(400.0f);
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // A narrow window (a tablet held upright): the settings under the chart, so that the bars keep the width
  // for the weight over each bar and the value under each slider (beside it, 16 keys got 18 px each at 768 px).
  const bool stacked = avail.x < px(900.0f);
  const float slider_block = px(190.0f);
  const ImVec2 chart_size = stacked ? ImVec2(avail.x, std::floor(std::max(px(160.0f) + slider_block, avail.y * 0.55f)))
                                    : ImVec2(std::max(px(300.0f), avail.x - side_width - spacing), avail.y);

  ImGui::BeginChild("##sandbox_chart", chart_size, ImGuiChildFlags_Border);
  const float chart_height = std::max(px(160.0f), ImGui::GetContentRegionAvail().y - slider_block);
  ImGui::BeginGroup();
  draw_chart(ImGui::GetContentRegionAvail().x, chart_height);
  ImGui::EndGroup();
  record_rect("sandbox.bars", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  draw_sliders(ImGui::GetContentRegionAvail().x, px(48.0f));
  ImGui::EndChild();

  if (!stacked) ImGui::SameLine();
  ImGui::BeginChild("##sandbox_side", ImVec2(0, stacked ? 0.0f : avail.y), ImGuiChildFlags_Border);
  draw_controls();
  ImGui::Spacing();
  draw_measures();
  ImGui::EndChild();
}

void SandboxView::draw_chart(float width, float height) {
  const int n = static_cast<int>(config_.logits.size());
  const int g = static_cast<int>(config_.global_scores.size());
  const int count = n + g;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float axis = px(48.0f), top = px(10.0f), label_row = ImGui::GetTextLineHeight() + px(6.0f);
  const ImVec2 p0(std::floor(origin.x + axis), std::floor(origin.y + top));
  const ImVec2 size(std::floor(width - axis - px(8.0f)), std::floor(height - top - label_row));
  column_width_ = size.x / static_cast<float>(count);

  std::vector<unsigned char> special(count, 0);
  std::fill(special.begin() + n, special.end(), 1);
  bars_.set_data(result_.weights.data(), special.data(), 1, count);
  const GLuint tex = bars_.render(ColormapCanvas::Mode::Bars, static_cast<int>(size.x),
                                  static_cast<int>(size.y), 0.0f, 1.0f);
  const ImVec2 p1(p0.x + size.x, p0.y + size.y);
  if (tex) {
    dl->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(tex)), p0, p1, ImVec2(0, 1),
                 ImVec2(1, 0));
  } else {
    ImGui::TextColored(theme_colors().warn, "The bar shader failed to build:\n%s", bars_.error());
  }

  // Colour legend (top left): the bar colour encodes the weight too. Drawn first: the weights keep clear of it.
  ImVec2 legend_max = p0;  // its bottom right (its top left is near p0)
  {
    float ramp[64];
    for (int i = 0; i < 64; ++i) ramp[i] = i / 63.0f;
    legend_.set_data(ramp, nullptr, 1, 64);
    const ImVec2 lsize(px(110.0f), ImGui::GetTextLineHeight() * 0.7f);
    const ImVec2 lp(p0.x + px(10.0f) + ImGui::CalcTextSize("colour = weight  0 ").x, p0.y + px(6.0f));
    const GLuint ltex = legend_.render(ColormapCanvas::Mode::Heatmap, static_cast<int>(lsize.x),
                                       static_cast<int>(lsize.y), 0.0f, 1.0f);
    const float ty = lp.y + lsize.y * 0.5f - ImGui::GetTextLineHeight() * 0.5f;
    const ImU32 dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    dl->AddText(ImVec2(p0.x + px(10.0f), ty), dim, "colour = weight  0 ");
    if (ltex)
      dl->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(ltex)), lp,
                   ImVec2(lp.x + lsize.x, lp.y + lsize.y), ImVec2(0, 1), ImVec2(1, 0));
    dl->AddText(ImVec2(lp.x + lsize.x + px(4.0f), ty), dim, "1");
    legend_max = ImVec2(lp.x + lsize.x + px(4.0f) + ImGui::CalcTextSize("1").x, ty + ImGui::GetTextLineHeight());
  }
  record_rect("sandbox.legend", p0, legend_max);
  // The weight above each bar that is not ~0: where it fits its column, and where it is wider (presenter
  // type, many keys) when neither neighbour shows one, so the peak's weight is always written.
  struct WeightLabel {
    char text[16];
    ImVec2 size;
    int shown = 0;  // 1: fits its column; 2: drawn over its neighbours
  };
  std::vector<WeightLabel> label(count);  // [count], formatted once a frame
  for (int i = 0; i < count; ++i) {
    std::snprintf(label[i].text, sizeof label[i].text, "%.2f", result_.weights[i]);
    label[i].size = ImGui::CalcTextSize(label[i].text);
    if (result_.weights[i] >= 0.005f && label[i].size.x <= column_width_ - px(2.0f)) label[i].shown = 1;
  }
  for (int i = 0; i < count; ++i) {
    const float half = label[i].size.x * 0.5f, cx = p0.x + (i + 0.5f) * column_width_;
    const bool free = (i == 0 || label[i - 1].shown == 0) && (i + 1 == count || label[i + 1].shown == 0);
    if (label[i].shown == 0 && result_.weights[i] >= 0.05f && free && cx - half >= p0.x && cx + half <= p1.x)
      label[i].shown = 2;
  }
  for (int i = 0; i < count; ++i) {
    if (label[i].shown == 0) continue;
    const ImVec2 ts = label[i].size;
    float top_y = std::max(p0.y, p0.y + size.y * (1.0f - result_.weights[i]) - ts.y - px(2.0f));
    const float x = p0.x + (i + 0.5f) * column_width_ - ts.x * 0.5f;
    const bool under_legend = x < legend_max.x && top_y < legend_max.y;
    if (under_legend) top_y = legend_max.y + px(2.0f);  // below the legend, over the bar: on a dark plate
    const ImVec2 at(x, top_y);
    if (under_legend)
      dl->AddRectFilled(ImVec2(at.x - px(2.0f), at.y), ImVec2(at.x + ts.x + px(2.0f), at.y + ts.y),
                        ImGui::GetColorU32(ImGuiCol_WindowBg), px(3.0f));
    dl->AddText(at, ImGui::GetColorU32(ImGuiCol_Text), label[i].text);
    record_rect(("sandbox.weight." + std::to_string(i)).c_str(), at, ImVec2(at.x + ts.x, at.y + ts.y));
  }

  // Weight axis with grid lines (drawn over the bars, faint).
  const ImU32 grid = IM_COL32(255, 255, 255, 40), text = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  for (int t = 0; t <= 4; ++t) {
    const float v = t * 0.25f, y = std::floor(p0.y + size.y * (1.0f - v)) + 0.5f;
    dl->AddLine(ImVec2(p0.x, y), ImVec2(p1.x, y), grid, 1.0f);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    const ImVec2 ts = ImGui::CalcTextSize(buf);
    dl->AddText(ImVec2(p0.x - ts.x - px(6.0f), y - ts.y * 0.5f), text, buf);
  }
  // The "peaky" threshold.
  {
    const float y = std::floor(p0.y + size.y * (1.0f - config_.peak_threshold)) + 0.5f;
    const ImU32 warn = ImGui::GetColorU32(theme_colors().warn);
    for (float x = p0.x; x < p1.x; x += px(10.0f))
      dl->AddLine(ImVec2(x, y), ImVec2(std::min(x + px(5.0f), p1.x), y), warn, px(1.5f));
    char buf[48];
    std::snprintf(buf, sizeof buf, "peaky above %.2f", config_.peak_threshold);
    const ImVec2 ts = ImGui::CalcTextSize(buf);
    dl->AddText(ImVec2(p1.x - ts.x - px(4.0f), y - ts.y - px(2.0f)), warn, buf);
  }
  // Column names under the bars, thinned out when columns are narrow.
  const float name_width = ImGui::CalcTextSize("k32").x + px(4.0f);
  const int every = std::max(1, static_cast<int>(std::ceil(name_width / column_width_)));
  for (int i = 0; i < count; ++i) {
    if (i % every != 0 && i != n) continue;
    const std::string name = column_name(i, n);
    const ImVec2 ts = ImGui::CalcTextSize(name.c_str());
    const float cx = p0.x + (i + 0.5f) * column_width_;
    dl->AddText(ImVec2(cx - ts.x * 0.5f, p1.y + px(3.0f)),
                i < n ? text : ImGui::GetColorU32(theme_colors().accent), name.c_str());
  }

  // Hover: which column, its logit and weight.
  ImGui::SetCursorScreenPos(p0);
  ImGui::InvisibleButton("##bars", size);
  if (ImGui::IsItemHovered()) {
    const int i = std::clamp(static_cast<int>((ImGui::GetIO().MousePos.x - p0.x) / column_width_), 0,
                             count - 1);
    const float logit = i < n ? config_.logits[i] : config_.global_scores[i - n];
    ImGui::SetTooltip("%s %s\nlogit %.2f  ->  weight %.4f", i < n ? "key" : "global token",
                      column_name(i, n).c_str(), logit, result_.weights[i]);
  }
  // Claim the whole block, key names included (moving the cursor alone does
  // not extend the window's or the group's extent).
  ImGui::SetCursorScreenPos(origin);
  ImGui::Dummy(ImVec2(width, height));
}

void SandboxView::draw_sliders(float width, float chart_left) {
  const int n = static_cast<int>(config_.logits.size());
  const int g = static_cast<int>(config_.global_scores.size());
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::AlignTextToFramePadding();
  ImGui::TextDisabled("logits");
  ImGui::SameLine();
  draw_example_buttons();
  const float slider_height = px(120.0f);
  const float y = ImGui::GetCursorScreenPos().y;
  const float x0 = std::floor(origin.x + chart_left);
  const float gap = std::max(px(2.0f), column_width_ * 0.12f);
  // The values under the sliders share one type size: smaller in narrow
  // columns (many keys), down to 60%; narrower still, only the tooltip gives them.
  auto value_text = [](float v, char (&buf)[16]) { std::snprintf(buf, sizeof buf, "%.1f", v); };
  float widest = 0.0f;
  for (int i = 0; i < n + g; ++i) {
    char buf[16];
    value_text(i < n ? config_.logits[i] : config_.global_scores[i - n], buf);
    widest = std::max(widest, ImGui::CalcTextSize(buf).x);
  }
  const float shrink = std::min(1.0f, (column_width_ - px(2.0f)) / std::max(1.0f, widest));
  bool changed = false;
  for (int i = 0; i < n + g; ++i) {
    float* value = i < n ? &config_.logits[i] : &config_.global_scores[i - n];
    ImGui::SetCursorScreenPos(ImVec2(x0 + i * column_width_ + gap * 0.5f, y));
    ImGui::PushID(i);
    if (i >= n) ImGui::PushStyleColor(ImGuiCol_SliderGrab, theme_colors().accent);
    changed |= ImGui::VSliderFloat("##logit", ImVec2(column_width_ - gap, slider_height), value,
                                   kSliderMin, kSliderMax, "");
    record_item(("sandbox.logit." + std::to_string(i)).c_str());  // the tests drag it by touch and by mouse
    if (ImGui::IsItemHovered() || ImGui::IsItemActive())
      ImGui::SetTooltip("%s %s: logit %.2f", i < n ? "key" : "global token",
                        column_name(i, n).c_str(), *value);
    if (i >= n) ImGui::PopStyleColor();
    ImGui::PopID();
    char buf[16];
    value_text(*value, buf);
    const float tw = ImGui::CalcTextSize(buf).x;
    if (shrink >= 0.6f) {
      const float size = ImGui::GetFontSize() * shrink;
      ImGui::GetWindowDrawList()->AddText(
          ImGui::GetFont(), size, ImVec2(x0 + (i + 0.5f) * column_width_ - tw * shrink * 0.5f, y + slider_height + px(3.0f)),
          ImGui::GetColorU32(ImGuiCol_Text), buf);
    }
  }
  if (changed) recompute();
  ImGui::SetCursorScreenPos(ImVec2(origin.x, y + slider_height + ImGui::GetTextLineHeight() + px(8.0f)));
  (void)width;
}

void SandboxView::draw_controls() {
  heading("Settings");
  bool changed = false;
  const float label_room = px(150.0f);
  ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x - label_room);

  int n = static_cast<int>(config_.logits.size());
  if (ImGui::SliderInt("keys (n)", &n, L::kMinKeys, L::kMaxKeys, "%d", ImGuiSliderFlags_AlwaysClamp)) {
    config_.logits.resize(n, 0.0f);
    changed = true;
  }
  help_marker("How many ordinary keys this query can see. New keys start with logit 0.");

  int g = static_cast<int>(config_.global_scores.size());
  if (ImGui::SliderInt("global tokens (g)", &g, 0, L::kMaxGlobals, "%d", ImGuiSliderFlags_AlwaysClamp)) {
    config_.global_scores.resize(g, new_global_score_);
    changed = true;
  }
  help_marker(
      "Global tokens are extra keys that every query can always see (and that see every token). Each "
      "adds exp(score/T) to the softmax denominator. New ones get the score below; drag the orange "
      "sliders to set each one.");

  ImGui::SliderFloat("new global score", &new_global_score_, kSliderMin, kSliderMax, "%.1f",
                     ImGuiSliderFlags_AlwaysClamp);
  help_marker("The logit given to global tokens when you add them, or to all of them with the button below.");
  ImGui::BeginDisabled(g == 0);
  if (ImGui::Button("Give every global token this score")) {
    std::fill(config_.global_scores.begin(), config_.global_scores.end(), new_global_score_);
    changed = true;
  }
  ImGui::EndDisabled();

  changed |= ImGui::SliderFloat("temperature (T)", &config_.temperature, L::kMinTemperature,
                                L::kMaxTemperature, "%.2f",
                                ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  help_marker(
      "Every logit is divided by T before the softmax. T < 1 sharpens the row (peakier), T > 1 flattens "
      "it. Models often write this as a logit scale 1/T, e.g. 1/sqrt(d).");
  ImGui::TextDisabled("logit scale 1/T = %.3g", 1.0 / config_.temperature);

  changed |= ImGui::Checkbox("softmax1 (off by one)", &config_.softmax1);
  help_marker(
      "softmax1 adds 1 to the denominator: exp(x_i) / (1 + sum_j exp(x_j)). It is the same as one more "
      "key with logit 0 and a zero value. When every logit is well below 0 the row can sum to much less "
      "than 1; with logits in the tens it changes almost nothing.");

  changed |= ImGui::SliderFloat("peak threshold", &config_.peak_threshold, L::kMinPeakThreshold,
                                L::kMaxPeakThreshold, "%.3f", ImGuiSliderFlags_AlwaysClamp);
  help_marker("A row counts as 'peaky' when its largest weight is above this (0.9 by default).");
  ImGui::PopItemWidth();

  if (changed) recompute();
}

void SandboxView::draw_example_buttons() {
  bool changed = false;
  if (ImGui::SmallButton("Peaky")) {
    // The default row's pattern over the current n keys, with one strong key.
    const std::vector<float> pattern = sandbox_default().logits;
    for (size_t i = 0; i < config_.logits.size(); ++i)
      config_.logits[i] = i == 6 ? pattern[6] : (i % 16 == 6 ? 0.5f : pattern[i % 16]);
    changed = true;
  }
  ImGui::SameLine();
  if (ImGui::SmallButton("Flat")) {
    std::fill(config_.logits.begin(), config_.logits.end(), 0.0f);
    changed = true;
  }
  ImGui::SameLine();
  if (ImGui::SmallButton("Random")) {
    config_.logits = sandbox_random_logits(static_cast<int>(config_.logits.size()), random_draws_++, kSliderMin, kSliderMax);
    changed = true;
  }
  ImGui::SameLine();
  if (ImGui::SmallButton("Reset all")) {
    reset();
    return;
  }
  help_marker("Peaky: one strong key (the default). Flat: every logit 0. Random: logits drawn from a normal "
              "distribution (sd 2). Reset all: every setting back to its default.");
  if (changed) recompute();
}

void SandboxView::draw_measures() {
  heading("Measures");
  const SandboxRowStats& a = result_.stats;
  const SandboxRowStats& b = result_.without_globals;
  const int n = static_cast<int>(config_.logits.size());
  const int g = static_cast<int>(config_.global_scores.size());
  if (!ImGui::BeginTable("##measures", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH))
    return;
  ImGui::TableSetupColumn("measure", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn("this row", ImGuiTableColumnFlags_WidthFixed, px(80.0f));
  ImGui::TableSetupColumn("no globals", ImGuiTableColumnFlags_WidthFixed, px(88.0f));
  ImGui::TableHeadersRow();

  auto row = [](const char* name, const char* help, const std::string& with, const std::string& without) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted(name);
    if (help) help_marker(help);
    ImGui::TableSetColumnIndex(1);
    ImGui::TextUnformatted(with.c_str());
    ImGui::TableSetColumnIndex(2);
    ImGui::TextUnformatted(without.c_str());
  };
  auto fmt = [](const char* f, double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, f, v);
    return std::string(buf);
  };
  row("entropy (nats)",
      "H = -sum p ln p over the keys the query sees. 0 means all weight on one key; ln(n) means uniform.",
      fmt("%.4f", a.entropy), fmt("%.4f", b.entropy));
  row("entropy / ln(keys)",
      "Entropy divided by its maximum, ln(number of visible keys): 0 = one-hot, 1 = uniform. Lets rows "
      "with different numbers of keys be compared.",
      fmt("%.4f", a.entropy_normalized), fmt("%.4f", b.entropy_normalized));
  row("peak weight", "The largest weight in the row.", fmt("%.4f", a.peak), fmt("%.4f", b.peak));
  row("peak on", nullptr, a.peak_index < 0 ? "-" : column_name(a.peak_index, n),
      b.peak_index < 0 ? "-" : column_name(b.peak_index, n));
  row("peaky?", "Is the peak weight above the threshold?", a.peaky ? "yes" : "no", b.peaky ? "yes" : "no");
  row("mass on global tokens", "Share of the attention that lands on the g global tokens.",
      fmt("%.4f", a.global_mass), g > 0 ? "0 (none)" : "-");
  row("mass on the n keys", nullptr, fmt("%.4f", a.key_mass), fmt("%.4f", b.key_mass));
  if (config_.softmax1)
    row("mass on softmax1's zero key",
        "What the '+1' in the denominator absorbs. That part of the attention reads a zero value.",
        fmt("%.4f", a.null_mass), fmt("%.4f", b.null_mass));
  ImGui::EndTable();
  ImGui::TextDisabled("%d keys + %d global tokens visible", n, g);
}

}  // namespace attnlab
