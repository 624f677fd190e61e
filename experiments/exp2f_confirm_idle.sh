#!/usr/bin/env bash
# Phenomenon 2, section 2d: the one lead of the exploration (seeds 1-3) checked on
# 12 confirmation seeds written down before the run, 3001-3012: in a causal
# Bigram-Backcopy model that reads through a +-4 window (so no key is visible to
# every query) at lr 1e-2, logit scale 2, q/k init x1.5, does one always-visible
# learned token (a register: a causal model's global token, which cannot leak the
# future) make the idle rows steadier? Jump and drift averaged over steps 750-1500.
source "$(dirname "$0")/common.sh"
B="--task backcopy --causal true --positions none --length 64 --symbols 32 --triggers 2 --trigger-rate 0.1
   --layers 2 --heads 4 --width 32 --steps 1500 --batch 16 --lr 1e-2 --logit-scale 2 --qk-init 1.5
   --weight-decay 0.1 --eval-size 64 --log-every 50 --window 4"
node "$ROOT/experiments/steady_search.mjs" --seeds 3001,3002,3003,3004,3005,3006,3007,3008,3009,3010,3011,3012 \
  --steps-range 750,1500 --out "$OUT/exp2f" \
  --metrics accuracy_bigram,accuracy_backcopy,jump_idle,drift_idle,jump_active,drift_active,special_mass \
  --setting "window 4=$B" --setting "window 4 + 1 register=$B --registers 1" | tee "$OUT/exp2f.md"
