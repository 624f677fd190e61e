#!/usr/bin/env bash
# Installs whatever Attention Lab needs and is missing, pinned to exact versions.
# Sourced by tools/serve and tools/test; safe to run again: a second run
# downloads nothing.
#
#   Debian packages  apt-get install NAME=VERSION (only the missing ones)
#   xsimd, imgui     Debian 13 source packages, fetched with apt through a
#                    private sources list into build/deps/ (git-ignored)
#   playwright-core  npm ci from tests/browser/package-lock.json
#   puppeteer-core, selenium-webdriver
#                    npm ci from tests/other-browsers/package-lock.json (the smoke
#                    suite in Firefox ESR and WebKit)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEPS="$ROOT/build/deps"
mkdir -p "$DEPS"

# name=version. The versions are Debian 12's; chromium, firefox-esr and WebKitGTK
# are updated by security releases, which drop the old build from the archive,
# so for packages whose pinned version the archive no longer offers we say so
# and take its current one (see apt_install).
# The smoke suite's browsers: firefox-esr; WebKitGTK's MiniBrowser (in
# libwebkit2gtk-4.1-0) and its WebKitWebDriver (webkit2gtk-driver). Both run on
# a private Xvfb (xvfb, above), which the suite starts itself: no xauth.
APT_PACKAGES=(
  cmake=3.25.1-1
  ninja-build=1.11.1-2~deb12u1
  g++=4:12.2.0-3
  clang=1:14.0-55.7~deb12u1
  libclang-rt-14-dev=1:14.0.6-12
  emscripten=3.1.6~dfsg-5
  node-acorn=8.8.1+ds+~cs25.17.7-2
  googletest=1.12.1-0.2
  nlohmann-json3-dev=3.11.2-2
  libstb-dev=0.0~git20220908.8b5f1f3+ds-1
  libglfw3-dev=3.3.8-1
  fonts-inter=4.0~beta7+ds-1
  fonts-dejavu-core=2.37-6
  xvfb=2:21.1.7-3+deb12u13
  chromium=156.0.8078.114-1~deb12u1
  firefox-esr=153.8.0esr-1~deb12u1
  libwebkit2gtk-4.1-0=2.50.6-1~deb12u2
  webkit2gtk-driver=2.50.6-1~deb12u2
  xz-utils=5.4.1-1+deb12u2
  ca-certificates=20230311+deb12u1
)

# From Debian 13 (trixie), without touching the system's apt setup:
#   imgui: the source package (the .cpp files and backends a wasm build needs)
#   xsimd: header-only; the pool serves the binary package libxsimd-dev built
#          from source package xsimd 13.2.0-1, not its source tarball
TRIXIE_SOURCES=(imgui=1.90.1+ds-1)
TRIXIE_DEBS=(libxsimd-dev=13.2.0-1)

log() { printf '\033[1m[deps]\033[0m %s\n' "$*" >&2; }

need_root() {
  if [ "$(id -u)" != 0 ]; then
    log "installing $1 needs root; run this command as root (or with sudo)"
    exit 1
  fi
}

apt_install() {
  local missing=() spec name want have
  for spec in "${APT_PACKAGES[@]}"; do
    name=${spec%%=*}
    have=$(dpkg-query -W -f='${db:Status-Abbrev}${Version}' "$name" 2>/dev/null || true)
    case "$have" in ii\ *) continue ;; esac
    missing+=("$spec")
  done
  # node is needed by emscripten and the tests; Debian's nodejs if none is present.
  if ! command -v node >/dev/null; then missing+=(nodejs npm); fi
  [ ${#missing[@]} -eq 0 ] && return 0
  need_root "${missing[*]}"
  log "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  local resolved=()
  for spec in "${missing[@]}"; do
    name=${spec%%=*}; want=${spec#*=}
    if [ "$name" = "$spec" ]; then resolved+=("$name"); continue; fi
    if apt-cache madison "$name" | awk -v v="$want" '$3==v{f=1} END{exit !f}'; then
      resolved+=("$spec")
    else
      log "WARNING: the archive no longer offers $name $want; taking its current $(apt-cache policy "$name" | awk '/Candidate/{print $2}')"
      resolved+=("$name")
    fi
  done
  apt-get install -y -qq --no-install-recommends "${resolved[@]}" >/dev/null
}

# The archive URI of this system's Debian, read from its apt configuration
# (we never write a registry host name into the repository).
debian_archive_uri() {
  apt-cache policy | awk '$3 ~ /^[a-z]+\/main$/ && $2 ~ /^https?:/ {print $2; exit}'
}

dep_dir() { local v=${1#*=}; v=${v%-*}; echo "$DEPS/${1%%=*}-${v#*:}"; }

trixie_fetch() {
  local spec todo=()
  for spec in "${TRIXIE_SOURCES[@]}" "${TRIXIE_DEBS[@]}"; do
    [ -f "$(dep_dir "$spec")/.unpacked" ] || todo+=("$spec")
  done
  [ ${#todo[@]} -eq 0 ] && return 0
  local uri; uri=$(debian_archive_uri)
  if [ -z "$uri" ]; then log "cannot find the Debian archive URI in apt's configuration"; exit 1; fi
  local apt_dir="$DEPS/apt"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives"
  printf 'deb [arch=amd64] %s trixie main\ndeb-src %s trixie main\n' "$uri" "$uri" > "$apt_dir/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
              -o "Dir::State::Lists=$apt_dir/lists" -o Dir::State::Status=/dev/null
              -o APT::Architecture=amd64 -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
  log "fetching ${todo[*]} from Debian 13 at $uri (apt checks signatures and hashes)"
  apt-get "${opts[@]}" update -qq
  local name ver dir file
  for spec in "${todo[@]}"; do
    name=${spec%%=*}; ver=${spec#*=}; dir=$(dep_dir "$spec")
    rm -rf "$dir" && mkdir -p "$dir"
    if [[ " ${TRIXIE_SOURCES[*]} " == *" $spec "* ]]; then
      (cd "$apt_dir/archives" && apt-get "${opts[@]}" source --download-only -qq "$spec")
      file=$(ls "$apt_dir/archives/${name}_${ver%-*}.orig.tar."* | head -1)
      tar -xf "$file" -C "$dir" --strip-components=1
    else
      (cd "$apt_dir/archives" && apt-get "${opts[@]}" download -qq "$spec")
      file=$(ls "$apt_dir/archives/${name}_${ver#*:}_"*.deb | head -1)
      dpkg-deb -x "$file" "$dir"
    fi
    touch "$dir/.unpacked"
    log "unpacked $name $ver into ${dir#$ROOT/}"
  done
}

# npm ci in each test folder with a lock file, unless node_modules already
# holds exactly that lock.
npm_install() {
  local sub dir stamp
  for sub in tests/browser tests/other-browsers; do
    dir="$ROOT/$sub"
    [ -f "$dir/package-lock.json" ] || continue
    stamp="$dir/node_modules/.attnlab-lock"
    if [ -f "$stamp" ] && cmp -s "$stamp" "$dir/package-lock.json"; then continue; fi
    log "npm ci in $sub"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  done
}

apt_install
trixie_fetch
[ "${ATTNLAB_SKIP_NPM:-0}" = 1 ] || npm_install
