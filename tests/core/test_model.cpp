// The transformer end to end: its gradient against central differences for
// several attention variants, and the bookkeeping around it (layout,
// reconfiguration, memory estimate).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/model/model.h"
#include "testing.h"

namespace attnlab {
namespace {

struct Tiny {
  ModelConfig config;
  int vocab = 7, length = 6, B = 2;
  std::vector<int> tokens, targets;
  Tiny() {
    config.layers = 2;
    config.heads = 2;
    config.width = 8;
    Rng rng(5);
    for (int i = 0; i < B * length; ++i) {
      tokens.push_back(rng.below(vocab));
      targets.push_back(i % 3 == 0 ? -1 : rng.below(vocab));  // some positions have no target
    }
  }
};

// Model-level gradient check: every parameter tensor, a few entries each,
// against central differences of the float forward pass. The kernels are
// checked one by one (in double) elsewhere; this checks that the model wires
// their gradients together correctly.
void check_model_gradient(const ModelConfig& config, const char* name) {
  Tiny t;
  t.config = config;
  Model model(t.config, t.vocab, t.length);
  Rng rng(11);
  model.init(&rng);
  model.forward(t.tokens.data(), t.targets.data(), t.B);
  model.zero_grad();
  model.backward();
  const std::vector<float> grads = model.grad_data();
  std::vector<float>& params = model.param_data();
  int checked = 0;
  for (const TensorInfo& info : model.tensors()) {
    for (size_t k = 0; k < std::min<size_t>(info.size, 4); ++k) {
      const size_t i = info.offset + (k * 7919) % info.size;
      const float keep = params[i];
      const double h = 1e-2;
      params[i] = keep + h;
      const double plus = model.forward(t.tokens.data(), t.targets.data(), t.B);
      params[i] = keep - h;
      const double minus = model.forward(t.tokens.data(), t.targets.data(), t.B);
      params[i] = keep;
      const double numeric = (plus - minus) / (2 * h);
      EXPECT_NEAR(grads[i], numeric, 3e-3 + 3e-2 * std::fabs(numeric)) << name << ": " << info.name << "[" << (i - info.offset) << "]";
      ++checked;
    }
  }
  EXPECT_GT(checked, 40) << name;
}

TEST(Model, GradientMatchesCentralDifferences) {
  Tiny t;
  ModelConfig c = t.config;
  check_model_gradient(c, "plain bidirectional, learned positions");
  c.causal = true;
  c.positions = "rope";
  c.registers = 1;
  c.sink_logit = true;
  check_model_gradient(c, "causal, rope, a register, sink logit");
  c.positions = "none";
  check_model_gradient(c, "causal, no position information, a register, sink logit");
  c = t.config;
  c.window = 1;
  c.globals = 2;
  c.softmax1 = true;
  c.softcap = 2.0f;
  check_model_gradient(c, "window 1, 2 globals, softmax1, soft-cap");
  c = t.config;
  c.causal = true;
  c.sinks = 1;
  c.window = 2;
  c.qk_norm = true;
  c.logit_scale = 3.0f;
  check_model_gradient(c, "causal window 2, a sink, qk-norm, logit scale 3");
}

TEST(Model, LayoutHasEveryTensorOnce) {
  Tiny t;
  t.config.globals = 3;
  t.config.sink_logit = true;
  Model model(t.config, t.vocab, t.length);
  size_t total = 0;
  for (const TensorInfo& info : model.tensors()) total += info.size;
  EXPECT_EQ(total, model.num_params());
  EXPECT_EQ(model.prefix(), 3);
  EXPECT_EQ(model.seq(), 9);
  EXPECT_NE(model.params().wprefix, nullptr);
  EXPECT_NE(model.params().layers[1].sink, nullptr);
  EXPECT_EQ(model.params().wpe, model.param_data().data() + model.tensors()[1].offset);
}

TEST(Model, ReconfigureKeepsSharedWeightsAndGrowsThePrefix) {
  Tiny t;
  Model model(t.config, t.vocab, t.length);
  Rng rng(3);
  model.init(&rng);
  const std::vector<float> qkv(model.params().layers[0].qkvw,
                               model.params().layers[0].qkvw + 8 * 24);
  ModelConfig more = t.config;
  more.globals = 2;
  more.sink_logit = true;
  model.reconfigure(more, &rng);
  EXPECT_EQ(model.prefix(), 2);
  EXPECT_EQ(std::vector<float>(model.params().layers[0].qkvw, model.params().layers[0].qkvw + 8 * 24), qkv);
  EXPECT_NE(model.params().wprefix, nullptr);
  EXPECT_EQ(model.params().layers[0].sink[0], 0.0f);  // new sink logits start at 0
  // It still trains: forward and backward run on the new layout.
  const float loss = model.forward(t.tokens.data(), t.targets.data(), t.B);
  EXPECT_TRUE(std::isfinite(loss));
  model.zero_grad();
  model.backward();
  EXPECT_EQ(model.first_nonfinite_grad(), "");
}

TEST(Model, InitialLossIsNearUniform) {
  // The head starts small, so the first loss is close to ln(vocab).
  Tiny t;
  Model model(t.config, t.vocab, t.length);
  Rng rng(9);
  model.init(&rng);
  const float loss = model.forward(t.tokens.data(), t.targets.data(), t.B);
  EXPECT_NEAR(loss, std::log(7.0), 0.6);
}

}  // namespace
}  // namespace attnlab
