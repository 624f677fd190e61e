#include "core/measures/attention_probe.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/measures/row_measures.h"

namespace attnlab {

bool has_not_yet(double HeadMeasures::*member) {
  return member == &HeadMeasures::jump || member == &HeadMeasures::drift || member == &HeadMeasures::jump_active ||
         member == &HeadMeasures::drift_active || member == &HeadMeasures::jump_idle ||
         member == &HeadMeasures::drift_idle;
}

double head_mean(const std::vector<HeadMeasures>& heads, double HeadMeasures::*member) {
  if (heads.empty()) return std::numeric_limits<double>::quiet_NaN();
  const bool has_sentinel = has_not_yet(member);
  double s = 0.0;
  for (const HeadMeasures& h : heads) {
    if (has_sentinel && h.*member < 0) return std::numeric_limits<double>::quiet_NaN();
    s += h.*member;
  }
  return s / heads.size();
}

double head_max(const std::vector<HeadMeasures>& heads, double HeadMeasures::*member) {
  if (heads.empty()) return std::numeric_limits<double>::quiet_NaN();
  double m = heads[0].*member;
  for (const HeadMeasures& h : heads) m = std::max(m, h.*member);
  return m;
}

std::vector<int> choose_probe_queries(const std::vector<int>& task_queries, int T, int max_rows) {
  // Evenly spaced rows (most of which have nothing task-relevant to attend
  // to: exactly the rows that turn erratic) plus the task's own query rows.
  std::vector<int> q;
  const int rows = std::min(T, max_rows);
  for (int r = 0; r < rows; ++r) q.push_back(static_cast<int>((static_cast<long long>(r + 1) * T) / rows) - 1);
  for (int t : task_queries)
    if (t >= 0 && t < T) q.push_back(t);
  std::sort(q.begin(), q.end());
  q.erase(std::unique(q.begin(), q.end()), q.end());
  return q;
}

std::vector<HeadMeasures> AttentionProbe::measure(const Model& model, const uint8_t* active, int B, float peak_threshold) {
  const AttentionSpec& spec = model.spec();
  const int L = model.config().layers, H = spec.heads, N = model.seq(), P = model.prefix(), T = model.length();
  const int R = static_cast<int>(queries_.size());
  const int special_end = P + spec.mask.sinks;  // prefix tokens and sink positions
  const size_t state_rows = static_cast<size_t>(L) * H * B * R;
  const bool have_prev = prev_argmax_.size() == state_rows && prev_rows_.size() == state_rows * N;
  std::vector<int> argmax(state_rows);
  std::vector<float> rows(state_rows * N);

  // Visible keys per query (the same for every head and sequence).
  std::vector<int> visible(R, 0);
  for (int r = 0; r < R; ++r)
    for (int j = 0; j < N; ++j) visible[r] += spec.mask.visible(P + queries_[r], j);

  std::vector<HeadMeasures> out(static_cast<size_t>(L) * H);
  for (int l = 0; l < L; ++l) {
    const LayerActs& a = model.layer_acts(l);
    for (int h = 0; h < H; ++h) {
      HeadMeasures& m = out[static_cast<size_t>(l) * H + h];
      double jumps = 0, drift = 0;
      double part_jumps[2] = {0, 0}, part_drift[2] = {0, 0};  // [idle, active]
      int part_rows[2] = {0, 0};
      for (int b = 0; b < B; ++b)
        for (int r = 0; r < R; ++r) {
          const size_t idx = ((static_cast<size_t>(l) * H + h) * B + b) * R + r;
          float* row = rows.data() + idx * N;
          const float extra = attention_row_weights(row, a.qkv, a.lse, model.sink_logits(l), spec, N, b, h, P + queries_[r]);
          const double e = row_entropy(row, N);
          m.entropy += e;
          m.entropy_norm += visible[r] > 1 ? e / std::log(static_cast<double>(visible[r])) : 0.0;
          argmax[idx] = row_argmax(row, N);
          const float peak = row[argmax[idx]];
          m.peak += peak;
          m.peaky += peak > peak_threshold;
          m.special_mass += row_mass(row, 0, std::min(special_end, N)) + extra;
          m.first_mass += row[0];
          if (have_prev) {
            const bool jumped = argmax[idx] != prev_argmax_[idx];
            const double d = js_divergence_bits(row, prev_rows_.data() + idx * N, N);
            jumps += jumped;
            drift += d;
            const int part = active && active[static_cast<size_t>(b) * T + queries_[r]] ? 1 : 0;
            part_jumps[part] += jumped;
            part_drift[part] += d;
            ++part_rows[part];
          }
        }
      const double count = static_cast<double>(B) * R;
      m.entropy /= count;
      m.entropy_norm /= count;
      m.peak /= count;
      m.peaky /= count;
      m.special_mass /= count;
      m.first_mass /= count;
      m.local_mass = 1.0 - m.special_mass;
      m.jump = have_prev ? jumps / count : -1.0;
      m.drift = have_prev ? drift / count : -1.0;
      m.jump_idle = part_rows[0] > 0 ? part_jumps[0] / part_rows[0] : -1.0;
      m.drift_idle = part_rows[0] > 0 ? part_drift[0] / part_rows[0] : -1.0;
      m.jump_active = part_rows[1] > 0 ? part_jumps[1] / part_rows[1] : -1.0;
      m.drift_active = part_rows[1] > 0 ? part_drift[1] / part_rows[1] : -1.0;
      m.max_logit = model.max_logit(l)[h];
    }
  }
  prev_argmax_ = std::move(argmax);
  prev_rows_ = std::move(rows);
  return out;
}

}  // namespace attnlab
