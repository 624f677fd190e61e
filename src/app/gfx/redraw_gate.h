// Draw a frame only when its picture differs from the one on screen.
//
// Why: without a GPU (SwiftShader in headless Chromium, or a browser that
// fell back to software GL on a classroom PC) filling one 1280x720 screen of
// blended pixels takes about 12 ms, and our UI covers about two screens of
// them. Redrawing an unchanged UI 60 times a second would spend every frame
// on pixels that are already there. The browser keeps showing the last frame
// a WebGL canvas presented, so a frame that does not draw costs nothing.
//
// How: the gate keeps a copy of the last drawn frame's draw lists (vertices,
// indices, commands, clip rects, textures) and compares this frame's with it.
// Texture contents are not in the draw lists, so whoever re-renders a texture
// that the UI shows (heatmaps, the font atlas) calls note_texture_changed().
#pragma once

#include <vector>

#include "imgui.h"

namespace attnlab {

// Marks every texture the UI samples as possibly changed: the next frame draws.
void note_texture_changed();

class RedrawGate {
 public:
  // True if this frame must be drawn: its draw lists, framebuffer size or
  // textures changed since the last frame for which this returned true, or a
  // draw command runs a callback whose output the gate cannot see.
  bool should_draw(const ImDrawData* data, int fb_width, int fb_height);

 private:
  std::vector<unsigned char> last_, current_;  // serialized draw lists
  unsigned long long texture_generation_ = ~0ull;
};

}  // namespace attnlab
