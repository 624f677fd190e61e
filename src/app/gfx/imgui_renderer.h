// Draws Dear ImGui's output with our own shaders (shaders/imgui.*). Unlike
// ImGui's stock OpenGL backend, it never reads GL state back (no glGet*):
// in a browser every such read is a synchronous round trip that waits for the
// GPU, and those stalls, not our code, dominated the frame time. The app owns
// all GL state, so there is nothing to save and restore.
#pragma once

#include <string>

#include "app/gfx/gl.h"
#include "imgui.h"

namespace attnlab {

class ImGuiRenderer {
 public:
  ImGuiRenderer() = default;
  ImGuiRenderer(const ImGuiRenderer&) = delete;
  ImGuiRenderer& operator=(const ImGuiRenderer&) = delete;
  ~ImGuiRenderer();

  // Builds the program and buffers; false (with error()) if the shaders fail.
  bool init();
  // (Re)uploads the font atlas (after the fonts were rebuilt for a new scale).
  void upload_fonts();
  void render(const ImDrawData* data, int framebuffer_width, int framebuffer_height);
  const std::string& error() const { return error_; }

 private:
  GLuint program_ = 0, vao_ = 0, vbo_ = 0, ebo_ = 0, font_texture_ = 0;
  GLint projection_ = -1, texture_ = -1, white_uv_ = -1;
  std::string error_;
};

}  // namespace attnlab
