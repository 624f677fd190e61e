// The bridge between the page's JavaScript API (web/attnlab.js builds
// window.attnlab on it) and the app. Exported C functions take and return
// JSON text. On the desktop these do nothing.
#pragma once

namespace attnlab {

class App;

void web_api_attach(App* app);
// Tells the page that the first frame is on screen (resolves attnlab.ready).
void web_api_notify_ready();

}  // namespace attnlab
