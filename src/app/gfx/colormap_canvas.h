// Draws a grid of values through shaders/colormap.frag into a texture that an
// ImGui::Image shows. Used for the sandbox's bars and the attention heatmaps.
// Re-renders only when the data, the mode or the pixel size changed.
#pragma once

#include <string>
#include <vector>

#include "app/gfx/gl.h"

namespace attnlab {

class ColormapCanvas {
 public:
  enum class Mode { Heatmap = 0, Bars = 1 };

  ColormapCanvas() = default;
  ColormapCanvas(const ColormapCanvas&) = delete;
  ColormapCanvas& operator=(const ColormapCanvas&) = delete;
  ~ColormapCanvas();

  // values: [rows * cols], row-major, row 0 at the top; a negative value
  // marks a masked cell. special: [cols] or null; nonzero marks a column as a
  // global/sink/register token (drawn on a different background).
  void set_data(const float* values, const unsigned char* special, int rows, int cols);

  // Renders at width x height pixels (if anything changed) and returns the
  // texture. Returns 0 if the shader failed to build (see error()).
  GLuint render(Mode mode, int width, int height, float lo, float hi);

  const char* error() const;

 private:
  bool ensure_resources();

  GLuint vao_ = 0, data_tex_ = 0, target_tex_ = 0, fbo_ = 0;
  std::vector<float> staged_;  // [rows * cols * 2] RG texels
  int rows_ = 0, cols_ = 0;
  int width_ = 0, height_ = 0;
  Mode mode_ = Mode::Heatmap;
  float lo_ = 0, hi_ = 0;
  bool dirty_ = true;
};

}  // namespace attnlab
