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

# Idle and active rows apart (seeds 1-3; jump and drift averaged over the second half of training).
# (a) Bigram-Backcopy, causal, no position embeddings, through a +-4 window: a head has nothing to do
#     except after a trigger. Always-visible learned tokens in a causal model are registers (a global
#     token would leak the future into next-token targets). At lr 3e-3, then lr 1e-2 with logit scale 2.
BC="--task backcopy --causal true --positions none --length 64 --symbols 32 --triggers 2 --trigger-rate 0.1
    --layers 2 --heads 4 --width 32 --steps 1500 --batch 16 --weight-decay 0.1 --eval-size 64 --log-every 50"
IDLE="accuracy_bigram,accuracy_backcopy,jump_idle,drift_idle,jump_active,drift_active,special_mass"
for lr in "--lr 3e-3" "--lr 1e-2 --logit-scale 2 --qk-init 1.5"; do
  node "$ROOT/experiments/steady_search.mjs" --seeds 1,2,3 --steps-range 750,1500 --metrics "$IDLE" \
    --out "$OUT/exp2e_backcopy_${lr// /_}" --setting "w4=$BC $lr --window 4" \
    --setting "w4+r1=$BC $lr --window 4 --registers 1" --setting "w4+r4=$BC $lr --window 4 --registers 4" \
    --setting "full=$BC $lr" --setting "w4+sink1=$BC $lr --window 4 --sinks 1" | tee -a "$OUT/exp2e.md"
done
# (b) A long context, bidirectional, real global tokens: n = 1024, a +-8 window, the key 8 tokens before
#     the question (so the window alone can learn it) and every other row idle; lr 1e-2, logit scale 2.
R="--task retrieval --length 1024 --key-position 1016 --window 8 --steps 400 --batch 16 --lr 1e-2 --logit-scale 2
   --qk-init 1.5 --eval-size 64 --log-every 20"
node "$ROOT/experiments/steady_search.mjs" --seeds 1,2,3 --steps-range 200,400 \
  --metrics accuracy_retrieval,jump_idle,drift_idle,jump_active,drift_active,special_mass,peaky \
  --out "$OUT/exp2e_long" --setting "w8=$R" --setting "w8+g1=$R --globals 1" --setting "w8+g4=$R --globals 4" \
  | tee -a "$OUT/exp2e.md"
