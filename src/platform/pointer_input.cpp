// Touch and pen through Pointer Events (see pointer_input.h for why).
#include "platform/pointer_input.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>

#include "imgui.h"
#include "platform/frame_pacer.h"

// A pinch's wheel steps, at the position the JS side has just moved the
// cursor to (the fingers' midpoint).
extern "C" EMSCRIPTEN_KEEPALIVE void attnlab_pointer_wheel(float steps) {
  ImGui::GetIO().AddMouseWheelEvent(0.0f, steps);
  attnlab::frame_pacer_note_input();
}

// Runs in the module's scope, where Emscripten's GLFW object lives: its own
// mouse functions take the synthetic events below (they read target, button,
// type and pageX/pageY), so touch ends in the same GLFW callbacks, and the
// same ImGui events, as the mouse.
EM_JS(void, pointer_input_install_js, (), {
  var canvas = Module['canvas'];
  canvas.removeEventListener('touchstart', GLFW.onMouseButtonDown, true);
  canvas.removeEventListener('touchmove', GLFW.onMousemove, true);
  canvas.removeEventListener('touchend', GLFW.onMouseButtonUp, true);
  canvas.removeEventListener('touchcancel', GLFW.onMouseButtonUp, true);
  var fingers = new Map();  // pointerId -> {pageX, pageY}, touch and pen pointers on the canvas
  var pressing = null;      // the pointerId holding GLFW's left button
  var spread = 0;           // the two fingers' distance at the last pinch step (CSS px); 0: no pinch
  // A press waits until a frame has seen the finger's position: ImGui presses
  // an item that allows overlap (a tab) only if it was hovered the frame
  // before. What follows a waiting press waits behind it, in order.
  var waiting = [];
  var send = function(fn) { if (waiting.length) waiting.push(fn); else fn(); };
  var sendAfterAFrame = function(fn) {
    waiting.push(fn);
    if (waiting.length > 1) return;
    // Two animation frames: the main loop's callback for the next one was queued before this one.
    requestAnimationFrame(function() { requestAnimationFrame(function() {
      var due = waiting;
      waiting = [];
      due.forEach(function(f) { f(); });
    }); });
  };
  var at = function(x, y) { return {target: canvas, type: 'pointer', button: 0, pageX: x, pageY: y}; };
  var move = function(x, y) { send(function() { GLFW.onMousemove(at(x, y)); }); };
  var release = function(x, y) {
    if (pressing === null) return;
    pressing = null;
    send(function() { GLFW.onMouseButtonUp(at(x, y)); });
  };
  var distance = function() {
    var p = Array.from(fingers.values());
    return Math.hypot(p[0].pageX - p[1].pageX, p[0].pageY - p[1].pageY);
  };
  canvas.addEventListener('pointerdown', function(e) {
    if (e.pointerType === 'mouse') return;
    e.preventDefault();  // no compatibility mouse events after it: the tap is handled once, here
    fingers.set(e.pointerId, {pageX: e.pageX, pageY: e.pageY});
    try { canvas.setPointerCapture(e.pointerId); } catch (err) {}
    if (fingers.size === 1) {
      var x = e.pageX, y = e.pageY;
      move(x, y);  // where, before the press
      pressing = e.pointerId;
      sendAfterAFrame(function() { GLFW.onMouseButtonDown(at(x, y)); });
    } else if (fingers.size === 2) {
      release(e.pageX, e.pageY);
      spread = distance();
    }
  });
  canvas.addEventListener('pointermove', function(e) {
    if (e.pointerType === 'mouse' || !fingers.has(e.pointerId)) return;
    fingers.set(e.pointerId, {pageX: e.pageX, pageY: e.pageY});
    if (fingers.size === 1 && pressing === e.pointerId) {
      move(e.pageX, e.pageY);
    } else if (fingers.size === 2 && spread > 0) {
      var d = distance();
      // 3 steps per doubling of the distance: 1.25^3 = 1.95, so the mask grows about as the fingers part.
      var steps = 3 * Math.log2(Math.max(d, 1) / spread);
      if (Math.abs(steps) < 0.05) return;
      var p = Array.from(fingers.values());
      move((p[0].pageX + p[1].pageX) / 2, (p[0].pageY + p[1].pageY) / 2);
      send(function() { _attnlab_pointer_wheel(steps); });
      spread = d;
    }
  });
  var lift = function(e) {
    if (e.pointerType === 'mouse' || !fingers.has(e.pointerId)) return;
    if (pressing === e.pointerId && e.type === 'pointerup') move(e.pageX, e.pageY);
    if (pressing === e.pointerId) release(e.pageX, e.pageY);
    fingers.delete(e.pointerId);
    if (fingers.size < 2) spread = 0;
    // The cursor leaves with the last finger, a frame after the release, so
    // nothing stays hovered (a tooltip would stay up until the next touch).
    if (fingers.size === 0) sendAfterAFrame(function() {
      if (fingers.size === 0) GLFW.onMousemove(at(-1e6, -1e6));
    });
  };
  canvas.addEventListener('pointerup', lift);
  canvas.addEventListener('pointercancel', lift);
});

namespace attnlab {
void pointer_input_install() { pointer_input_install_js(); }
}  // namespace attnlab

#else

namespace attnlab {
void pointer_input_install() {}
}  // namespace attnlab

#endif
