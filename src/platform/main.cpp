// Attention Lab's entry point, the same on the desktop (GLFW + OpenGL 3.3) and
// in the browser (Emscripten's GLFW + WebGL2): create the window, then run
// Dear ImGui's sequential loop: poll, new frame, draw the app, render.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#ifdef __EMSCRIPTEN__
#include <emscripten/html5.h>
#endif

#include "app/app.h"
#include "app/gfx/gl.h"
#include "app/gfx/imgui_renderer.h"
#include "app/gfx/redraw_gate.h"
#include "app/ui/theme.h"
#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "platform/display.h"
#include "platform/engine_link.h"
#include "platform/frame_pacer.h"
#include "platform/frame_timer.h"
#include "platform/keyboard_focus.h"
#include "platform/main_loop.h"
#include "platform/platform_host.h"
#include "platform/pointer_input.h"
#include "platform/web_api.h"

namespace {

#ifdef __EMSCRIPTEN__
// The mouse wheel, on the canvas. ImGui's GLFW backend listens on the
// document, where Chromium makes wheel listeners passive and logs an error
// for every event it cannot cancel; on the canvas the page may cancel it.
EM_BOOL on_wheel(int, const EmscriptenWheelEvent* e, void*) {
  float step = 1.0f / 100.0f;  // pixels: 100 make one wheel step
  if (e->deltaMode == DOM_DELTA_LINE) step = 1.0f / 3.0f;
  if (e->deltaMode == DOM_DELTA_PAGE) step = 80.0f;
  ImGui::GetIO().AddMouseWheelEvent(static_cast<float>(-e->deltaX) * step, static_cast<float>(-e->deltaY) * step);
  attnlab::frame_pacer_note_input();
  return EM_TRUE;
}
#endif

attnlab::App* g_app = nullptr;
GLFWkeyfun g_imgui_key_callback = nullptr;

// Space toggles Play; every other key goes on to ImGui.
void key_callback(GLFWwindow* window, int key, int scancode, int action, int mods) {
  attnlab::frame_pacer_note_input();
  if (key == GLFW_KEY_SPACE && g_app && g_app->wants_space()) {
    if (action == GLFW_PRESS) g_app->on_space();
    return;
  }
  if (g_imgui_key_callback) g_imgui_key_callback(window, key, scancode, action, mods);
}

// Every other input wakes the frame pacer too; ImGui's GLFW backend calls
// these (installed before it) and then handles the event.
void note_cursor(GLFWwindow*, double, double) { attnlab::frame_pacer_note_input(); }
void note_button(GLFWwindow*, int, int, int) { attnlab::frame_pacer_note_input(); }
void note_scroll(GLFWwindow*, double, double) { attnlab::frame_pacer_note_input(); }
void note_char(GLFWwindow*, unsigned int) { attnlab::frame_pacer_note_input(); }
void note_enter(GLFWwindow*, int) { attnlab::frame_pacer_note_input(); }
void note_focus(GLFWwindow*, int) { attnlab::frame_pacer_note_input(); }

void report_glfw_error(int code, const char* text) { std::fprintf(stderr, "GLFW error %d: %s\n", code, text); }

}  // namespace

int main(int, char**) {
  glfwSetErrorCallback(report_glfw_error);
  if (!glfwInit()) return 1;
#ifndef __EMSCRIPTEN__
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
#endif
  // An opaque canvas without depth or stencil: the UI needs neither, and the
  // browser then composites the canvas without blending it over the page.
  glfwWindowHint(GLFW_ALPHA_BITS, 0);
  glfwWindowHint(GLFW_DEPTH_BITS, 0);
  glfwWindowHint(GLFW_STENCIL_BITS, 0);
  GLFWwindow* window = glfwCreateWindow(1280, 720, "Attention Lab", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "Could not create an OpenGL 3.3 / WebGL2 window.\n");
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
#ifndef __EMSCRIPTEN__
  glfwSwapInterval(1);  // vsync (the browser paces frames with requestAnimationFrame)
#endif

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is fixed; nothing to save
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  glfwSetCursorPosCallback(window, note_cursor);
  glfwSetMouseButtonCallback(window, note_button);
  glfwSetScrollCallback(window, note_scroll);
  glfwSetCharCallback(window, note_char);
  glfwSetCursorEnterCallback(window, note_enter);
  glfwSetWindowFocusCallback(window, note_focus);
  ImGui_ImplGlfw_InitForOpenGL(window, true);
#ifdef __EMSCRIPTEN__
  emscripten_set_wheel_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, false, nullptr);
  emscripten_set_wheel_callback("#canvas", nullptr, false, on_wheel);
#endif
  attnlab::pointer_input_install();   // touch and pen: the position before the press
  attnlab::keyboard_focus_install();  // Tab leaves the canvas
  attnlab::ImGuiRenderer renderer;
  attnlab::RedrawGate redraw_gate;
  if (!renderer.init()) std::fprintf(stderr, "The UI shaders failed to build: %s\n", renderer.error().c_str());

  attnlab::PlatformHost host;
  attnlab::App app(&host, attnlab::create_engine_link);
  g_app = &app;
  g_imgui_key_callback = glfwSetKeyCallback(window, key_callback);
  attnlab::web_api_attach(&app);
  float scale = 0.0f;
  bool presenter = false;
  bool first_frame = true;
  std::vector<uint8_t> pixels;

  ATTNLAB_MAIN_LOOP_BEGIN(window) {
#ifdef __EMSCRIPTEN__
    // Between inputs the page runs fewer frames (platform/frame_pacer.h).
    const bool busy = first_frame || app.redraw_every_frame() || ImGui::GetIO().WantTextInput;
    if (!attnlab::frame_pacer_should_run(busy)) return;
#endif
    glfwPollEvents();
    const float want_scale = attnlab::sync_display(window);
    if (std::fabs(want_scale - scale) > 1e-3f || app.presenter() != presenter) {
      scale = want_scale;
      presenter = app.presenter();
      attnlab::apply_theme(scale, presenter);
      renderer.upload_fonts();  // the atlas was rebuilt at the new size
    }
    attnlab::frame_timer_begin();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    app.frame();
    ImGui::Render();

    int fb_w = 0, fb_h = 0;
    glfwGetFramebufferSize(window, &fb_w, &fb_h);
    // A PNG export reads this frame's pixels before they are presented (WebGL
    // keeps the drawing buffer only until then), so that frame always draws.
    attnlab::App::Capture capture;
    const bool capturing = app.capture_due(&capture);
    const bool draw = redraw_gate.should_draw(ImGui::GetDrawData(), fb_w, fb_h) || capturing || app.redraw_every_frame();
    if (draw) {
      glBindFramebuffer(GL_FRAMEBUFFER, 0);
      glViewport(0, 0, fb_w, fb_h);
      glDisable(GL_SCISSOR_TEST);
      // The clear is the main window's background (it draws none): a clear
      // costs far less than a blended full-screen quad under software GL.
      const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
      glClearColor(bg.x, bg.y, bg.z, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      renderer.render(ImGui::GetDrawData(), fb_w, fb_h);
    }
    if (capturing) {
      capture.x = std::clamp(capture.x, 0, fb_w - 1);
      capture.y = std::clamp(capture.y, 0, fb_h - 1);
      capture.w = std::min(capture.w, fb_w - capture.x);
      capture.h = std::min(capture.h, fb_h - capture.y);
      pixels.assign(static_cast<size_t>(capture.w) * capture.h * 4, 0);
      glPixelStorei(GL_PACK_ALIGNMENT, 1);
      glReadPixels(capture.x, fb_h - capture.y - capture.h, capture.w, capture.h, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
      std::vector<uint8_t> top_down(pixels.size());
      const size_t row = static_cast<size_t>(capture.w) * 4;
      for (int y = 0; y < capture.h; ++y)  // GL rows run bottom-up
        std::copy_n(pixels.begin() + row * (capture.h - 1 - y), row, top_down.begin() + row * y);
      for (size_t i = 3; i < top_down.size(); i += 4) top_down[i] = 255;  // opaque, whatever the canvas alpha
      app.finish_capture(capture, top_down);
    }
    attnlab::frame_timer_end(draw);
    if (draw) glfwSwapBuffers(window);
#ifndef __EMSCRIPTEN__
    // The desktop is paced by the vsync'd swap; a frame that did not draw
    // waits for input or a frame's time instead of spinning.
    else glfwWaitEventsTimeout(1.0 / 60.0);
#endif
    if (first_frame) {
      first_frame = false;
      attnlab::web_api_notify_ready();
    }
  }
  ATTNLAB_MAIN_LOOP_END;

  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return 0;
}
