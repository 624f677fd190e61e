// The application: the views (one tab each), the lab engine they share, and
// the command interface that the page's JavaScript API (and later the URL and
// exercise files) drive. Draws with ImGui; the numbers come from src/core.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/lab/lab_context.h"
#include "app/views/view.h"

namespace attnlab {

class App {
 public:
  App();
  ~App();

  // One frame of UI, between ImGui::NewFrame() and ImGui::Render().
  void frame();

  // {"view": ..., "<view id>": {...}, "lab": {...}}: every setting and measure on screen.
  nlohmann::json state() const;

  // {"cmd": "view.select", "view": "training"}
  // {"cmd": "<view id>.<name>", ...}: see each view's command()
  // Returns {"ok": true} or {"ok": false, "errors": ["field: why", ...]}.
  nlohmann::json command(const nlohmann::json& cmd);

  View* view(const std::string& id);

  // Space plays and pauses (the platform layer takes the key before ImGui's
  // keyboard navigation, which activates with Enter).
  bool wants_space() const;
  void on_space();

 private:
  void draw_header();
  void draw_notices();

  LabContext lab_;
  std::vector<std::unique_ptr<View>> views_;
  size_t current_ = 0;
  bool select_tab_ = false;  // a command changed the view: select its tab once
};

}  // namespace attnlab
