// The Training lab: pick a scenario, play, pause, step, reset; watch the
// attention heatmap of any layer and head change as the model trains, one
// query's row over time, and the measures; change the attention variant
// mid-run (an intervention) and see where on the plots it happened. In A/B
// scenarios two runs with the same seed and data train side by side.
#pragma once

#include <string>
#include <vector>

#include "app/gfx/colormap_canvas.h"
#include "app/lab/lab_context.h"
#include "app/views/view.h"

namespace attnlab {

class TrainingView : public View {
 public:
  explicit TrainingView(LabContext* lab);

  const char* id() const override { return "training"; }
  const char* title() const override { return "Training lab"; }
  void draw() override;
  nlohmann::json state() const override;
  // training.load {"preset": id} or {"scenario": {...}}, training.play, training.pause,
  // training.toggle, training.step {"n"}, training.reset, training.speed {"steps_per_second"},
  // training.view {"layer", "head", "query"}, training.apply {"changes", "target"}
  bool command(const std::string& name, const nlohmann::json& args, std::vector<std::string>* errors) override;
  void update() override;

 private:
  struct Canvas {  // a heatmap texture and the data version it shows
    ColormapCanvas canvas;
    int version = -1;
    bool log_scale = false;
  };
  void draw_toolbar();
  void draw_attention(float width, float height);
  void draw_heatmap(const RunView& run, Canvas& c, float size);
  void draw_query_rows(const RunView& run, Canvas& c, float width, float height);
  void draw_side(float width);
  void draw_interventions();
  void draw_plots(float width);
  void draw_head_table();
  bool load_preset(const std::string& id, std::vector<std::string>* errors);
  bool load_scenario(const nlohmann::json& scenario, std::vector<std::string>* errors);

  LabContext* lab_;
  std::string preset_;          // the loaded preset's id ("" for a custom scenario)
  nlohmann::json scenario_;     // what was last loaded
  int layer_ = 0, head_ = 0, query_ = -1;
  int speed_choice_ = 2;        // index into the speed menu
  bool log_scale_ = true;  // smooth rows stay visible; peaks still show as yellow
  bool stacked_ = false;   // the heatmaps above the plots (a narrow window), set by draw()
  // The heatmap cell under the mouse, as its tooltip shows it ({run, query,
  // key, weight} in image cells; null when none), for tests and the page API.
  nlohmann::json hover_;
  Canvas heat_[2], rows_[2];
  // Intervention editor: values to apply.
  int globals_ = 0;
  bool softmax1_ = false, sink_logit_ = false, qk_norm_ = false;
  float logit_scale_ = 1.0f, softcap_ = 0.0f, lr_ = 3e-3f;
  int target_ = 2;              // 0 A, 1 B, 2 both
  bool editor_synced_ = false;  // the editor shows the loaded config
};

}  // namespace attnlab
