#!/usr/bin/env python3
"""check_layers.py - the library's parts include each other as
docs/ARCHITECTURE.md says, and nothing depends on itself in a circle.

Fails (exit 1, one line per problem) on:
  - a part of ledger/src including a header of a part it may not use
    (ALLOWED below, the DAG of docs/ARCHITECTURE.md);
  - an include cycle among ledger/src headers;
  - a dependency loop among ledger/src .c files: file A calls a function
    defined in file B and B (directly or through others) calls one of A's;
  - lmdb.h outside store/, sodium.h outside crypto/, curl outside net/,
    microhttpd.h outside net/httpd.c,
    a generated *.pb-c.h outside codec/, <protobuf-c/protobuf-c.h> outside
    codec/ and base/alloc.c (the allocator hook protobuf-c takes);
  - cli/ including a library header other than <attrledger/...> (or
    "attrledger/..."), or anything from ledger/src.

Usage: check_layers.py SOURCE_DIR
"""
import collections
import os
import re
import sys

# part -> the parts it may include (besides itself and the public headers).
ALLOWED = {
    "base": set(),
    "crypto": {"base"},
    "codec": {"base", "crypto"},
    "store": {"base", "crypto"},
    "tlog": {"base", "crypto", "codec"},
    "rules": {"base", "crypto", "codec"},
    "core": {"base", "crypto", "codec", "store", "tlog", "rules"},
    "views": {"base", "crypto", "codec", "store", "tlog", "rules", "core"},
    "export": {"base", "crypto", "codec", "store", "tlog", "rules", "core", "views"},
    "audit": {"base", "crypto", "codec", "tlog", "rules", "export"},
    "net": {"base", "crypto", "codec", "tlog"},
}

# Third-party headers that only one place may include.
ONLY_IN = [
    (re.compile(r"^lmdb\.h$"), lambda f: f.startswith("store/")),
    (re.compile(r"^sodium(\.h|/)"), lambda f: f.startswith("crypto/")),
    (re.compile(r"^curl/"), lambda f: f.startswith("net/")),
    (re.compile(r"^microhttpd\.h$"), lambda f: f == "net/httpd.c"),
    (re.compile(r"\.pb-c\.h$"), lambda f: f.startswith("codec/")),
    (re.compile(r"^protobuf-c/protobuf-c\.h$"),
     lambda f: f.startswith("codec/") or f == "base/alloc.c"),
]

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
DEFINITION = re.compile(r"^((?:lg|ledger)_\w+)\(", re.M)
CALL = re.compile(r"\b((?:lg|ledger)_\w+)\s*\(")
COMMENT = re.compile(r"/\*.*?\*/", re.S)


def sccs(graph, nodes):
    """Tarjan's strongly connected components of size > 1 (iterative)."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                    advanced = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def main():
    top = sys.argv[1]
    src = os.path.join(top, "ledger", "src")
    problems = []
    files = {}
    for part in sorted(os.listdir(src)):
        d = os.path.join(src, part)
        if not os.path.isdir(d):
            continue
        if part not in ALLOWED:
            problems.append("ledger/src/%s/ is not a part known to check_layers.py "
                            "(add it to ALLOWED and docs/ARCHITECTURE.md)" % part)
            continue
        for name in sorted(os.listdir(d)):
            if name.endswith((".c", ".h")):
                with open(os.path.join(d, name)) as f:
                    files[part + "/" + name] = f.read()
    if len(files) < 20:
        print("check_layers: found only %d files under %s" % (len(files), src))
        return 1

    header_graph = collections.defaultdict(set)
    for rel, text in files.items():
        part = rel.split("/")[0]
        for kind, inc in INCLUDE.findall(text):
            for pattern, ok in ONLY_IN:
                if pattern.search(inc) and not ok(rel):
                    problems.append("ledger/src/%s includes %s" % (rel, inc))
            if kind != '"' or inc.startswith("attrledger/"):
                continue
            other = inc.split("/")[0]
            if inc not in files:
                if other in ALLOWED:
                    problems.append("ledger/src/%s includes %s, which does not exist" % (rel, inc))
                continue
            if other != part and other not in ALLOWED[part]:
                problems.append("ledger/src/%s includes %s: part %s may not use part %s"
                                % (rel, inc, part, other))
            if rel.endswith(".h"):
                header_graph[rel].add(inc)
    for comp in sccs(header_graph, sorted(header_graph)):
        problems.append("include cycle among headers: %s" % " ".join(comp))

    defined = {}
    for rel, text in files.items():
        if rel.endswith(".c"):
            for name in DEFINITION.findall(COMMENT.sub("", text)):
                defined[name] = rel
    calls = collections.defaultdict(set)
    why = {}
    for rel, text in files.items():
        if not rel.endswith(".c"):
            continue
        for name in CALL.findall(COMMENT.sub("", text)):
            other = defined.get(name)
            if other is not None and other != rel:
                calls[rel].add(other)
                why.setdefault((rel, other), name)
    for comp in sccs(calls, sorted(f for f in files if f.endswith(".c"))):
        edges = ["%s -> %s (%s)" % (a, b, why[(a, b)])
                 for a in comp for b in comp if (a, b) in why]
        problems.append("dependency loop among %s: %s" % (" ".join(comp), "; ".join(edges)))

    cli = os.path.join(top, "cli")
    for name in sorted(os.listdir(cli)):
        if not name.endswith((".c", ".h")):
            continue
        with open(os.path.join(cli, name)) as f:
            for kind, inc in INCLUDE.findall(f.read()):
                if inc.startswith("attrledger/"):
                    continue
                if kind == '"' and "/" not in inc and os.path.exists(os.path.join(cli, inc)):
                    continue  # the CLI's own headers
                if kind == "<" and inc.split("/")[0] not in ALLOWED and not inc.endswith(
                        (".pb-c.h",)) and inc not in ("lmdb.h", "sodium.h", "jansson.h"):
                    continue  # system headers
                problems.append("cli/%s includes %s (the CLI uses only <attrledger/...>)"
                                % (name, inc))

    for p in problems:
        print(p)
    if not problems:
        print("check_layers: %d files in %d parts, no forbidden include, no loop"
              % (len(files), len(ALLOWED)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
