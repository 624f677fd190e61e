#!/usr/bin/env bash
# Issue 13, time to lesson: memory-capacity (recall K facts through a +-4
# window with g global tokens) at higher learning rates, fewer steps or a
# narrower model (WIDTH, HEADS; default 32, 2) or a shorter sequence (LENGTH,
# default 64), on the
# exploration seeds 1-5. One history per run (accuracy every 50 steps).
source "$(dirname "$0")/common.sh"
mkdir -p "$OUT/exp5_capacity"
for lr in ${LRS:-6e-3 1e-2}; do for g in ${GS:-1 16}; do for k in ${KS:-4 24}; do for s in ${SEEDS:-1 2 3 4 5}; do
  echo "$lr $g $k $s"
done; done; done; done | xargs -P "${JOBS:-2}" -L 1 bash -c '"$1" run --task recall --length ${LENGTH:-64} --symbols 16 --set-size "$5" \
  --window 4 --globals "$4" --layers 2 --heads ${HEADS:-2} --width ${WIDTH:-32} --steps ${STEPS:-600} --lr "$3" --batch ${BATCH:-16} --eval-size 64 \
  --log-every 50 --seed "$6" --quiet --csv "$2/exp5_capacity/lr$3_b${BATCH:-16}_n${STEPS:-600}_w${WIDTH:-32}h${HEADS:-2}_t${LENGTH:-64}_g$4_k$5_s$6.csv"' _ "$ATTNLAB" "$OUT"
