// The Streaming lab: StreamingLLM in miniature. Models trained on short
// windows read a long stream through a rolling key/value cache that keeps
// the first S tokens and the most recent ones; if the model parks attention
// on its first token (an attention sink), evicting it hurts. Runs in the
// background with progress and a cancel button.
#pragma once

#include <string>
#include <vector>

#include "app/views/job_view.h"

namespace attnlab {

// streaming.start {"preset": id}, streaming.cancel (JobView)
class StreamingView : public JobView {
 public:
  explicit StreamingView(LabContext* lab) : JobView(lab, "streaming") {}

  const char* id() const override { return "streaming"; }
  const char* title() const override { return "Streaming lab"; }
  void draw() override;
  bool command(const std::string& name, const nlohmann::json& args, std::vector<std::string>* errors) override;

 private:
  void draw_results(float width, float height);
  double sink_threshold() const;  // what the engine counts as a sink (train.sink_threshold)

  int variant_ = 0;  // which variant's curves are shown
};

}  // namespace attnlab
