#!/usr/bin/env bash
# Phenomenon 2, part 3, confirmed: the moderate regime of exp2c_paired.sh on
# 12 confirmation seeds, 1001 to 1012, written down (EXPERIMENTS.md, §2b)
# before this ran and never used to choose the regime (seeds 1-12 were).
# Reports, per logit scale, how many seeds moved each measure which way with
# 4 global tokens, the median paired difference with a 95% bootstrap
# interval, and a sign test.
source "$(dirname "$0")/common.sh"
$ATTNLAB sweep --task retrieval --length 256 --steps 300 --lr 1e-2 --qk-init 1.5 --batch 16 --eval-size 64 \
  --log-every 10 --quiet --over logit-scale=2,3 --over globals=0,4 \
  --seeds 1001,1002,1003,1004,1005,1006,1007,1008,1009,1010,1011,1012 --csv "$OUT/exp2c_confirm.csv"
summarize "$OUT/exp2c_confirm.csv" --by logit-scale,globals --metrics peaky,jump,drift,accuracy_retrieval,special_mass \
  | tee "$OUT/exp2c_confirm.md"
node "$(dirname "$0")/paired.mjs" "$OUT/exp2c_confirm.csv" --by logit-scale --pair globals=0,4 \
  --metrics jump,drift,peaky,accuracy_retrieval | tee -a "$OUT/exp2c_confirm.md"
