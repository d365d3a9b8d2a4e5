# Shared by scripts/demo, scripts/test and scripts/bench: install what is
# missing (Debian packages, non-interactive) and build with CMake.
# Source it; do not run it.

ATTRLEDGER_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ATTRLEDGER_DEPS=(build-essential cmake pkg-config libsodium-dev liblmdb-dev
  libprotobuf-c-dev protobuf-c-compiler protobuf-compiler libprotobuf-dev libjansson-dev libcmocka-dev
  libcurl4-openssl-dev jq libmicrohttpd-dev nginx curl
  graphviz # export --format svg runs dot; the tests check the SVG
  chromium python3-html5lib) # the static site's browser tests (tests/browser/)

say() { printf '==> %s\n' "$*" >&2; }

ensure_deps() {
  local missing=() p
  for p in "${ATTRLEDGER_DEPS[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing missing Debian packages: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
}

# build DIR [cmake args...]: configure (once) and build into DIR.
build() {
  local dir=$1
  shift
  cmake -S "$ATTRLEDGER_ROOT" -B "$dir" "$@" >/dev/null
  if [ -t 2 ] && [ "${ATTRLEDGER_QUIET:-0}" != 1 ]; then
    # On a terminal (and without --quiet): the build's own "[ NN%]" redrawn
    # in place on stderr, erased at the end. NO_COLOR: no escape sequences.
    local line shown=""
    cmake --build "$dir" -j "$(nproc)" | while IFS= read -r line; do
      case $line in
        "["*"]"*) shown="build ${dir##*/}: ${line%%]*}]"; printf '\r%s' "$shown" >&2 ;;
      esac
    done
    if [ -n "${NO_COLOR:-}" ]; then printf '\r%40s\r' "" >&2; else printf '\r\033[K' >&2; fi
  else
    cmake --build "$dir" -j "$(nproc)" >/dev/null
  fi
}
