# Third-party code. Everything comes from Debian (apt) or from Debian 13's
# archive through tools/deps.sh; nothing is vendored in the repository.
#   attnlab::xsimd      header-only, 13.2.0 (build/deps/libxsimd-dev-13.2.0)
#   attnlab::imgui      Dear ImGui 1.90.1 core + its GLFW backend (we draw with our own renderer)
#   attnlab::json       nlohmann-json 3.11.2 (Debian 12)
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

if(ATTNLAB_BUILD_TESTS)
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
  set(gtest_disable_pthreads ${EMSCRIPTEN} CACHE BOOL "" FORCE)
  add_subdirectory(/usr/src/googletest "${CMAKE_BINARY_DIR}/googletest" EXCLUDE_FROM_ALL SYSTEM)
endif()

if(ATTNLAB_BUILD_APP)
  add_library(attnlab_imgui STATIC
    ${ATTNLAB_IMGUI_DIR}/imgui.cpp
    ${ATTNLAB_IMGUI_DIR}/imgui_draw.cpp
    ${ATTNLAB_IMGUI_DIR}/imgui_tables.cpp
    ${ATTNLAB_IMGUI_DIR}/imgui_widgets.cpp
    ${ATTNLAB_IMGUI_DIR}/backends/imgui_impl_glfw.cpp)
  target_include_directories(attnlab_imgui SYSTEM PUBLIC "${ATTNLAB_IMGUI_DIR}" "${ATTNLAB_IMGUI_DIR}/backends")
  # 32-bit indices: long plots and heatmaps never hit the 64K-vertex limit, and
  # our renderer (src/app/gfx/imgui_renderer.cpp) needs no vertex offsets.
  target_compile_definitions(attnlab_imgui PUBLIC IMGUI_DISABLE_OBSOLETE_FUNCTIONS "ImDrawIdx=unsigned int")
  if(EMSCRIPTEN)
    target_link_options(attnlab_imgui PUBLIC -sUSE_GLFW=3 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2)
  else()
    find_package(glfw3 3.3 REQUIRED)
    find_package(OpenGL REQUIRED)
    find_package(Threads REQUIRED)
    target_link_libraries(attnlab_imgui PUBLIC glfw OpenGL::GL Threads::Threads ${CMAKE_DL_LIBS})
  endif()
  add_library(attnlab::imgui ALIAS attnlab_imgui)
endif()
