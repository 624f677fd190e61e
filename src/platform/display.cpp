#include "platform/display.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cmath>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <emscripten/html5.h>

// Resizes the canvas backing store through Emscripten's Browser layer, which
// tells its GLFW (window size callbacks included). glfwSetWindowSize would
// do the same but requests fullscreen whenever the size equals the screen's,
// which is exactly the case of a maximized window at a pixel ratio of 1.
EM_JS(void, attnlab_set_canvas_size, (int width, int height), { Browser.setCanvasSize(width, height); });
#endif

namespace attnlab {

float sync_display(GLFWwindow* window) {
#ifdef __EMSCRIPTEN__
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  const double ratio = emscripten_get_device_pixel_ratio();
  const int want_w = std::max(1, static_cast<int>(std::lround(css_w * ratio)));
  const int want_h = std::max(1, static_cast<int>(std::lround(css_h * ratio)));
  int w = 0, h = 0;
  glfwGetWindowSize(window, &w, &h);
  // Emscripten's GLFW reports and sets the canvas backing-store size, and
  // gives mouse positions in the same pixels.
  if (w != want_w || h != want_h) attnlab_set_canvas_size(want_w, want_h);
  return static_cast<float>(ratio);
#else
  float sx = 1.0f, sy = 1.0f;
  glfwGetWindowContentScale(window, &sx, &sy);
  return std::max(sx, sy);
#endif
}

}  // namespace attnlab
