#!/usr/bin/env bash
# Phenomenon 3, part 2: what too many global tokens cost. A local task (copy
# the token two back) through a +-4 window, which needs no global token, with
# g = 0 to 64; and a mixed task (retrieval, which needs them, plus copying),
# with g = 1 to 64: steps to converge and the share of seeds that stall.
source "$(dirname "$0")/common.sh"
$ATTNLAB sweep --task copy --length 256 --copy-offset 2 --window 4 --over globals=0,4,16,64 --seeds 1,2,3,4,5 \
  --steps 400 --lr 3e-3 --batch 16 --eval-size 64 --log-every 20 --quiet --csv "$OUT/exp3_cost_copy.csv"
$ATTNLAB sweep --task mixed --length 256 --copy-offset 2 --window 4 --over globals=1,4,16,64 --seeds 1,2,3,4,5 \
  --steps 1200 --lr 3e-3 --batch 16 --eval-size 64 --log-every 50 --quiet --csv "$OUT/exp3_cost_mixed.csv"
summarize "$OUT/exp3_cost_copy.csv" --by globals \
  --metrics accuracy_copy,pairs,step_flops,init_local_mass,local_mass,init_cosine,cosine,steps_per_second \
  | tee "$OUT/exp3_cost.md"
summarize "$OUT/exp3_cost_mixed.csv" --by globals \
  --metrics accuracy_retrieval,accuracy_copy,local_mass,init_cosine,cosine,pairs,steps_per_second | tee -a "$OUT/exp3_cost.md"
