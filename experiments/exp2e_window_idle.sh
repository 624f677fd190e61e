#!/usr/bin/env bash
# Phenomenon 2, the search for where global tokens steady training (EXPERIMENTS.md,
# section 2d): a local task (copy the token two back) through a +-4 window, where
# no token is visible to every query, so a head with nothing to do has no stable
# place for its weight unless a global token gives it one. Exploration seeds 1-6.
source "$(dirname "$0")/common.sh"
$ATTNLAB sweep --task copy --length 256 --copy-offset 2 --window 4 --steps 400 --lr 3e-3 --batch 16 --eval-size 64 \
  --log-every 20 --quiet --over globals=0,1,4 --seeds 1,2,3,4,5,6 --csv "$OUT/exp2e_copy_w4.csv"
summarize "$OUT/exp2e_copy_w4.csv" --by globals --metrics accuracy_copy,jump,drift,peaky,special_mass | tee "$OUT/exp2e.md"
for g in 1 4; do
  node "$(dirname "$0")/paired.mjs" "$OUT/exp2e_copy_w4.csv" --pair globals=0,$g --metrics jump,drift,peaky | tee -a "$OUT/exp2e.md"
done
