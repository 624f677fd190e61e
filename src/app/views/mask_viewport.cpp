#include "app/views/mask_viewport.h"

#include <algorithm>

namespace attnlab {

MaskViewport MaskViewport::fit(double N) { return {0.0, 0.0, N}; }

MaskViewport MaskViewport::clamped(MaskViewport v, double N) {
  v.span = std::clamp(v.span, std::min(N, kMinSpan), N);
  v.query0 = std::clamp(v.query0, 0.0, N - v.span);
  v.key0 = std::clamp(v.key0, 0.0, N - v.span);
  return v;
}

// Written with one scalar `keep`, on values, and returned once: Emscripten
// 3.1.6 (LLVM 14) at -O2 and up with -msimd128 miscompiled the obvious
// field-by-field version (its SLP vectorizer re-read span after storing the
// new one), so zooming jumped to the top-left corner. The browser test checks
// that the pair under the mouse stays put; the unit test checks the algebra.
MaskViewport MaskViewport::zoomed(double factor, double query, double key, double N) const {
  const double new_span = clamped({0.0, 0.0, span / factor}, N).span;
  const double keep = new_span / span;  // how much of the old view the new one shows
  return clamped({query - (query - query0) * keep, key - (key - key0) * keep, new_span}, N);
}

MaskViewport MaskViewport::panned(double queries, double keys, double N) const {
  return clamped({query0 + queries, key0 + keys, span}, N);
}

}  // namespace attnlab
