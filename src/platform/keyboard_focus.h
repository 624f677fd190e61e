// Tab leaves the canvas (the browser only).
//
// Emscripten 3.1.6's GLFW cancels every Tab keydown on the window, so once
// the canvas had focus, Tab never moved it anywhere: a keyboard trap (WCAG
// 2.1.2). Here Tab and Shift+Tab (without Ctrl, Alt or Meta) bypass GLFW and
// do what they do on any page: move focus to the next or previous element,
// and back to the canvas, which then shows a focus ring until the next
// pointer press. Inside the canvas the arrow keys move between
// controls, Space or Enter presses one, Escape steps out of a panel (Dear
// ImGui's keyboard navigation).
#pragma once

namespace attnlab {

// After glfwCreateWindow. No-op on the desktop.
void keyboard_focus_install();

}  // namespace attnlab
