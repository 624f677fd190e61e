// What the app's native unit tests share: a Host that keeps storage and
// downloads in memory, a LabLink that drives a LabSession in place (no
// thread, no worker), and an ImGui context without a window (the app's
// clock and notices need one; nothing is drawn).
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/host.h"
#include "app/lab/lab_link.h"
#include "core/lab/session.h"
#include "imgui.h"

namespace attnlab::testing {

class MemoryHost : public Host {
 public:
  std::map<std::string, std::string> storage;
  std::vector<std::pair<std::string, std::string>> downloads;  // filename, bytes
  int storage_writes = 0;

  std::string storage_get(const std::string& key) override {
    auto it = storage.find(key);
    return it == storage.end() ? "" : it->second;
  }
  void storage_set(const std::string& key, const std::string& value) override {
    storage[key] = value;
    ++storage_writes;
  }
  bool download_file(const std::string& filename, const std::string&, const std::string& bytes,
                     std::string* where) override {
    downloads.push_back({filename, bytes});
    *where = filename;
    return true;
  }
  std::string share_fragment(const std::string& fragment) override { return "test#" + fragment; }
  bool pick_text_file(const std::string&, const std::string&) override { return false; }
  nlohmann::json frame_stats() const override { return nlohmann::json::object(); }
};

// The engine in the test's own thread. Commands go through `rewrite` first
// (tests use it to shorten experiments); run_until_idle() trains until the
// engine has nothing left to do, delivering every reply and snapshot.
class InProcessLink : public LabLink {
 public:
  std::function<void(nlohmann::json*)> rewrite;

  InProcessLink(ReplyHandler on_reply, SnapshotHandler on_snapshot)
      : on_reply_(std::move(on_reply)), on_snapshot_(std::move(on_snapshot)) {}

  bool ready() const override { return true; }
  std::string failure() const override { return ""; }
  void send(const nlohmann::json& cmd) override {
    nlohmann::json c = cmd;
    if (rewrite) rewrite(&c);
    replies_.push_back(session_.command(c));
  }
  void pump() override {
    while (!replies_.empty()) {
      const nlohmann::json r = std::move(replies_.front());
      replies_.pop_front();
      on_reply_(r);
    }
    if (session_.tick(20.0, now_ms)) on_snapshot_(session_.snapshot());
  }
  // Ticks until the engine is idle (at most `limit` ticks), then takes the last snapshot.
  void run_until_idle(int limit = 100000) {
    pump();
    for (int i = 0; i < limit && session_.busy(); ++i) pump();
    session_.tick(20.0, now_ms);
    on_snapshot_(session_.snapshot());
  }

  static double now_ms() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }

 private:
  LabSession session_;
  ReplyHandler on_reply_;
  SnapshotHandler on_snapshot_;
  std::deque<nlohmann::json> replies_;
};

// An ImGui context for the test's lifetime (no window, no frame).
struct ImGuiContextScope {
  ImGuiContextScope() { ImGui::CreateContext(); }
  ~ImGuiContextScope() { ImGui::DestroyContext(); }
};

}  // namespace attnlab::testing
