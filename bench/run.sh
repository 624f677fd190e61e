#!/usr/bin/env bash
# Runs the benchmark set (never part of the tests): the core's kernels
# natively and in wasm, then ours against onnxruntime-web and
# tfjs-backend-wasm in one node process (attention forward, then one full
# training step against tfjs-backend-wasm).
#   bench/run.sh            full run (a few minutes)
#   bench/run.sh --quick    a short smoke run
#   bench/run.sh --presets  only one training step of every preset's model
# Results go to build/bench/*.txt as well as the terminal.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
ATTNLAB_SKIP_NPM=1 bash tools/deps.sh
export NODE_PATH=/usr/share/nodejs
mkdir -p build/bench
cmake --preset native >/dev/null && cmake --build --preset native --target bench_core
cmake --preset wasm >/dev/null && cmake --build --preset wasm --target bench_core peer_lib
# The peers are the benchmark's own locked devDependencies.
if ! cmp -s bench/peers/package-lock.json bench/peers/node_modules/.attnlab-lock 2>/dev/null; then
  (cd bench/peers && npm ci --no-audit --no-fund --loglevel=error)
  cp bench/peers/package-lock.json bench/peers/node_modules/.attnlab-lock
fi
# Every figure names the CPU it was taken on (the build machines change between AMD and Intel).
CPU="CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; $(date -u +%Y-%m-%d)"
echo "$CPU"
echo; (echo "$CPU"; ./build/native/bench/bench_core "$@") | tee build/bench/core-native.txt
echo; (echo "$CPU"; node build/wasm/bench/bench_core.js "$@") | tee build/bench/core-wasm.txt
[ "${1:-}" = --presets ] && exit 0  # the peers have no preset shapes
echo; (echo "$CPU"; cd bench/peers && node peers.mjs "$@") | tee build/bench/peers.txt
echo; (echo "$CPU"; cd bench/peers && node train_step.mjs "$@") | tee build/bench/train-step.txt
