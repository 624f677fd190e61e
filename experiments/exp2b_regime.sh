#!/usr/bin/env bash
# Phenomenon 2, part 2: search for a regime where global tokens (or a sink)
# do steady attention. Moderate logit scales, q/k init x1.5, lr 1e-2, global
# tokens present from step 0, 5 seeds; the share of queries with nothing to
# attend to is ~all for retrieval and ~none for mixed (every position also
# has a copy target).
source "$(dirname "$0")/common.sh"
COMMON=(--length 256 --steps 300 --lr 1e-2 --qk-init 1.5 --batch 16 --eval-size 64 --log-every 10 --quiet)
SEEDS=1,2,3,4,5
for task in retrieval mixed; do
  $ATTNLAB sweep "${COMMON[@]}" --task $task --over logit-scale=2,3,4 --over globals=0,4 --seeds $SEEDS \
    --csv "$OUT/exp2b_${task}_globals.csv"
  $ATTNLAB sweep "${COMMON[@]}" --task $task --over logit-scale=2,3,4 --over sink-logit=true --seeds $SEEDS \
    --csv "$OUT/exp2b_${task}_sink.csv"
done
for task in retrieval mixed; do
  summarize "$OUT/exp2b_${task}_globals.csv" --by logit-scale,globals --metrics peaky,jump,drift,accuracy_retrieval,special_mass
  summarize "$OUT/exp2b_${task}_sink.csv" --by logit-scale,sink-logit --metrics peaky,jump,drift,accuracy_retrieval,special_mass
done | tee "$OUT/exp2b.md"
