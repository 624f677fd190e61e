// Training lab view.
//
// Index
//   - commands        what the page API and the toolbar send to the engine
//   - toolbar         scenario, play/pause/step/reset, speed, status
//   - attention       heatmaps (our colormap shader), hover, the query row over time
//   - side panel      divergence, interventions, plots of the measures, per-head table
#include "app/views/training_view.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "app/ui/help.h"
#include "app/ui/item_rects.h"
#include "app/ui/lesson_verdict.h"
#include "app/ui/plot.h"
#include "app/ui/theme.h"
#include "core/training/config_schema.h"
#include "core/lab/presets.h"
#include "core/lab/time_left.h"
#include "core/lab/scenario.h"
#include "imgui.h"

namespace attnlab {
namespace {

struct Speed {
  const char* label;
  double steps_per_second;
};
constexpr Speed kSpeeds[] = {{"Slow: 2 steps/s", 2.0}, {"Steady: 10 steps/s", 10.0}, {"Fast: as fast as it goes", 0.0}};

constexpr const char* kHeatmapHelp =
    "Each row is a query (a token of the probe sequence), each column a key. The colour is the attention "
    "weight the query gives the key, from 0 (dark purple) to 1 (yellow); hatched cells are pairs the "
    "attention pattern does not score at all. A peaky row is one bright cell; a smooth row spreads its colour.\n\n"
    "The probe sequence is fixed (the first evaluation sequence), so changes you see come from training. "
    "Global and register tokens come first (orange marks above their columns). Click a row to follow that "
    "query over time below. Very long sequences are shown in blocks (each cell the mean of a block of pairs).";

constexpr const char* kRowsHelp =
    "One query's attention row at every measurement: time runs downwards, keys left to right. A steady "
    "pattern makes vertical stripes; a peak that jumps from key to key makes a scattered trail. The row shown "
    "is the task's question (the last token) unless you click another row in the heatmap.";

std::string token_label(const RunView& r, int pos) {
  const int globals = r.config.is_object() ? r.config["model"].value("globals", 0) : 0;
  if (pos < r.prefix) return pos < globals ? "global " + std::to_string(pos) : "register " + std::to_string(pos - globals);
  const int t = pos - r.prefix;
  std::string name = t < static_cast<int>(r.probe_tokens.size()) ? r.probe_tokens[t] : "?";
  return std::to_string(t) + " (" + name + ")";
}

// The series of one measure from a run's history.
struct Series {
  std::vector<double> x, y;
};
template <class F>
Series series(const RunView& r, F value) {
  Series s;
  for (const LogPoint& p : r.history) {
    s.x.push_back(p.step);
    s.y.push_back(value(p));
  }
  return s;
}

}  // namespace

TrainingView::TrainingView(LabContext* lab) : lab_(lab) {}

// ---- commands ---------------------------------------------------------------------

bool TrainingView::load_scenario(const nlohmann::json& scenario, std::vector<std::string>* errors) {
  // Validate here first, so a bad scenario is refused at once with a message.
  *errors = scenario_errors(scenario);
  if (!errors->empty()) return false;
  scenario_ = scenario;
  editor_synced_ = false;
  lab_->send({{"cmd", "load"}, {"scenario", scenario}});
  lab_->send({{"cmd", "view"}, {"layer", layer_}, {"head", head_}, {"query", query_}});
  lab_->send({{"cmd", "speed"}, {"steps_per_second", kSpeeds[speed_choice_].steps_per_second}});
  return true;
}

bool TrainingView::load_preset(const std::string& id, std::vector<std::string>* errors) {
  const Preset* p = find_preset(id);
  if (!p || p->view != "training") {
    std::string known;
    for (const Preset& q : presets())
      if (q.view == "training") known += (known.empty() ? "" : ", ") + q.id;
    errors->push_back("preset: unknown training preset \"" + id + "\" (known: " + known + ")");
    return false;
  }
  if (!load_scenario(p->scenario, errors)) return false;
  preset_ = id;
  return true;
}

bool TrainingView::command(const std::string& name, const nlohmann::json& args, std::vector<std::string>* errors) {
  auto need_loaded = [&] {
    if (scenario_.is_null()) errors->push_back("training: load a scenario first (training.load {\"preset\": ...})");
    return !scenario_.is_null();
  };
  if (name == "load") {
    if (args.contains("preset") && args["preset"].is_string()) return load_preset(args["preset"], errors), true;
    if (args.contains("scenario")) {
      if (load_scenario(args["scenario"], errors)) {
        // A preset's scenario (say, from a shared link with interventions) keeps the preset's name.
        const Preset* p = preset_of_scenario(args["scenario"]);
        preset_ = p ? p->id : "";
      }
      return true;
    }
    errors->push_back("training.load: needs \"preset\" (an id) or \"scenario\" (an object)");
    return true;
  }
  if (name == "play" || name == "pause" || name == "reset") {
    if (need_loaded()) lab_->send({{"cmd", name}});
    return true;
  }
  if (name == "toggle") {
    if (need_loaded()) lab_->send({{"cmd", lab_->state.playing ? "pause" : "play"}});
    return true;
  }
  if (name == "step") {
    const int n = args.contains("n") ? (args["n"].is_number_integer() ? args["n"].get<int>() : -1) : 1;
    if (n < 1 || n > 100000) errors->push_back("n: must be an integer from 1 to 100000");
    else if (need_loaded()) lab_->send({{"cmd", "step"}, {"n", n}});
    return true;
  }
  if (name == "speed") {
    const double sps = args.contains("steps_per_second") && args["steps_per_second"].is_number()
                           ? args["steps_per_second"].get<double>() : -1.0;
    if (!(sps >= 0.0 && sps <= 10000.0)) {
      errors->push_back("steps_per_second: must be a number from 0 (as fast as it goes) to 10000");
    } else {
      lab_->send({{"cmd", "speed"}, {"steps_per_second", sps}});
      speed_choice_ = sps == 0 ? 2 : (sps <= 2 ? 0 : 1);
    }
    return true;
  }
  if (name == "view") {
    auto read = [&](const char* key, int* out, int lo, int hi) {
      if (!args.contains(key)) return;
      if (!args[key].is_number_integer() || args[key].get<int>() < lo || args[key].get<int>() > hi)
        errors->push_back(std::string(key) + ": must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
      else
        *out = args[key].get<int>();
    };
    read("layer", &layer_, 0, 3);
    read("head", &head_, 0, 3);
    read("query", &query_, -1, 8191);
    if (errors->empty()) lab_->send({{"cmd", "view"}, {"layer", layer_}, {"head", head_}, {"query", query_}});
    return true;
  }
  if (name == "apply") {
    if (!need_loaded()) return true;
    const std::string target = args.value("target", std::string("both"));
    if (target != "a" && target != "b" && target != "both") {
      errors->push_back("target: must be a, b or both");
      return true;
    }
    // Validate against each run's current config before sending.
    const nlohmann::json changes = args.value("changes", nlohmann::json::object());
    for (const RunView& r : lab_->state.runs) {
      if (target != "both" && target != r.id) continue;
      RunConfig c;
      std::vector<std::string> e;
      config_update_from_json(&c, r.config, &e);
      config_update_from_json(&c, changes, errors);
      if (errors->empty()) *errors = validate_config(c);
      if (!errors->empty()) return true;
    }
    lab_->send({{"cmd", "apply"}, {"changes", changes}, {"target", target}});
    return true;
  }
  return false;
}

void TrainingView::update() {
  hover_ = nullptr;  // set again while the heatmap is drawn and hovered
  // Keep the intervention editor in step with the loaded config (once per load).
  if (editor_synced_ || lab_->state.runs.empty() || !lab_->state.runs[0].config.is_object()) return;
  const nlohmann::json& m = lab_->state.runs[0].config["model"];
  globals_ = m.value("globals", 0);
  softmax1_ = m.value("softmax1", false);
  sink_logit_ = m.value("sink_logit", false);
  qk_norm_ = m.value("qk_norm", false);
  logit_scale_ = m.value("logit_scale", 1.0f);
  softcap_ = m.value("softcap", 0.0f);
  lr_ = lab_->state.runs[0].config["train"].value("lr", 3e-3f);
  editor_synced_ = true;
}

nlohmann::json TrainingView::state() const {
  nlohmann::json speeds = nlohmann::json::array();
  for (const Speed& sp : kSpeeds) speeds.push_back({{"label", sp.label}, {"steps_per_second", sp.steps_per_second}});
  return {{"preset", preset_},
          {"scenario", scenario_},
          {"view", {{"layer", layer_}, {"head", head_}, {"query", query_}}},
          {"speed", kSpeeds[speed_choice_].steps_per_second},
          {"speeds", speeds},
          {"log_scale", log_scale_},
          {"hover", hover_}};
}

// ---- toolbar --------------------------------------------------------------------------

void TrainingView::draw_toolbar() {
  const LabState& st = lab_->state;
  std::vector<std::string> errors;
  // Scenario menu.
  const Preset* current = find_preset(preset_);
  ImGui::SetNextItemWidth(px(presenter_mode() ? 270.0f : 330.0f));
  if (ImGui::BeginCombo("##scenario", current ? current->title.c_str() : (scenario_.is_null() ? "Choose a scenario..." : "Custom scenario"))) {
    for (const Preset& p : presets()) {
      if (p.view != "training") continue;
      if (ImGui::Selectable(p.title.c_str(), p.id == preset_)) load_preset(p.id, &errors);
      if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(px(420.0f));
        ImGui::TextUnformatted(p.summary.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
      }
    }
    ImGui::EndCombo();
  }
  help_marker("Scenarios are named by what they teach. Each one is a measured experiment (EXPERIMENTS.md); "
              "A/B scenarios train two models side by side from the same seed on the same data.");
  ImGui::SameLine(0, px(18.0f));
  const bool loaded = st.loaded;
  ImGui::BeginDisabled(!loaded);
  // Presenter mode: big Play and Step buttons, readable from the back of the room.
  const ImVec2 big = presenter_mode() ? ImVec2(px(130.0f), px(46.0f)) : ImVec2(px(84.0f), 0);
  if (presenter_mode()) ImGui::PushFont(heading_font());
  if (ImGui::Button(st.playing ? "Pause" : "Play", big)) command("toggle", {}, &errors);
  record_item("training.play");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Space also plays and pauses.");
  ImGui::SameLine();
  if (ImGui::Button("Step", presenter_mode() ? big : ImVec2(0, 0))) command("step", {{"n", 1}}, &errors);
  record_item("training.step");
  if (presenter_mode()) ImGui::PopFont();
  ImGui::SameLine();
  if (ImGui::Button("Step 10")) command("step", {{"n", 10}}, &errors);
  ImGui::SameLine();
  if (ImGui::Button("Reset")) command("reset", {}, &errors);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Start again from step 0 with the same seed (interventions are undone).");
  ImGui::EndDisabled();
  // The speed and its help on this line if they fit, else on the next (a tablet held upright).
  const float speed_width = px(presenter_mode() ? 185.0f : 200.0f);
  ImGui::SameLine(0, px(18.0f));
  if (ImGui::GetContentRegionAvail().x < speed_width + ImGui::CalcTextSize("(?)").x + px(12.0f)) ImGui::NewLine();
  ImGui::SetNextItemWidth(speed_width);
  if (ImGui::Combo("##speed", &speed_choice_, [](void*, int i) { return kSpeeds[i].label; }, nullptr, 3))
    lab_->send({{"cmd", "speed"}, {"steps_per_second", kSpeeds[speed_choice_].steps_per_second}});
  help_marker("Slow shows the heatmap after every step, so you can follow a peak as it jumps. Fast trains "
              "as fast as this computer allows; the page stays responsive because training runs in the "
              "background (a Web Worker).");
  for (const std::string& e : errors) lab_->notify(e, true);

  // Status line, and the scenario's description.
  if (!loaded) {
    ImGui::TextDisabled(lab_->link->ready() ? "Choose a scenario to begin." : "Starting the training engine...");
    return;
  }
  for (const RunView& r : st.runs) {
    // "A" and "B", as the lesson names them, then the run's label.
    ImGui::TextColored(r.id == "a" ? ImGui::ColorConvertU32ToFloat4(plot_color(0)) : ImGui::ColorConvertU32ToFloat4(plot_color(1)),
                       "%s %s", r.id == "a" ? "A" : "B", r.label.c_str());
    ImGui::SameLine();
    const double acc = r.history.empty() || r.history.back().accuracy.empty() ? NAN : r.history.back().accuracy[0];
    // "-" until the first measurement, rather than a 0 that reads as a value.
    char acc_text[16] = "-", pairs_text[24] = "-";
    if (!std::isnan(acc)) std::snprintf(acc_text, sizeof acc_text, "%.3f", acc);
    if (!r.history.empty()) std::snprintf(pairs_text, sizeof pairs_text, "%lld", static_cast<long long>(r.history.back().pairs));
    // While it plays, the engine's estimate of the time left sits beside the speed it comes from.
    const std::string left = st.playing && !r.done ? ", " + time_left_text(r.seconds_left) : std::string();
    // Wrapped: on a tablet the line does not fit in one.
    ImGui::TextWrapped("step %d / %d   %.1f steps/s%s   accuracy %s   pairs scored per head %s (full attention: %lld)",
                       r.step, r.steps, r.steps_per_second, left.c_str(), acc_text, pairs_text, r.pairs_full);
    if (r.done && r.diverged.is_null()) {
      ImGui::SameLine();
      ImGui::TextColored(theme_colors().good, "  finished");
    }
  }
  draw_lesson_verdict(st.lesson);
  if (current && !presenter_mode()) {
    ImGui::PushStyleColor(ImGuiCol_Text, theme_colors().text_dim);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(current->summary.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
}

// ---- attention ------------------------------------------------------------------------

void TrainingView::draw_heatmap(const RunView& r, Canvas& c, float size) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const int side = r.image_side;
  if (side <= 0) {
    ImGui::Dummy(ImVec2(size, size));
    return;
  }
  if (c.version != r.image_version || c.log_scale != log_scale_) {
    std::vector<float> v(r.image);
    if (log_scale_)  // log10 weight from -4 (1e-4) to 0, mapped to [0, 1]
      for (float& x : v)
        if (x >= 0) x = (std::log10(std::max(x, 1e-4f)) + 4.0f) / 4.0f;
    c.canvas.set_data(v.data(), nullptr, side, side);
    c.version = r.image_version;
    c.log_scale = log_scale_;
  }
  const ImVec2 p0(std::floor(ImGui::GetCursorScreenPos().x), std::floor(ImGui::GetCursorScreenPos().y + px(6.0f)));
  const GLuint tex = c.canvas.render(ColormapCanvas::Mode::Heatmap, static_cast<int>(size), static_cast<int>(size), 0, 1);
  const ImVec2 p1(p0.x + size, p0.y + size);
  if (tex) dl->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(tex)), p0, p1, ImVec2(0, 1), ImVec2(1, 0));
  else ImGui::TextColored(theme_colors().warn, "The heatmap shader failed: %s", c.canvas.error());
  dl->AddRect(ImVec2(p0.x - 1, p0.y - 1), ImVec2(p1.x + 1, p1.y + 1), ImGui::GetColorU32(ImGuiCol_Border));
  // Prefix tokens (globals, registers) and sink positions: a band above their columns.
  const float cell = size / side;
  const int sinks = r.config.is_object() ? r.config["model"].value("sinks", 0) : 0;
  const int special = r.prefix + sinks;
  if (special > 0) {
    const float w = std::min(size, special / static_cast<float>(r.image_block) * cell);
    dl->AddRectFilled(ImVec2(p0.x, p0.y - px(5.0f)), ImVec2(p0.x + std::max(w, px(2.0f)), p0.y - px(1.0f)),
                      ImGui::GetColorU32(theme_colors().accent));
  }
  // The followed query: a tick on the left edge.
  const int q = r.prefix + (query_ >= 0 ? std::min(query_, r.length - 1) : r.length - 1);
  const float qy = p0.y + (q / r.image_block + 0.5f) * cell;
  dl->AddTriangleFilled(ImVec2(p0.x - px(7.0f), qy - px(4.0f)), ImVec2(p0.x - px(7.0f), qy + px(4.0f)),
                        ImVec2(p0.x - px(1.0f), qy), ImGui::GetColorU32(theme_colors().accent));
  ImGui::SetCursorScreenPos(p0);
  ImGui::InvisibleButton(("##heat" + r.id).c_str(), ImVec2(size, size));
  record_item(("training.heatmap." + r.id).c_str());
  if (ImGui::IsItemHovered()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int ci = std::clamp(static_cast<int>((m.y - p0.y) / cell), 0, side - 1);
    const int cj = std::clamp(static_cast<int>((m.x - p0.x) / cell), 0, side - 1);
    const float w = r.image[static_cast<size_t>(ci) * side + cj];
    dl->AddRect(ImVec2(p0.x + cj * cell, p0.y + ci * cell), ImVec2(p0.x + (cj + 1) * cell, p0.y + (ci + 1) * cell),
                IM_COL32(255, 255, 255, 230), 0, 0, px(1.5f));
    hover_ = {{"run", r.id}, {"query", ci}, {"key", cj}, {"weight", w}, {"block", r.image_block}};
    ImGui::BeginTooltip();
    if (r.image_block == 1) {
      ImGui::Text("query %s", token_label(r, ci).c_str());
      ImGui::Text("key   %s", token_label(r, cj).c_str());
    } else {
      ImGui::Text("queries %d to %d, keys %d to %d", ci * r.image_block, (ci + 1) * r.image_block - 1,
                  cj * r.image_block, (cj + 1) * r.image_block - 1);
    }
    if (w < 0) ImGui::TextDisabled("not scored: the pattern masks this pair");
    else ImGui::Text("%s %.4f", r.image_block == 1 ? "weight" : "mean weight", w);
    if (ci < static_cast<int>(r.extra.size()) && r.extra[ci] > 0.0005f)
      ImGui::Text("(%.4f of this row goes to the softmax1 / sink-logit key)", r.extra[ci]);
    ImGui::TextDisabled("click to follow this query over time");
    // Not on the frame it appears: ImGui sizes a new tooltip then, and draws it from the next.
    if (!ImGui::IsWindowAppearing())
      record_rect("training.tooltip", ImGui::GetWindowPos(),
                  ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowSize().x,
                         ImGui::GetWindowPos().y + ImGui::GetWindowSize().y));
    ImGui::EndTooltip();
    if (ImGui::IsItemClicked()) {
      const int t = ci * r.image_block - r.prefix;
      if (t >= 0) {
        std::vector<std::string> e;
        command("view", {{"query", t}}, &e);
      }
    }
  }
  ImGui::SetCursorScreenPos(ImVec2(p0.x, p1.y + px(4.0f)));
}

void TrainingView::draw_query_rows(const RunView& r, Canvas& c, float width, float height) {
  const int n = r.rows_n, rows = static_cast<int>(r.row_steps.size());
  const ImVec2 p0(std::floor(ImGui::GetCursorScreenPos().x), std::floor(ImGui::GetCursorScreenPos().y));
  if (n <= 0 || rows == 0) {
    ImGui::Dummy(ImVec2(width, height));
    return;
  }
  // Long rows: the max over blocks of keys, so a peak stays visible.
  const int block = std::max(1, (n + 511) / 512), cols = (n + block - 1) / block;
  if (c.version != r.rows_version) {
    std::vector<float> v(static_cast<size_t>(rows) * cols, 0.0f);
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < n; ++j) {
        float& cell = v[static_cast<size_t>(i) * cols + j / block];
        cell = std::max(cell, r.rows[static_cast<size_t>(i) * n + j]);
      }
    c.canvas.set_data(v.data(), nullptr, rows, cols);
    c.version = r.rows_version;
  }
  const GLuint tex = c.canvas.render(ColormapCanvas::Mode::Heatmap, static_cast<int>(width), static_cast<int>(height), 0, 1);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p1(p0.x + width, p0.y + height);
  if (tex) dl->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(tex)), p0, p1, ImVec2(0, 1), ImVec2(1, 0));
  dl->AddRect(ImVec2(p0.x - 1, p0.y - 1), ImVec2(p1.x + 1, p1.y + 1), ImGui::GetColorU32(ImGuiCol_Border));
  ImGui::InvisibleButton(("##rows" + r.id).c_str(), ImVec2(width, height));
  if (ImGui::IsItemHovered()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int i = std::clamp(static_cast<int>((m.y - p0.y) / height * rows), 0, rows - 1);
    const int j = std::clamp(static_cast<int>((m.x - p0.x) / width * n), 0, n - 1);
    ImGui::SetTooltip("step %d\nkey %s\nweight %.4f", r.row_steps[i], token_label(r, j).c_str(),
                      r.rows[static_cast<size_t>(i) * n + j]);
  }
}

void TrainingView::draw_attention(float width, float height) {
  const LabState& st = lab_->state;
  const RunView& a = st.runs[0];
  // Layer and head.
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Layer");
  int layer = layer_, head = head_;
  bool changed = false;
  for (int l = 0; l < a.layers; ++l) {
    ImGui::SameLine();
    changed |= ImGui::RadioButton(("##l" + std::to_string(l)).c_str(), &layer, l);
    ImGui::SameLine(0, px(2.0f));
    ImGui::TextUnformatted(std::to_string(l).c_str());
  }
  ImGui::SameLine(0, px(16.0f));
  ImGui::TextUnformatted("Head");
  for (int h = 0; h < a.heads; ++h) {
    ImGui::SameLine();
    changed |= ImGui::RadioButton(("##h" + std::to_string(h)).c_str(), &head, h);
    ImGui::SameLine(0, px(2.0f));
    ImGui::TextUnformatted(std::to_string(h).c_str());
  }
  if (changed) {
    std::vector<std::string> e;
    command("view", {{"layer", layer}, {"head", head}}, &e);
  }
  help_marker(kHeatmapHelp);
  ImGui::SameLine(0, px(16.0f));
  ImGui::Checkbox("log colour scale", &log_scale_);
  help_marker("Off: colour is the weight from 0 to 1, so only strong weights light up. On: colour is log10 of the "
              "weight from 0.0001 to 1, so you can see how widely a smooth row spreads.");

  // Side by side for each run: its title and heatmap; then the colour legend;
  // then each run's query-over-time strip. In presenter mode (and stacked)
  // the heatmaps take the panel's height and the strips sit below them
  // (scroll down): on a projector the heatmap is what the room must read.
  const int k = static_cast<int>(st.runs.size());
  const float gap = px(18.0f);
  const float line = ImGui::GetTextLineHeightWithSpacing();
  // Stacked above the plots (a narrow window), the heatmaps also take the pane's height, as in presenter mode:
  // sized to fit the strips too, they would be a few cells wide.
  const bool heatmaps_first = presenter_mode() || stacked_;
  const float rows_height = px(presenter_mode() ? 70.0f : 110.0f);
  const float below = heatmaps_first ? line * 3.4f : rows_height + line * 5.4f;  // text lines: layer, title, legend (, query)
  const float size = std::floor(std::max(px(120.0f), std::min((width - gap * (k - 1)) / k, height - below)));
  const ImVec2 start = ImGui::GetCursorScreenPos();
  // A line of text clipped to one column's width (narrow windows, presenter mode).
  auto clipped_line = [&](auto&& draw_text, float keep_right = 0.0f) {
    const ImVec2 t0 = ImGui::GetCursorScreenPos();
    ImGui::PushClipRect(t0, ImVec2(t0.x + size - keep_right, t0.y + line), true);
    draw_text();
    ImGui::PopClipRect();
  };
  float bottom = start.y;
  for (int i = 0; i < k; ++i) {
    const RunView& r = st.runs[i];
    ImGui::SetCursorScreenPos(ImVec2(start.x + i * (size + gap), start.y));
    ImGui::BeginGroup();
    // What the heatmap shows, as much as fits whole: a clipped "step 200" would read "step 20". The layer
    // and head are also the selected radio buttons above, so they go first.
    char detail[64];
    std::snprintf(detail, sizeof detail, "layer %d head %d, step %d", r.image_layer, r.image_head, r.step);
    const float room = size - ImGui::CalcTextSize(r.label.c_str()).x - ImGui::GetStyle().ItemSpacing.x;
    if (ImGui::CalcTextSize(detail).x > room) std::snprintf(detail, sizeof detail, "step %d", r.step);
    const bool show_detail = ImGui::CalcTextSize(detail).x <= room;
    clipped_line([&] {
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(plot_color(i)), "%s", r.label.c_str());
      if (show_detail) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", detail);
      }
    });
    draw_heatmap(r, heat_[i], size);
    ImGui::EndGroup();
    bottom = std::max(bottom, ImGui::GetItemRectMax().y);
  }
  // Colour legend.
  ImGui::SetCursorScreenPos(ImVec2(start.x, bottom + ImGui::GetStyle().ItemSpacing.y));
  const ImVec2 lp(start.x, ImGui::GetCursorScreenPos().y + px(4.0f));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float lw = std::min(px(220.0f), size);
  static ColormapCanvas legend;
  float ramp[64];
  for (int i = 0; i < 64; ++i) ramp[i] = i / 63.0f;
  legend.set_data(ramp, nullptr, 1, 64);
  const float lh = ImGui::GetTextLineHeight() * 0.6f;
  const GLuint lt = legend.render(ColormapCanvas::Mode::Heatmap, static_cast<int>(lw), static_cast<int>(lh), 0, 1);
  const char* lo = log_scale_ ? "0.0001" : "0";
  const float tx = lp.x + ImGui::CalcTextSize("weight ").x + ImGui::CalcTextSize(lo).x + px(6.0f);
  dl->AddText(lp, ImGui::GetColorU32(ImGuiCol_TextDisabled), (std::string("weight ") + lo).c_str());
  if (lt) dl->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(lt)), ImVec2(tx, lp.y + px(3.0f)),
                       ImVec2(tx + lw, lp.y + px(3.0f) + lh), ImVec2(0, 1), ImVec2(1, 0));
  dl->AddText(ImVec2(tx + lw + px(6.0f), lp.y), ImGui::GetColorU32(ImGuiCol_TextDisabled), "1   (hatched: not scored)");
  ImGui::Dummy(ImVec2(width, ImGui::GetTextLineHeight() + px(6.0f)));
  // Each run's query over time.
  const ImVec2 rows_start = ImGui::GetCursorScreenPos();
  for (int i = 0; i < k; ++i) {
    const RunView& r = st.runs[i];
    ImGui::SetCursorScreenPos(ImVec2(rows_start.x + i * (size + gap), rows_start.y));
    ImGui::BeginGroup();
    const int q = query_ >= 0 ? std::min(query_, r.length - 1) : r.length - 1;
    // The first pane's "(?)" stays inside the pane: its line is clipped short of it.
    const float marker = i == 0 ? ImGui::CalcTextSize("(?)").x + ImGui::GetStyle().ItemSpacing.x : 0.0f;
    clipped_line([&] { ImGui::TextDisabled("query %s over time", token_label(r, r.prefix + q).c_str()); }, marker);
    if (i == 0) help_marker(kRowsHelp, ImGui::GetItemRectMin().x + size);
    draw_query_rows(r, rows_[i], size, rows_height);
    ImGui::EndGroup();
  }
}

// ---- side panel ----------------------------------------------------------------------------

void TrainingView::draw_interventions() {
  const LabState& st = lab_->state;
  std::vector<std::string> errors;
  ImGui::PushItemWidth(px(150.0f));
  ImGui::SliderInt("global tokens", &globals_, 0, 16, "%d", ImGuiSliderFlags_AlwaysClamp);
  help_marker("Extra learned tokens that every token sees and that see every token. New ones start from a random "
              "initialization; the run keeps all its other weights.");
  ImGui::SliderFloat("logit scale", &logit_scale_, 0.1f, 16.0f, "%.2f", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  help_marker("Multiplies every attention logit (q.k / sqrt(d)): the inverse of a temperature. Large values make "
              "the softmax saturate into one-hot rows.");
  ImGui::SliderFloat("soft-cap", &softcap_, 0.0f, 50.0f, "%.1f", ImGuiSliderFlags_AlwaysClamp);
  help_marker("Logits pass through cap * tanh(logit / cap), so none exceeds the cap; 0 switches it off.");
  ImGui::SliderFloat("learning rate", &lr_, 1e-4f, 3e-2f, "%.4f", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  ImGui::PopItemWidth();
  ImGui::Checkbox("QK-norm", &qk_norm_);
  help_marker("Normalizes q and k (per head) before their dot product, which bounds the logits.");
  ImGui::SameLine();
  if (ImGui::Checkbox("softmax1", &softmax1_) && softmax1_) sink_logit_ = false;
  help_marker("Adds 1 to the softmax denominator: a key with logit 0 and a zero value that every query sees.");
  ImGui::SameLine();
  if (ImGui::Checkbox("sink logit", &sink_logit_) && sink_logit_) softmax1_ = false;
  help_marker("A learned per-head logit for an always-visible key with a zero value (a key bias). softmax1 is the "
              "same with the logit fixed at 0, so the two are alternatives.");
  if (st.runs.size() > 1) {
    ImGui::TextUnformatted("apply to");
    ImGui::SameLine();
    ImGui::RadioButton(st.runs[0].label.c_str(), &target_, 0);
    ImGui::SameLine();
    ImGui::RadioButton(st.runs[1].label.c_str(), &target_, 1);
    ImGui::SameLine();
    ImGui::RadioButton("both", &target_, 2);
  }
  if (ImGui::Button("Apply now")) {
    const char* targets[] = {"a", "b", "both"};
    command("apply",
            {{"target", st.runs.size() > 1 ? targets[target_] : "both"},
             {"changes", {{"model", {{"globals", globals_}, {"logit_scale", logit_scale_}, {"softcap", softcap_},
                                     {"qk_norm", qk_norm_}, {"softmax1", softmax1_}, {"sink_logit", sink_logit_}}},
                          {"train", {{"lr", lr_}}}}}},
            &errors);
    if (errors.empty()) lab_->notify("Applied from the next step; the plots mark where.", false);
  }
  help_marker("Changes the run while it trains and keeps everything else (weights, optimizer state, data). "
              "The plots draw a line at the step where it happened.");
  for (const std::string& e : errors) lab_->notify(e, true);
}

void TrainingView::draw_plots(float width) {
  const LabState& st = lab_->state;
  const int k = static_cast<int>(st.runs.size());
  const float w = std::floor((width - px(12.0f)) / 2.0f), h = px(165.0f);
  std::vector<std::string> marker_text;
  std::vector<PlotMarker> markers;
  for (const RunView& r : st.runs)
    for (const LogPoint& p : r.history)
      if (!p.event.empty()) marker_text.push_back((k > 1 ? r.label + ": " : std::string()) + p.event), markers.push_back({static_cast<double>(p.step), nullptr});
  for (size_t i = 0; i < markers.size(); ++i) markers[i].label = marker_text[i].c_str();

  struct Spec {
    const char* id;
    const char* title;
    const char* y_label;
    double lo, hi;
    double (*value)(const LogPoint&);
    const char* help;
  };
  static const Spec specs[] = {
      {"##loss", "Loss (evaluation)", "nats", 0, PlotOptions::kAuto,
       [](const LogPoint& p) { return p.eval_loss; }, "Cross-entropy on the fixed evaluation set."},
      {"##acc", "Accuracy (evaluation)", "share", 0, 1,
       [](const LogPoint& p) { return p.accuracy.empty() ? NAN : p.accuracy[0]; },
       "The task's main accuracy on the evaluation set; the dotted line is chance."},
      {"##ent", "Row entropy / ln(keys)", "0..1", 0, 1,
       [](const LogPoint& p) { return head_mean(p.heads, &HeadMeasures::entropy_norm); },
       "Mean over heads and probe rows of the row entropy divided by its maximum."},
      {"##peaky", "Peaky rows", "share", 0, 1,
       [](const LogPoint& p) { return head_mean(p.heads, &HeadMeasures::peaky); },
       "Share of probe rows whose largest weight exceeds the run's peak threshold (train.peak_threshold: %s)."},
      {"##jump", "Peak jump rate", "share", 0, 1,
       [](const LogPoint& p) { return head_mean(p.heads, &HeadMeasures::jump); },
       "Share of probe rows whose most-attended key changed since the previous measurement."},
      {"##drift", "Attention drift", "bits", 0, PlotOptions::kAuto,
       [](const LogPoint& p) { return head_mean(p.heads, &HeadMeasures::drift); },
       "Mean Jensen-Shannon divergence of each probe row from the previous measurement (0 = unchanged, 1 = "
       "disjoint)."},
      {"##sink", "Sink mass", "share", 0, 1,
       [](const LogPoint& p) { return head_mean(p.heads, &HeadMeasures::special_mass); },
       "Share of the attention that goes to global, register and sink tokens and the softmax1 / sink-logit key."},
      {"##logit", "Largest attention logit", "logit", PlotOptions::kAuto, PlotOptions::kAuto,
       [](const LogPoint& p) { return head_max(p.heads, &HeadMeasures::max_logit); },
       "The largest q.k logit on the probe batch, over all heads. Hundreds mean a saturated softmax."},
  };
  // The shared legend: solid A, dashed B.
  if (k > 1) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (int i = 0; i < k; ++i) {
      const ImVec2 p = ImGui::GetCursorScreenPos();
      const float y = p.y + ImGui::GetTextLineHeight() * 0.5f;
      if (i == 0) {
        dl->AddLine(ImVec2(p.x, y), ImVec2(p.x + px(22.0f), y), plot_color(0), px(2.0f));
      } else {
        for (float x = 0; x < px(22.0f); x += px(8.0f))
          dl->AddLine(ImVec2(p.x + x, y), ImVec2(p.x + std::min(x + px(5.0f), px(22.0f)), y), plot_color(1), px(2.0f));
      }
      ImGui::Dummy(ImVec2(px(26.0f), ImGui::GetTextLineHeight()));
      ImGui::SameLine();
      ImGui::TextUnformatted(st.runs[i].label.c_str());
      if (i + 1 < k) ImGui::SameLine(0, px(20.0f));
    }
  }
  // "%s" in a help: the runs' peak thresholds, from their configs ("0.9", or "A 0.9, B 0.8").
  std::string thresholds;
  for (const RunView& r : st.runs) {
    char b[48];
    const double t = r.config.is_object() ? r.config["train"].value("peak_threshold", NAN) : NAN;
    if (k > 1) std::snprintf(b, sizeof b, "%s%s %.3g", thresholds.empty() ? "" : ", ", r.label.c_str(), t);
    else std::snprintf(b, sizeof b, "%.3g", t);
    thresholds += b;
  }
  auto help_text = [&](const char* help) {
    std::string h = help;
    const size_t at = h.find("%s");
    return at == std::string::npos ? h : h.replace(at, 2, thresholds);
  };
  int index = 0;
  for (const Spec& s : specs) {
    std::vector<Series> data;
    for (const RunView& r : st.runs) data.push_back(series(r, s.value));
    std::vector<PlotSeries> ps;
    for (int i = 0; i < k; ++i)
      ps.push_back({st.runs[i].label.c_str(), data[i].x.data(), data[i].y.data(), static_cast<int>(data[i].x.size()),
                    plot_color(i), i == 1, false});
    PlotOptions o;
    o.title = s.title;
    o.y_label = s.y_label;
    o.x_label = "step";
    o.x_integer = true;
    o.x_min = 0;
    o.y_min = s.lo;
    o.y_max = s.hi;
    o.legend = false;  // one legend above the grid says which run is which
    if (std::string(s.id) == "##acc" || std::string(s.id) == "##ent" || std::string(s.id) == "##peaky" ||
        std::string(s.id) == "##jump" || std::string(s.id) == "##sink")
      o.y_format = "%.3f";
    PlotReference chance{};
    std::string chance_label;
    if (std::string(s.id) == "##acc" && !st.runs[0].chance.empty()) {
      char b[48];
      std::snprintf(b, sizeof b, "chance %.3g", st.runs[0].chance[0]);
      chance_label = b;
      chance = {st.runs[0].chance[0], chance_label.c_str()};
      o.references = &chance;
      o.n_references = 1;
    }
    if (index % 2 == 1) ImGui::SameLine(0, px(12.0f));
    ImGui::BeginGroup();
    plot(s.id, ImVec2(w, h), o, ps.data(), k, markers.data(), static_cast<int>(markers.size()));
    if (!presenter_mode()) ImGui::TextDisabled("(?) what is this");
    if (!presenter_mode() && ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(px(380.0f));
      ImGui::TextUnformatted(help_text(s.help).c_str());
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
    ImGui::EndGroup();
    ++index;
  }
}

void TrainingView::draw_head_table() {
  const LabState& st = lab_->state;
  for (const RunView& r : st.runs) {
    if (r.history.empty()) continue;
    const LogPoint& p = r.history.back();
    ImGui::Text("%s at step %d", r.label.c_str(), p.step);
    if (!ImGui::BeginTable(("##heads" + r.id).c_str(), 7, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) continue;
    for (const char* c : {"layer.head", "entropy/ln", "peak", "peaky", "jump", "drift", "sink"}) ImGui::TableSetupColumn(c);
    ImGui::TableHeadersRow();
    for (size_t i = 0; i < p.heads.size(); ++i) {
      const HeadMeasures& h = p.heads[i];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%zu.%zu", i / r.heads, i % r.heads);
      for (double v : {h.entropy_norm, h.peak, h.peaky, h.jump, h.drift, h.special_mass}) {
        ImGui::TableNextColumn();
        if (v < 0) ImGui::TextDisabled("-");
        else ImGui::Text("%.3f", v);
      }
    }
    ImGui::EndTable();
  }
}

void TrainingView::draw_side(float width) {
  const LabState& st = lab_->state;
  for (const RunView& r : st.runs) {
    if (r.diverged.is_null()) continue;
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.35f, 0.12f, 0.10f, 1.0f));
    ImGui::BeginChild(("##div" + r.id).c_str(), ImVec2(0, 0), ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_Border);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::Text("%s diverged at step %d: %s.", r.label.c_str(), r.diverged.value("step", 0),
                r.diverged.value("what", std::string()).c_str());
    ImGui::TextUnformatted(r.diverged.value("advice", std::string()).c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndChild();
    ImGui::PopStyleColor();
  }
  if (ImGui::CollapsingHeader("Interventions")) draw_interventions();
  if (ImGui::CollapsingHeader("Measures", ImGuiTreeNodeFlags_DefaultOpen)) {
    help_marker("Every point is measured on a fixed probe batch from the evaluation set, averaged over heads "
                "and layers (the table below gives each head). Hover a plot for values; vertical lines mark "
                "interventions.");
    ImGui::BeginGroup();
    draw_plots(width);
    ImGui::EndGroup();
    record_rect("training.plots", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  }
  if (!presenter_mode() && ImGui::CollapsingHeader("Each head, latest measurement")) draw_head_table();
}

void TrainingView::draw() {
  draw_toolbar();
  if (!lab_->state.loaded) return;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  // A narrow window (a tablet held upright): the heatmaps above the plots, each the full width.
  const bool stacked = avail.x < px(900.0f);
  stacked_ = stacked;
  const float left = std::floor(avail.x * (lab_->state.runs.size() > 1 ? 0.52f : 0.42f));
  const ImVec2 attention_size = stacked ? ImVec2(avail.x, std::floor(avail.y * 0.55f)) : ImVec2(left, avail.y);
  ImGui::BeginChild("##attention", attention_size, ImGuiChildFlags_Border);
  draw_attention(ImGui::GetContentRegionAvail().x, ImGui::GetContentRegionAvail().y);
  ImGui::EndChild();
  if (!stacked) ImGui::SameLine(0, spacing);
  ImGui::BeginChild("##side", ImVec2(0, stacked ? 0.0f : avail.y), ImGuiChildFlags_Border);
  draw_side(ImGui::GetContentRegionAvail().x);
  ImGui::EndChild();
}

}  // namespace attnlab
