// The Memory lab: what a fixed-size global memory can hold, and what more
// global tokens cost. Sweeps run in the training engine in the background,
// with a progress bar and a cancel button; the curves grow as results arrive.
#pragma once

#include <string>
#include <vector>

#include "app/views/job_view.h"

namespace attnlab {

// memory.start {"preset": id}, memory.cancel (JobView)
class MemoryView : public JobView {
 public:
  explicit MemoryView(LabContext* lab) : JobView(lab, "memory") {}

  const char* id() const override { return "memory"; }
  const char* title() const override { return "Memory lab"; }
  void draw() override;

 private:
  void draw_capacity(float width, float height);
  void draw_cost(float width, float height);
};

}  // namespace attnlab
