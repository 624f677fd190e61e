#!/usr/bin/env bash
# The long fuzzing run (not part of the tests, which fuzz 30 s per target):
#   bench/fuzz_long.sh [seconds_per_target]     (default 600: 20 minutes in all)
# Starts from the seed corpus (ATTNLAB_FUZZ_FRESH=1, unless set otherwise) so
# that runs compare; runs at low priority. Output also goes to
# build/bench/fuzz-long.txt. Exits non-zero if anything was found.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
mkdir -p build/bench
ATTNLAB_FUZZ_FRESH=${ATTNLAB_FUZZ_FRESH:-1} nice -n 10 bash tools/fuzz "${1:-600}" | tee build/bench/fuzz-long.txt
