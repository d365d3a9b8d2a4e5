/*
 * site.js - checks every record on an Attribution Ledger page in the
 * reader's browser, trusting nothing the server sends (docs/SITE.md).
 *
 * 1. checkpoint: a C2SP signed note; its Ed25519 signature must verify
 *    with the log key embedded in the page (<body data-log-vkey>), whose
 *    key id is SHA-256(name || "\n" || 0x01 || pk)[:4];
 * 2. per record (<article class="rec">): its leaf from the entry bundle
 *    (tile/entries/N), leaf hash SHA-256(0x00 || leaf) equal to the one
 *    shown, an RFC 6962 inclusion proof built from the hash tiles
 *    (tile/L/N) leading to the checkpoint's root, the LogEntry's index,
 *    time, record id and author equal to those shown, every signature by a
 *    listed key valid over "attrledger/v1/record\n" || record, one of them
 *    by a key of the author, that key's registration entry also included
 *    and carrying the key, and every shown signed string (.sv) present in
 *    the signed record bytes.
 * Each record ends with data-verified="ok" or "failed" (and why), and
 * <body> with data-verify="done". WebCrypto does all hashing and
 * signature checks; nothing else is loaded, nothing leaves the origin.
 */
'use strict';
(function () {
  const subtle = window.crypto && window.crypto.subtle;
  const body = document.body;
  const root = body.dataset.root || '';
  const MAX_TILE = 256 * 32;
  const MAX_BUNDLE = 256 * (2 + 65535);
  const MAX_NOTE = 1 << 16;
  const te = new TextEncoder();
  const td = new TextDecoder('utf-8', { fatal: true });

  function b64(s) {
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function concat(...parts) {
    let n = 0;
    for (const p of parts) n += p.length;
    const out = new Uint8Array(n);
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return out;
  }
  function equal(a, b) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  function contains(hay, needle) {
    if (needle.length === 0) return true;
    outer: for (let i = 0; i + needle.length <= hay.length; i++) {
      for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
      return true;
    }
    return false;
  }
  async function sha256(bytes) {
    return new Uint8Array(await subtle.digest('SHA-256', bytes));
  }
  const nodeHash = (l, r) => sha256(concat([1], l, r));

  const files = new Map();
  function fetchBytes(path, max) {
    if (!files.has(path)) {
      files.set(path, (async () => {
        /* A dropped connection or a 5xx is retried twice (a busy server is
         * not a forgery); any other answer is final. */
        let r;
        for (let attempt = 0; ; attempt++) {
          try {
            r = await fetch(root + path, { cache: 'no-store', redirect: 'error' });
            if (r.status < 500 || attempt >= 2) break;
          } catch (err) {
            if (attempt >= 2) throw new Error(path + ': ' + err.message);
          }
          await new Promise((ok) => setTimeout(ok, 200 * (attempt + 1)));
        }
        if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
        const b = new Uint8Array(await r.arrayBuffer());
        if (b.length > max) throw new Error(path + ' is too large');
        return b;
      })());
    }
    return files.get(path);
  }

  /* C2SP tlog-tiles: N in groups of three digits, all but the last with 'x'. */
  function tilePath(level, n, width) {
    let s = String(n);
    while (s.length % 3) s = '0' + s;
    const groups = s.match(/.../g);
    let p = groups.map((g, i) => (i < groups.length - 1 ? 'x' + g : g)).join('/');
    if (width < 256) p += '.p/' + width;
    return 'tile/' + (level < 0 ? 'entries' : String(level)) + '/' + p;
  }

  /* ---- the checkpoint ---- */

  async function ed25519(pk, sig, msg) {
    const key = await subtle.importKey('raw', pk, { name: 'Ed25519' }, false, ['verify']);
    return subtle.verify({ name: 'Ed25519' }, key, sig, msg);
  }

  async function logKey() {
    /* name+hex8+base64: split at the first two '+' only (base64 has '+' too). */
    const v = body.dataset.logVkey || '';
    const i = v.indexOf('+'), j = v.indexOf('+', i + 1);
    const parts = [v.slice(0, i), v.slice(i + 1, j), v.slice(j + 1)];
    if (i <= 0 || j !== i + 9 || !/^[0-9a-f]{8}$/.test(parts[1])) throw new Error('bad log key on the page');
    const raw = b64(parts[2]);
    if (raw.length !== 33 || raw[0] !== 1) throw new Error('log key is not Ed25519');
    const id = (await sha256(concat(te.encode(parts[0] + '\n'), raw))).slice(0, 4);
    const hex = Array.from(id, (x) => x.toString(16).padStart(2, '0')).join('');
    if (hex !== parts[1]) throw new Error('log key id does not match the key');
    return { name: parts[0], id: id, pk: raw.slice(1) };
  }

  async function checkpoint() {
    const key = await logKey();
    const bytes = await fetchBytes('checkpoint', MAX_NOTE);
    const text = td.decode(bytes);
    const split = text.indexOf('\n\n');
    if (split < 0) throw new Error('checkpoint: no signature block');
    const noteBody = bytes.slice(0, te.encode(text.slice(0, split + 1)).length);
    const lines = text.slice(0, split).split('\n');
    if (lines.length < 3 || lines[0] !== key.name) throw new Error('checkpoint: wrong origin');
    if (!/^[0-9]{1,16}$/.test(lines[1])) throw new Error('checkpoint: bad size');
    const size = Number(lines[1]);
    const rootHash = b64(lines[2]);
    if (rootHash.length !== 32) throw new Error('checkpoint: bad root');
    let ok = false;
    for (const line of text.slice(split + 2).split('\n').slice(0, 64)) {
      const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
      if (!m || m[1] !== key.name) continue;
      const sig = b64(m[2]);
      if (sig.length !== 68 || !equal(sig.slice(0, 4), key.id)) continue;
      if (await ed25519(key.pk, sig.slice(4), noteBody)) { ok = true; break; }
    }
    if (!ok) throw new Error('checkpoint: no valid signature by the log key');
    return { size: size, root: rootHash, logKey: key };
  }

  /* ---- the tree, from the tiles ---- */

  function tree(cp) {
    const n = cp.size;
    async function tileHash(level, idx) {
      const count = Math.floor(n / Math.pow(256, level));
      const t = Math.floor(idx / 256);
      const width = Math.min(256, count - t * 256);
      if (idx >= count) throw new Error('hash beyond the tree');
      const tile = await fetchBytes(tilePath(level, t, width), MAX_TILE);
      if (tile.length !== width * 32) throw new Error(tilePath(level, t, width) + ': wrong size');
      const o = (idx % 256) * 32;
      return tile.slice(o, o + 32);
    }
    /* Hash of the full subtree of height h whose leaves start at i * 2^h. */
    async function subtree(h, i) {
      const level = Math.floor(h / 8);
      const rem = h - 8 * level;
      if (rem === 0) return tileHash(level, i);
      let row = [];
      const first = i * Math.pow(2, rem);
      for (let k = 0; k < Math.pow(2, rem); k++) row.push(tileHash(level, first + k));
      row = await Promise.all(row);
      while (row.length > 1) {
        const next = [];
        for (let k = 0; k < row.length; k += 2) next.push(nodeHash(row[k], row[k + 1]));
        row = await Promise.all(next);
      }
      return row[0];
    }
    const split = (w) => { let k = 1; while (k * 2 < w) k *= 2; return k; };
    async function mth(lo, hi) {
      const w = hi - lo;
      if ((w & (w - 1)) === 0 && w <= 0x40000000 && lo % w === 0) return subtree(Math.log2(w), lo / w);
      const k = split(w);
      return nodeHash(await mth(lo, lo + k), await mth(lo + k, hi));
    }
    async function path(m, lo, hi) {
      if (hi - lo === 1) return [];
      const k = split(hi - lo);
      if (m < lo + k) return (await path(m, lo, lo + k)).concat([await mth(lo + k, hi)]);
      return (await path(m, lo + k, hi)).concat([await mth(lo, lo + k)]);
    }
    /* RFC 9162 section 2.1.3.2. */
    async function included(m, leafHash) {
      if (m >= n) return false;
      const proof = await path(m, 0, n);
      let fn = m, sn = n - 1, r = leafHash;
      for (const p of proof) {
        if (sn === 0) return false;
        if (fn % 2 === 1 || fn === sn) {
          r = await nodeHash(p, r);
          if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
        } else {
          r = await nodeHash(r, p);
        }
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
      return sn === 0 && equal(r, cp.root);
    }
    async function leaf(i) {
      const t = Math.floor(i / 256);
      const width = Math.min(256, n - t * 256);
      const b = await fetchBytes(tilePath(-1, t, width), MAX_BUNDLE);
      let o = 0;
      for (let k = 0; k < width; k++) {
        if (o + 2 > b.length) break;
        const len = (b[o] << 8) | b[o + 1];
        if (o + 2 + len > b.length) break;
        if (k === i % 256) return b.slice(o + 2, o + 2 + len);
        o += 2 + len;
      }
      throw new Error('entry bundle is malformed');
    }
    return { included: included, leaf: leaf };
  }

  /* ---- the minimum of protobuf: LogEntry and RecordHeader ---- */

  function fields(b) {
    const out = [];
    let o = 0;
    function varint() {
      let v = 0, mul = 1;
      for (let k = 0; k < 10; k++) {
        if (o >= b.length) throw new Error('truncated varint');
        const c = b[o++];
        v += (c & 0x7f) * mul;
        mul *= 128;
        if (!(c & 0x80)) return v;
      }
      throw new Error('varint too long');
    }
    while (o < b.length && out.length < 4096) {
      const tag = varint();
      const num = Math.floor(tag / 8), wt = tag % 8;
      if (wt === 0) out.push([num, varint()]);
      else if (wt === 2) {
        const len = varint();
        if (o + len > b.length) throw new Error('truncated field');
        out.push([num, b.subarray(o, o + len)]);
        o += len;
      } else if (wt === 1) o += 8;
      else if (wt === 5) o += 4;
      else throw new Error('bad wire type');
    }
    if (o !== b.length) throw new Error('malformed message');
    return out;
  }

  function logEntry(leaf) {
    const e = { sigs: [] };
    for (const [num, v] of fields(leaf)) {
      if (num === 2) e.index = v;
      else if (num === 3) e.time = v;
      else if (num === 4) e.record = v;
      else if (num === 5) {
        const s = {};
        for (const [n2, v2] of fields(v)) { if (n2 === 1) s.keyId = v2; if (n2 === 2) s.sig = v2; }
        e.sigs.push(s);
      }
    }
    if (!e.record) throw new Error('entry has no record');
    e.recordId = '';
    e.author = '';
    for (const [num, v] of fields(e.record)) {
      if (num !== 1 || typeof v === 'number') continue;
      for (const [n2, v2] of fields(v)) {
        if (n2 === 1) e.recordId = td.decode(v2);
        if (n2 === 2) e.author = td.decode(v2);
      }
    }
    return e;
  }

  /* ---- one record ---- */

  const PREFIX = te.encode('attrledger/v1/record\n');

  function keyTable() {
    const keys = new Map();
    for (const li of document.querySelectorAll('#keys li')) {
      keys.set(li.dataset.keyId, { participant: li.dataset.participant, pk: li.dataset.pk,
                                   reg: Number(li.dataset.reg) });
    }
    return keys;
  }

  function svText(node) {
    let s = '';
    for (const c of node.childNodes) {
      if (c.nodeType === Node.TEXT_NODE) s += c.data;
      else if (c.classList && c.classList.contains('ctl')) s += String.fromCodePoint(parseInt(c.dataset.cp, 16));
      else s += svText(c);
    }
    return s;
  }

  async function checkRecord(el, cp, t, keys, regs) {
    const index = Number(el.dataset.index);
    const leaf = await t.leaf(index);
    const lh = await sha256(concat([0], leaf));
    if (!equal(lh, b64(el.dataset.leafHash))) return 'leaf hash differs from the one shown';
    if (!(await t.included(index, lh))) return 'not included in the checkpoint';
    const e = logEntry(leaf);
    if (e.index !== index) return 'entry index differs';
    if (String(e.time) !== el.dataset.time) return 'integrated time differs';
    if (e.recordId !== el.dataset.recordId) return 'record id differs';
    if (e.author !== el.dataset.author) return 'author differs';
    const msg = concat(PREFIX, e.record);
    let byAuthor = false;
    for (const s of e.sigs) {
      if (!s.keyId || !s.sig) return 'malformed signature';
      const id = btoa(String.fromCharCode(...s.keyId));
      let k = keys.get(id);
      if (!k && e.author === cp.logKey.name && equal(s.keyId, await sha256(cp.logKey.pk)))
        k = { participant: e.author, pk: btoa(String.fromCharCode(...cp.logKey.pk)), reg: -1 };
      if (!k) continue; /* a co-signer whose key this page does not list */
      const pk = b64(k.pk);
      if (!equal(await sha256(pk), s.keyId)) return 'key id does not match its key';
      if (!(await ed25519(pk, s.sig, msg))) return 'signature by ' + k.participant + ' does not verify';
      if (k.reg >= 0) {
        if (!regs.has(k.reg)) regs.set(k.reg, (async () => {
          const rl = await t.leaf(k.reg);
          return (await t.included(k.reg, await sha256(concat([0], rl)))) && contains(rl, pk);
        })());
        if (!(await regs.get(k.reg))) return 'key of ' + k.participant + ' is not registered in the log';
      }
      if (k.participant === e.author) byAuthor = true;
    }
    if (!byAuthor) return 'no valid signature by the author';
    for (const sv of el.querySelectorAll('.sv')) {
      if (sv.closest('article.rec') !== el) continue;
      if (!contains(e.record, te.encode(svText(sv)))) return 'shown text is not in the signed record';
    }
    return null;
  }

  function mark(el, why) {
    el.dataset.verified = why ? 'failed' : 'ok';
    const out = el.querySelector(':scope > header .vstate');
    if (out) out.textContent = why ? 'failed: ' + why : 'verified';
  }

  let running = false;
  async function run() {
    if (running) return;
    running = true;
    const summary = document.getElementById('vsummary');
    const recs = Array.from(document.querySelectorAll('article.rec'));
    const started = performance.now();
    let failed = 0;
    try {
      if (!subtle) throw new Error('this browser has no WebCrypto (use https or localhost)');
      if (summary) summary.textContent = 'Verifying ' + recs.length + ' records\u2026';
      const cp = await checkpoint();
      const t = tree(cp);
      const keys = keyTable();
      const regs = new Map();
      await Promise.all(recs.map(async (el) => {
        let why;
        try { why = await checkRecord(el, cp, t, keys, regs); } catch (err) { why = err.message; }
        if (why) failed++;
        mark(el, why);
      }));
      if (summary) {
        summary.textContent = (failed ? failed + ' of ' + recs.length + ' records FAILED' :
          'All ' + recs.length + ' records verified') + ' against checkpoint of size ' + cp.size +
          ' (' + Math.round(performance.now() - started) + ' ms).';
      }
    } catch (err) {
      for (const el of recs) { mark(el, err.message); }
      if (summary) summary.textContent = 'Verification failed: ' + err.message;
    }
    body.dataset.verifyMs = String(Math.round(performance.now() - started));
    body.dataset.verify = 'done';
    running = false;
  }

  const button = document.getElementById('verify');
  if (button) button.addEventListener('click', run);
  if (location.hash === '#verify') run();
})();
