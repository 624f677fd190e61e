#!/usr/bin/env bash
# Phenomenon 4, the search for an attention sink (EXPERIMENTS.md, section 4b),
# on exploration seeds 1 to 3. Each line is one setting of the plain model.
source "$(dirname "$0")/common.sh"
S="node $(dirname "$0")/sink_search.mjs --out $OUT/sinks"
# The binding language (the first preset): no sink under any of these.
$S --seeds 1 "" "weight-decay=0.1 steps=3000" "weight-decay=0.1 steps=3000 lr=1e-2" \
   "weight-decay=0.1 steps=3000 bind-rate=0.2" "weight-decay=0.3 steps=3000 lr=1e-2 bind-rate=0.2" | tee "$OUT/sinks/stream.md"
# Bigram-Backcopy: RoPE (no sink), learned positions (sinks, but absolute
# positions do not survive a rolling cache), no positions (sinks).
$S --language backcopy --seeds 1 "" "steps=3000 weight-decay=0.1" "width=64 steps=3000" "positions=learned" \
   | tee "$OUT/sinks/backcopy_positions.md"
$S --language backcopy --seeds 1,2,3 "positions=none" "positions=none registers=1" "positions=none softmax1=true" \
   "positions=none sink-logit=true" "positions=none steps=3000 weight-decay=0.1" \
   "positions=none steps=3000 weight-decay=0.1 registers=1" "positions=none steps=3000 weight-decay=0.1 softmax1=true" \
   | tee "$OUT/sinks/backcopy_nope.md"
