#!/usr/bin/env bash
# Phenomenon 1: a sliding window of +-16 cannot link the introduction to the
# conclusion (retrieval at n = 256); one or more global tokens can, at a cost
# linear in n. Full attention (3 seeds; it is the slowest) is the reference.
source "$(dirname "$0")/common.sh"
COMMON=(--task retrieval --length 256 --steps 1200 --lr 3e-3 --batch 16 --eval-size 64 --log-every 50 --quiet)
$ATTNLAB sweep "${COMMON[@]}" --window 16 --over globals=0,1,4 --seeds 1,2,3,4,5 --csv "$OUT/exp1.csv"
$ATTNLAB sweep "${COMMON[@]}" --window -1 --over globals=0 --seeds 1,2,3 --csv "$OUT/exp1_full.csv"
summarize "$OUT/exp1.csv" --by globals --metrics accuracy_retrieval,pairs,special_mass > "$OUT/exp1.md"
summarize "$OUT/exp1_full.csv" --by globals --metrics accuracy_retrieval,pairs,special_mass | sed -n '3,$p' |
  sed 's/^| 0 |/| full attention |/' >> "$OUT/exp1.md"
cat "$OUT/exp1.md"
