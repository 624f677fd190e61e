// The application: which view is showing, the views' state, and the command
// interface that the page's JavaScript API (and later the URL and exercise
// files) drive. Draws with ImGui; the numbers come from src/core.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "app/views/sandbox_view.h"

namespace attnlab {

enum class View { Sandbox };

class App {
 public:
  // One frame of UI, between ImGui::NewFrame() and ImGui::Render().
  void frame();

  // {"view": ..., "sandbox": {...}}: every setting and measure on screen.
  nlohmann::json state() const;

  // {"cmd": "view.select", "view": "sandbox"}
  // {"cmd": "sandbox.set", "logits": [...], "globals": [...], "temperature": t, "softmax1": b}
  // {"cmd": "sandbox.reset"}
  // Returns {"ok": true} or {"ok": false, "errors": ["field: why", ...]}.
  nlohmann::json command(const nlohmann::json& cmd);

 private:
  void draw_header();

  View view_ = View::Sandbox;
  bool select_tab_ = false;  // a command changed view_: select its tab
  SandboxView sandbox_;
};

const char* view_name(View view);

}  // namespace attnlab
