// Streaming lab view.
//
// Index
//   - commands
//   - results   perplexity per variant and cache, loss against position, sink mass per head
#include "app/views/streaming_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/ui/help.h"
#include "app/ui/item_rects.h"
#include "app/ui/plot.h"
#include "app/ui/theme.h"
#include "core/lab/presets.h"
#include "core/training/config.h"
#include "imgui.h"

namespace attnlab {

bool StreamingView::command(const std::string& name, const nlohmann::json& args, std::vector<std::string>* errors) {
  const bool handled = JobView::command(name, args, errors);
  if (name == "start" && errors->empty()) variant_ = 0;  // a new run: show its first variant
  return handled;
}

double StreamingView::sink_threshold() const {
  // The threshold the engine measured with; before any result, the config's default.
  for (const nlohmann::json& r : job_.results())
    if (r.contains("sink_threshold") && r["sink_threshold"].is_number()) return r["sink_threshold"].get<double>();
  return RunConfig().train.sink_threshold;
}

void StreamingView::draw() {
  std::vector<std::string> errors;
  if (!presenter_mode()) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(
        "A model trained on windows of W tokens reads a long stream through a rolling cache that keeps S first "
        "tokens and the W - S most recent ones (S+R). Large models put much of their attention on the first token "
        "(an attention sink); evicting it (0+W) then breaks them, while keeping it (1+(W-1), 4+(W-4)) does not "
        "(StreamingLLM, Xiao et al. 2023). Here each variant learns a small language in which attention is needed "
        "only right after a trigger token (Bigram-Backcopy, Guo et al. 2024), then reads long streams with each "
        "cache.");
    ImGui::PopTextWrapPos();
  }
  char help[768];
  std::snprintf(help, sizeof help,
                "Variants: plain softmax; a learnable sink token (one extra learned token at the start, always "
                "there in training); softmax1 (an implicit key with logit 0 and zero value); a learnable sink logit "
                "per head (the same with a learned logit). Loss is next-token cross-entropy in nats, measured once "
                "the cache is full; perplexity is exp(loss). First-token mass: the mean attention on the stream's "
                "first token while it is cached. A head sinks when that exceeds the run's sink threshold "
                "(train.sink_threshold, %.3g; Gu et al. 2025).",
                sink_threshold());
  help_marker(help);
  job_.draw_controls(
      [](const nlohmann::json& prog) {
        char label[192];
        const std::string variant = prog.value("variant", std::string()), left = progress_time_left(prog);
        if (prog.value("training", false))
          std::snprintf(label, sizeof label, "training %s: step %d (%.0f%%), %s", variant.c_str(),
                        prog.value("step", 0), 100 * prog.value("fraction", 0.0), left.c_str());
        else
          std::snprintf(label, sizeof label, "evaluating %s (%.0f%%), %s", variant.c_str(),
                        100 * prog.value("fraction", 0.0), left.c_str());
        return std::string(label);
      },
      px(440.0f), &errors);
  for (const std::string& e : errors) lab_->notify(e, true);
  job_.draw_lesson();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (job_.results().empty()) {
    ImGui::TextDisabled(job_.mine() ? "The first variant is training; its results appear when it is evaluated."
                               : "Run the experiment to see its results.");
    return;
  }
  ImGui::BeginGroup();
  draw_results(avail.x, avail.y);
  ImGui::EndGroup();
  record_rect("streaming.plots", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
}

void StreamingView::draw_results(float width, float height) {
  // Variants and caches, in the order they arrived.
  std::vector<std::string> variants, caches;
  for (const nlohmann::json& r : job_.results()) {
    const std::string v = r.value("variant", std::string()), c = r.value("label", std::string());
    if (std::find(variants.begin(), variants.end(), v) == variants.end()) variants.push_back(v);
    if (std::find(caches.begin(), caches.end(), c) == caches.end()) caches.push_back(c);
  }
  auto find = [&](const std::string& v, const std::string& c) -> const nlohmann::json* {
    for (const nlohmann::json& r : job_.results())
      if (r.value("variant", std::string()) == v && r.value("label", std::string()) == c) return &r;
    return nullptr;
  };
  // Perplexity table.
  const int cols = static_cast<int>(caches.size()) + 2;
  if (ImGui::BeginTable("##ppl", cols, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingFixedFit)) {
    ImGui::TableSetupColumn("variant");
    for (const std::string& c : caches) ImGui::TableSetupColumn(("perplexity " + c).c_str());
    ImGui::TableSetupColumn("first-token mass / sink heads");
    ImGui::TableHeadersRow();
    for (const std::string& v : variants) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(v.c_str());
      const nlohmann::json* first = nullptr;
      for (const std::string& c : caches) {
        ImGui::TableNextColumn();
        const nlohmann::json* r = find(v, c);
        if (r && !first) first = r;
        if (!r) ImGui::TextDisabled("...");
        else if (r->contains("error")) ImGui::TextColored(theme_colors().warn, "%s", (*r)["error"].get<std::string>().c_str());
        else ImGui::Text("%.3f", r->value("perplexity", 0.0));
      }
      ImGui::TableNextColumn();
      if (first && first->contains("final")) {
        const nlohmann::json& f = (*first)["final"];
        ImGui::Text("%.3f / %d of %zu", f.value("first_mass", 0.0), f.value("sink_heads", 0),
                    f.contains("per_head") ? f["per_head"].size() : size_t{0});
      }
    }
    ImGui::EndTable();
  }
  // Loss against position for one variant, one line per cache.
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Curves of");
  for (int i = 0; i < static_cast<int>(variants.size()); ++i) {
    ImGui::SameLine();
    ImGui::RadioButton(variants[i].c_str(), &variant_, i);
  }
  variant_ = std::clamp(variant_, 0, static_cast<int>(variants.size()) - 1);
  const std::string& v = variants[variant_];
  std::vector<std::vector<double>> xs, ys;
  std::vector<std::string> labels;
  for (const std::string& c : caches) {
    const nlohmann::json* r = find(v, c);
    if (!r || !r->contains("loss_by_bin")) continue;
    const int bw = r->value("bin_width", 1);
    xs.emplace_back();
    ys.emplace_back();
    labels.push_back("cache " + c);
    const auto& bins = (*r)["loss_by_bin"];
    for (size_t b = 0; b < bins.size(); ++b) {
      xs.back().push_back((b + 0.5) * bw);
      ys.back().push_back(bins[b].get<double>());
    }
  }
  std::vector<PlotSeries> series;
  for (size_t i = 0; i < xs.size(); ++i)
    series.push_back({labels[i].c_str(), xs[i].data(), ys[i].data(), static_cast<int>(xs[i].size()),
                      plot_color(static_cast<int>(i)), false, true});
  const float w = std::floor((width - px(14.0f)) * 0.6f), h = std::max(px(180.0f), ImGui::GetContentRegionAvail().y - px(30.0f));
  PlotOptions o;
  o.title = "Next-token loss along the stream";
  o.x_label = "position in the stream";
  o.y_label = "nats";
  o.x_min = 0;
  plot("##stream_loss", ImVec2(w, h), o, series.data(), static_cast<int>(series.size()));
  ImGui::SameLine(0, px(14.0f));
  // First-token mass per head of this variant.
  std::vector<double> hx, hy;
  const nlohmann::json* first = nullptr;
  for (const std::string& c : caches)
    if (const nlohmann::json* r = find(v, c); r && r->contains("final")) { first = r; break; }
  if (first && (*first)["final"].contains("per_head"))
    for (const auto& hd : (*first)["final"]["per_head"]) {
      hx.push_back(static_cast<double>(hx.size()));
      hy.push_back(hd.value("first_mass", 0.0));
    }
  const PlotSeries hs{"first-token mass", hx.data(), hy.data(), static_cast<int>(hx.size()), plot_color(3), false, true};
  char sink_label[48];
  std::snprintf(sink_label, sizeof sink_label, "sink threshold %.3g", sink_threshold());
  const PlotReference sink{sink_threshold(), sink_label};
  PlotOptions ho;
  ho.title = "Attention on the first token, per head";
  ho.x_label = "head (layer by layer)";
  ho.y_label = "share";
  ho.y_min = 0;
  ho.y_max = 1;
  ho.x_integer = true;
  ho.references = &sink;
  ho.n_references = 1;
  plot("##sinks", ImVec2(0, h), ho, &hs, 1);
}

}  // namespace attnlab
