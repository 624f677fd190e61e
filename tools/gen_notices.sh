#!/usr/bin/env bash
# Regenerates THIRD_PARTY_NOTICES.md from the licence files of what the app
# bundles, as Debian ships them. Run after tools/deps.sh when a dependency changes.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
D="$ROOT/build/deps"
section() { printf '\n## %s\n\n%s\n\n```\n' "$1" "$2"; zcat -f "$3"; printf '```\n'; }
{
  echo "# Third-party notices"
  echo
  echo "Attention Lab (MIT, see LICENSE) bundles or compiles in the following software and font."
  echo "Each licence text below is copied from the Debian package the build uses."
  section "Dear ImGui 1.90.1" "User interface library, compiled into attnlab.wasm (Debian 13 source package imgui 1.90.1+ds-1)." \
    "$D/imgui-1.90.1+ds/LICENSE.txt"
  section "xsimd 13.2.0" "SIMD wrappers, compiled into attnlab.wasm (Debian 13 package libxsimd-dev 13.2.0-1)." \
    "$D/libxsimd-dev-13.2.0/usr/share/doc/libxsimd-dev/copyright"
  section "Inter (font)" "The interface font, embedded in attnlab.wasm (Debian package fonts-inter)." \
    /usr/share/doc/fonts-inter/copyright
  section "JSON for Modern C++ (nlohmann-json) 3.11.2" "JSON parsing, compiled in (Debian package nlohmann-json3-dev)." \
    /usr/share/doc/nlohmann-json3-dev/copyright
  # Emscripten's Debian copyright file covers its whole source tree; keep the
  # paragraphs for what ends up in the app: the runtime and the system libraries.
  awk 'BEGIN{RS="";ORS="\n\n"}
       /^Files:\n \*\n/ || /^Files:\n system\/lib\/(libc\/musl|compiler-rt|libcxx|libcxxabi|libunwind)\/\*/ ||
       /^License: (Expat|NCSA~Mozilla|Apache-2.0 with LLVM exception)\n/' /usr/share/doc/emscripten/copyright \
    > "$D/emscripten-copyright.txt"
  section "Emscripten 3.1.6 runtime and system libraries" "The JavaScript glue (attnlab.js) and the C/C++ runtime libraries (musl, libc++, libc++abi, libunwind, compiler-rt) compiled into attnlab.wasm (Debian package emscripten; excerpt of its copyright file)." \
    "$D/emscripten-copyright.txt"
} > "$ROOT/THIRD_PARTY_NOTICES.md"
echo "wrote THIRD_PARTY_NOTICES.md ($(wc -c < "$ROOT/THIRD_PARTY_NOTICES.md") bytes)"
