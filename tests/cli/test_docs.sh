# Docs point where they say: every relative link in the repository's
# Markdown files (README, SECURITY, docs/, bench/, examples/, ...) names a
# file or directory that exists; no document, header or schema cites a
# path of the machine it was written on; every NAME.md that a public
# header, the schema or a document mentions exists in the repository.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 0; }
expect 0 python3 - "$SRC" <<'PY'
import os, re, sys
root = sys.argv[1]
skip = {".git", "build", "node_modules"}
files = []
for d, dirs, names in os.walk(root):
    dirs[:] = [x for x in dirs if x not in skip and not x.startswith("build")]
    files += [os.path.join(d, n) for n in names]
rel = lambda p: os.path.relpath(p, root)
md_names = {os.path.basename(f) for f in files if f.endswith(".md")}
bad = []
link = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
for f in files:
    if not f.endswith(".md"):
        continue
    text = open(f, encoding="utf-8").read()
    for target in link.findall(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue
        path = target.split("#")[0]
        full = os.path.normpath(os.path.join(os.path.dirname(f), path))
        if not os.path.exists(full):
            bad.append(f"{rel(f)}: link to {target} does not resolve")
        elif not full.startswith(root):
            bad.append(f"{rel(f)}: link to {target} leaves the repository")
cited = re.compile(r"(?<![\w.-])([A-Za-z][\w-]*\.md)\b")
for f in files:
    r = rel(f)
    if not (r.endswith((".md", ".h", ".c", ".proto")) and
            (r.split(os.sep)[0] in ("proto", "docs", "examples", "bench")
             or r.startswith(os.path.join("ledger", "include")))
            or r in ("README.md", "SECURITY.md")):
        continue
    for n, line in enumerate(open(f, encoding="utf-8", errors="replace"), 1):
        if re.search(r"(?<![\w.-])/work/", line) or "../shared" in line:
            bad.append(f"{r}:{n}: cites a path outside the repository")
        for name in cited.findall(line):
            if name not in md_names:
                bad.append(f"{r}:{n}: cites {name}, which the repository lacks")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY
done_ok
