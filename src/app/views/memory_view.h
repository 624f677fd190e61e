// The Memory lab: what a fixed-size global memory can hold, and what more
// global tokens cost. Sweeps run in the training engine in the background,
// with a progress bar and a cancel button; the curves grow as results arrive.
#pragma once

#include <string>
#include <vector>

#include "app/lab/background_job.h"
#include "app/lab/lab_context.h"
#include "app/views/view.h"

namespace attnlab {

class MemoryView : public View {
 public:
  explicit MemoryView(LabContext* lab) : lab_(lab), job_(lab, "memory") {}

  const char* id() const override { return "memory"; }
  const char* title() const override { return "Memory lab"; }
  void draw() override;
  void update() override;
  nlohmann::json state() const override;
  // memory.start {"preset": id}, memory.cancel
  bool command(const std::string& name, const nlohmann::json& args, std::vector<std::string>* errors) override;

 private:
  void draw_capacity(float width, float height);
  void draw_cost(float width, float height);

  LabContext* lab_;
  BackgroundJob job_;  // the sweep this view started, and its results
};

}  // namespace attnlab
