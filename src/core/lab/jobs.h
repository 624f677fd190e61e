// Background jobs of the lab: the Memory lab's sweeps and the Streaming
// lab's experiment. A job advances in slices (work), reports progress and
// hands over each result as soon as it exists, and can be cancelled between
// slices. Plain C++; LabSession drives it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace attnlab {

class LabJob {
 public:
  virtual ~LabJob() = default;
  virtual bool done() const = 0;
  // Advance for up to budget_ms (at least one training step).
  virtual void work(double budget_ms, double (*now_ms)()) = 0;
  // {"kind", "fraction" 0..1 (of the owned work), "total" points or variants,
  //  "owned" (this shard's), "finished" (owned), "done", ...}
  virtual nlohmann::json progress() const = 0;
  // Results finished since the last call. Each has a "key" and a "record":
  // what the exercises quote, under /results/<preset>/<key> (core/lab/results.h).
  virtual std::vector<nlohmann::json> take_results() = 0;
  // Several engines share one job (a pool of Web Workers): this one does
  // only points (sweep) or variants (stream) i with i % count == index.
  // Before the first work(). Progress then counts only those ("owned").
  void set_shard(int index, int count) { shard_ = index, shards_ = count; }

  // {"kind": "sweep", "base": {config}, "over": [{"field": "task.set_size", "key": "k", "values": [4, 8]}, ...],
  //  "seeds": [1, 2]}
  // {"kind": "stream", "base": {config}, "variants": [{"label": "plain", "key"?: "plain", "changes": {...}}, ...],
  //  "caches": [[0, 64], [1, 63], [4, 60]], "streams": 4}
  // Null with messages naming the field if the spec is not valid.
  static std::unique_ptr<LabJob> create(const nlohmann::json& spec, std::vector<std::string>* errors);

 protected:
  bool owns(size_t i) const { return static_cast<int>(i % shards_) == shard_; }
  size_t owned_count(size_t n) const {
    size_t c = 0;
    for (size_t i = 0; i < n; ++i) c += owns(i);
    return c;
  }

 private:
  int shard_ = 0, shards_ = 1;
};

}  // namespace attnlab
