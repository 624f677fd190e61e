# Shared by the experiment scripts: where the runner is and where results go.
#   ATTNLAB=...  the runner to use (default: the native build; or "node build/wasm/src/attnlab.js")
#   OUT=...      where CSVs and tables go (default build/experiments)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ATTNLAB=${ATTNLAB:-$ROOT/build/native/src/attnlab}
OUT=${OUT:-$ROOT/build/experiments}
mkdir -p "$OUT"
summarize() { node "$ROOT/experiments/summarize.mjs" "$@"; }
