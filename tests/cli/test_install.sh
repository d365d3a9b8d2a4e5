# `cmake --install` of this build into a temporary prefix: the tool, the
# shared library with its SONAME and the static one, headers, attrledger.pc,
# the CMake package, a man page per command (the text of `help`), bash
# completion and the docs. A small C program is built against the installed
# tree with pkg-config (shared and static) and with find_package(AttrLedger).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

B=$(dirname "$AL")
for tool in cmake cc pkg-config readelf; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool not installed (needed to test the installed tree)"
    exit 0
  fi
done
[ -f "$B/CMakeCache.txt" ] || { echo "SKIP: $B is not a CMake build tree"; exit 0; }
san=$(sed -n 's/^LEDGER_SANITIZE:STRING=//p' "$B/CMakeCache.txt")
cflags=""
[ -n "$san" ] && cflags="-fsanitize=$san"

P="$T/inst"
expect 0 cmake --install "$B" --prefix "$P"
libdir=$(dirname "$(find "$P" -name libattrledger.a | head -1)")
[ -n "$libdir" ] && [ "$libdir" != . ] || fail "no libattrledger.a installed"

# Files where GNUInstallDirs puts them.
for f in bin/attrledger include/attrledger/attrledger.h include/attrledger/common.h \
  share/man/man1/attrledger.1 share/man/man5/attrledger-formats.5 \
  share/bash-completion/completions/attrledger share/doc/attrledger/README.md \
  share/doc/attrledger/SECURITY.md share/doc/attrledger/docs/FORMATS.md; do
  [ -f "$P/$f" ] || fail "not installed: $f"
  checks=$((checks + 1))
done
for f in libattrledger.so libattrledger.so.0 pkgconfig/attrledger.pc \
  cmake/AttrLedger/AttrLedgerConfig.cmake cmake/AttrLedger/AttrLedgerConfigVersion.cmake; do
  [ -e "$libdir/$f" ] || fail "not installed: $libdir/$f"
  checks=$((checks + 1))
done
[ "$(readlink "$libdir/libattrledger.so")" = libattrledger.so.0 ] || fail "dev symlink"
expect 0 readelf -d "$libdir/libattrledger.so.0"
out_has "Library soname: [libattrledger.so.0]"
expect 0 "$P/bin/attrledger" --version
out_has "attrledger 0."

# One man page per command, each carrying that command's help text.
"$AL" help --commands >"$T/cmds"
[ "$(wc -l <"$T/cmds")" -ge 18 ] || fail "help --commands lists $(wc -l <"$T/cmds") commands"
while read -r cmd; do
  page="$P/share/man/man1/attrledger-$cmd.1"
  [ -f "$page" ] || fail "no man page for $cmd"
  grep -qF ".SH NAME" "$page" || fail "$page has no NAME"
  usage=$("$AL" help "$cmd" | sed -n '1s/^usage: //p')  # sed reads it all: no SIGPIPE
  grep -qF -- "$usage" "$page" || fail "$page lacks its usage line: $usage"
  grep -qF "attrledger\\-$cmd (1)" "$P/share/man/man1/attrledger.1" ||
    fail "attrledger(1) does not list $cmd"
  checks=$((checks + 3))
done <"$T/cmds"
grep -qF '.SH "2. RECORD SIGNATURES"' "$P/share/man/man5/attrledger-formats.5" ||
  fail "attrledger-formats(5) lacks FORMATS.md's section 2"
if command -v man >/dev/null; then
  MANWIDTH=200 expect 0 man --warnings -l "$P/share/man/man1/attrledger-witness.1"
  out_has "attrledger-witness - be a witness"
  [ ! -s "$T/err" ] || fail "man warns about attrledger-witness.1"
fi

# Bash completion: commands and a command's options from the tool's help.
complete_words() {
  # shellcheck disable=SC1091
  (. "$P/share/bash-completion/completions/attrledger"
    COMP_WORDS=("$P/bin/attrledger" "$@")
    COMP_CWORD=$#
    _attrledger
    printf '%s\n' "${COMPREPLY[@]}")
}
[ "$(complete_words veri | sort | tr '\n' ' ')" = "verify verify-fork verify-receipt " ] ||
  fail "completion of 'veri': $(complete_words veri | tr '\n' ' ')"
[ "$(complete_words witness cosign --st)" = "--state" ] ||
  fail "completion of 'witness cosign --st': $(complete_words witness cosign --st)"
[ "$(complete_words new attr)" = "attribution_claim" ] ||
  fail "completion of 'new attr': $(complete_words new attr)"
checks=$((checks + 3))

# A program against the installed tree: pkg-config, shared then static.
want="attrledger $("$AL" --version | sed -n 's/^attrledger //p' | head -1)
hello.example+036aa48b+AepKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046,SC2086
expect 0 cc $cflags -o "$T/hello" "$SRC/tests/install/hello.c" $(pkg-config --cflags --libs attrledger)
LD_LIBRARY_PATH="$libdir" expect 0 "$T/hello"
out_is "$want"
# The static library with the modules its Requires.private names (linked
# shared here: a fully static link would need every -dev of their own
# dependencies too) and its Libs.private.
mods=$(pkg-config --print-requires-private attrledger | awk '{print $1}' | tr '\n' ' ')
[ "$mods" = "libsodium lmdb libprotobuf-c jansson libmicrohttpd " ] || fail "Requires.private: $mods"
# shellcheck disable=SC2086
libs="$(pkg-config --libs $mods) $(sed -n 's/^Libs.private: //p' "$libdir/pkgconfig/attrledger.pc")"
# shellcheck disable=SC2046,SC2086
expect 0 cc $cflags -o "$T/hello_static" "$SRC/tests/install/hello.c" \
  $(pkg-config --cflags attrledger) "$libdir/libattrledger.a" $libs
expect 0 "$T/hello_static"
out_is "$want"
expect 0 readelf -d "$T/hello_static"
grep -q libattrledger "$T/out" && fail "hello_static needs libattrledger.so"

# The same program with find_package(AttrLedger).
expect 0 cmake -S "$SRC/tests/install" -B "$T/hb" -DCMAKE_PREFIX_PATH="$P" \
  -DCMAKE_C_FLAGS="$cflags" -DCMAKE_BUILD_TYPE=Debug
expect 0 cmake --build "$T/hb"
expect 0 "$T/hb/hello"
out_is "$want"
expect 0 "$T/hb/hello_static"
out_is "$want"
done_ok
