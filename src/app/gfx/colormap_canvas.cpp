#include "app/gfx/colormap_canvas.h"

#include "app/gfx/redraw_gate.h"
#include "app/gfx/shader.h"
#include "app/ui/theme.h"

namespace attnlab {

namespace {

// One program for every canvas, built once: a browser compiles a shader on
// the GPU process and the first use waits for it (about 100 ms without a
// GPU), which a view opened for the first time must not pay again.
struct ColormapProgram {
  GLuint program = 0;
  GLint u_data = -1, u_mode = -1, u_range = -1, u_size_px = -1, u_background = -1, u_special_bg = -1, u_masked = -1;
  std::string error;
};

const ColormapProgram& colormap_program() {
  static const ColormapProgram shared = [] {
    ColormapProgram p;
    p.program = build_program("quad.vert", "colormap.frag", &p.error);
    if (!p.program) return p;
    p.u_data = glGetUniformLocation(p.program, "u_data");
    p.u_mode = glGetUniformLocation(p.program, "u_mode");
    p.u_range = glGetUniformLocation(p.program, "u_range");
    p.u_size_px = glGetUniformLocation(p.program, "u_size_px");
    p.u_background = glGetUniformLocation(p.program, "u_background");
    p.u_special_bg = glGetUniformLocation(p.program, "u_special_bg");
    p.u_masked = glGetUniformLocation(p.program, "u_masked");
    return p;
  }();
  return shared;
}

}  // namespace

ColormapCanvas::~ColormapCanvas() {
  if (fbo_) glDeleteFramebuffers(1, &fbo_);
  if (target_tex_) glDeleteTextures(1, &target_tex_);
  if (data_tex_) glDeleteTextures(1, &data_tex_);
  if (vao_) glDeleteVertexArrays(1, &vao_);
}

const char* ColormapCanvas::error() const { return colormap_program().error.c_str(); }

bool ColormapCanvas::ensure_resources() {
  if (!colormap_program().program) return false;
  if (vao_) return true;
  glGenVertexArrays(1, &vao_);  // empty: the vertex shader makes its own triangle
  glGenTextures(1, &data_tex_);
  glGenTextures(1, &target_tex_);
  glGenFramebuffers(1, &fbo_);
  for (GLuint tex : {data_tex_, target_tex_}) {
    glBindTexture(GL_TEXTURE_2D, tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  }
  return true;
}

void ColormapCanvas::set_data(const float* values, const unsigned char* special, int rows, int cols) {
  std::vector<float> texels(static_cast<size_t>(rows) * cols * 2);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      texels[(static_cast<size_t>(r) * cols + c) * 2 + 0] = values[static_cast<size_t>(r) * cols + c];
      texels[(static_cast<size_t>(r) * cols + c) * 2 + 1] = special && special[c] ? 1.0f : 0.0f;
    }
  if (rows == rows_ && cols == cols_ && texels == staged_) return;
  staged_ = std::move(texels);
  rows_ = rows;
  cols_ = cols;
  dirty_ = true;
}

GLuint ColormapCanvas::render(Mode mode, int width, int height, float lo, float hi) {
  if (!ensure_resources() || rows_ == 0 || cols_ == 0 || width <= 0 || height <= 0) return 0;
  bool resized = width != width_ || height != height_;
  if (!dirty_ && !resized && mode == mode_ && lo == lo_ && hi == hi_) return target_tex_;

  glActiveTexture(GL_TEXTURE0);
  if (dirty_) {
    glBindTexture(GL_TEXTURE_2D, data_tex_);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RG32F, cols_, rows_, 0, GL_RG, GL_FLOAT, staged_.data());
  }
  if (resized) {
    glBindTexture(GL_TEXTURE_2D, target_tex_);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, target_tex_, 0);
  }
  glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
  glViewport(0, 0, width, height);
  glDisable(GL_BLEND);
  glDisable(GL_SCISSOR_TEST);
  const ColormapProgram& p = colormap_program();
  glUseProgram(p.program);
  glBindTexture(GL_TEXTURE_2D, data_tex_);
  glUniform1i(p.u_data, 0);
  glUniform1i(p.u_mode, static_cast<int>(mode));
  glUniform2f(p.u_range, lo, hi);
  glUniform2f(p.u_size_px, static_cast<float>(width), static_cast<float>(height));
  const Rgb bg = theme_colors().plot_background, special = theme_colors().special_background,
            masked = theme_colors().masked;
  glUniform3f(p.u_background, bg.r, bg.g, bg.b);
  glUniform3f(p.u_special_bg, special.r, special.g, special.b);
  glUniform3f(p.u_masked, masked.r, masked.g, masked.b);
  glBindVertexArray(vao_);
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
  glUseProgram(0);

  // Back to the screen. Nothing is read back (a glGet stalls a browser on the
  // GPU); the frame's renderer sets the viewport and the rest it needs.
  glBindFramebuffer(GL_FRAMEBUFFER, 0);

  width_ = width;
  height_ = height;
  mode_ = mode;
  lo_ = lo;
  hi_ = hi;
  dirty_ = false;
  note_texture_changed();
  return target_tex_;
}

}  // namespace attnlab
