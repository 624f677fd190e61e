// The PNG encoder: known checksums, and a decoder written here from the
// format's definition reads back exactly the pixels that went in.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/export/png.h"

namespace attnlab {
namespace {

uint32_t get32(const std::string& s, size_t at) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(s[at])) << 24) | (static_cast<uint8_t>(s[at + 1]) << 16) |
         (static_cast<uint8_t>(s[at + 2]) << 8) | static_cast<uint8_t>(s[at + 3]);
}

// Reads a PNG of stored deflate blocks back into RGBA; fails the test on any
// bad checksum or structure.
std::vector<uint8_t> decode(const std::string& png, int* w, int* h) {
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  std::string idat;
  size_t at = 8;
  while (at + 12 <= png.size()) {
    const uint32_t len = get32(png, at);
    const std::string type = png.substr(at + 4, 4);
    const std::string body = png.substr(at + 4, 4 + len);
    EXPECT_EQ(get32(png, at + 8 + len), crc32(reinterpret_cast<const uint8_t*>(body.data()), body.size())) << type;
    if (type == "IHDR") {
      *w = static_cast<int>(get32(png, at + 8));
      *h = static_cast<int>(get32(png, at + 12));
      EXPECT_EQ(png[at + 16], 8);  // bit depth
      EXPECT_EQ(png[at + 17], 6);  // RGBA
    }
    if (type == "IDAT") idat += png.substr(at + 8, len);
    at += 12 + len;
  }
  EXPECT_EQ(at, png.size());
  EXPECT_EQ((static_cast<uint8_t>(idat[0]) * 256 + static_cast<uint8_t>(idat[1])) % 31, 0);  // zlib header check
  std::string raw;
  size_t p = 2;
  for (;;) {
    const bool last = idat[p] & 1;
    const size_t n = static_cast<uint8_t>(idat[p + 1]) | (static_cast<uint8_t>(idat[p + 2]) << 8);
    const size_t nn = static_cast<uint8_t>(idat[p + 3]) | (static_cast<uint8_t>(idat[p + 4]) << 8);
    EXPECT_EQ(n ^ 0xFFFF, nn);
    raw += idat.substr(p + 5, n);
    p += 5 + n;
    if (last) break;
  }
  EXPECT_EQ(get32(idat, p), adler32(reinterpret_cast<const uint8_t*>(raw.data()), raw.size()));
  std::vector<uint8_t> rgba;
  const size_t row = static_cast<size_t>(*w) * 4;
  EXPECT_EQ(raw.size(), (row + 1) * *h);
  for (int y = 0; y < *h; ++y) {
    EXPECT_EQ(raw[y * (row + 1)], 0);  // filter: none
    rgba.insert(rgba.end(), raw.begin() + y * (row + 1) + 1, raw.begin() + (y + 1) * (row + 1));
  }
  return rgba;
}

TEST(Png, KnownChecksums) {
  const char* digits = "123456789";
  EXPECT_EQ(crc32(reinterpret_cast<const uint8_t*>(digits), 9), 0xCBF43926u);
  const char* wiki = "Wikipedia";
  EXPECT_EQ(adler32(reinterpret_cast<const uint8_t*>(wiki), 9), 0x11E60398u);
}

TEST(Png, RoundTripsSmallAndMultiBlockImages) {
  for (const auto& [W, H] : std::vector<std::pair<int, int>>{{1, 1}, {3, 2}, {300, 221}}) {
    std::vector<uint8_t> img(static_cast<size_t>(W) * H * 4);
    for (size_t i = 0; i < img.size(); ++i) img[i] = static_cast<uint8_t>(i * 7 + i / 13);
    const std::string png = encode_png(img.data(), W, H);
    int w = 0, h = 0;
    EXPECT_EQ(decode(png, &w, &h), img) << W << "x" << H;
    EXPECT_EQ(w, W);
    EXPECT_EQ(h, H);
  }
}

}  // namespace
}  // namespace attnlab
