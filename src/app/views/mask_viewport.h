// The part of the Pattern explorer's N x N mask that is on screen: a square
// of `span` positions whose top-left pair is (query0, key0). Zoom keeps the
// pair under the mouse where it is; pan and zoom stay inside the mask and
// show at least 16 x 16 pairs (or all N). Pure, so tests check it without a
// window (tests/app/test_mask_viewport.cpp).
#pragma once

namespace attnlab {

struct MaskViewport {
  static constexpr double kMinSpan = 16.0;  // the deepest zoom shows 16 x 16 pairs

  double query0 = 0, key0 = 0, span = 1;

  static MaskViewport fit(double N);                        // the whole mask
  static MaskViewport clamped(MaskViewport v, double N);    // inside the mask, kMinSpan to N wide
  // Zooms by `factor` (> 1: in) keeping the pair (query, key) where it is on screen.
  MaskViewport zoomed(double factor, double query, double key, double N) const;
  // Moves the view by (queries, keys) positions: a drag of -delta pixels x per pixel.
  MaskViewport panned(double queries, double keys, double N) const;
  bool operator==(const MaskViewport& o) const { return query0 == o.query0 && key0 == o.key0 && span == o.span; }
};

}  // namespace attnlab
