#!/usr/bin/env bash
# Phenomenon 4: StreamingLLM in miniature (the Streaming lab's preset). Models
# trained on 64-token windows of a language of noise tokens and recurring
# key -> value bindings (most queries have nothing useful to attend to), then
# evaluated on 256-token streams (4W) with rolling caches 0+64, 1+63, 4+60.
# Variants: plain, a learnable sink token (one register), softmax1, a
# learnable sink logit. 3 seeds each.
source "$(dirname "$0")/common.sh"
BASE=(--task stream --causal --positions rope --length 64 --symbols 16 --bindings 4 --bind-rate 0.5
      --layers 2 --heads 4 --width 32 --steps ${STEPS:-1500} --batch 16 --lr 3e-3 --eval-size 32 --log-every 250
      --eval-length 256 --probe-batch 4 --stream-eval 0+64,1+63,4+60 --quiet --json)
for seed in 1 2 3; do
  $ATTNLAB run "${BASE[@]}" --seed $seed > "$OUT/exp4_plain_$seed.json"
  $ATTNLAB run "${BASE[@]}" --seed $seed --registers 1 > "$OUT/exp4_sink-token_$seed.json"
  $ATTNLAB run "${BASE[@]}" --seed $seed --softmax1 > "$OUT/exp4_softmax1_$seed.json"
  $ATTNLAB run "${BASE[@]}" --seed $seed --sink-logit > "$OUT/exp4_sink-logit_$seed.json"
done
node "$(dirname "$0")/stream_table.mjs" "$OUT"/exp4_*.json | tee "$OUT/exp4.md"
