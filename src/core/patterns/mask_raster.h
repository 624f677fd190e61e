// The attention mask as a picture: why each (query, key) pair is scored or
// not, and any rectangle of the N x N mask drawn at screen resolution without
// walking its N^2 pairs (so N = 8192 pans and zooms interactively).
//
// Pixel (x, y) of a raster covers the queries pixel_cells(query0, per_pixel,
// y) and the keys pixel_cells(key0, per_pixel, x): a block of pairs when
// zoomed out (per_pixel > 1), one pair when zoomed in. Its kind is the
// highest of its pairs' kinds in the order of PairKind, so a lone global
// column or a thin window still shows at any zoom; Masked means that no pair
// under the pixel is scored.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/kernels/attention_mask.h"

namespace attnlab {

// Why a pair is scored; ordered from least to most special.
enum class PairKind : std::uint8_t {
  Masked = 0,  // not scored
  Ordinary,    // inside the window (or full attention), not in the future if causal
  Sink,        // the key is a sink position
  Register,    // the query or the key is a register token
  Global,      // the query or the key is a global token
};

// The kind of (query i, key j), following the mask's rules in their order
// (attention_mask.h): kind != Masked exactly when mask.visible(i, j).
PairKind pair_kind(const AttentionMask& mask, int i, int j);

// One sentence for a student: whether (i, j) is scored, and which rule decides.
std::string explain_pair(const AttentionMask& mask, int i, int j);

// Cells [begin, end) under one pixel of an axis starting at cell `origin`
// with `per_pixel` cells per pixel: at least one cell (the one under the
// pixel's left/top edge when zoomed in); empty (begin = end = N) past N.
struct CellSpan {
  int begin = 0, end = 0;
};
CellSpan pixel_cells(double origin, double per_pixel, int pixel, int N);

// [height * width] kinds, row-major, row 0 = the top (queries from query0).
// O(height * (width + ranges * log width)) for a few ranges per row.
std::vector<PairKind> rasterize_mask(const AttentionMask& mask, int N, double query0, double key0,
                                     double per_pixel, int width, int height);

}  // namespace attnlab
