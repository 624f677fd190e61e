// A PNG encoder small enough to read in one sitting, for "export the heatmap
// as PNG": 8-bit RGBA, one IDAT of stored (uncompressed) deflate blocks. The
// files are larger than a compressing encoder's, but any viewer opens them
// and nothing is bundled.
#pragma once

#include <cstdint>
#include <string>

namespace attnlab {

// rgba: [height, width, 4], rows top to bottom. Returns the file's bytes.
std::string encode_png(const uint8_t* rgba, int width, int height);

// CRC-32 (ISO 3309, as PNG uses) and Adler-32 (zlib), exposed for the tests.
uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc = 0);
uint32_t adler32(const uint8_t* data, size_t size);

}  // namespace attnlab
