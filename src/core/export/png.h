// PNG files for the exports (heatmaps, plots, the mask, the sandbox bars):
// 8-bit RGBA, filtered and deflate-compressed by stb_image_write (Debian's
// libstb-dev; public domain or MIT, see THIRD_PARTY_NOTICES.md). A picture
// of flat colour regions, as the app's are, takes a few percent of its raw
// 4 bytes a pixel.
#pragma once

#include <cstdint>
#include <string>

namespace attnlab {

// rgba: [height, width, 4], rows top to bottom. Returns the file's bytes
// ("" if the image is empty or the encoder ran out of memory).
std::string encode_png(const uint8_t* rgba, int width, int height);

}  // namespace attnlab
