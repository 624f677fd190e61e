// Dear ImGui's sequential main loop on every platform:
//
//   ATTNLAB_MAIN_LOOP_BEGIN(window) { ... one frame ... } ATTNLAB_MAIN_LOOP_END;
//
// On the desktop this is a plain while loop. In the browser a loop must not
// block, so the body becomes a callback that Emscripten runs once per
// animation frame; main() never returns (simulate_infinite_loop), so the
// body's references to main's locals stay valid.
#pragma once

#ifdef __EMSCRIPTEN__
#include <emscripten.h>

#include <functional>

namespace attnlab {
inline std::function<void()> g_main_loop_body;
inline void run_main_loop_body() { g_main_loop_body(); }
}  // namespace attnlab

#define ATTNLAB_MAIN_LOOP_BEGIN(window) ::attnlab::g_main_loop_body = [&]()
#define ATTNLAB_MAIN_LOOP_END ; emscripten_set_main_loop(::attnlab::run_main_loop_body, 0, true)
#else
#define ATTNLAB_MAIN_LOOP_BEGIN(window) while (!glfwWindowShouldClose(window))
#define ATTNLAB_MAIN_LOOP_END
#endif
