#!/usr/bin/env bash
# Phenomenon 2, the map: where does attention become peaky and erratic?
# Logit scale x learning rate, for a task where almost every query has nothing
# relevant to attend to (retrieval) and one where almost none is idle (mixed:
# every position also copies the token two back). Full attention, q/k init
# x1.5, 300 steps, 3 seeds.
source "$(dirname "$0")/common.sh"
COMMON=(--length 256 --steps 300 --qk-init 1.5 --batch 16 --eval-size 64 --log-every 10 --quiet
        --over logit-scale=1,2,4,8 --over lr=3e-3,1e-2 --seeds 1,2,3)
$ATTNLAB sweep "${COMMON[@]}" --task retrieval --csv "$OUT/exp2d_retrieval.csv" &
$ATTNLAB sweep "${COMMON[@]}" --task mixed --copy-offset 2 --csv "$OUT/exp2d_mixed.csv" &
wait
for task in retrieval mixed; do
  echo "task: $task"
  summarize "$OUT/exp2d_$task.csv" --by logit-scale,lr --metrics peaky,jump,drift,max_logit,accuracy_retrieval
done | tee "$OUT/exp2d.md"
