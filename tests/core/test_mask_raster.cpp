// The mask as a picture: pair kinds agree with AttentionMask::visible, and a
// raster of any viewport (zoomed out, one pair per pixel, zoomed in) equals
// the brute-force summary of the pairs under each pixel.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "core/patterns/mask_raster.h"
#include "pattern_masks.h"

namespace attnlab {
namespace {

using testing::many_masks;

TEST(MaskRaster, PairKindsFollowVisibility) {
  for (int N : {9, 20})
    for (const auto& c : many_masks(9))
      for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j) {
          const bool visible = c.mask.visible(i, j);
          ASSERT_EQ(pair_kind(c.mask, i, j) != PairKind::Masked, visible) << c.name << " (" << i << "," << j << ")";
          ASSERT_EQ(explain_pair(c.mask, i, j).rfind("Scored", 0) == 0, visible) << explain_pair(c.mask, i, j);
        }
}

TEST(MaskRaster, KindsNameTheRule) {
  AttentionMask m;
  m.causal = true;
  m.window = 2;
  m.extra_globals = 1;
  m.registers = 1;
  m.sinks = 1;  // G at 0, R at 1, sink at 2, tokens from 3
  EXPECT_EQ(pair_kind(m, 9, 0), PairKind::Global);
  EXPECT_EQ(pair_kind(m, 0, 9), PairKind::Global);
  EXPECT_EQ(pair_kind(m, 9, 1), PairKind::Register);
  EXPECT_EQ(pair_kind(m, 1, 9), PairKind::Masked);  // a causal register reads no token
  EXPECT_EQ(pair_kind(m, 9, 2), PairKind::Sink);
  EXPECT_EQ(pair_kind(m, 9, 7), PairKind::Ordinary);
  EXPECT_EQ(pair_kind(m, 9, 6), PairKind::Masked);  // outside the window
  EXPECT_EQ(pair_kind(m, 7, 9), PairKind::Masked);  // the future
  EXPECT_EQ(explain_pair(m, 9, 6), "Not scored: outside the window, |i - j| = 3 > w = 2.");
}

TEST(MaskRaster, PixelCellsCoverTheAxisOnceWhenZoomedOut) {
  for (double per_pixel : {1.0, 1.5, 2.0, 3.7})
    for (double origin : {0.0, 0.4, 5.0}) {
      const int N = 50;
      int expected = static_cast<int>(origin);
      for (int p = 0; p < 20; ++p) {
        const CellSpan s = pixel_cells(origin, per_pixel, p, N);
        if (s.begin >= N) break;
        EXPECT_EQ(s.begin, expected) << "per_pixel " << per_pixel << " origin " << origin << " pixel " << p;
        EXPECT_GT(s.end, s.begin);
        expected = s.end;
      }
    }
  // Zoomed in: one cell per pixel, the one under the pixel's edge; past N: empty.
  EXPECT_EQ(pixel_cells(3.0, 0.25, 5, 10).begin, 4);
  EXPECT_EQ(pixel_cells(3.0, 0.25, 5, 10).end, 5);
  EXPECT_EQ(pixel_cells(8.0, 1.0, 5, 10).begin, 10);
  EXPECT_EQ(pixel_cells(8.0, 1.0, 5, 10).end, 10);
}

// The highest kind of the pairs under each pixel, pair by pair.
std::vector<PairKind> brute_force_raster(const AttentionMask& m, int N, double q0, double k0, double s, int W, int H) {
  std::vector<PairKind> out(static_cast<size_t>(W) * H, PairKind::Masked);
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) {
      const CellSpan q = pixel_cells(q0, s, y, N), k = pixel_cells(k0, s, x, N);
      PairKind& cell = out[static_cast<size_t>(y) * W + x];
      for (int i = q.begin; i < q.end; ++i)
        for (int j = k.begin; j < k.end; ++j) cell = std::max(cell, pair_kind(m, i, j));
    }
  return out;
}

TEST(MaskRaster, AnyViewportEqualsTheBruteForceSummary) {
  struct Viewport {
    double q0, k0, per_pixel;
    int W, H;
  };
  const Viewport viewports[] = {
      {0, 0, 1.0, 37, 37},       // one pair per pixel
      {0, 0, 37.0 / 16, 16, 16},  // the whole mask, zoomed out
      {0, 0, 3.0, 13, 13},        // past the end: empty pixels
      {4.5, 10.25, 0.3, 40, 30},  // zoomed in, one pair spans several pixels
      {20, 2, 1.7, 9, 10},        // a zoomed-out corner
  };
  const int N = 37;
  for (const auto& c : many_masks(9))
    for (const Viewport& v : viewports)
      ASSERT_EQ(rasterize_mask(c.mask, N, v.q0, v.k0, v.per_pixel, v.W, v.H),
                brute_force_raster(c.mask, N, v.q0, v.k0, v.per_pixel, v.W, v.H))
          << c.name << " viewport at " << v.q0 << "," << v.k0 << " x" << v.per_pixel;
}

TEST(MaskRaster, LargeMasksStayCheap) {
  // 8192 positions on 512 x 512 pixels: the raster never walks the pairs, so
  // this takes milliseconds (a pair-by-pair summary would take ~67M checks).
  AttentionMask m;
  m.causal = false;
  m.window = 4;
  m.extra_globals = 2;
  const int N = 8192;
  const std::vector<PairKind> r = rasterize_mask(m, N, 0, 0, N / 512.0, 512, 512);
  EXPECT_EQ(r[0], PairKind::Global);                         // the global rows
  EXPECT_EQ(r[static_cast<size_t>(300) * 512 + 300], PairKind::Ordinary);  // the diagonal
  EXPECT_EQ(r[static_cast<size_t>(300) * 512 + 0], PairKind::Global);      // the global columns
  EXPECT_EQ(r[static_cast<size_t>(300) * 512 + 200], PairKind::Masked);    // far from the diagonal
}

}  // namespace
}  // namespace attnlab
