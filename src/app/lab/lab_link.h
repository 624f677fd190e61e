// The app's line to the lab engine (core/lab/session.h), which runs off the
// UI thread: in a Web Worker in the browser, on a std::thread on the desktop.
// Commands go out asynchronously; replies and snapshots come back to the
// handlers, on the UI thread, so the UI never waits for training.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/lab/session.h"

namespace attnlab {

class LabLink {
 public:
  using ReplyHandler = std::function<void(const nlohmann::json&)>;
  using SnapshotHandler = std::function<void(Snapshot&&)>;

  // The platform makes the link (platform/engine_link.h: a Web Worker or a
  // thread); tests make one that drives a LabSession in place.
  using Factory = std::function<std::unique_ptr<LabLink>(ReplyHandler on_reply, SnapshotHandler on_snapshot)>;

  virtual ~LabLink() = default;

  virtual bool ready() const = 0;                    // the engine has started
  virtual std::string failure() const = 0;           // why the engine could not start or stopped ("" if fine)
  virtual void send(const nlohmann::json& cmd) = 0;  // asynchronous; the reply comes to on_reply
  // Delivers what has arrived (the desktop queues; the browser delivers as
  // messages arrive, between frames). Call once per frame.
  virtual void pump() = 0;
};

}  // namespace attnlab
