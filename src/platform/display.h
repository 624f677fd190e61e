// The size and pixel density of the drawing surface.
//   browser: the canvas follows its CSS box (it fills the window); its
//            backing store is CSS size x devicePixelRatio, so text is crisp.
//   desktop: the window's framebuffer, scaled by the monitor content scale.
// The UI is laid out in framebuffer pixels and scaled by the returned factor.
#pragma once

struct GLFWwindow;

namespace attnlab {

// Resizes the canvas backing store if its CSS size or the pixel ratio changed
// (browser only), and returns the UI scale to use this frame.
float sync_display(GLFWwindow* window);

}  // namespace attnlab
