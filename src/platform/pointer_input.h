// Touch and pen on the canvas, through Pointer Events (the browser only).
//
// Emscripten 3.1.6's GLFW turns a touch into a button press without moving
// the cursor first, so a tap acted where the previous touch had been. Here
// the touch listeners GLFW put on the canvas are replaced by pointer-event
// listeners that hand GLFW the position first and the button after, so a tap
// lands where the finger is; the browser's compatibility mouse events after a
// touch are cancelled, so no tap is handled twice. The mouse keeps GLFW's own
// path. While two fingers touch the canvas they pinch: the change in their
// distance is sent as wheel steps at their midpoint (the Pattern explorer
// zooms 1.25x per step around the pointer), and the first finger's press is
// released so the pinch does not also drag. When the last finger lifts, the
// cursor leaves the canvas, so no tooltip stays up.
#pragma once

namespace attnlab {

// After glfwCreateWindow and the ImGui backend's callbacks. No-op on the desktop.
void pointer_input_install();

}  // namespace attnlab
