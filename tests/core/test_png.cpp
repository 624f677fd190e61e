// The PNG encoder: its files are well formed (signature, chunks, each
// chunk's CRC-32 computed here from the format's definition), a decoder reads
// back exactly the pixels that went in, and flat pictures compress.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/export/png.h"

// The decoder: stb_image, compiled here for the test only (PNG alone).
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#include <stb/stb_image.h>

namespace attnlab {
namespace {

// CRC-32 as PNG defines it (ISO 3309, polynomial 0xEDB88320, reflected).
uint32_t crc32(const std::string& bytes) {
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : bytes) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return c ^ 0xFFFFFFFFu;
}

uint32_t get32(const std::string& s, size_t at) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(s[at])) << 24) | (static_cast<uint8_t>(s[at + 1]) << 16) |
         (static_cast<uint8_t>(s[at + 2]) << 8) | static_cast<uint8_t>(s[at + 3]);
}

// Walks the chunks; returns their types in order, failing the test on a bad CRC.
std::vector<std::string> chunks(const std::string& png, int* w, int* h) {
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  std::vector<std::string> types;
  size_t at = 8;
  while (at + 12 <= png.size()) {
    const uint32_t len = get32(png, at);
    const std::string type = png.substr(at + 4, 4);
    EXPECT_EQ(get32(png, at + 8 + len), crc32(png.substr(at + 4, 4 + len))) << type;
    if (type == "IHDR") {
      *w = static_cast<int>(get32(png, at + 8));
      *h = static_cast<int>(get32(png, at + 12));
      EXPECT_EQ(png[at + 16], 8);  // bit depth
      EXPECT_EQ(png[at + 17], 6);  // RGBA
    }
    types.push_back(type);
    at += 12 + len;
  }
  EXPECT_EQ(at, png.size());
  return types;
}

std::vector<uint8_t> decode(const std::string& png, int* w, int* h) {
  int channels = 0;
  unsigned char* px = stbi_load_from_memory(reinterpret_cast<const unsigned char*>(png.data()),
                                            static_cast<int>(png.size()), w, h, &channels, 4);
  EXPECT_NE(px, nullptr) << stbi_failure_reason();
  if (!px) return {};
  std::vector<uint8_t> out(px, px + static_cast<size_t>(*w) * *h * 4);
  stbi_image_free(px);
  return out;
}

TEST(Png, TheChecksumIsPngs) {
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u);  // the standard check value
  EXPECT_EQ(crc32("IEND"), 0xAE426082u);       // every PNG ends with it
}

TEST(Png, WellFormedAndReadBackExactly) {
  for (const auto& [W, H] : std::vector<std::pair<int, int>>{{1, 1}, {3, 2}, {300, 221}}) {
    std::vector<uint8_t> img(static_cast<size_t>(W) * H * 4);
    for (size_t i = 0; i < img.size(); ++i) img[i] = static_cast<uint8_t>(i * 7 + i / 13);
    const std::string png = encode_png(img.data(), W, H);
    int w = 0, h = 0;
    const std::vector<std::string> types = chunks(png, &w, &h);
    ASSERT_GE(types.size(), 3u);
    EXPECT_EQ(types.front(), "IHDR");
    EXPECT_EQ(types.back(), "IEND");
    EXPECT_EQ(w, W);
    EXPECT_EQ(h, H);
    int dw = 0, dh = 0;
    EXPECT_EQ(decode(png, &dw, &dh), img) << W << "x" << H;
    EXPECT_EQ(dw, W);
    EXPECT_EQ(dh, H);
  }
}

TEST(Png, FlatPicturesCompress) {
  // A heatmap-like picture: 16 x 16 cells of one colour each, 512 x 512 pixels.
  const int W = 512, H = 512;
  std::vector<uint8_t> img(static_cast<size_t>(W) * H * 4);
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) {
      uint8_t* p = &img[(static_cast<size_t>(y) * W + x) * 4];
      const int cell = (y / 32) * 16 + x / 32;
      p[0] = static_cast<uint8_t>(cell * 37), p[1] = static_cast<uint8_t>(cell * 11), p[2] = 200, p[3] = 255;
    }
  const std::string png = encode_png(img.data(), W, H);
  EXPECT_LT(png.size(), img.size() / 20) << "stored blocks would take " << img.size() << " bytes";
  int w = 0, h = 0;
  EXPECT_EQ(decode(png, &w, &h), img);
}

TEST(Png, EmptyImagesGiveNoFile) {
  EXPECT_EQ(encode_png(nullptr, 0, 5), "");
  EXPECT_EQ(encode_png(nullptr, 5, 0), "");
}

}  // namespace
}  // namespace attnlab
