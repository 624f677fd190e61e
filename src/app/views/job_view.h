// A view that shows one background job's results (the Memory and Streaming
// labs): "<id>.start" {"preset": id} starts one of the view's presets,
// "<id>.cancel" stops it; the job is followed every frame, shown or not, so
// its results reach the exercises (app/lab/background_job.h).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/lab/background_job.h"
#include "app/lab/lab_context.h"
#include "app/views/view.h"

namespace attnlab {

class JobView : public View {
 public:
  // view: this view's id; the presets it may start are those of this view.
  JobView(LabContext* lab, const char* view) : lab_(lab), job_(lab, view) {}

  void update() override { job_.update(); }
  nlohmann::json state() const override { return job_.state(); }  // {"shown", "running", "progress", "results"}
  bool command(const std::string& name, const nlohmann::json& args, std::vector<std::string>* errors) override {
    return job_.command(name, args, errors);
  }

 protected:
  LabContext* lab_;
  BackgroundJob job_;  // the job this view started, and its results
};

}  // namespace attnlab
