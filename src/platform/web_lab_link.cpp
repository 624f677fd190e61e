// Browser: the lab engine in a Web Worker (web/attnlab-worker.js). The page's
// loader owns the Worker; these calls cross to it through small JS functions,
// and the loader hands replies and snapshots back through the exported
// attnlab_lab_* functions below.
#ifdef __EMSCRIPTEN__

#include <emscripten.h>

#include <string>

#include "platform/engine_link.h"

namespace attnlab {
namespace {

struct Inbox {
  bool ready = false;
  std::string failure;
  LabLink::ReplyHandler on_reply;
  LabLink::SnapshotHandler on_snapshot;
  std::vector<std::pair<std::string, std::vector<float>>> pending_arrays;  // for the next snapshot
};
Inbox g_inbox;

EM_JS(void, attnlab_js_post_command, (const char* json), {
  if (Module["attnlabPostCommand"]) Module["attnlabPostCommand"](UTF8ToString(json));
});

class WebLabLink : public LabLink {
 public:
  bool ready() const override { return g_inbox.ready; }
  std::string failure() const override { return g_inbox.failure; }
  void send(const nlohmann::json& cmd) override {
    attnlab_js_post_command(cmd.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  }
  // Messages are delivered as they arrive (between frames, on the same thread).
  void pump() override {}
};

}  // namespace

std::unique_ptr<LabLink> create_engine_link(LabLink::ReplyHandler on_reply, LabLink::SnapshotHandler on_snapshot) {
  g_inbox.on_reply = std::move(on_reply);
  g_inbox.on_snapshot = std::move(on_snapshot);
  return std::make_unique<WebLabLink>();
}

}  // namespace attnlab

extern "C" {

EMSCRIPTEN_KEEPALIVE void attnlab_lab_ready() { attnlab::g_inbox.ready = true; }

EMSCRIPTEN_KEEPALIVE void attnlab_lab_failed(const char* why) { attnlab::g_inbox.failure = why; }

EMSCRIPTEN_KEEPALIVE void attnlab_lab_reply(const char* json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_discarded() && attnlab::g_inbox.on_reply) attnlab::g_inbox.on_reply(j);
}

// A snapshot arrives as its arrays (one call each, data copied from JS into
// a buffer the page allocated), then its JSON.
EMSCRIPTEN_KEEPALIVE void attnlab_lab_array(const char* name, const float* data, int count) {
  attnlab::g_inbox.pending_arrays.push_back({name, std::vector<float>(data, data + count)});
}

EMSCRIPTEN_KEEPALIVE void attnlab_lab_snapshot(const char* json) {
  attnlab::Snapshot s;
  s.json = nlohmann::json::parse(json, nullptr, false);
  s.arrays = std::move(attnlab::g_inbox.pending_arrays);
  attnlab::g_inbox.pending_arrays.clear();
  // Applied at once: a hidden tab that stops drawing does not pile them up.
  if (!s.json.is_discarded() && attnlab::g_inbox.on_snapshot) attnlab::g_inbox.on_snapshot(std::move(s));
}

}  // extern "C"

#endif  // __EMSCRIPTEN__
