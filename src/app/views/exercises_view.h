// Exercises: the course's questions, each with a "Run the experiment" button
// that sets up the lab to answer it, and feedback that quotes what the
// student's own runs measured. The shipped set comes from
// src/core/course/exercises.json; a course author adds more with a JSON file
// (file picker, or ?exercises=<url>). Progress is saved in the browser.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/lab/lab_context.h"
#include "app/views/view.h"
#include "core/course/exercises.h"

namespace attnlab {

class ExercisesView : public View {
 public:
  // app_state: the whole app's state (templates read it); app_command: runs an
  // app command (to set up experiments in the other views).
  ExercisesView(LabContext* lab, std::function<nlohmann::json()> app_state,
                std::function<nlohmann::json(const nlohmann::json&)> app_command);

  const char* id() const override { return "exercises"; }
  const char* title() const override { return "Exercises"; }
  void draw() override;
  nlohmann::json state() const override;
  // exercises.open {"id"}, exercises.answer {"answer", "id"?}, exercises.run {"id"?},
  // exercises.load_text {"text", "name"?}, exercises.pick_file, exercises.reset_progress,
  // exercises.forget_results
  bool command(const std::string& name, const nlohmann::json& args, std::vector<std::string>* errors) override;

 private:
  struct Item {
    Exercise exercise;
    std::string source;  // "built in", or the file's name
  };
  struct Feedback {      // the last answer to the open exercise
    bool shown = false, valid = false, correct = false;
    std::string answer, text;
  };
  Item* find(const std::string& id);
  Item* open_item();
  void load_file(const std::string& text, const std::string& name);
  void answer(const std::string& text, std::vector<std::string>* errors);
  void run_experiment(const Exercise& e, std::vector<std::string>* errors);
  void save_progress() const;
  void refresh_templates(bool force);
  void draw_list(float width, float height);
  void draw_exercise(Item& item, float width);
  void draw_feedback(const Item& item);

  LabContext* lab_;
  std::function<nlohmann::json()> app_state_;
  std::function<nlohmann::json(const nlohmann::json&)> app_command_;
  std::vector<Item> items_;
  std::string file_name_;                  // the loaded file, if any
  std::vector<std::string> file_errors_;   // what was wrong with it, entry by entry
  bool file_failed_ = false;               // the page could not fetch it at all (file_errors_ says why)
  std::string open_;                       // the open exercise's id
  nlohmann::json progress_ = nlohmann::json::object();  // id -> {answer, correct}
  Feedback feedback_;
  std::string choice_;                     // the selected choice of the open exercise
  char input_[2048] = {};                  // number or text answer being typed
  // The open exercise's measured texts, filled from the app's state (refreshed twice a second).
  std::string measured_, course_vs_lab_, explanation_, choice_feedback_;
  std::string computed_;  // "The lab computes 16 layers ...": the answer_from value, once the experiment ran
  bool measured_missing_ = false;
  double filled_at_ = -1e9;
};

}  // namespace attnlab
