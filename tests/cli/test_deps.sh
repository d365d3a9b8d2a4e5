# Every dependency CMake requires (pkg_check_modules, find_program ...
# REQUIRED, find_path in any CMakeLists.txt) comes from a Debian package listed in
# ATTRLEDGER_DEPS (scripts/common.sh), the only install path: a bare
# machine that installs that list can configure and build.
# Runs on Debian (dpkg), where the build found each dependency.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v dpkg >/dev/null || { echo "SKIP: not a Debian system (no dpkg)"; exit 0; }
# shellcheck source=../../scripts/common.sh
. "$SRC/scripts/common.sh"
listed=" ${ATTRLEDGER_DEPS[*]} "
owner() { dpkg -S "$(readlink -f "$1")" 2>/dev/null | head -1 | cut -d: -f1; }
need() { # need WHAT FILE
  local pkg
  pkg=$(owner "$2")
  [ -n "$pkg" ] || fail "$1: $2 belongs to no Debian package"
  case $listed in *" $pkg "*) ;; *) fail "$1 comes from $pkg, which ATTRLEDGER_DEPS lacks" ;; esac
  checks=$((checks + 1))
}

mapfile -t cmakefiles < <(find "$SRC" -name CMakeLists.txt -not -path "*/build*" -not -path "*/tests/install/*")
found=0
# pkg_check_modules(VAR [REQUIRED] [IMPORTED_TARGET] module>=version ...)
while read -r mod; do
  pcdir=$(pkg-config --variable=pcfiledir "$mod") || fail "pkg-config does not know $mod"
  need "pkg-config module $mod" "$pcdir/$mod.pc"
  found=$((found + 1))
done < <(grep -ho 'pkg_check_modules([^)]*)' "${cmakefiles[@]}" |
  sed -E 's/pkg_check_modules\(\s*[A-Za-z_]+//; s/\)//; s/\b(REQUIRED|QUIET|IMPORTED_TARGET)\b//g' |
  tr ' ' '\n' | sed -E 's/[<>=].*//' | grep -v '^$' | sort -u)
# find_program(VAR name ...)
while read -r prog; do
  path=$(command -v "$prog") || fail "program $prog not found"
  need "program $prog" "$path"
  found=$((found + 1))
done < <(grep -h 'find_program(.*REQUIRED' "${cmakefiles[@]}" | grep -o 'find_program([A-Z_0-9]* [a-z0-9-]*' |
  awk '{print $2}' | sort -u)
# find_path(VAR some/header ...)
while read -r hdr; do
  f=""
  for d in /usr/include /usr/local/include; do [ -f "$d/$hdr" ] && f="$d/$hdr" && break; done
  [ -n "$f" ] || fail "$hdr not found"
  need "file $hdr" "$f"
  found=$((found + 1))
done < <(grep -ho 'find_path([A-Z_]* [^ ]*' "${cmakefiles[@]}" | awk '{print $2}' | sort -u)
[ $found -ge 9 ] || fail "only $found dependencies found in the CMake files"
# The tools every build uses.
need "tool cmake" "$(command -v cmake)"
for p in build-essential pkg-config; do
  case $listed in *" $p "*) ;; *) fail "ATTRLEDGER_DEPS lacks $p" ;; esac
done
done_ok
