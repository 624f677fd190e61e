#!/usr/bin/env bash
# Issue 13, time to lesson: the copy task (memory-cost, too-many-globals) at
# n = 128 instead of 256, and at a higher learning rate, on the exploration
# seeds 1-5. One history per run (accuracy, local mass, cosine every 10 steps).
source "$(dirname "$0")/common.sh"
mkdir -p "$OUT/exp5_copy"
for lr in ${LRS:-3e-3 6e-3}; do for g in 0 4 16 64; do for s in ${SEEDS:-1 2 3 4 5}; do
  echo "$lr $g $s"
done; done; done | xargs -P "${JOBS:-2}" -L 1 bash -c '"$1" run --task copy --length 128 --symbols 16 --copy-offset 2 \
  --window 4 --globals "$4" --layers 2 --heads 2 --width 32 --steps ${STEPS:-300} --lr "$3" --batch 16 --eval-size 64 \
  --log-every 10 --seed "$5" --quiet --csv "$2/exp5_copy/lr$3_g$4_s$5.csv"' _ "$ATTNLAB" "$OUT"
