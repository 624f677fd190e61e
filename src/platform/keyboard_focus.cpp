// Tab to the browser, every other key to GLFW (see keyboard_focus.h).
#include "platform/keyboard_focus.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>

// GLFW's key listeners are on the window, in the capture phase; they are
// replaced by the same listeners behind a filter, in the same place. Keys
// pressed in the page's own controls (the accessible page, web/attnlab-access.js)
// stay there: Space on its Play button must not also toggle play in the app.
EM_JS(void, keyboard_focus_install_js, (), {
  var movesFocus = function(e) { return e.key === 'Tab' && !e.ctrlKey && !e.altKey && !e.metaKey; };
  var forApp = function(e) {
    var t = e.target;
    return t === Module['canvas'] || t === document.body || t === document.documentElement || t === window || t === document;
  };
  window.removeEventListener('keydown', GLFW.onKeydown, true);
  window.removeEventListener('keypress', GLFW.onKeyPress, true);
  window.removeEventListener('keyup', GLFW.onKeyup, true);
  // The focus ring (web/attnlab.css) shows from a Tab press until the next pointer press.
  window.addEventListener('keydown', function(e) {
    if (e.key === 'Tab') document.documentElement.classList.add('tabbing');
    if (!movesFocus(e) && forApp(e)) GLFW.onKeydown(e);
  }, true);
  window.addEventListener('keypress', function(e) { if (forApp(e)) GLFW.onKeyPress(e); }, true);
  // Releases always reach the app, so that none of its keys stays held.
  window.addEventListener('keyup', function(e) { if (!movesFocus(e)) GLFW.onKeyup(e); }, true);
  window.addEventListener('pointerdown', function() { document.documentElement.classList.remove('tabbing'); }, true);
});

namespace attnlab {
void keyboard_focus_install() { keyboard_focus_install_js(); }
}  // namespace attnlab

#else

namespace attnlab {
void keyboard_focus_install() {}
}  // namespace attnlab

#endif
