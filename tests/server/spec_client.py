#!/usr/bin/env python3
"""A C2SP tlog-witness v1.0.0 client written from the spec text, not from
attrledger's code: POST <prefix>/add-checkpoint with body
"old <size>\\n" + base64 proof lines + "\\n" + signed checkpoint; and
GET <prefix>/<hex SHA-256 of origin>/checkpoint.

usage: spec_client.py add URL OLD PROOF_FILE|- CHECKPOINT_FILE
       spec_client.py raw URL BODY_FILE
       spec_client.py get URL ORIGIN
Prints "<status> <content-type>" then the body."""
import hashlib
import http.client
import sys
import urllib.parse


def request(url, method, path, body=None):
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=20)
    conn.request(method, path, body=body,
                 headers={"Content-Type": "text/plain; charset=utf-8"} if body is not None else {})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    sys.stdout.write("%d %s\n" % (r.status, r.getheader("Content-Type", "")))
    sys.stdout.flush()  # the status line before the body: two buffers, one stream
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def main():
    op, url = sys.argv[1], sys.argv[2]
    if op == "add":
        old, proof_file, cp_file = sys.argv[3], sys.argv[4], sys.argv[5]
        proof = b"" if proof_file == "-" else open(proof_file, "rb").read()
        body = b"old " + old.encode() + b"\n" + proof + b"\n" + open(cp_file, "rb").read()
        request(url, "POST", "/add-checkpoint", body)
    elif op == "raw":
        request(url, "POST", "/add-checkpoint", open(sys.argv[3], "rb").read())
    elif op == "get":
        h = hashlib.sha256(sys.argv[3].encode()).hexdigest()
        request(url, "GET", "/" + h + "/checkpoint")
    else:
        sys.exit(2)


main()
