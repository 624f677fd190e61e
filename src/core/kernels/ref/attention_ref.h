// Scalar reference for core/kernels/attention.h: one query at a time, one key
// at a time, asking the mask about every candidate pair and storing the whole
// row. Plain loops, no blocking; templated on T so gradient checks can run it
// in double. The benchmarks time it as "scalar".
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/kernels/attention.h"

namespace attnlab::ref {

namespace detail {

// y = x / sqrt(mean(x^2) + eps); returns 1 / sqrt(mean(x^2) + eps).
template <class T>
T rms_normalize(T* y, const T* x, int d) {
  T ss = 0;
  for (int c = 0; c < d; ++c) ss += x[c] * x[c];
  const T inv = T(1) / std::sqrt(ss / T(d) + T(1e-6));
  for (int c = 0; c < d; ++c) y[c] = x[c] * inv;
  return inv;
}

// One head of one sequence: q and k (rms-normalized if spec.qk_norm) and v,
// copied out of qkv as [N, d] arrays.
template <class T>
struct Head {
  std::vector<T> q, k, v, q_inv, k_inv;
  Head(const T* qkv, const AttentionSpec& spec, int N, int b, int h) {
    const int C = spec.channels(), d = spec.head_dim;
    q.resize(static_cast<size_t>(N) * d);
    k.resize(q.size());
    v.resize(q.size());
    q_inv.assign(N, T(1));
    k_inv.assign(N, T(1));
    for (int i = 0; i < N; ++i) {
      const T* src = qkv + (static_cast<size_t>(b) * N + i) * 3 * C + h * d;
      for (int c = 0; c < d; ++c) {
        q[static_cast<size_t>(i) * d + c] = src[c];
        k[static_cast<size_t>(i) * d + c] = src[C + c];
        v[static_cast<size_t>(i) * d + c] = src[2 * C + c];
      }
      if (spec.qk_norm) {
        q_inv[i] = rms_normalize(&q[static_cast<size_t>(i) * d], &q[static_cast<size_t>(i) * d], d);
        k_inv[i] = rms_normalize(&k[static_cast<size_t>(i) * d], &k[static_cast<size_t>(i) * d], d);
      }
    }
  }
};

// Keys worth asking the mask about for query i: every key for queries that
// read everything, else the always keys and the query's window range (a
// superset of the visible keys; the mask decides each pair).
inline void candidates(std::vector<int>* keys, const AttentionMask& m, const std::vector<int>& always, int N,
                       int i) {
  keys->clear();
  if (m.reads_all(i) || m.is_register(i)) {
    for (int j = 0; j < N; ++j) keys->push_back(j);
    return;
  }
  int lo, hi;
  m.ordinary_range(i, N, &lo, &hi);
  *keys = always;
  for (int j = lo; j < hi; ++j)
    if (!std::binary_search(always.begin(), always.end(), j)) keys->push_back(j);
}

// Row i: the visible keys, their raw logits r and capped logits s, the
// weights p, the extra key's weight; returns lse.
template <class T>
struct Row {
  std::vector<int> keys;
  std::vector<T> r, s, p;
  T p_extra = 0;
};

template <class T>
T compute_row(Row<T>* row, const Head<T>& hd, const T* sink_logit, const AttentionSpec& spec,
              const std::vector<int>& always, int N, int h, int i) {
  const int d = spec.head_dim;
  const T scale = static_cast<T>(spec.logit_scale());
  std::vector<int> cand;
  candidates(&cand, spec.mask, always, N, i);
  row->keys.clear();
  row->r.clear();
  row->s.clear();
  for (int j : cand) {
    if (!spec.mask.visible(i, j)) continue;
    T dot = 0;
    for (int c = 0; c < d; ++c) dot += hd.q[static_cast<size_t>(i) * d + c] * hd.k[static_cast<size_t>(j) * d + c];
    const T r = scale * dot;
    row->keys.push_back(j);
    row->r.push_back(r);
    row->s.push_back(spec.softcap > 0 ? T(spec.softcap) * std::tanh(r / T(spec.softcap)) : r);
  }
  const bool has_extra = spec.sink_logit || spec.softmax1;
  const T extra = spec.sink_logit ? sink_logit[h] : T(0);
  T m = has_extra ? extra : -std::numeric_limits<T>::infinity();
  for (T x : row->s) m = std::max(m, x);
  T z = has_extra ? std::exp(extra - m) : T(0);
  for (T x : row->s) z += std::exp(x - m);
  row->p.resize(row->s.size());
  for (size_t n = 0; n < row->s.size(); ++n) row->p[n] = std::exp(row->s[n] - m) / z;
  row->p_extra = has_extra ? std::exp(extra - m) / z : T(0);
  return m + std::log(z);
}

}  // namespace detail

// Same contract as attnlab::attention_forward.
template <class T>
void attention_forward(T* out, T* lse, T* max_logit, const T* qkv, const T* sink_logit,
                       const AttentionSpec& spec, int B, int N) {
  const int C = spec.channels(), d = spec.head_dim, H = spec.heads;
  const std::vector<int> always = spec.mask.always_keys(N);
  if (max_logit)
    for (int h = 0; h < H; ++h) max_logit[h] = -std::numeric_limits<T>::infinity();
  detail::Row<T> row;
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < H; ++h) {
      const detail::Head<T> hd(qkv, spec, N, b, h);
      for (int i = 0; i < N; ++i) {
        lse[(static_cast<size_t>(b) * H + h) * N + i] = detail::compute_row(&row, hd, sink_logit, spec, always, N, h, i);
        T* o = out + (static_cast<size_t>(b) * N + i) * C + h * d;
        for (int c = 0; c < d; ++c) o[c] = 0;
        for (size_t n = 0; n < row.keys.size(); ++n) {
          if (max_logit) max_logit[h] = std::max(max_logit[h], row.s[n]);
          for (int c = 0; c < d; ++c) o[c] += row.p[n] * hd.v[static_cast<size_t>(row.keys[n]) * d + c];
        }
      }
    }
}

// Same contract as attnlab::attention_backward (accumulates into dqkv, dsink_logit).
template <class T>
void attention_backward(T* dqkv, T* dsink_logit, const T* dout, const T* /*out*/, const T* /*lse*/,
                        const T* qkv, const T* sink_logit, const AttentionSpec& spec, int B, int N) {
  const int C = spec.channels(), d = spec.head_dim, H = spec.heads;
  const T scale = static_cast<T>(spec.logit_scale());
  const std::vector<int> always = spec.mask.always_keys(N);
  detail::Row<T> row;
  std::vector<T> dp;
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < H; ++h) {
      const detail::Head<T> hd(qkv, spec, N, b, h);
      // Gradients with respect to the (normalized) q and k, and v, of this head.
      std::vector<T> dq(static_cast<size_t>(N) * d, T(0)), dk(dq.size(), T(0)), dv(dq.size(), T(0));
      for (int i = 0; i < N; ++i) {
        detail::compute_row(&row, hd, sink_logit, spec, always, N, h, i);
        const T* dO = dout + (static_cast<size_t>(b) * N + i) * C + h * d;
        const size_t nk = row.keys.size();
        // out_i = sum_j p_ij v_j  ->  dp_ij = dO_i . v_j,  dv_j += p_ij dO_i
        dp.assign(nk, T(0));
        T D = 0;  // sum_j p_ij dp_ij
        for (size_t n = 0; n < nk; ++n) {
          const size_t j = static_cast<size_t>(row.keys[n]);
          for (int c = 0; c < d; ++c) {
            dp[n] += dO[c] * hd.v[j * d + c];
            dv[j * d + c] += row.p[n] * dO[c];
          }
          D += row.p[n] * dp[n];
        }
        // p = softmax(s, extra)  ->  ds_ij = p_ij (dp_ij - D); d extra = p_extra (0 - D)
        if (spec.sink_logit && dsink_logit) dsink_logit[h] += -row.p_extra * D;
        for (size_t n = 0; n < nk; ++n) {
          T ds = row.p[n] * (dp[n] - D);
          // s = cap * tanh(r / cap)  ->  dr = ds * (1 - tanh^2)
          if (spec.softcap > 0) {
            const T t = std::tanh(row.r[n] / T(spec.softcap));
            ds *= T(1) - t * t;
          }
          // r_ij = scale * q_i . k_j
          const size_t j = static_cast<size_t>(row.keys[n]);
          for (int c = 0; c < d; ++c) {
            dq[static_cast<size_t>(i) * d + c] += scale * ds * hd.k[j * d + c];
            dk[j * d + c] += scale * ds * hd.q[static_cast<size_t>(i) * d + c];
          }
        }
      }
      // q_hat = q / rms(q)  ->  dq = inv * (dq_hat - q_hat * mean(dq_hat . q_hat)); same for k
      for (int i = 0; i < N; ++i) {
        T* dst = dqkv + (static_cast<size_t>(b) * N + i) * 3 * C + h * d;
        const size_t o = static_cast<size_t>(i) * d;
        T mq = 0, mk = 0;
        if (spec.qk_norm)
          for (int c = 0; c < d; ++c) {
            mq += dq[o + c] * hd.q[o + c] / T(d);
            mk += dk[o + c] * hd.k[o + c] / T(d);
          }
        for (int c = 0; c < d; ++c) {
          dst[c] += hd.q_inv[i] * (dq[o + c] - hd.q[o + c] * mq);
          dst[C + c] += hd.k_inv[i] * (dk[o + c] - hd.k[o + c] * mk);
          dst[2 * C + c] += dv[o + c];
        }
      }
    }
}

}  // namespace attnlab::ref
