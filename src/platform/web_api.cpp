#include "platform/web_api.h"

#include <string>

#include "app/app.h"
#include "platform/frame_pacer.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

namespace attnlab {
namespace {
App* g_app = nullptr;
std::string g_reply;  // the last reply; JS copies it out before the next call
}  // namespace

void web_api_attach(App* app) { g_app = app; }

#ifdef __EMSCRIPTEN__
EM_JS(void, attnlab_js_ready, (), {
  if (Module["onAttnlabReady"]) Module["onAttnlabReady"]();
});
void web_api_notify_ready() { attnlab_js_ready(); }
#else
void web_api_notify_ready() {}
#endif

}  // namespace attnlab

extern "C" {

#ifdef __EMSCRIPTEN__
EMSCRIPTEN_KEEPALIVE
#endif
const char* attnlab_state() {
  using attnlab::g_reply;
  g_reply = attnlab::g_app ? attnlab::g_app->state().dump() : "{}";
  return g_reply.c_str();
}

#ifdef __EMSCRIPTEN__
EMSCRIPTEN_KEEPALIVE
#endif
const char* attnlab_command(const char* json_text) {
  using attnlab::g_reply;
  nlohmann::json reply;
  if (!attnlab::g_app) {
    reply = {{"ok", false}, {"errors", {"the app is not running"}}};
  } else {
    nlohmann::json cmd = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
    if (cmd.is_discarded())
      reply = {{"ok", false}, {"errors", {"the command is not valid JSON"}}};
    else
      reply = attnlab::g_app->command(cmd);
    attnlab::frame_pacer_note_input();  // show its effect at once
  }
  g_reply = reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return g_reply.c_str();
}

}  // extern "C"
