// One view of the app: a tab that teaches one idea. The App owns the views,
// draws the selected one, and routes the page API's commands to it
// ({"cmd": "<view id>.<name>", ...}).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace attnlab {

class View {
 public:
  virtual ~View() = default;
  virtual const char* id() const = 0;     // "sandbox", "patterns", ...: used by the API and URLs
  virtual const char* title() const = 0;  // the tab's title
  // Draws the view inside the app's main window (below the tab bar).
  virtual void draw() = 0;
  // Every setting and measure the view shows, for the JavaScript API and tests.
  virtual nlohmann::json state() const = 0;
  // A command addressed to this view (name without the "<id>." prefix).
  // Returns false if the view has no such command; errors name the bad fields.
  virtual bool command(const std::string& name, const nlohmann::json& args, std::vector<std::string>* errors) {
    (void)name, (void)args, (void)errors;
    return false;
  }
  // Called every frame whether or not the view is shown (e.g. to keep a
  // background job going).
  virtual void update() {}
};

// A view of settings the student edits (the Softmax sandbox, the Pattern
// explorer): "<id>.set" {fields} changes them (one message per refused
// field, the good fields still apply) and "<id>.reset" restores the defaults.
class SettingsView : public View {
 public:
  virtual std::vector<std::string> set(const nlohmann::json& fields) = 0;
  virtual void reset() = 0;
  bool command(const std::string& name, const nlohmann::json& args, std::vector<std::string>* errors) override {
    if (name == "set") *errors = set(args);
    else if (name == "reset") reset();
    else return false;
    return true;
  }
};

}  // namespace attnlab
