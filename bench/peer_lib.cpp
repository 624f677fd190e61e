// Our side of bench/peers/peers.mjs: the attention forward of the core,
// exported to JavaScript so that node can time it in the same process as the
// peers (onnxruntime-web, tfjs-backend-wasm), on the same data.
#include <emscripten.h>

#include <vector>

#include "core/kernels/attention.h"

namespace {

attnlab::AttentionSpec g_spec;
int g_N = 0;
std::vector<float> g_qkv, g_out, g_lse;

}  // namespace

extern "C" {

// Allocates qkv [N, 3C] (filled by JS through attention_qkv()), out [N, C].
EMSCRIPTEN_KEEPALIVE void attention_setup(int heads, int n, int d, int causal) {
  g_spec = attnlab::AttentionSpec{};
  g_spec.heads = heads;
  g_spec.head_dim = d;
  g_spec.mask.causal = causal != 0;
  g_N = n;
  g_qkv.assign(static_cast<size_t>(n) * 3 * heads * d, 0.0f);
  g_out.assign(static_cast<size_t>(n) * heads * d, 0.0f);
  g_lse.assign(static_cast<size_t>(heads) * n, 0.0f);
}

EMSCRIPTEN_KEEPALIVE float* attention_qkv() { return g_qkv.data(); }
EMSCRIPTEN_KEEPALIVE float* attention_out() { return g_out.data(); }

EMSCRIPTEN_KEEPALIVE void attention_run() {
  attnlab::attention_forward(g_out.data(), g_lse.data(), nullptr, g_qkv.data(), nullptr, g_spec, 1, g_N);
}

}  // extern "C"
