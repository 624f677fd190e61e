// Internals of the synthetic tasks, shared by their implementations and their
// tests: the train/eval split hash, the sampling loop every task shares, and
// the concrete task classes with their token-id layouts. The app should only
// need task.h.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/base/rng.h"
#include "core/tasks/task.h"

namespace attnlab::task_detail {

// 64-bit FNV-1a over the tokens' little-endian 4-byte encodings, xor-folded to
// 32 bits. The fold matters: in plain FNV-1a the low k bits of the hash depend
// only on the low k bits of every input byte (the prime is odd), so "hash mod 8"
// would only see token ids mod 8.
uint32_t sequence_hash(const int* tokens, int n);

// The split rule of task.h: a sequence belongs to Eval iff its hash is 0 mod 8.
inline bool is_eval_sequence(const int* tokens, int n) { return sequence_hash(tokens, n) % 8 == 0; }

// Partial Fisher-Yates: afterwards (*order)[0, k) are k distinct values of
// [0, n), uniformly drawn in random order, and (*order)[k, n) are the others.
// Uses exactly k draws of rng. order: resized to [n].
void draw_distinct(int n, int k, Rng* rng, std::vector<int>* order);

// A task whose sequences are drawn one at a time and then assigned to a split
// by their hash: sample() redraws until a sequence of the wanted split comes up.
class SequenceTask : public Task {
 public:
  explicit SequenceTask(const TaskConfig& config) : config_(config) {}
  std::string name() const override { return config_.kind; }
  int length() const override { return config_.length; }
  void sample(TaskBatch* batch, int B, Rng* rng, Split split) const final;

  // One sequence before the split is applied. Writes every entry of
  // tokens, targets (-1: no target) and groups (0 where there is no target),
  // each [length()].
  virtual void draw(int* tokens, int* targets, uint8_t* groups, Rng* rng) const = 0;

  // sample() gives up on a row after this many draws of the wrong split and
  // keeps the last one with its targets cleared (-1), so a bad config cannot
  // hang the page and no train sequence ever shows up in Eval or vice versa.
  // validate_task() rejects configs where that could plausibly happen.
  static constexpr int kMaxDraws = 4096;

 protected:
  TaskConfig config_;
};

// Requires validate_task(config) to be empty except, possibly, for the split
// check (validate_task uses this to run it).
std::unique_ptr<SequenceTask> make_sequence_task(const TaskConfig& config);

// "s7": the name of symbol 7, the same in every task.
std::string symbol_name(int index);

// ---- retrieval -------------------------------------------------------------
// Token ids: 0 BOS, 1 QUERY, [2, 2 + topics) the keys, then the symbols
// [2 + topics, 2 + topics + symbols). Layout of a sequence [T]:
//   0: BOS, key_position: a key, T-1: QUERY, every other position: a symbol.
// Target: the key, at T-1 only.
class RetrievalTask : public SequenceTask {
 public:
  static constexpr int kBos = 0, kQuery = 1, kFirstKey = 2;
  explicit RetrievalTask(const TaskConfig& config) : SequenceTask(config) {}
  int key_token(int key) const { return kFirstKey + key; }
  int symbol_token(int symbol) const { return kFirstKey + config_.topics + symbol; }
  bool is_key(int id) const { return id >= kFirstKey && id < kFirstKey + config_.topics; }
  bool is_symbol(int id) const { return id >= symbol_token(0) && id < symbol_token(config_.symbols); }

  int vocab_size() const override { return kFirstKey + config_.topics + config_.symbols; }
  std::vector<std::string> group_names() const override { return {"retrieval"}; }
  double chance(int group) const override;
  std::string token_name(int id) const override;
  std::vector<int> probe_positions() const override { return {config_.length - 1}; }
  void draw(int* tokens, int* targets, uint8_t* groups, Rng* rng) const override;

 protected:
  // The tokens of the layout above; tokens: [T]. The rng draws, in order: the
  // key, then the symbols from left to right.
  void draw_layout(int* tokens, Rng* rng) const;
};

// ---- mixed: retrieval plus local copying -------------------------------------
// The retrieval layout and token ids, plus copy targets: position t with
// copy_offset <= t < T-1 has target tokens[t - copy_offset] (group 1, "copy")
// exactly when that token is a symbol; where it is BOS or the key there is no
// target, so every copy target is a uniformly random symbol. Group 0
// ("retrieval") is the key, at T-1. validate_task keeps copy_offset <= T-4 so
// every sequence has at least one copy target.
class MixedTask : public RetrievalTask {
 public:
  explicit MixedTask(const TaskConfig& config) : RetrievalTask(config) {}
  std::vector<std::string> group_names() const override { return {"retrieval", "copy"}; }
  double chance(int group) const override;
  // Both the retrieval query and the copying positions matter here: all.
  std::vector<int> probe_positions() const override { return {}; }
  void draw(int* tokens, int* targets, uint8_t* groups, Rng* rng) const override;
};

// ---- membership -------------------------------------------------------------
// Token ids: 0 BOS, 1 QUERY, 2 YES, 3 NO, [4, 4 + items) the items, then the
// symbols [4 + items, 4 + items + symbols). Layout of a sequence [T], K = set_size:
//   0: BOS, 1..K: K distinct items, K+1..T-3: symbols, T-2: QUERY,
//   T-1: the query item (a listed item with probability 1/2, else an unlisted one).
// Target: YES or NO, at T-1 only.
class MembershipTask : public SequenceTask {
 public:
  static constexpr int kBos = 0, kQuery = 1, kYes = 2, kNo = 3, kFirstItem = 4;
  explicit MembershipTask(const TaskConfig& config) : SequenceTask(config) {}
  int item_token(int item) const { return kFirstItem + item; }
  int symbol_token(int symbol) const { return kFirstItem + config_.items + symbol; }
  bool is_item(int id) const { return id >= kFirstItem && id < kFirstItem + config_.items; }
  bool is_symbol(int id) const { return id >= symbol_token(0) && id < symbol_token(config_.symbols); }

  int vocab_size() const override { return kFirstItem + config_.items + config_.symbols; }
  std::vector<std::string> group_names() const override { return {"membership"}; }
  double chance(int group) const override { return group == 0 ? 0.5 : 0.0; }
  std::string token_name(int id) const override;
  std::vector<int> probe_positions() const override { return {config_.length - 1}; }
  void draw(int* tokens, int* targets, uint8_t* groups, Rng* rng) const override;
};

// ---- recall: reproduce the introduction at the end --------------------------
// Token ids: 0 BOS, 1 RECALL, 2 SLOT, [3, 3 + symbols) the symbols. Layout [T],
// K = set_size: 0: BOS, 1..K: K random symbols (the facts), then random
// filler symbols, T-K-1: RECALL, T-K..T-1: SLOT. Target at slot i: the fact at
// position 1 + i (group 0, "recall"). With a window, the slots can reach the
// facts only through global tokens, so all K facts must fit in them: the
// capacity of a fixed-size global memory.
class RecallTask : public SequenceTask {
 public:
  static constexpr int kBos = 0, kRecall = 1, kSlot = 2, kFirstSymbol = 3;
  explicit RecallTask(const TaskConfig& config) : SequenceTask(config) {}
  int symbol_token(int symbol) const { return kFirstSymbol + symbol; }
  int vocab_size() const override { return kFirstSymbol + config_.symbols; }
  std::vector<std::string> group_names() const override { return {"recall"}; }
  double chance(int group) const override { return group == 0 ? 1.0 / config_.symbols : 0.0; }
  std::string token_name(int id) const override;
  std::vector<int> probe_positions() const override;
  void draw(int* tokens, int* targets, uint8_t* groups, Rng* rng) const override;
};

// ---- copy ---------------------------------------------------------------------
// Token ids: 0 BOS, [1, 1 + symbols) the symbols. Layout [T]: BOS at 0 (as in
// every task, so position 0 means the same thing everywhere), a uniformly
// random symbol everywhere else. Target at t: tokens[t - copy_offset] for
// every t >= copy_offset + 1, i.e. wherever that token is a symbol (the same
// rule as mixed; copying BOS is not a copy of anything). validate_task keeps
// copy_offset <= T-2 so there is at least one target.
class CopyTask : public SequenceTask {
 public:
  static constexpr int kBos = 0, kFirstSymbol = 1;
  explicit CopyTask(const TaskConfig& config) : SequenceTask(config) {}
  int symbol_token(int symbol) const { return kFirstSymbol + symbol; }

  int vocab_size() const override { return kFirstSymbol + config_.symbols; }
  std::vector<std::string> group_names() const override { return {"copy"}; }
  double chance(int group) const override { return group == 0 ? 1.0 / config_.symbols : 0.0; }
  std::string token_name(int id) const override;
  void draw(int* tokens, int* targets, uint8_t* groups, Rng* rng) const override;
};

// ---- stream -------------------------------------------------------------------
// Token ids: 0 BOS, [1, 1 + symbols) the symbols; keys, values and noise are
// all symbols. See stream.cpp for the language.
enum class StreamRole : uint8_t {
  Bos,
  Noise,      // a uniformly random symbol: nothing before it predicts it
  Key,        // a key whose binding has not yet appeared in this sequence
  RepeatKey,  // a key whose binding (key and value) appeared earlier
  Value,      // the value after a key
};

struct StreamSpec {
  int symbols = 16;
  int bindings = 8;
  float bind_rate = 0.3f;
};

// One document of the stream language: a fresh binding set, BOS, then steps
// until length tokens. tokens, roles: [length] (roles may be null). The rng
// draws, in order: the bindings' keys (distinct), their values, then per
// step a uniform() against bind_rate and the key index or noise symbol.
void generate_stream(const StreamSpec& spec, int length, Rng* rng, int* tokens, StreamRole* roles);

class StreamTask : public SequenceTask {
 public:
  static constexpr int kBos = 0, kFirstSymbol = 1;
  explicit StreamTask(const TaskConfig& config) : SequenceTask(config) {}
  int symbol_token(int symbol) const { return kFirstSymbol + symbol; }
  StreamSpec spec() const { return {config_.symbols, config_.bindings, config_.bind_rate}; }

  int vocab_size() const override { return kFirstSymbol + config_.symbols; }
  std::vector<std::string> group_names() const override { return {"next token", "bound value"}; }
  double chance(int group) const override;
  bool needs_context(int group) const override { return group == 1; }  // a bound value recalls its binding
  std::string token_name(int id) const override;
  bool is_stream() const override { return true; }
  void sample_stream(std::vector<int>* tokens, int length, Rng* rng) const override;
  void draw(int* tokens, int* targets, uint8_t* groups, Rng* rng) const override;
};

// ---- backcopy: Bigram-Backcopy (Guo et al. 2024) ------------------------------
// Token ids: 0 BOS, [1, 1 + symbols) the symbols; the first `triggers`
// symbols are triggers. A fixed bigram language (the same for every seed,
// drawn from the config alone): every other symbol has three likely
// successors (0.6, 0.25, 0.1) and 0.05 spread over all of them. After BOS
// and a first symbol, each step emits a trigger with probability
// trigger_rate, else the bigram successor of the previous token; the token
// after a trigger is a copy of the token before it (the backcopy).
// Targets: the next token at every t < T-1. Group 0 ("bigram"): the current
// token is not a trigger, so the next one follows from it alone (no
// attention needed); group 1 ("backcopy"): it is, so a head must look one
// token back. On most positions every head has nothing to do: where
// attention sinks form (Guo et al.; Gu et al. 2024).
class BackcopyTask : public SequenceTask {
 public:
  static constexpr int kBos = 0, kFirstSymbol = 1;
  explicit BackcopyTask(const TaskConfig& config);
  bool is_trigger(int id) const { return id >= kFirstSymbol && id < kFirstSymbol + config_.triggers; }

  int vocab_size() const override { return kFirstSymbol + config_.symbols; }
  std::vector<std::string> group_names() const override { return {"bigram", "backcopy"}; }
  double chance(int group) const override { return group == 0 ? chance_[0] : group == 1 ? chance_[1] : 0.0; }
  bool needs_context(int group) const override { return group == 1; }  // only the backcopy looks back
  std::string token_name(int id) const override;
  bool is_stream() const override { return true; }
  void sample_stream(std::vector<int>* tokens, int length, Rng* rng) const override;
  void draw(int* tokens, int* targets, uint8_t* groups, Rng* rng) const override;

 private:
  void generate(int* tokens, int length, Rng* rng) const;
  int next_of(int token, Rng* rng) const;  // a bigram successor (a non-trigger symbol id)
  std::vector<int> successors_;            // [symbols, 3] token ids, for each symbol id - 1
  double chance_[2] = {0, 0};              // the most frequent next token's share, per group
};

}  // namespace attnlab::task_detail
