// The Memory lab: what a fixed-size global memory can hold, and what more
// global tokens cost. Sweeps run in the training engine in the background,
// with a progress bar and a cancel button; the curves grow as results arrive.
#pragma once

#include <string>
#include <vector>

#include "app/lab/lab_context.h"
#include "app/views/view.h"

namespace attnlab {

class MemoryView : public View {
 public:
  explicit MemoryView(LabContext* lab) : lab_(lab) {}

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
  bool mine() const;  // the engine's current job is one this view started

  LabContext* lab_;
  std::string running_;  // preset id of the job this view started
  std::string shown_;    // preset id whose results are shown
  std::vector<nlohmann::json> results_;  // of the shown preset
  size_t seen_ = 0;      // job results already copied
};

}  // namespace attnlab
