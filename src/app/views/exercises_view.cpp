// Exercises view.
//
// Index
//   - loading       the built-in set, a course author's file, saved progress
//   - commands
//   - answers       checking an answer, running the experiment
//   - drawing       the list, the open exercise, the feedback
#include "app/views/exercises_view.h"

#include <algorithm>
#include <cstring>

#include "app/ui/help.h"
#include "app/ui/item_rects.h"
#include "app/ui/theme.h"
#include "core/lab/presets.h"
#include "imgui.h"

namespace attnlab {
namespace {

constexpr const char* kProgressKey = "attnlab.progress.v1";

constexpr const char* kFormatHelp =
    "An exercise file is JSON: {\"title\": ..., \"exercises\": [{\"id\", \"title\", \"question\", \"kind\": "
    "\"choice\" | \"number\" | \"text\", \"choices\" | \"answer\" + \"tolerance\" | \"keywords\", "
    "\"experiment\": {\"view\", \"preset\" | \"scenario\" | \"sandbox\" | \"patterns\"}, \"explanation\", "
    "\"measured\"}]}. Texts may quote measured values as {/json/pointer|%.3f}. README.md describes every field "
    "with an example. Bad entries are reported by number and field; the good ones still load.";

const char* view_title(const std::string& view) {
  if (view == "training") return "Training lab";
  if (view == "memory") return "Memory lab";
  if (view == "streaming") return "Streaming lab";
  if (view == "patterns") return "Pattern explorer";
  return "Softmax sandbox";
}

// What "Run the experiment" will do, in words.
std::string experiment_summary(const nlohmann::json& x) {
  if (!x.is_object()) return "";
  const std::string view = x.value("view", std::string());
  if (x.contains("preset") && x["preset"].is_string()) {
    const Preset* p = find_preset(x["preset"]);
    return std::string("Opens the ") + view_title(view) + " and " + (view == "training" ? "plays" : "starts") + " \"" +
           (p ? p->title : x["preset"].get<std::string>()) + "\".";
  }
  if (x.contains("scenario")) return std::string("Opens the ") + view_title(view) + " with this exercise's scenario and plays it.";
  return std::string("Opens the ") + view_title(view) + " with this exercise's settings.";
}

}  // namespace

// ---- loading ---------------------------------------------------------------------------

ExercisesView::ExercisesView(LabContext* lab, std::function<nlohmann::json()> app_state,
                             std::function<nlohmann::json(const nlohmann::json&)> app_command)
    : lab_(lab), app_state_(std::move(app_state)), app_command_(std::move(app_command)) {
  std::vector<std::string> errors;
  const ExerciseSet builtin = parse_exercises(builtin_exercises_json(), &errors);
  for (const std::string& e : errors) lab_->notify("built-in exercises: " + e, true);  // tests keep this empty
  for (const Exercise& e : builtin.exercises) items_.push_back({e, "built in"});
  const nlohmann::json saved = nlohmann::json::parse(lab_->host->storage_get(kProgressKey), nullptr, false);
  if (saved.is_object()) progress_ = saved;
  if (!items_.empty()) open_ = items_[0].exercise.id;
}

ExercisesView::Item* ExercisesView::find(const std::string& id) {
  for (Item& i : items_)
    if (i.exercise.id == id) return &i;
  return nullptr;
}

ExercisesView::Item* ExercisesView::open_item() { return find(open_); }

void ExercisesView::load_file(const std::string& text, const std::string& name) {
  file_errors_.clear();
  file_failed_ = false;
  const ExerciseSet set = parse_exercises(text, &file_errors_);
  // A file replaces the previous file's exercises; the built-in ones stay.
  items_.erase(std::remove_if(items_.begin(), items_.end(), [](const Item& i) { return i.source != "built in"; }),
               items_.end());
  int added = 0;
  for (const Exercise& e : set.exercises) {
    if (find(e.id)) {
      file_errors_.push_back("exercise \"" + e.id + "\": id: is already used by a built-in exercise; not loaded");
      continue;
    }
    items_.push_back({e, name});
    ++added;
  }
  file_name_ = name;
  const std::string title = set.title.empty() ? name : set.title;
  if (added > 0) open_ = set.exercises[0].id, feedback_ = {}, choice_.clear(), input_[0] = '\0';
  lab_->notify(std::to_string(added) + (added == 1 ? " exercise" : " exercises") + " loaded from " + title +
                   (file_errors_.empty() ? "." : "; " + std::to_string(file_errors_.size()) +
                                                    " problem(s) are listed in the Exercises view."),
               false);  // the problems are listed in the view
}

void ExercisesView::save_progress() const {
  lab_->host->storage_set(kProgressKey, progress_.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

// ---- commands --------------------------------------------------------------------------

bool ExercisesView::command(const std::string& name, const nlohmann::json& args, std::vector<std::string>* errors) {
  auto id_arg = [&]() -> Item* {
    if (!args.contains("id")) return open_item();
    Item* i = args["id"].is_string() ? find(args["id"]) : nullptr;
    if (!i) errors->push_back("id: no exercise has this id");
    return i;
  };
  if (name == "open") {
    if (Item* i = id_arg()) {
      if (i->exercise.id != open_) {
        open_ = i->exercise.id;
        feedback_ = {};
        choice_.clear();
        input_[0] = '\0';
        filled_at_ = -1e9;
      }
    }
    return true;
  }
  if (name == "answer") {
    Item* i = id_arg();
    if (!i) return true;
    if (!args.contains("answer") || !(args["answer"].is_string() || args["answer"].is_number())) {
      errors->push_back("answer: must be a choice id, a number or a text");
      return true;
    }
    command("open", {{"id", i->exercise.id}}, errors);
    answer(args["answer"].is_string() ? args["answer"].get<std::string>() : args["answer"].dump(), errors);
    return true;
  }
  if (name == "run") {
    if (Item* i = id_arg()) run_experiment(i->exercise, errors);
    return true;
  }
  if (name == "load_text") {
    if (!args.contains("text") || !args["text"].is_string()) {
      errors->push_back("text: the file's contents, as text");
      return true;
    }
    std::string file = args.value("name", std::string("exercise file"));
    if (file.size() > 80) file = file.substr(0, 80) + "...";
    load_file(args["text"], file);
    return true;
  }
  if (name == "load_failed") {  // the page could not fetch ?exercises=<url>
    file_errors_ = {"file: " + args.value("message", std::string("could not be loaded"))};
    file_failed_ = true;
    lab_->notify("The exercise file could not be loaded: " + args.value("message", std::string("unknown error")), true);
    return true;
  }
  if (name == "pick_file") {
    if (!lab_->host->pick_text_file("exercises.load_text", ".json,application/json"))
      errors->push_back("exercises: there is no file picker on the desktop; open the exercise file in the browser version");
    return true;
  }
  if (name == "reset_progress") {
    progress_ = nlohmann::json::object();
    feedback_ = {};
    choice_.clear();
    input_[0] = '\0';
    save_progress();
    return true;
  }
  if (name == "forget_results") {
    lab_->results.clear(*lab_->host);
    filled_at_ = -1e9;
    return true;
  }
  return false;
}

nlohmann::json ExercisesView::state() const {
  nlohmann::json list = nlohmann::json::array();
  int correct = 0;
  for (const Item& i : items_) {
    const nlohmann::json p = progress_.value(i.exercise.id, nlohmann::json::object());
    correct += p.value("correct", false);
    list.push_back({{"id", i.exercise.id}, {"title", i.exercise.title}, {"kind", i.exercise.kind},
                    {"source", i.source}, {"answered", p.contains("answer")}, {"correct", p.value("correct", false)}});
  }
  // The open exercise as the page shows it, for the accessible page's form.
  nlohmann::json current = nullptr;
  for (const Item& i : items_) {
    if (i.exercise.id != open_) continue;
    const Exercise& e = i.exercise;
    nlohmann::json choices = nlohmann::json::array();
    for (const ExerciseChoice& c : e.choices) choices.push_back({{"id", c.id}, {"text", c.text}});
    current = {{"id", e.id}, {"title", e.title}, {"question", e.question}, {"kind", e.kind},
               {"unit", e.unit}, {"choices", choices}, {"experiment", !e.experiment.is_null()}};
  }
  return {{"exercises", list},
          {"open", open_},
          {"current", current},
          {"correct", correct},
          {"file", file_name_},
          {"fileErrors", file_errors_},
          {"feedback", {{"shown", feedback_.shown}, {"valid", feedback_.valid}, {"correct", feedback_.correct},
                        {"answer", feedback_.answer}, {"text", feedback_.text}, {"choiceFeedback", choice_feedback_},
                        {"explanation", explanation_}, {"measured", measured_}, {"measuredMissing", measured_missing_}, {"computed", computed_},
                        {"courseVsLab", course_vs_lab_}}},
          {"progress", progress_}};
}

// ---- answers ---------------------------------------------------------------------------

void ExercisesView::answer(const std::string& text, std::vector<std::string>* errors) {
  Item* item = open_item();
  if (!item) return;
  const ExerciseVerdict v = check_answer(item->exercise, text);
  feedback_.shown = true;
  feedback_.valid = v.valid;
  feedback_.correct = v.correct;
  feedback_.answer = text;
  feedback_.text = v.feedback;
  if (item->exercise.kind == "choice") choice_ = text;
  if (!v.valid) {
    errors->push_back("answer: " + v.feedback);
    return;
  }
  progress_[item->exercise.id] = {{"answer", text}, {"correct", v.correct}};
  save_progress();
  refresh_templates(true);
}

void ExercisesView::run_experiment(const Exercise& e, std::vector<std::string>* errors) {
  const nlohmann::json& x = e.experiment;
  if (!x.is_object()) {
    errors->push_back("exercise \"" + e.id + "\" has no experiment");
    return;
  }
  const std::string view = x["view"];
  std::vector<nlohmann::json> cmds;
  if (view == "training") {
    if (x.contains("preset")) cmds.push_back({{"cmd", "training.load"}, {"preset", x["preset"]}});
    else if (x.contains("scenario")) cmds.push_back({{"cmd", "training.load"}, {"scenario", x["scenario"]}});
    cmds.push_back({{"cmd", "training.play"}});
  } else if (view == "memory" || view == "streaming") {
    cmds.push_back({{"cmd", view + ".start"}, {"preset", x.value("preset", std::string())}});
  } else if (view == "sandbox" || view == "patterns") {
    cmds.push_back({{"cmd", view + ".reset"}});
    if (x.contains(view)) {
      nlohmann::json set = x[view];
      set["cmd"] = view + ".set";
      cmds.push_back(set);
    }
  }
  for (const nlohmann::json& c : cmds) {
    const nlohmann::json reply = app_command_(c);
    if (!reply.value("ok", false)) {
      for (const auto& m : reply.value("errors", nlohmann::json::array()))
        errors->push_back("exercise \"" + e.id + "\", experiment: " + (m.is_string() ? m.get<std::string>() : m.dump()));
      return;
    }
  }
  app_command_({{"cmd", "view.select"}, {"view", view}});
}

void ExercisesView::refresh_templates(bool force) {
  const double now = ImGui::GetCurrentContext() ? ImGui::GetTime() : 0.0;
  if (!force && now - filled_at_ < 0.5) return;
  filled_at_ = now;
  const Item* item = open_item();
  if (!item) return;
  const nlohmann::json state = app_state_();
  const Exercise& e = item->exercise;
  measured_missing_ = false;
  bool ignored = false;
  measured_ = fill_template(e.measured, state, &measured_missing_);
  explanation_ = fill_template(e.explanation, state, &ignored);
  course_vs_lab_ = fill_template(e.course_vs_lab, state, &ignored);
  computed_.clear();
  if (!e.answer_from.empty()) {
    bool missing = false;
    const std::string value = fill_template("{" + e.answer_from + "|%.6g}", state, &missing);
    if (!missing) computed_ = "The lab computes " + value + (e.unit.empty() ? "" : " " + e.unit) + " for this experiment.";
  }
  choice_feedback_.clear();
  for (const ExerciseChoice& c : e.choices)
    if (c.id == feedback_.answer) choice_feedback_ = fill_template(c.feedback, state, &ignored);
}

// ---- drawing ---------------------------------------------------------------------------

void ExercisesView::draw() {
  std::vector<std::string> errors;
  int correct = 0;
  for (const Item& i : items_) correct += progress_.value(i.exercise.id, nlohmann::json::object()).value("correct", false);
  ImGui::AlignTextToFramePadding();
  ImGui::Text("%d of %d answered correctly", correct, static_cast<int>(items_.size()));
  ImGui::SameLine(0, px(24.0f));
  if (ImGui::Button("Load exercise file...")) command("pick_file", {}, &errors);
  record_item("exercises.pick_file");
  help_marker(kFormatHelp);
  ImGui::SameLine(0, px(24.0f));
  if (ImGui::Button("Reset progress")) command("reset_progress", {}, &errors);
  record_item("exercises.reset_progress");
  help_marker("Forgets your answers (saved in this browser). Your measured results stay; \"Forget measurements\" "
              "clears them.");
  ImGui::SameLine();
  if (ImGui::Button("Forget measurements")) command("forget_results", {}, &errors);
  help_marker("The feedback quotes what your own runs measured (kept per experiment in this browser). This "
              "forgets them, so that the feedback waits for new runs.");
  if (!file_errors_.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, theme_colors().warn);
    // A file that was never fetched has no "other entries" that loaded.
    const std::string label = file_failed_ ? std::string("The exercise file from the address could not be loaded###fileerrors")
                                           : std::to_string(file_errors_.size()) + " problem(s) in " +
                                                 (file_name_.empty() ? std::string("the exercise file") : file_name_) +
                                                 " (the other entries loaded)###fileerrors";
    if (ImGui::CollapsingHeader(label.c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
      ImGui::PushTextWrapPos(0.0f);
      for (size_t k = 0; k < file_errors_.size() && k < 12; ++k) {  // BulletText would not wrap a long message
        ImGui::Bullet();
        ImGui::TextWrapped("%s", file_errors_[k].c_str());
      }
      if (file_errors_.size() > 12) ImGui::BulletText("... and %d more", static_cast<int>(file_errors_.size() - 12));
      ImGui::PopTextWrapPos();
    }
    ImGui::PopStyleColor();
  }
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // The list is as wide as its longest title, within a third of the view.
  float longest = ImGui::CalcTextSize("The course's exercises").x;
  for (const Item& i : items_) longest = std::max(longest, ImGui::CalcTextSize(i.exercise.title.c_str()).x);
  const float list_width = std::min(longest + ImGui::CalcTextSize("retry ").x + px(40.0f), avail.x * 0.4f);
  draw_list(list_width, avail.y);
  ImGui::SameLine();
  if (Item* item = open_item()) {
    ImGui::BeginChild("##exercise", ImVec2(0, avail.y), true);
    draw_exercise(*item, ImGui::GetContentRegionAvail().x);
    ImGui::EndChild();
  }
  for (const std::string& e : errors) lab_->notify(e, true);
}

void ExercisesView::draw_list(float width, float height) {
  ImGui::BeginChild("##exercise-list", ImVec2(width, height), true);
  std::string source;
  for (size_t k = 0; k < items_.size(); ++k) {
    const Item& i = items_[k];
    if (i.source != source) {
      source = i.source;
      ImGui::TextDisabled("%s", source == "built in" ? "The course's exercises" : ("From " + source).c_str());
    }
    const nlohmann::json p = progress_.value(i.exercise.id, nlohmann::json::object());
    const char* mark = !p.contains("answer") ? "     " : (p.value("correct", false) ? "done " : "retry");
    ImGui::PushID(static_cast<int>(k));
    ImGui::TextColored(p.value("correct", false) ? theme_colors().good : theme_colors().warn, "%s", mark);
    ImGui::SameLine();
    // A title wider than the list (a tablet held upright) wraps instead of being cut: the selectable is as tall
    // as the wrapped text, drawn over it.
    const char* title = i.exercise.title.c_str();
    const float wrap = ImGui::GetContentRegionAvail().x;
    const ImVec2 title_pos = ImGui::GetCursorScreenPos();
    const ImVec2 title_size = ImGui::CalcTextSize(title, nullptr, false, wrap);
    const bool clicked = ImGui::Selectable(("##" + i.exercise.id).c_str(), i.exercise.id == open_, 0, ImVec2(wrap, title_size.y));
    ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), ImGui::GetFontSize(), title_pos, ImGui::GetColorU32(ImGuiCol_Text),
                                        title, nullptr, wrap);
    if (clicked) {
      std::vector<std::string> e;
      command("open", {{"id", i.exercise.id}}, &e);
    }
    record_item(("exercises.item." + i.exercise.id).c_str());
    ImGui::PopID();
  }
  ImGui::EndChild();
}

void ExercisesView::draw_exercise(Item& item, float width) {
  const Exercise& e = item.exercise;
  std::vector<std::string> errors;
  // A saved answer is shown again when the exercise is opened.
  if (!feedback_.shown && progress_.contains(e.id) && progress_[e.id].contains("answer")) {
    const std::string saved = progress_[e.id]["answer"].get<std::string>();
    const ExerciseVerdict v = check_answer(e, saved);
    feedback_ = {true, v.valid, v.correct, saved, v.feedback};
    if (e.kind == "choice") choice_ = saved;
    else std::snprintf(input_, sizeof input_, "%s", saved.c_str());
  }
  refresh_templates(false);
  heading(e.title.c_str());
  if (item.source != "built in") {
    ImGui::SameLine();
    ImGui::TextDisabled("  from %s", item.source.c_str());
  }
  ImGui::PushTextWrapPos(width);
  ImGui::TextUnformatted(e.question.c_str());
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  if (e.experiment.is_object()) {
    if (ImGui::Button("Run the experiment")) run_experiment(e, &errors);
    record_item("exercises.run");
    ImGui::SameLine();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s", experiment_summary(e.experiment).c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  if (e.kind == "choice") {
    for (const ExerciseChoice& c : e.choices) {
      ImGui::PushID(c.id.c_str());
      if (ImGui::RadioButton("##choice", choice_ == c.id)) choice_ = c.id;
      record_item(("exercises.choice." + c.id).c_str());
      ImGui::SameLine();
      ImGui::PushTextWrapPos(width);
      ImGui::TextUnformatted(c.text.c_str());
      ImGui::PopTextWrapPos();
      if (ImGui::IsItemClicked()) choice_ = c.id;
      ImGui::PopID();
    }
  } else if (e.kind == "number") {
    ImGui::SetNextItemWidth(px(160.0f));
    ImGui::InputText("##number", input_, sizeof input_, ImGuiInputTextFlags_CharsScientific);
    record_item("exercises.input");
    if (!e.unit.empty()) {
      ImGui::SameLine();
      ImGui::TextUnformatted(e.unit.c_str());
    }
  } else {
    ImGui::InputTextMultiline("##text", input_, sizeof input_, ImVec2(width - px(8.0f), px(90.0f)));
    record_item("exercises.input");
  }
  const std::string pending = e.kind == "choice" ? choice_ : std::string(input_);
  ImGui::BeginDisabled(pending.empty());
  if (ImGui::Button("Check my answer")) answer(pending, &errors);
  record_item("exercises.check");
  ImGui::EndDisabled();
  if (feedback_.shown) draw_feedback(item);
  for (const std::string& m : errors) lab_->notify(m, true);
}

void ExercisesView::draw_feedback(const Item& item) {
  const Exercise& e = item.exercise;
  ImGui::Spacing();
  if (!feedback_.valid) {
    ImGui::TextColored(theme_colors().warn, "%s", feedback_.text.c_str());
    return;
  }
  ImGui::PushFont(heading_font());
  ImGui::TextColored(feedback_.correct ? theme_colors().good : theme_colors().warn, "%s",
                     feedback_.correct ? "Correct." : "Not quite.");
  ImGui::PopFont();
  ImGui::PushTextWrapPos(0.0f);
  if (!choice_feedback_.empty()) ImGui::TextUnformatted(choice_feedback_.c_str());
  else if (!feedback_.text.empty()) ImGui::TextUnformatted(feedback_.text.c_str());
  if (!computed_.empty()) ImGui::TextUnformatted(computed_.c_str());
  if (!explanation_.empty()) {
    ImGui::Spacing();
    ImGui::TextColored(theme_colors().accent, "Why");
    ImGui::TextUnformatted(explanation_.c_str());
  }
  if (!measured_.empty()) {
    ImGui::Spacing();
    ImGui::TextColored(theme_colors().accent, "What your run measured");
    help_marker("These numbers come from the runs you made in this browser (the latest measurement of each), "
                "not from the course. Run the experiment again and they change with it.");
    ImGui::TextUnformatted(measured_.c_str());
    if (measured_missing_ && e.experiment.is_object())
      ImGui::TextDisabled("Some values are not measured yet: press \"Run the experiment\" and let it run.");
  }
  if (!course_vs_lab_.empty()) {
    ImGui::Spacing();
    ImGui::TextColored(theme_colors().accent, "The course and the lab");
    ImGui::TextUnformatted(course_vs_lab_.c_str());
  }
  ImGui::PopTextWrapPos();
}

}  // namespace attnlab
