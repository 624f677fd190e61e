// The Pattern explorer's zoom and pan (app/views/mask_viewport.h).
#include <gtest/gtest.h>

#include <cmath>

#include "app/views/mask_viewport.h"

namespace attnlab {
namespace {

TEST(MaskViewport, FitShowsTheWholeMask) {
  const MaskViewport v = MaskViewport::fit(256);
  EXPECT_EQ(v.query0, 0);
  EXPECT_EQ(v.key0, 0);
  EXPECT_EQ(v.span, 256);
}

TEST(MaskViewport, ZoomKeepsThePairUnderTheMouseInPlace) {
  const double N = 8192;
  MaskViewport v = MaskViewport::fit(N);
  // The pair (3000, 5000) sits at these fractions of the square.
  const double fq = (3000 - v.query0) / v.span, fk = (5000 - v.key0) / v.span;
  for (int i = 0; i < 10; ++i) {
    v = v.zoomed(1.25, v.query0 + fq * v.span, v.key0 + fk * v.span, N);
    EXPECT_NEAR((3000 - v.query0) / v.span, fq, 1e-9) << "step " << i;
    EXPECT_NEAR((5000 - v.key0) / v.span, fk, 1e-9) << "step " << i;
  }
  EXPECT_NEAR(v.span, N / std::pow(1.25, 10), 1e-6);
}

TEST(MaskViewport, ZoomStopsAtSixteenPairsAndAtTheWholeMask) {
  const double N = 1024;
  MaskViewport v = MaskViewport::fit(N);
  for (int i = 0; i < 100; ++i) v = v.zoomed(2.0, 500, 500, N);
  EXPECT_EQ(v.span, MaskViewport::kMinSpan);
  for (int i = 0; i < 100; ++i) v = v.zoomed(0.5, 500, 500, N);
  EXPECT_EQ(v, MaskViewport::fit(N));
  // A mask smaller than the deepest zoom shows all of itself.
  EXPECT_EQ(MaskViewport::fit(8).zoomed(4.0, 2, 2, 8).span, 8);
}

TEST(MaskViewport, PanStaysInsideTheMask) {
  const double N = 1000;
  MaskViewport v = MaskViewport::fit(N).zoomed(10.0, 500, 500, N);
  ASSERT_NEAR(v.span, 100, 1e-9);
  const MaskViewport moved = v.panned(30, -20, N);
  EXPECT_NEAR(moved.query0, v.query0 + 30, 1e-9);
  EXPECT_NEAR(moved.key0, v.key0 - 20, 1e-9);
  const MaskViewport far = v.panned(1e6, -1e6, N);
  EXPECT_EQ(far.query0, N - v.span);
  EXPECT_EQ(far.key0, 0);
  EXPECT_EQ(far.span, v.span);
}

}  // namespace
}  // namespace attnlab
