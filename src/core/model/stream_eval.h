// StreamingLLM in miniature: next-token loss on a long stream, processed one
// token at a time with a rolling key/value cache that keeps the first S
// entries and the R most recent ones ("S+R"), as in Xiao et al. 2023.
//
// Keys and values are computed once, when their token arrives, from the
// context the cache held then, and kept until evicted: this is a real cache,
// not a recomputation of the window. Positions are cache-relative (the i-th
// token entry of the cache has position i), as StreamingLLM assigns them:
// rope rotates the cached keys by their current slot; learned positions are
// added when a token arrives. Learned prefix tokens (registers) open the
// stream and are evicted like any token unless S keeps them.
//
// The model must be causal with full attention (the cache is the window),
// and S + R must not exceed the length it was trained at (plus its prefix).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/model/model.h"
#include "core/tasks/task.h"

namespace attnlab {

struct StreamCache {
  int keep_first = 0;  // S: entries kept from the start of the stream
  int recent = 64;     // R: most recent entries kept
};

struct StreamEvalResult {
  StreamCache cache;
  double loss = 0;                   // mean next-token loss over positions >= the cache size
  double perplexity = 0;             // exp(loss)
  double loss_all = 0;               // mean over every position
  std::vector<double> loss_by_bin;   // mean loss per position bin (bins of equal width over the stream)
  int bin_width = 0;
  double first_mass = 0;             // mean attention on the stream's first entry while it is cached (heads, layers)
};

// An empty string if the model and cache can be evaluated this way; otherwise why not.
std::string stream_eval_problem(const Model& model, const StreamCache& cache);

// Per-position next-token losses of one stream. tokens: [n]; losses: [n - 1].
// first_mass (optional): the mean attention weight on the first stream entry.
void stream_losses(std::vector<double>* losses, double* first_mass, const Model& model, const StreamCache& cache,
                   const std::vector<int>& tokens);

// `streams` streams of `length` tokens from the task, per cache.
StreamEvalResult stream_eval(const Model& model, const Task& task, const StreamCache& cache, int length,
                             int streams, Rng* rng);

// Every cache as JSON (one rng fork per call, so each cache sees the same streams).
nlohmann::json stream_eval_json(const Model& model, const Task& task, const std::vector<StreamCache>& caches,
                                int length, int streams, Rng* rng);

}  // namespace attnlab
