#!/usr/bin/env bash
# Issue 13, time to lesson: the Streaming lab's models (Bigram-Backcopy, no
# position embeddings, weight decay 0.1) trained for fewer steps at higher
# learning rates, on the exploration seeds 1-5: sink heads and the rolling
# caches' perplexity, plain and softmax1 (the variants the lesson judges).
source "$(dirname "$0")/common.sh"
mkdir -p "$OUT/exp5_stream"
for lr in ${LRS:-6e-3 1e-2}; do for steps in ${STEPS_LIST:-1000}; do for v in plain softmax1; do for s in ${SEEDS:-1 2 3 4 5}; do
  echo "$lr $steps $v $s"
done; done; done; done | xargs -P "${JOBS:-2}" -L 1 bash -c 'extra=(); [ "$5" = softmax1 ] && extra=(--softmax1);
  "$1" run --task backcopy --causal --positions none --length 64 --symbols 32 --triggers 2 --trigger-rate 0.1 \
  --eval-length 256 --eval-size 32 --layers 2 --heads 4 --width 32 --steps "$4" --batch 16 --lr "$3" --weight-decay 0.1 \
  --log-every 250 --stream-eval 0+64,1+63,4+60 --seed "$6" "${extra[@]}" --quiet --json > "$2/exp5_stream/lr$3_n$4_$5_s$6.json"' \
  _ "$ATTNLAB" "$OUT"
