// The application: the views (one tab each), the lab engine they share, and
// the command interface that the page's JavaScript API, shared links and
// exercise files drive. Draws with ImGui; the numbers come from src/core.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/lab/lab_context.h"
#include "app/views/view.h"

namespace attnlab {

struct SharedState;

class App {
 public:
  // host: the platform's services (kept, not owned); make_link: the line to
  // the lab engine (a Web Worker, a thread, or a test's own).
  App(Host* host, const LabLink::Factory& make_link);
  ~App();

  // One frame of UI, between ImGui::NewFrame() and ImGui::Render(): update(),
  // then the drawing.
  void frame();
  // What a frame does besides drawing: takes the engine's replies and
  // snapshots, lets the views follow their jobs, records what the runs
  // measured. Needs an ImGui context (for its clock), not a frame.
  void update();

  // {"view": ..., "<view id>": {...}, "lab": {...}, "results": {...}, "presenter": ...}:
  // every setting and measure on screen.
  nlohmann::json state() const;

  // {"cmd": "view.select", "view": "training"}
  // {"cmd": "app.link", "fragment": "#s=..."}      open a shared link (notices name what was refused)
  // {"cmd": "app.share"}                           put this scenario in the address bar and the clipboard
  // {"cmd": "app.presenter", "on": true}           presenter mode
  // {"cmd": "app.motion", "reduce": true}          the system asks for less motion (prefers-reduced-motion)
  // {"cmd": "app.export", "what": "csv" | "scenario" | "png:<item>"}   a browser download
  // {"cmd": "app.import", "text": "...", "name"}   a scenario file (as exported)
  // {"cmd": "app.import_file"}                     asks for one with the file picker
  // {"cmd": "app.script", "step": n}               the demo script's current step
  // {"cmd": "<view id>.<name>", ...}: see each view's command()
  // Returns {"ok": true} or {"ok": false, "errors": ["field: why", ...]}.
  nlohmann::json command(const nlohmann::json& cmd);

  View* view(const std::string& id);
  const View* view(const std::string& id) const;

  // Space plays and pauses (the platform layer takes the key before ImGui's
  // keyboard navigation, which activates with Enter).
  bool wants_space() const;
  void on_space();

  bool presenter() const { return presenter_; }
  // Draw every frame even when its picture did not change (app/gfx/redraw_gate.h);
  // off unless a benchmark asks for it with {"cmd": "app.redraw", "every_frame": true}.
  bool redraw_every_frame() const { return redraw_every_frame_; }

  // A PNG export waits for a frame without the menu that asked for it; the
  // platform layer then reads these framebuffer pixels (top-left origin) and
  // hands them back.
  struct Capture {
    std::string filename;
    int x = 0, y = 0, w = 0, h = 0;
  };
  bool capture_due(Capture* capture);
  void finish_capture(const Capture& capture, const std::vector<uint8_t>& rgba_top_down);

 private:
  void draw_header();
  void draw_export_menu();
  void draw_notices();
  void draw_script(const std::string& title, const std::vector<std::string>& steps, float height);
  const std::vector<std::string>* script(std::string* title) const;
  nlohmann::json share_state() const;
  void apply_shared(const SharedState& s);
  bool export_now(const std::string& what, std::vector<std::string>* errors);

  LabContext lab_;
  std::vector<std::unique_ptr<View>> views_;
  size_t current_ = 0;
  bool select_tab_ = false;  // a command changed the view: select its tab once
  bool presenter_ = false;
  bool reduce_motion_ = false;
  bool redraw_every_frame_ = false;
  int script_step_ = 0;
  std::string script_for_;   // the preset whose script is shown
  std::string shared_url_;   // the last link made with Share
  std::vector<std::string> link_notices_;  // what the last link or scenario file got wrong
  Capture capture_;
  int capture_wait_ = -1;    // frames to wait before the capture (-1: none pending)
  int exports_ = 0;          // downloads made (for tests)
  std::string last_export_;
};

}  // namespace attnlab
