// Synthetic tasks, generated in C++ and deterministic from a seed. Each task
// makes fixed-length token sequences with a target (the token the model must
// predict) at some positions. Targets are grouped so a task can report more
// than one accuracy (e.g. retrieval and local copying in one sequence).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/base/rng.h"

namespace attnlab {

struct TaskConfig {
  std::string kind = "retrieval";  // retrieval | membership | recall | copy | mixed | stream | backcopy
  int length = 256;        // T: tokens per training sequence
  int symbols = 16;        // alphabet of filler / copy / noise tokens
  // retrieval and mixed: a key near the start, a query at the end
  int topics = 16;         // keys the query may ask for; chance = 1 / topics
  int key_position = 1;    // where the key sits (the "introduction")
  // membership: "did this item appear in the introduction?"
  int items = 64;          // item vocabulary
  int set_size = 8;        // K: the facts of the introduction (membership: distinct items; recall: symbols)
  // copy and mixed: predict the token copy_offset places back
  int copy_offset = 2;
  // stream: a language of noise tokens and recurring key -> value bindings
  int bindings = 8;        // key -> value pairs per document
  float bind_rate = 0.3f;  // share of steps that emit a bound key (then its value)
  int eval_length = 512;   // length of the streams used to evaluate with a rolling cache (stream, backcopy)
  // backcopy (Guo et al. 2024's Bigram-Backcopy): a bigram language in which
  // a trigger token makes the next token a copy of the token before it
  int triggers = 2;           // trigger symbols
  float trigger_rate = 0.1f;  // share of steps that emit a trigger
  int eval_size = 256;     // sequences in the fixed evaluation set
};

struct TaskBatch {
  int B = 0, T = 0;
  std::vector<int> tokens;      // [B, T]
  std::vector<int> targets;     // [B, T]; -1: nothing to predict at this position
  std::vector<uint8_t> groups;  // [B, T]; the accuracy a target counts toward (index into group_names())
};

enum class Split { Train, Eval };

class Task {
 public:
  virtual ~Task() = default;
  virtual std::string name() const = 0;
  virtual int vocab_size() const = 0;
  virtual int length() const = 0;
  // Group 0 is the task's main accuracy.
  virtual std::vector<std::string> group_names() const = 0;
  // Accuracy of the best guess that uses no context, per group.
  virtual double chance(int group) const = 0;
  // Whether a target of this group needs context (a head must fetch something
  // from another position). False where the current token alone predicts it:
  // those rows are "idle" in the attention measures (jump_idle, drift_idle).
  virtual bool needs_context(int group) const { return group >= 0; }
  // Fills batch with B sequences of length(). Train and eval sequences never
  // coincide: a sequence belongs to Eval when a hash of its tokens is 0 mod 8
  // (both splits draw from the same process and reject the other split's).
  virtual void sample(TaskBatch* batch, int B, Rng* rng, Split split) const = 0;
  // A readable name for a token id ("BOS", "key 3", "a", ...).
  virtual std::string token_name(int id) const = 0;
  // Query positions the attention measures should look at; empty = all positions.
  virtual std::vector<int> probe_positions() const { return {}; }
  // Streaming language modeling only: one long stream (every position's
  // target is the next token), used to evaluate with a rolling cache.
  virtual bool is_stream() const { return false; }
  virtual void sample_stream(std::vector<int>* tokens, int length, Rng* rng) const {
    (void)tokens, (void)length, (void)rng;
  }
};

// Messages naming the field ("task.set_size: ...") for settings that do not
// make a valid task; empty if fine.
std::vector<std::string> validate_task(const TaskConfig& config);

// Requires validate_task(config) to be empty.
std::unique_ptr<Task> make_task(const TaskConfig& config);

}  // namespace attnlab
