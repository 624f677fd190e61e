// What the tasks share: the split hash, the sampling loop that applies the
// split, validation of a TaskConfig, and the factory.
#include "core/tasks/task.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <utility>

#include "core/tasks/task_internal.h"

namespace attnlab {
namespace task_detail {

uint32_t sequence_hash(const int* tokens, int n) {
  uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a 64 offset basis
  for (int i = 0; i < n; ++i) {
    const uint32_t v = static_cast<uint32_t>(tokens[i]);
    for (int byte = 0; byte < 4; ++byte) {
      h ^= (v >> (8 * byte)) & 0xffu;
      h *= 0x100000001b3ull;  // FNV-1a 64 prime
    }
  }
  return static_cast<uint32_t>(h ^ (h >> 32));
}

void draw_distinct(int n, int k, Rng* rng, std::vector<int>* order) {
  order->resize(n);
  for (int i = 0; i < n; ++i) (*order)[i] = i;
  for (int i = 0; i < k; ++i) std::swap((*order)[i], (*order)[i + rng->below(n - i)]);
}

std::string symbol_name(int index) { return "s" + std::to_string(index); }

void SequenceTask::sample(TaskBatch* batch, int B, Rng* rng, Split split) const {
  const int T = length();
  const size_t n = static_cast<size_t>(std::max(B, 0)) * T;
  batch->B = std::max(B, 0);
  batch->T = T;
  batch->tokens.resize(n);
  batch->targets.resize(n);
  batch->groups.resize(n);
  const bool want_eval = split == Split::Eval;
  for (int b = 0; b < batch->B; ++b) {
    int* tokens = batch->tokens.data() + static_cast<size_t>(b) * T;
    int* targets = batch->targets.data() + static_cast<size_t>(b) * T;
    uint8_t* groups = batch->groups.data() + static_cast<size_t>(b) * T;
    bool found = false;
    for (int attempt = 0; attempt < kMaxDraws && !found; ++attempt) {
      draw(tokens, targets, groups, rng);
      found = is_eval_sequence(tokens, T) == want_eval;
    }
    if (!found) {
      std::fill(targets, targets + T, -1);
      std::fill(groups, groups + T, uint8_t{0});
    }
  }
}

std::unique_ptr<SequenceTask> make_sequence_task(const TaskConfig& c) {
  if (c.kind == "retrieval") return std::make_unique<RetrievalTask>(c);
  if (c.kind == "membership") return std::make_unique<MembershipTask>(c);
  if (c.kind == "copy") return std::make_unique<CopyTask>(c);
  if (c.kind == "mixed") return std::make_unique<MixedTask>(c);
  if (c.kind == "stream") return std::make_unique<StreamTask>(c);
  if (c.kind == "recall") return std::make_unique<RecallTask>(c);
  if (c.kind == "backcopy") return std::make_unique<BackcopyTask>(c);
  return nullptr;
}

}  // namespace task_detail

namespace {

// General limits: they keep the vocabulary (at most 4 + 2 * 1024 ids) and the
// buffers of one batch small enough for the page.
constexpr int kMinLength = 4, kMaxLength = 8192;
constexpr int kMaxAlphabet = 1024;  // symbols, topics, items
constexpr int kMaxEvalLength = 65536;
constexpr int kMaxEvalSize = 65536;

// The split check: draws made with a fixed seed, and how many of each split
// must turn up (expected: 1/8 and 7/8 of the draws, so a healthy task passes
// after about 128 draws: ~10 ms at length 8192). A split that passes holds at
// least ~1/64 of the draws, and sample() then fails kMaxDraws = 4096 times in
// a row with probability about e^-64.
constexpr int kSplitCheckDraws = 1024;
constexpr int kSplitCheckNeed = 16;

const char* const kKinds[] = {"retrieval", "membership", "recall", "copy", "mixed", "stream", "backcopy"};

std::string str(int v) { return std::to_string(v); }

std::string str(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// "task.<field>: must be from lo to hi (got v)" if v is outside [lo, hi].
void check_range(std::vector<std::string>* errors, const char* field, int v, int lo, int hi,
                 const std::string& why = "") {
  if (v >= lo && v <= hi) return;
  errors->push_back(std::string("task.") + field + ": must be from " + str(lo) + " to " + str(hi) + why +
                    " (got " + str(v) + ")");
}

// A task with only a few distinct sequences (e.g. a stream of one binding
// that is always emitted) may have no sequence at all in one split, and
// sample() would then never find one. Counting sequences exactly is awkward
// for some kinds, so this measures the property itself: of up to 1024 draws
// from a fixed seed, at least 16 must land in each split.
std::string split_problem(const TaskConfig& c) {
  const auto task = task_detail::make_sequence_task(c);
  const int T = c.length;
  std::vector<int> tokens(T), targets(T);
  std::vector<uint8_t> groups(T);
  Rng rng(0x5eed0f7a5c5u);
  int eval = 0, train = 0, draws = 0;
  for (; draws < kSplitCheckDraws && (eval < kSplitCheckNeed || train < kSplitCheckNeed); ++draws) {
    task->draw(tokens.data(), targets.data(), groups.data(), &rng);
    ++(task_detail::is_eval_sequence(tokens.data(), T) ? eval : train);
  }
  if (eval >= kSplitCheckNeed && train >= kSplitCheckNeed) return "";
  const std::string counts = str(eval) + " of " + str(draws) + " draws fell in the eval split and " + str(train) +
                             " in train (expected about 1/8 and 7/8)";
  if (c.kind == "stream")
    return "task.bind_rate: too few distinct sequences to hold some out for evaluation: " + counts +
           "; lower task.bind_rate or raise task.bindings, task.symbols or task.length";
  return "task.length: too few distinct sequences to hold some out for evaluation: " + counts +
         "; raise task.length or task.symbols";
}

}  // namespace

std::vector<std::string> validate_task(const TaskConfig& c) {
  std::vector<std::string> errors;
  const bool known_kind = std::find(std::begin(kKinds), std::end(kKinds), c.kind) != std::end(kKinds);
  if (!known_kind)
    errors.push_back("task.kind: must be one of retrieval, membership, recall, copy, mixed, stream, backcopy (got \"" +
                     c.kind + "\")");

  // Fields every kind uses.
  check_range(&errors, "length", c.length, kMinLength, kMaxLength);
  check_range(&errors, "symbols", c.symbols, 2, kMaxAlphabet);
  check_range(&errors, "eval_size", c.eval_size, 1, kMaxEvalSize);
  if (!known_kind) return errors;
  const bool length_ok = c.length >= kMinLength && c.length <= kMaxLength;
  const int T = c.length;

  // Fields only some kinds use are checked only for those kinds, so that a
  // leftover value from another task never blocks a run.
  if (c.kind == "retrieval" || c.kind == "mixed") {
    check_range(&errors, "topics", c.topics, 2, kMaxAlphabet);
    if (length_ok) check_range(&errors, "key_position", c.key_position, 1, T - 2, " (1 to task.length - 2)");
  }
  if (c.kind == "mixed" && length_ok) {
    // Sources t - copy_offset for t < T-1 then include positions 1 and 2, at
    // least one of which holds a symbol: every sequence has a copy target.
    check_range(&errors, "copy_offset", c.copy_offset, 1, T - 4,
                " (1 to task.length - 4, so that every sequence has a copy target)");
  }
  if (c.kind == "copy" && length_ok) {
    check_range(&errors, "copy_offset", c.copy_offset, 1, T - 2,
                " (1 to task.length - 2: position 0 is BOS, which is never a copy target)");
  }
  if (c.kind == "membership") {
    check_range(&errors, "items", c.items, 2, kMaxAlphabet);
    if (c.set_size < 1 || c.set_size >= c.items || (length_ok && c.set_size + 3 > T))
      errors.push_back("task.set_size: must be at least 1, below task.items (" + str(c.items) +
                       ") so that some item is not listed, and at most task.length - 3 (" + str(T - 3) +
                       ") to leave room for BOS, QUERY and the query item (got " + str(c.set_size) + ")");
  }
  if (c.kind == "recall" && length_ok && (c.set_size < 1 || 2 * c.set_size + 3 > T))
    errors.push_back("task.set_size: must be at least 1 and at most (task.length - 3) / 2 (" + str((T - 3) / 2) +
                     "): K facts, K recall slots, BOS, RECALL and a filler (got " + str(c.set_size) + ")");
  if (c.kind == "stream") {
    if (c.bindings < 1 || c.bindings > c.symbols)
      errors.push_back("task.bindings: must be from 1 to task.symbols (" + str(c.symbols) +
                       "), since the keys are distinct symbols (got " + str(c.bindings) + ")");
    if (!(c.bind_rate >= 0.0f && c.bind_rate <= 1.0f))
      errors.push_back("task.bind_rate: must be from 0 to 1 (got " + str(static_cast<double>(c.bind_rate)) + ")");
    // Only the streams evaluate with longer sequences (a rolling cache).
    if (length_ok) check_range(&errors, "eval_length", c.eval_length, T, kMaxEvalLength, " (task.length to 65536)");
  }
  if (c.kind == "backcopy") {
    if (c.symbols < 4)
      errors.push_back("task.symbols: backcopy needs at least 4 (a trigger and three bigram successors; got " +
                       str(c.symbols) + ")");
    else
      check_range(&errors, "triggers", c.triggers, 1, c.symbols - 3,
                  " (1 to task.symbols - 3: every symbol needs three likely successors that are not triggers)");
    if (!(c.trigger_rate > 0.0f && c.trigger_rate <= 0.5f))
      errors.push_back("task.trigger_rate: must be above 0 and at most 0.5 (got " +
                       str(static_cast<double>(c.trigger_rate)) + ")");
    if (length_ok) check_range(&errors, "eval_length", c.eval_length, T, kMaxEvalLength, " (task.length to 65536)");
  }

  if (errors.empty()) {
    std::string problem = split_problem(c);
    if (!problem.empty()) errors.push_back(std::move(problem));
  }
  return errors;
}

std::unique_ptr<Task> make_task(const TaskConfig& config) { return task_detail::make_sequence_task(config); }

}  // namespace attnlab
