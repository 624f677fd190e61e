#!/usr/bin/env bash
# Phenomenon 2, part 3: the moderate regime with 12 seeds, with and without
# 4 global tokens (present from step 0). A seed gives both runs the same data
# and the same initial weights for everything they share, so the per-seed
# difference isolates the global tokens.
source "$(dirname "$0")/common.sh"
$ATTNLAB sweep --task retrieval --length 256 --steps 300 --lr 1e-2 --qk-init 1.5 --batch 16 --eval-size 64 \
  --log-every 10 --quiet --over logit-scale=2,3 --over globals=0,4 --seeds 1,2,3,4,5,6,7,8,9,10,11,12 \
  --csv "$OUT/exp2c.csv"
summarize "$OUT/exp2c.csv" --by logit-scale,globals --metrics peaky,jump,drift,accuracy_retrieval,special_mass \
  | tee "$OUT/exp2c.md"
node "$(dirname "$0")/paired.mjs" "$OUT/exp2c.csv" --by logit-scale --pair globals=0,4 --metrics jump,drift,peaky,accuracy_retrieval \
  | tee -a "$OUT/exp2c.md"
