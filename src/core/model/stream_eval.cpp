#include "core/model/stream_eval.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/kernels/gelu.h"
#include "core/kernels/layernorm.h"
#include "core/kernels/linear.h"
#include "core/kernels/rope.h"

namespace attnlab {

std::string stream_eval_problem(const Model& model, const StreamCache& cache) {
  const ModelConfig& c = model.config();
  if (!c.causal) return "the model must be causal";
  if (c.window >= 0) return "the model must use full attention (model.window -1): the cache is the window";
  if (c.globals > 0) return "global tokens see the future; a streaming model cannot have them";
  if (cache.keep_first < 0 || cache.recent < 1) return "the cache needs S >= 0 and R >= 1";
  if (cache.keep_first + cache.recent > model.length())
    return "S + R (" + std::to_string(cache.keep_first + cache.recent) + ") must not exceed the training length " +
           std::to_string(model.length());
  return "";
}

namespace {

// One stream through the model, a token at a time, with a rolling cache.
class Decoder {
 public:
  Decoder(const Model& m, const StreamCache& cache) : m_(m), cache_(cache) {
    const ModelConfig& c = m.config();
    C_ = c.width;
    H_ = c.heads;
    d_ = C_ / H_;
    L_ = c.layers;
    k_.resize(L_);
    v_.resize(L_);
    x_.resize(C_);
    ln_.resize(C_);
    qkv_.resize(3 * C_);
    att_.resize(C_);
    tmp_.resize(4 * C_);
    hid_.resize(4 * C_);
    hid_gelu_.resize(4 * C_);
  }

  // Feeds one stream item (a prefix token if token < 0, with its prefix index);
  // returns the logits [V] of the next token (empty for prefix tokens).
  const std::vector<float>& feed(int token, int prefix_index) {
    const ParamViews& w = m_.params();
    // Make room: evict the oldest entry that is not among the first S.
    if (static_cast<int>(entries_.size()) >= cache_.keep_first + cache_.recent) evict(cache_.keep_first);
    const bool is_prefix = token < 0;
    int position = 0;  // among the token entries of the cache
    for (const Entry& e : entries_) position += !e.prefix;
    if (is_prefix) {
      std::copy_n(w.wprefix + static_cast<size_t>(prefix_index) * C_, C_, x_.data());
    } else {
      const float* e = w.wte + static_cast<size_t>(token) * C_;
      for (int c = 0; c < C_; ++c) x_[c] = e[c] + (w.wpe ? w.wpe[static_cast<size_t>(position) * C_ + c] : 0.0f);
    }
    entries_.push_back({is_prefix, stream_index_++});
    const int E = static_cast<int>(entries_.size());
    const AttentionSpec& spec = m_.spec();
    const bool rope = m_.config().positions == "rope";

    for (int l = 0; l < L_; ++l) {
      const LayerParams& lp = w.layers[l];
      float mean, rstd;
      layernorm_forward(ln_.data(), &mean, &rstd, x_.data(), lp.ln1w, lp.ln1b, 1, C_);
      linear_forward(qkv_.data(), ln_.data(), lp.qkvw, lp.qkvb, 1, C_, 3 * C_);
      // Cache this entry's raw k and v.
      k_[l].insert(k_[l].end(), qkv_.begin() + C_, qkv_.begin() + 2 * C_);
      v_[l].insert(v_[l].end(), qkv_.begin() + 2 * C_, qkv_.end());
      // Rotate q and every cached key by their current cache positions.
      keys_.assign(static_cast<size_t>(E) * 3 * C_, 0.0f);
      positions_.assign(E, -1);
      int t = 0;
      for (int j = 0; j < E; ++j) {
        std::copy_n(&k_[l][static_cast<size_t>(j) * C_], C_, &keys_[static_cast<size_t>(j) * 3 * C_ + C_]);
        positions_[j] = entries_[j].prefix ? -1 : t++;
      }
      std::copy_n(qkv_.data(), C_, &keys_[static_cast<size_t>(E - 1) * 3 * C_]);  // q rides on the last row
      if (rope) rope_forward(keys_.data(), positions_.data(), Model::kRopeBase, 1, E, H_, d_);
      const float* q = &keys_[static_cast<size_t>(E - 1) * 3 * C_];
      for (int h = 0; h < H_; ++h) attend(l, h, q + h * d_, E, spec, lp);
      // x += proj(att); x += fc2(gelu(fc(ln2(x))))
      linear_forward(tmp_.data(), att_.data(), lp.projw, lp.projb, 1, C_, C_);
      for (int c = 0; c < C_; ++c) x_[c] += tmp_[c];
      layernorm_forward(ln_.data(), &mean, &rstd, x_.data(), lp.ln2w, lp.ln2b, 1, C_);
      linear_forward(hid_.data(), ln_.data(), lp.fcw, lp.fcb, 1, C_, 4 * C_);
      gelu_forward(hid_gelu_.data(), nullptr, hid_.data(), 4 * C_);
      linear_forward(tmp_.data(), hid_gelu_.data(), lp.fc2w, lp.fc2b, 1, 4 * C_, C_);
      for (int c = 0; c < C_; ++c) x_[c] += tmp_[c];
    }
    logits_.clear();
    if (is_prefix) return logits_;
    float mean, rstd;
    layernorm_forward(ln_.data(), &mean, &rstd, x_.data(), w.lnfw, w.lnfb, 1, C_);
    logits_.resize(m_.vocab());
    linear_forward(logits_.data(), ln_.data(), w.headw, w.headb, 1, C_, m_.vocab());
    return logits_;
  }

  double first_mass_sum = 0.0;  // attention on the stream's first item, summed over (token, layer, head)
  long long first_mass_count = 0;

 private:
  struct Entry {
    bool prefix;
    int stream_index;
  };

  void evict(int index) {
    entries_.erase(entries_.begin() + index);
    for (int l = 0; l < L_; ++l) {
      k_[l].erase(k_[l].begin() + static_cast<size_t>(index) * C_, k_[l].begin() + static_cast<size_t>(index + 1) * C_);
      v_[l].erase(v_[l].begin() + static_cast<size_t>(index) * C_, v_[l].begin() + static_cast<size_t>(index + 1) * C_);
    }
  }

  // att_[head h] = sum_j p_j v_j over the E cached entries (the same softmax
  // variant as attention_forward).
  void attend(int l, int h, const float* q_rot, int E, const AttentionSpec& spec, const LayerParams& lp) {
    std::vector<float> qh(q_rot, q_rot + d_);
    auto normalize = [&](float* x) {
      double ss = 0;
      for (int c = 0; c < d_; ++c) ss += static_cast<double>(x[c]) * x[c];
      const float inv = static_cast<float>(1.0 / std::sqrt(ss / d_ + 1e-6));
      for (int c = 0; c < d_; ++c) x[c] *= inv;
    };
    if (spec.qk_norm) normalize(qh.data());
    const float scale = spec.logit_scale();
    scores_.resize(E);
    std::vector<float> kh(d_);
    for (int j = 0; j < E; ++j) {
      std::copy_n(&keys_[static_cast<size_t>(j) * 3 * C_ + C_ + h * d_], d_, kh.data());
      if (spec.qk_norm) normalize(kh.data());
      double dot = 0;
      for (int c = 0; c < d_; ++c) dot += static_cast<double>(qh[c]) * kh[c];
      float s = scale * static_cast<float>(dot);
      if (spec.softcap > 0) s = spec.softcap * std::tanh(s / spec.softcap);
      scores_[j] = s;
    }
    const bool has_extra = spec.softmax1 || spec.sink_logit;
    const float extra = spec.sink_logit ? lp.sink[h] : 0.0f;
    float mx = has_extra ? extra : -INFINITY;
    for (float s : scores_) mx = std::max(mx, s);
    double z = has_extra ? std::exp(static_cast<double>(extra - mx)) : 0.0;
    for (float& s : scores_) z += (s = static_cast<float>(std::exp(static_cast<double>(s - mx))));
    float* out = att_.data() + h * d_;
    std::fill(out, out + d_, 0.0f);
    for (int j = 0; j < E; ++j) {
      const float p = static_cast<float>(scores_[j] / z);
      const float* vj = &v_[l][static_cast<size_t>(j) * C_ + h * d_];
      for (int c = 0; c < d_; ++c) out[c] += p * vj[c];
    }
    if (entries_[0].stream_index == 0 && E > 1) {
      first_mass_sum += scores_[0] / z;
      ++first_mass_count;
    }
  }

  const Model& m_;
  StreamCache cache_;
  int C_, H_, d_, L_;
  int stream_index_ = 0;
  std::vector<Entry> entries_;
  std::vector<std::vector<float>> k_, v_;  // [L][entries, C] raw keys and values
  std::vector<float> x_, ln_, qkv_, att_, tmp_, hid_, hid_gelu_, keys_, scores_, logits_;
  std::vector<int> positions_;
};

double next_token_loss(const std::vector<float>& logits, int target) {
  const float mx = *std::max_element(logits.begin(), logits.end());
  double z = 0;
  for (float x : logits) z += std::exp(static_cast<double>(x - mx));
  return std::log(z) - (logits[target] - mx);
}

}  // namespace

void stream_losses(std::vector<double>* losses, double* first_mass, const Model& model, const StreamCache& cache,
                   const std::vector<int>& tokens) {
  Decoder dec(model, cache);
  for (int p = 0; p < model.prefix(); ++p) dec.feed(-1, p);
  losses->clear();
  for (size_t t = 0; t + 1 < tokens.size(); ++t) losses->push_back(next_token_loss(dec.feed(tokens[t], 0), tokens[t + 1]));
  if (first_mass) *first_mass = dec.first_mass_count ? dec.first_mass_sum / dec.first_mass_count : 0.0;
}

StreamEvalResult stream_eval(const Model& model, const Task& task, const StreamCache& cache, int length,
                             int streams, Rng* rng) {
  StreamEvalResult r;
  r.cache = cache;
  const int bins = 16;
  r.bin_width = std::max(1, (length - 1 + bins - 1) / bins);
  std::vector<double> bin_sum(bins, 0.0), bin_count(bins, 0.0);
  double sum = 0, count = 0, sum_all = 0, count_all = 0, first = 0;
  const int window = cache.keep_first + cache.recent;
  std::vector<int> tokens;
  std::vector<double> losses;
  for (int s = 0; s < streams; ++s) {
    task.sample_stream(&tokens, length, rng);
    double fm = 0;
    stream_losses(&losses, &fm, model, cache, tokens);
    first += fm;
    for (size_t t = 0; t < losses.size(); ++t) {
      sum_all += losses[t];
      count_all += 1;
      if (static_cast<int>(t) + model.prefix() >= window) {  // the cache is full and rolling
        sum += losses[t];
        count += 1;
      }
      const size_t b = std::min<size_t>(bins - 1, t / r.bin_width);
      bin_sum[b] += losses[t];
      bin_count[b] += 1;
    }
  }
  r.loss = count > 0 ? sum / count : 0.0;
  r.perplexity = std::exp(r.loss);
  r.loss_all = count_all > 0 ? sum_all / count_all : 0.0;
  for (int b = 0; b < bins; ++b) r.loss_by_bin.push_back(bin_count[b] > 0 ? bin_sum[b] / bin_count[b] : 0.0);
  r.first_mass = streams > 0 ? first / streams : 0.0;
  return r;
}

nlohmann::json stream_eval_json(const Model& model, const Task& task, const std::vector<StreamCache>& caches,
                                int length, int streams, Rng* rng) {
  nlohmann::json out = nlohmann::json::array();
  for (const StreamCache& c : caches) {
    const std::string label = std::to_string(c.keep_first) + "+" + std::to_string(c.recent);
    const std::string problem = stream_eval_problem(model, c);
    if (!problem.empty()) {
      out.push_back({{"cache", label}, {"error", problem}});
      continue;
    }
    Rng streams_rng = *rng;  // every cache sees the same streams
    const StreamEvalResult r = stream_eval(model, task, c, length, streams, &streams_rng);
    out.push_back({{"cache", label},
                   {"loss", r.loss},
                   {"perplexity", r.perplexity},
                   {"loss_all", r.loss_all},
                   {"loss_by_bin", r.loss_by_bin},
                   {"bin_width", r.bin_width},
                   {"first_mass", r.first_mass}});
  }
  return out;
}

}  // namespace attnlab
