// Attention weights for display: the full matrix of one layer and head on one
// probe sequence (for the heatmap), downsampled when the sequence is long.
#pragma once

#include <vector>

#include "core/model/model.h"

namespace attnlab {

struct AttentionImage {
  int n = 0;            // sequence length (N, including prefix tokens)
  int side = 0;         // cells per side of the image (n, or n / block)
  int block = 1;        // each cell covers block x block query-key pairs (their mean)
  std::vector<float> weights;  // [side, side] row-major, row = query; masked-only cells are -1
  std::vector<float> extra;    // [side] weight on the softmax1 / sink-logit key, per (block of) query rows
};

// After model.forward() on a batch whose sequence b is the one to show.
void attention_image(AttentionImage* out, const Model& model, int b, int layer, int head, int max_side);

// One query row of one layer and head: weights [N] (masked keys 0); returns
// the extra key's weight.
float attention_row(std::vector<float>* out, const Model& model, int b, int layer, int head, int query);

}  // namespace attnlab
