'use strict';
// Seeded generators shared by the case files. Everything is deterministic for a
// given seed so a mismatch can be reproduced from its expression alone.

function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    bool: (p = 0.5) => next() < p,
  };
  r.bytes = (n) => Array.from({ length: n }, () => r.int(0, 255));
  // Mostly-UTF-8-looking junk: valid sequences, truncated ones, overlongs, surrogates.
  r.utf8ish = (n) => {
    const out = [];
    while (out.length < n) {
      const k = r.int(0, 9);
      if (k < 3) out.push(r.int(0, 0x7f));
      else if (k === 3) out.push(r.int(0xc0, 0xdf), r.int(0x70, 0xc0));
      else if (k === 4) out.push(r.pick([0xe0, 0xed, 0xef, r.int(0xe0, 0xef)]), r.int(0x80, 0xbf), r.int(0x70, 0xc0));
      else if (k === 5) out.push(r.pick([0xf0, 0xf4, 0xf5, r.int(0xf0, 0xf7)]), r.int(0x80, 0xbf), r.int(0x80, 0xbf), r.int(0x70, 0xc0));
      else if (k === 6) out.push(r.int(0x80, 0xbf));
      else if (k === 7) out.push(0xef, 0xbb, 0xbf);
      else out.push(r.int(0, 255));
    }
    return out.slice(0, n);
  };
  r.unicode = (n) => {
    let s = '';
    for (let i = 0; i < n; i++) {
      const k = r.int(0, 9);
      if (k < 3) s += String.fromCharCode(r.int(0x20, 0x7e));
      else if (k === 3) s += String.fromCharCode(r.int(0, 0x1f));
      else if (k === 4) s += String.fromCharCode(r.int(0x80, 0x7ff));
      else if (k === 5) s += String.fromCharCode(r.int(0x800, 0xd7ff));
      else if (k === 6) s += String.fromCodePoint(r.int(0x10000, 0x10ffff));
      else if (k === 7) s += String.fromCharCode(r.int(0xd800, 0xdfff)); // lone surrogate
      else if (k === 8) s += String.fromCharCode(r.int(0xe000, 0xffff));
      else s += r.pick(['\'', '"', '`', '\\', '${', '\n', 'é', '€', '😀']);
    }
    return s;
  };
  r.fromAlphabet = (alphabet, n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += r.pick(alphabet);
    return s;
  };
  return r;
}

// JS source for a value, for values JSON cannot carry (-0, NaN, undefined, holes, bigint...).
function src(v) {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'number') {
    if (Object.is(v, -0)) return '-0';
    if (Number.isNaN(v)) return 'NaN';
    if (v === Infinity) return 'Infinity';
    if (v === -Infinity) return '-Infinity';
    return String(v);
  }
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) {
    const parts = [];
    for (let i = 0; i < v.length; i++) parts.push(Object.prototype.hasOwnProperty.call(v, i) ? src(v[i]) : '');
    return `[${parts.join(', ')}${v.length && !Object.prototype.hasOwnProperty.call(v, v.length - 1) ? ',' : ''}]`;
  }
  if (v instanceof Map) return `new Map(${src(Array.from(v))})`;
  if (v instanceof Set) return `new Set(${src(Array.from(v))})`;
  if (v instanceof Date) return `new Date(${src(v.getTime())})`;
  if (typeof v === 'object') {
    return `({${Object.keys(v).map((k) => `${JSON.stringify(k)}: ${src(v[k])}`).join(', ')}})`;
  }
  throw new Error(`src: unsupported ${typeof v}`);
}

const KEYS = ['a', 'b', 'key', 'x_1', 'with space', 'dash-key', '0', '12', 'ünï', '', 'constructor', 'a\nb', "q'uote"];

function randomPrimitive(r) {
  switch (r.int(0, 11)) {
    case 0: return r.int(-1000, 1000);
    case 1: return r.pick([0, -0, NaN, Infinity, -Infinity, 1.5, -2.25, 1e21, 1e-7, 2 ** 53, 0.1 + 0.2]);
    case 2: return r.unicode(r.int(0, 8));
    case 3: return r.fromAlphabet('abcdefgh', r.int(0, 30));
    case 4: return r.bool();
    case 5: return null;
    case 6: return undefined;
    case 7: return BigInt(r.int(-99999, 99999));
    case 8: return r.fromAlphabet('abc\n', r.int(10, 120));
    default: return r.int(0, 99);
  }
}

function randomValue(r, depth = 0, opts = {}) {
  const k = r.int(0, depth > 3 ? 2 : 9);
  if (k <= 3) return randomPrimitive(r);
  if (k <= 5) {
    const n = r.pick([0, 1, 2, 3, 5, 7, 8, 12, 30, r.int(0, 120)]);
    const arr = [];
    const simple = r.bool(0.5);
    for (let i = 0; i < n; i++) arr.push(simple ? r.int(-500, 5000) : randomValue(r, depth + 1, opts));
    if (opts.holes && r.bool(0.2) && n > 2) delete arr[r.int(0, n - 1)];
    return arr;
  }
  if (k <= 8) {
    const o = {};
    const n = r.int(0, 7);
    for (let i = 0; i < n; i++) o[r.pick(KEYS)] = randomValue(r, depth + 1, opts);
    return o;
  }
  if (opts.collections) {
    if (r.bool()) return new Map([[randomPrimitive(r), randomValue(r, depth + 1, opts)], [r.unicode(2), r.int(0, 9)]]);
    return new Set([randomPrimitive(r), r.int(0, 9), randomValue(r, depth + 1, opts)]);
  }
  return randomPrimitive(r);
}

module.exports = { rng, src, randomValue, randomPrimitive };
