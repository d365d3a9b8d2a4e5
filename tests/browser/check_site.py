#!/usr/bin/python3
"""check_site.py - static checks of an exported site, and reading a DOM
dumped by chromium (tests/browser/test_site.sh).

  check_site.py pages DIR          every .html parses without a single parse
                                   error (html5lib, strict) and every
                                   relative href/src names a file of DIR
  check_site.py dom FILE           one line per record article:
                                   "<index> <record-id> <verified>", then
                                   "body <data-verify>" and
                                   "pwned <count of data-pwned attributes>"
  check_site.py bundle-offset BUNDLE I  byte offset of the middle of entry
                                   I % 256 inside an entry bundle
"""
import os
import sys
import urllib.parse

import html5lib


def pages(root):
    n = 0
    for dirpath, _, files in os.walk(root):
        for f in files:
            if not f.endswith(".html"):
                continue
            path = os.path.join(dirpath, f)
            with open(path, "rb") as fh:
                data = fh.read()
            parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
            try:
                doc = parser.parse(data)
            except Exception as e:  # html5lib raises ParseError
                sys.exit("%s: not well-formed HTML: %s" % (path, e))
            for el in doc.iter():
                for attr in ("href", "src"):
                    ref = el.get(attr)
                    if ref is None or ref.startswith("#"):
                        continue
                    u = urllib.parse.urlsplit(ref)
                    if u.scheme or u.netloc:
                        if u.scheme not in ("http", "https"):
                            sys.exit("%s: link with scheme %s" % (path, u.scheme))
                        continue
                    if ref.startswith("/"):
                        sys.exit("%s: absolute link %s" % (path, ref))
                    target = os.path.normpath(
                        os.path.join(dirpath, urllib.parse.unquote(u.path)))
                    if not os.path.isfile(target):
                        sys.exit("%s: link %s names no file" % (path, ref))
            n += 1
    print("pages %d" % n)


def dom(path):
    with open(path, "rb") as fh:
        doc = html5lib.parse(fh.read(), namespaceHTMLElements=False)
    pwned = 0
    body = None
    for el in doc.iter():
        if el.tag == "article" and "rec" in (el.get("class") or "").split():
            print(el.get("data-index"), el.get("data-record-id"),
                  el.get("data-verified", "none"))
            if el.get("data-verified") == "failed":
                for out in el.iter("output"):
                    sys.stderr.write("record %s: %s\n" % (el.get("data-index"),
                                                          "".join(out.itertext())))
                    break
        if el.tag == "body":
            body = el
        if isinstance(el.tag, str) and el.get("data-pwned") is not None:
            pwned += 1
    print("body", body.get("data-verify", "none") if body is not None else "none")
    print("pwned", pwned)


def bundle_offset(path, i):
    with open(path, "rb") as fh:
        b = fh.read()
    o = 0
    for k in range(i % 256 + 1):
        n = (b[o] << 8) | b[o + 1]
        if k == i % 256:
            print(o + 2 + n // 2)
            return
        o += 2 + n
    sys.exit("entry not in bundle")


if __name__ == "__main__":
    if sys.argv[1] == "pages":
        pages(sys.argv[2])
    elif sys.argv[1] == "dom":
        dom(sys.argv[2])
    elif sys.argv[1] == "bundle-offset":
        bundle_offset(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit("usage: check_site.py pages DIR | dom FILE | bundle-offset BUNDLE I")
