#!/usr/bin/env bash
# Phenomenon 1: a sliding window of +-16 cannot link the introduction to the
# conclusion (retrieval at n = 256); one or more global tokens can, at a cost
# linear in n. Full attention is the reference.
source "$(dirname "$0")/common.sh"
$ATTNLAB sweep --task retrieval --length 256 --over window=16,-1 --over globals=0,1,4 --seeds 1,2,3,4,5 \
  --steps 1200 --lr 3e-3 --batch 16 --eval-size 64 --log-every 50 --quiet --csv "$OUT/exp1.csv"
summarize "$OUT/exp1.csv" --by window,globals --metrics accuracy_retrieval,pairs,special_mass > "$OUT/exp1.md"
cat "$OUT/exp1.md"
