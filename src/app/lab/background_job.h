// A background job (a Memory-lab sweep, a Streaming-lab run) as one view
// sees it: start it from a preset, cancel it, and collect its results as the
// engine reports them, also while the view is not shown (the results book
// quotes them in the exercises). The engine runs one job at a time.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/lab/lab_context.h"

namespace attnlab {

// The engine's estimate of a job's time left, as text ("about 40 s left").
std::string progress_time_left(const nlohmann::json& progress);

class BackgroundJob {
 public:
  // view: the presets this job may start are those whose view is this one.
  BackgroundJob(LabContext* lab, const char* view) : lab_(lab), view_(view) {}

  // "start" {"preset": id} and "cancel"; false for any other command.
  bool command(const std::string& name, const nlohmann::json& args, std::vector<std::string>* errors);
  void update();       // every frame
  bool mine() const;   // the engine's current job is one this view started
  nlohmann::json state() const;  // {"shown", "running", "progress", "seconds_left", "results", "lesson"}
  // The shown preset's lesson verdict, under the job's controls (nothing before the first judgement).
  void draw_lesson();

  // One line: a button per preset of this view (its "(?)" the preset's
  // summary), then, while the job runs, a progress bar labelled by
  // progress_label(the engine's progress object) and Cancel.
  void draw_controls(std::string (*progress_label)(const nlohmann::json& progress), float bar_width,
                     std::vector<std::string>* errors);

  const std::string& shown() const { return shown_; }  // preset id whose results are kept
  const std::vector<nlohmann::json>& results() const { return results_; }

 private:
  LabContext* lab_;
  const char* view_;
  std::string running_;  // preset id of the job this view started
  std::string shown_;
  std::vector<nlohmann::json> results_;  // of the shown preset
  nlohmann::json lesson_;                // the shown preset's lesson verdict, as the engine last judged it
  size_t seen_ = 0;      // engine results already copied
};

}  // namespace attnlab
