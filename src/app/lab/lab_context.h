// What the lab views share: the engine's reported state, the line to the
// engine, the platform's services, and a place to post messages for the user.
#pragma once

#include <string>
#include <vector>

#include "app/host.h"
#include "app/lab/lab_link.h"
#include "app/lab/lab_state.h"
#include "app/lab/results_book.h"

namespace attnlab {

struct Notice {
  std::string text;
  bool error = false;
  double expires = 0;  // ImGui time (seconds)
};

struct LabContext {
  LabState state;
  ResultsBook results;  // what the student's runs measured, per preset (for the exercises)
  std::unique_ptr<LabLink> link;
  Host* host = nullptr;  // the platform's storage, downloads, clipboard, file picker (not owned)
  std::vector<Notice> notices;
  int next_command_id = 1;

  // Sends a command to the engine; its errors (if any) become notices.
  void send(const nlohmann::json& cmd) { if (link) link->send(cmd); }
  void notify(const std::string& text, bool error);
};

}  // namespace attnlab
