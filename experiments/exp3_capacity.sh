#!/usr/bin/env bash
# Phenomenon 3, part 1: a fixed-size global memory. Recall K facts from the
# introduction at the end of a 64-token sequence through a +-4 window, so the
# g global tokens are the only long-range path; full attention is the reference.
source "$(dirname "$0")/common.sh"
COMMON=(--task recall --length 64 --symbols 16 --steps 2000 --lr 3e-3 --batch 32 --eval-size 128 --log-every 100 --quiet)
$ATTNLAB sweep "${COMMON[@]}" --window 4 --over set-size=4,8,16,24 --over globals=1,2,4,8,16 --seeds 1,2,3 \
  --csv "$OUT/exp3_capacity.csv"
$ATTNLAB sweep "${COMMON[@]}" --window -1 --over set-size=4,8,16,24 --seeds 1,2,3 --csv "$OUT/exp3_capacity_full.csv"
summarize "$OUT/exp3_capacity.csv" --by set-size,globals --metrics accuracy_recall,special_mass > "$OUT/exp3_capacity.md"
summarize "$OUT/exp3_capacity_full.csv" --by set-size --metrics accuracy_recall > "$OUT/exp3_capacity_full.md"
cat "$OUT/exp3_capacity.md" "$OUT/exp3_capacity_full.md"
