// Memory lab view.
//
// Index
//   - commands
//   - capacity   accuracy against K, one line per g (a fixed-size global memory)
//   - cost       what more global tokens cost: pairs scored, local attention, over-smoothing
#include "app/views/memory_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "app/ui/help.h"
#include "app/ui/item_rects.h"
#include "app/ui/plot.h"
#include "app/ui/theme.h"
#include "core/base/json_read.h"
#include "core/lab/presets.h"
#include "imgui.h"

namespace attnlab {
namespace {

double number(const nlohmann::json& j, const char* key) { return json_number(j, key, NAN); }

}  // namespace

void MemoryView::draw() {
  std::vector<std::string> errors;
  if (!presenter_mode()) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(
        "When all long-range information has to pass through g global tokens, they are a memory of fixed size. "
        "Each sweep trains small models in the background, one per point, and draws each result as it arrives.");
    ImGui::PopTextWrapPos();
  }
  job_.draw_controls(
      [](const nlohmann::json& prog) {
        char label[160];
        std::snprintf(label, sizeof label, "%d of %d runs, %.0f%%, %s", prog.value("finished", 0),
                      prog.value("points", 0), 100 * prog.value("fraction", 0.0), progress_time_left(prog).c_str());
        return std::string(label);
      },
      px(340.0f), &errors);
  for (const std::string& e : errors) lab_->notify(e, true);
  job_.draw_lesson();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (job_.shown().empty()) {
    ImGui::TextDisabled("Start a sweep to see its curves.");
    return;
  }
  ImGui::BeginGroup();
  if (job_.shown() == "memory-capacity") draw_capacity(avail.x, avail.y);
  else draw_cost(avail.x, avail.y);
  ImGui::EndGroup();
  record_rect("memory.plots", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
}

void MemoryView::draw_capacity(float width, float height) {
  // accuracy[g][K], from the results so far
  std::map<int, std::vector<std::pair<double, double>>> lines;
  double chance = NAN;
  int length = 0, window = 0;  // the task's, from the engine (the same for every point)
  for (const nlohmann::json& r : job_.results()) {
    length = r.value("length", 0);
    window = r.value("window", 0);
    const int g = r.value("globals", 0);
    const double K = number(r, "set_size");
    const double acc = number(r.value("final", nlohmann::json::object()), "accuracy");
    lines[g].push_back({K, acc});
    chance = number(r, "chance");  // the task's own chance level, from the engine
  }
  std::vector<std::vector<double>> xs, ys;
  std::vector<std::string> labels;
  for (auto& [g, pts] : lines) {
    std::sort(pts.begin(), pts.end());
    xs.emplace_back();
    ys.emplace_back();
    for (auto& [k, a] : pts) xs.back().push_back(k), ys.back().push_back(a);
    labels.push_back(std::to_string(g) + (g == 1 ? " global token" : " global tokens"));
  }
  std::vector<PlotSeries> series;
  for (size_t i = 0; i < xs.size(); ++i)
    series.push_back({labels[i].c_str(), xs[i].data(), ys[i].data(), static_cast<int>(xs[i].size()),
                      plot_color(static_cast<int>(i)), false, true});
  PlotOptions o;
  o.title = "Recall accuracy against the number of facts K";
  o.x_label = "K, facts in the introduction";
  o.y_label = "share recalled";
  o.y_min = 0;
  o.y_max = 1;
  o.x_integer = true;
  char chance_label[48];
  std::snprintf(chance_label, sizeof chance_label, "chance %.3g", chance);
  PlotReference ref{chance, chance_label};
  o.references = &ref;
  o.n_references = std::isnan(chance) ? 0 : 1;
  const float w = std::min(width, px(760.0f));
  plot("##capacity", ImVec2(w, std::max(px(220.0f), height - px(70.0f))), o, series.data(),
       static_cast<int>(series.size()));
  ImGui::PushTextWrapPos(w);
  if (length > 0)
    ImGui::TextDisabled(
        "Each point is one model trained to recall K facts from the start of a %d-token sequence at its end, "
        "through a window of +-%d: only the global tokens can carry the facts. Past what g vectors can hold, "
        "accuracy falls. Measured, not drawn: see EXPERIMENTS.md for the same sweep over other seeds.",
        length, window);
  ImGui::PopTextWrapPos();
}

void MemoryView::draw_cost(float width, float height) {
  std::vector<std::pair<double, const nlohmann::json*>> by_g;
  for (const nlohmann::json& r : job_.results()) by_g.push_back({number(r, "globals"), &r});
  std::sort(by_g.begin(), by_g.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<double> g, pairs, full, local0, local1, cos0, cos1, acc;
  for (auto& [gv, r] : by_g) {
    const nlohmann::json f = r->value("final", nlohmann::json::object()), i0 = r->value("initial", nlohmann::json::object());
    const nlohmann::json cost = r->value("cost", nlohmann::json::object());
    g.push_back(gv);
    pairs.push_back(number(cost, "pairs_per_head"));
    full.push_back(number(cost, "pairs_full"));
    local0.push_back(number(i0, "local_mass"));
    local1.push_back(number(f, "local_mass"));
    cos0.push_back(number(i0, "cosine"));
    cos1.push_back(number(f, "cosine"));
    acc.push_back(number(f, "accuracy"));
  }
  const int n = static_cast<int>(g.size());
  const float w = std::floor((width - px(14.0f)) / 2.0f), h = std::max(px(200.0f), height - px(60.0f));
  {
    const PlotSeries s[] = {{"pairs scored per head", g.data(), pairs.data(), n, plot_color(0), false, true},
                            {"full attention", g.data(), full.data(), n, plot_color(5), true, false}};
    PlotOptions o;
    o.title = "Cost";
    o.x_label = "g, global tokens";
    o.y_label = "query-key pairs";
    o.log_y = true;
    o.x_integer = true;
    plot("##cost", ImVec2(w, h), o, s, 2);
  }
  ImGui::SameLine(0, px(14.0f));
  {
    const PlotSeries s[] = {{"local share, at init", g.data(), local0.data(), n, plot_color(1), true, true},
                            {"local share, trained", g.data(), local1.data(), n, plot_color(1), false, true},
                            {"hidden-state cosine, at init", g.data(), cos0.data(), n, plot_color(2), true, true},
                            {"hidden-state cosine, trained", g.data(), cos1.data(), n, plot_color(2), false, true},
                            {"copy accuracy", g.data(), acc.data(), n, plot_color(0), false, true}};
    PlotOptions o;
    o.title = "Where attention goes, and how alike the hidden states become";
    o.x_label = "g, global tokens";
    o.y_label = "share / cosine";
    o.y_min = 0;
    o.y_max = 1;
    o.x_integer = true;
    plot("##dilution", ImVec2(w, h), o, s, 5);
  }
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled(
      "Copying the token two back through a +-4 window needs no global token at all. Local share: the attention "
      "left for the ordinary tokens. Cosine: how alike the last block's hidden states are across positions "
      "(1 = all the same); over-smoothing would show as this cosine rising toward 1 as g grows. Both are measured on "
      "the probe batch before and after training.");
  ImGui::PopTextWrapPos();
}

}  // namespace attnlab
