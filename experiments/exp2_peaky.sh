#!/usr/bin/env bash
# Phenomenon 2, part 1: the peaky, erratic regime (a large q/k init times a
# large logit scale, full attention, retrieval: every row but the last has
# nothing relevant to attend to), and which single change steadies it.
source "$(dirname "$0")/common.sh"
BASE=(--task retrieval --length 256 --steps 300 --lr 1e-2 --qk-init 3 --logit-scale 8 --batch 16
      --eval-size 64 --log-every 10 --quiet)
SEEDS=1,2,3
run() {  # name, then the changed fields as --over pairs (a single value each)
  local name=$1; shift
  $ATTNLAB sweep "${BASE[@]}" "$@" --seeds $SEEDS --csv "$OUT/exp2_$name.csv"
}
run base          --over globals=0
run globals4      --over globals=4
run sink_logit    --over sink-logit=true
run register1     --over registers=1
run softmax1      --over softmax1=true
run scale1        --over logit-scale=1
run qknorm        --over qk-norm=true
run softcap5      --over softcap=5
run lr1e-3        --over lr=1e-3
run scale1_init1  --over logit-scale=1 --over qk-init=1
# One row per change (the file name), each metric as median [min, max] over the seeds.
summarize "$OUT"/exp2_{base,globals4,sink_logit,register1,softmax1,scale1,qknorm,softcap5,lr1e-3,scale1_init1}.csv \
  --metrics peaky,jump,drift,entropy_norm,max_logit,accuracy_retrieval,special_mass | tee "$OUT/exp2.md"
