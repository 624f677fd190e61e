# Third-party code. Everything comes from Debian (apt) or from Debian 13's
# archive through tools/deps.sh; nothing is vendored in the repository.
#   attnlab::xsimd      header-only, 13.2.0 (build/deps/libxsimd-dev-13.2.0)
#   attnlab::imgui      Dear ImGui 1.90.1 core (we draw with our own renderer)
#   attnlab::imgui_glfw its GLFW backend, for the platform layer
#   attnlab::json       nlohmann-json 3.11.2 (Debian 12)
#   attnlab::stb        stb_image_write (PNG exports) and stb_image (the tests' decoder), Debian 12's libstb-dev
#   GTest::gtest_main   built from /usr/src/googletest so it also builds for wasm

set(ATTNLAB_XSIMD_DIR "${ATTNLAB_DEPS_DIR}/libxsimd-dev-13.2.0/usr/include")
set(ATTNLAB_IMGUI_DIR "${ATTNLAB_DEPS_DIR}/imgui-1.90.1+ds")
foreach(dir IN ITEMS "${ATTNLAB_XSIMD_DIR}/xsimd" "${ATTNLAB_IMGUI_DIR}/backends")
  if(NOT EXISTS "${dir}")
    message(FATAL_ERROR "${dir} is missing. Run tools/deps.sh first (it fetches xsimd and Dear ImGui).")
  endif()
endforeach()

add_library(attnlab_xsimd INTERFACE)
target_include_directories(attnlab_xsimd SYSTEM INTERFACE "${ATTNLAB_XSIMD_DIR}")
add_library(attnlab::xsimd ALIAS attnlab_xsimd)

find_path(ATTNLAB_JSON_INCLUDE nlohmann/json.hpp PATHS /usr/include NO_CMAKE_FIND_ROOT_PATH REQUIRED)
# Copy the header-only library next to the build: adding /usr/include itself
# to an emcc compile would pull the host's libc headers into the wasm build.
file(COPY "${ATTNLAB_JSON_INCLUDE}/nlohmann" DESTINATION "${CMAKE_BINARY_DIR}/deps-include")
add_library(attnlab_json INTERFACE)
target_include_directories(attnlab_json SYSTEM INTERFACE "${CMAKE_BINARY_DIR}/deps-include")
add_library(attnlab::json ALIAS attnlab_json)

# The same for the two stb headers we use (header-only).
find_path(ATTNLAB_STB_INCLUDE stb/stb_image_write.h PATHS /usr/include NO_CMAKE_FIND_ROOT_PATH REQUIRED)
file(COPY "${ATTNLAB_STB_INCLUDE}/stb/stb_image_write.h" "${ATTNLAB_STB_INCLUDE}/stb/stb_image.h"
     DESTINATION "${CMAKE_BINARY_DIR}/deps-include/stb")
add_library(attnlab_stb INTERFACE)
target_include_directories(attnlab_stb SYSTEM INTERFACE "${CMAKE_BINARY_DIR}/deps-include")
add_library(attnlab::stb ALIAS attnlab_stb)

if(ATTNLAB_BUILD_TESTS)
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
  set(gtest_disable_pthreads ${EMSCRIPTEN} CACHE BOOL "" FORCE)
  add_subdirectory(/usr/src/googletest "${CMAKE_BINARY_DIR}/googletest" EXCLUDE_FROM_ALL SYSTEM)
endif()

if(ATTNLAB_BUILD_APP)
  # attnlab::imgui is ImGui's core, for the app; attnlab::imgui_glfw adds its
  # GLFW backend and the window system, for the platform layer only.
  add_library(attnlab_imgui STATIC
    ${ATTNLAB_IMGUI_DIR}/imgui.cpp
    ${ATTNLAB_IMGUI_DIR}/imgui_draw.cpp
    ${ATTNLAB_IMGUI_DIR}/imgui_tables.cpp
    ${ATTNLAB_IMGUI_DIR}/imgui_widgets.cpp)
  target_include_directories(attnlab_imgui SYSTEM PUBLIC "${ATTNLAB_IMGUI_DIR}")
  # 32-bit indices: long plots and heatmaps never hit the 64K-vertex limit, and
  # our renderer (src/app/gfx/imgui_renderer.cpp) needs no vertex offsets.
  target_compile_definitions(attnlab_imgui PUBLIC IMGUI_DISABLE_OBSOLETE_FUNCTIONS "ImDrawIdx=unsigned int")
  add_library(attnlab::imgui ALIAS attnlab_imgui)

  # The OpenGL API the app's renderer calls: WebGL2 through Emscripten, or
  # the desktop's libGL.
  add_library(attnlab_gl INTERFACE)
  if(EMSCRIPTEN)
    target_link_options(attnlab_gl INTERFACE -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2)
  else()
    find_package(OpenGL REQUIRED)
    target_link_libraries(attnlab_gl INTERFACE OpenGL::GL)
  endif()
  add_library(attnlab::gl ALIAS attnlab_gl)

  add_library(attnlab_imgui_glfw STATIC ${ATTNLAB_IMGUI_DIR}/backends/imgui_impl_glfw.cpp)
  target_include_directories(attnlab_imgui_glfw SYSTEM PUBLIC "${ATTNLAB_IMGUI_DIR}/backends")
  target_link_libraries(attnlab_imgui_glfw PUBLIC attnlab_imgui)
  if(EMSCRIPTEN)
    target_link_options(attnlab_imgui_glfw PUBLIC -sUSE_GLFW=3)
  else()
    find_package(glfw3 3.3 REQUIRED)
    find_package(Threads REQUIRED)
    target_link_libraries(attnlab_imgui_glfw PUBLIC glfw Threads::Threads ${CMAKE_DL_LIBS})
  endif()
  add_library(attnlab::imgui_glfw ALIAS attnlab_imgui_glfw)
endif()
