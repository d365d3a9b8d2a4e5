#!/usr/bin/env python3
"""check_symbols.py - the library exports exactly ledger/libattrledger.sym.

Reads the built library (static archive or shared object) with readelf and
lists its defined GLOBAL symbols of DEFAULT visibility: with
-fvisibility=hidden those are the LEDGER_API functions and nothing else.
Fails on a symbol exported but not listed (a private function leaked, e.g.
an lg_ test hook) or listed but not exported (a public one disappeared).

With --no-hooks OBJECT...: the objects (the files holding test hooks,
compiled as in a release build, without LEDGER_TEST_HOOKS) must not define
lg_ledger_forge nor read ATTRLEDGER_FAKE_TIME_MS or
ATTRLEDGER_DIGEST_TAIL_MAX.

Usage: check_symbols.py LIBRARY SYMFILE [--no-hooks OBJECT...]
"""
import subprocess
import sys


def exported(lib):
    out = subprocess.run(["readelf", "-s", "--wide", lib], check=True, capture_output=True,
                         text=True).stdout
    names = set()
    for line in out.splitlines():
        f = line.split()
        # Num: Value Size Type Bind Vis Ndx Name
        if len(f) >= 8 and f[4] in ("GLOBAL", "WEAK") and f[5] == "DEFAULT" and f[6] != "UND":
            names.add(f[7].split("@")[0])
    return names


def main():
    lib, symfile = sys.argv[1], sys.argv[2]
    with open(symfile) as f:
        want = {l.strip() for l in f if l.strip() and not l.startswith("#")}
    got = exported(lib)
    bad = 0
    for s in sorted(got - want):
        print("exported but not in libattrledger.sym: %s" % s)
        bad = 1
    for s in sorted(want - got):
        print("in libattrledger.sym but not exported: %s" % s)
        bad = 1
    if not bad:
        print("check_symbols: %d exported symbols, as listed" % len(got))
    if "--no-hooks" in sys.argv:
        # CMake passes $<TARGET_OBJECTS:...> as one ;-separated argument.
        objs = [o for a in sys.argv[sys.argv.index("--no-hooks") + 1:] for o in a.split(";") if o]
        for obj in objs:
            out = subprocess.run(["readelf", "-s", "--wide", obj], check=True,
                                 capture_output=True, text=True).stdout
            for line in out.splitlines():
                f = line.split()
                if len(f) >= 8 and f[7] == "lg_ledger_forge" and f[6] != "UND":
                    print("%s: a build without LEDGER_TEST_HOOKS defines lg_ledger_forge" % obj)
                    bad = 1
            with open(obj, "rb") as fh:
                data = fh.read()
            for var in (b"ATTRLEDGER_FAKE_TIME_MS", b"ATTRLEDGER_DIGEST_TAIL_MAX"):
                if var in data:
                    print("%s: a build without LEDGER_TEST_HOOKS reads %s" % (obj, var.decode()))
                    bad = 1
        if not bad:
            print("check_symbols: no test hook in %d release objects" % len(objs))
    return bad


if __name__ == "__main__":
    sys.exit(main())
