#include "core/lab/attention_view.h"

#include <algorithm>

namespace attnlab {

float attention_row(std::vector<float>* out, const Model& model, int b, int layer, int head, int query) {
  const int N = model.seq();
  out->assign(N, 0.0f);
  const LayerActs& a = model.layer_acts(layer);
  return attention_row_weights(out->data(), a.qkv, a.lse, model.sink_logits(layer), model.spec(), N, b, head, query);
}

void attention_image(AttentionImage* out, const Model& model, int b, int layer, int head, int max_side) {
  const int N = model.seq();
  const AttentionMask& mask = model.spec().mask;
  out->n = N;
  out->block = std::max(1, (N + max_side - 1) / max_side);
  out->side = (N + out->block - 1) / out->block;
  const int side = out->side, k = out->block;
  out->weights.assign(static_cast<size_t>(side) * side, 0.0f);
  out->extra.assign(side, 0.0f);
  std::vector<int> visible_count(static_cast<size_t>(side) * side, 0);
  std::vector<float> row;
  for (int i = 0; i < N; ++i) {
    const float extra = attention_row(&row, model, b, layer, head, i);
    const int ri = i / k;
    out->extra[ri] += extra / k;
    for (int j = 0; j < N; ++j) {
      const size_t cell = static_cast<size_t>(ri) * side + j / k;
      out->weights[cell] += row[j];
      visible_count[cell] += mask.visible(i, j);
    }
  }
  // Mean over the pairs of a cell; a cell with no visible pair is "masked".
  for (size_t c = 0; c < out->weights.size(); ++c)
    out->weights[c] = visible_count[c] == 0 ? -1.0f : out->weights[c] / (static_cast<float>(k) * k);
}

}  // namespace attnlab
