#!/usr/bin/env bash
# Training speed of each Training-lab preset (run A and run B), natively and
# in wasm under node (the engine the page's Web Worker runs), one after the
# other in the same run so that their ratio means something on a shared machine.
#   bench/preset_speed.sh [steps]      (default 60)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
STEPS=${1:-60}
export NODE_PATH=/usr/share/nodejs
cmake --build --preset native --target attnlab >/dev/null
cmake --build --preset wasm --target attnlab >/dev/null
speed() { "$@" --steps "$STEPS" --quiet --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).steps_per_second.toFixed(1)))'; }
echo "| preset | run | native steps/s | wasm steps/s | native / wasm |"
echo "|---|---|---|---|---|"
for p in window-misses-introduction peaky-attention globals-do-not-calm-saturated-softmax too-many-globals; do
  for run in a b; do
    id=$p; [[ $run == b ]] && id=$p:b
    n=$(speed build/native/src/attnlab run --preset "$id")
    w=$(speed node build/wasm/src/attnlab.js run --preset "$id")
    echo "| $p | $run | $n | $w | $(node -e "console.log(($n/$w).toFixed(2))") |"
  done
done
