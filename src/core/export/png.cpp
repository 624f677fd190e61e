#include "core/export/png.h"

#include <cstdlib>

// The one translation unit that compiles stb_image_write, with its functions
// static (no symbol can clash) and without its stdio file writers.
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#define STBI_WRITE_NO_STDIO
#include <stb/stb_image_write.h>

namespace attnlab {

std::string encode_png(const uint8_t* rgba, int width, int height) {
  if (width <= 0 || height <= 0) return "";
  int size = 0;
  unsigned char* png = stbi_write_png_to_mem(rgba, width * 4, width, height, 4, &size);
  if (!png) return "";
  std::string out(reinterpret_cast<const char*>(png), static_cast<size_t>(size));
  STBIW_FREE(png);
  return out;
}

}  // namespace attnlab
