// Desktop: the lab engine on a background thread, with queues both ways.
#ifndef __EMSCRIPTEN__

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "platform/engine_link.h"

namespace attnlab {
namespace {

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

class ThreadLabLink : public LabLink {
 public:
  ThreadLabLink(ReplyHandler on_reply, SnapshotHandler on_snapshot)
      : on_reply_(std::move(on_reply)), on_snapshot_(std::move(on_snapshot)), thread_([this] { loop(); }) {}
  ~ThreadLabLink() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

  bool ready() const override { return true; }
  std::string failure() const override { return ""; }

  void send(const nlohmann::json& cmd) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      commands_.push_back(cmd);
    }
    wake_.notify_one();
  }
  void pump() override {
    std::deque<nlohmann::json> replies;
    std::deque<Snapshot> snapshots;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      replies.swap(replies_);
      snapshots.swap(snapshots_);
    }
    for (const nlohmann::json& r : replies) on_reply_(r);
    for (Snapshot& s : snapshots) on_snapshot_(std::move(s));
  }

 private:
  void loop() {
    LabSession lab;
    for (;;) {
      std::deque<nlohmann::json> commands;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        // Sleep while idle; wake for commands (or every 50 ms to keep views fresh).
        if (!lab.busy()) wake_.wait_for(lock, std::chrono::milliseconds(50), [this] { return stop_ || !commands_.empty(); });
        if (stop_) return;
        commands.swap(commands_);
      }
      for (const nlohmann::json& c : commands) {
        nlohmann::json reply = lab.command(c);
        std::lock_guard<std::mutex> lock(mutex_);
        replies_.push_back(std::move(reply));
      }
      if (lab.tick(40.0, now_ms)) {
        Snapshot s = lab.snapshot();
        std::lock_guard<std::mutex> lock(mutex_);
        snapshots_.push_back(std::move(s));
      }
    }
  }

  ReplyHandler on_reply_;
  SnapshotHandler on_snapshot_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::deque<nlohmann::json> commands_, replies_;
  std::deque<Snapshot> snapshots_;
  std::thread thread_;
};

}  // namespace

std::unique_ptr<LabLink> create_engine_link(LabLink::ReplyHandler on_reply, LabLink::SnapshotHandler on_snapshot) {
  return std::make_unique<ThreadLabLink>(std::move(on_reply), std::move(on_snapshot));
}

}  // namespace attnlab

#endif  // !__EMSCRIPTEN__
