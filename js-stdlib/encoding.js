// WHATWG Encoding (TextEncoder / TextDecoder) for QuickJS, which has neither.
// Behaviour follows the Encoding Standard as Node 20 (full ICU) exposes it:
// utf-8, utf-16le and windows-1252 decoders; the encoder is always utf-8.
'use strict';

const REPLACEMENT = 0xFFFD;

// String.fromCharCode.apply has an argument-count ceiling; stay well below it.
function codesToString(codes, n) {
  const len = n === undefined ? codes.length : n;
  if (len <= 8192) return String.fromCharCode.apply(null, len === codes.length ? codes : codes.slice(0, len));
  let out = '';
  for (let i = 0; i < len; i += 8192) {
    out += String.fromCharCode.apply(null, codes.slice(i, Math.min(i + 8192, len)));
  }
  return out;
}

function utf8ByteLength(str) {
  let n = 0;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < str.length) {
      const d = str.charCodeAt(i + 1);
      if (d >= 0xDC00 && d <= 0xDFFF) { n += 4; i++; } else n += 3;
    } else n += 3;
  }
  return n;
}

// Writes UTF-8 for `str` into `dest` from `offset`, never splitting a character
// (Node's buf.write and encodeInto both stop before a character that does not fit).
// Returns [codeUnitsRead, bytesWritten]. Lone surrogates become U+FFFD.
function utf8Write(str, dest, offset, max) {
  let p = offset;
  const end = offset + max;
  let i = 0;
  for (; i < str.length; i++) {
    let c = str.charCodeAt(i);
    let units = 1;
    if (c >= 0xD800 && c <= 0xDFFF) {
      if (c <= 0xDBFF && i + 1 < str.length) {
        const d = str.charCodeAt(i + 1);
        if (d >= 0xDC00 && d <= 0xDFFF) { c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00); units = 2; } else c = REPLACEMENT;
      } else c = REPLACEMENT;
    }
    if (c < 0x80) {
      if (p + 1 > end) break;
      dest[p++] = c;
    } else if (c < 0x800) {
      if (p + 2 > end) break;
      dest[p++] = 0xC0 | (c >> 6);
      dest[p++] = 0x80 | (c & 0x3F);
    } else if (c < 0x10000) {
      if (p + 3 > end) break;
      dest[p++] = 0xE0 | (c >> 12);
      dest[p++] = 0x80 | ((c >> 6) & 0x3F);
      dest[p++] = 0x80 | (c & 0x3F);
    } else {
      if (p + 4 > end) break;
      dest[p++] = 0xF0 | (c >> 18);
      dest[p++] = 0x80 | ((c >> 12) & 0x3F);
      dest[p++] = 0x80 | ((c >> 6) & 0x3F);
      dest[p++] = 0x80 | (c & 0x3F);
    }
    i += units - 1;
  }
  return [i, p - offset];
}

function utf8Encode(str) {
  const out = new Uint8Array(utf8ByteLength(str));
  utf8Write(str, out, 0, out.length);
  return out;
}

// The Encoding Standard's UTF-8 decoder: each maximal invalid subpart becomes one
// U+FFFD, and the byte that broke a sequence is examined again on its own.
// `state` carries an unfinished sequence across streaming calls.
function utf8DecodeInto(bytes, start, end, state, flush, fatal, codes) {
  let needed = state.needed, seen = state.seen, cp = state.cp, lower = state.lower, upper = state.upper;
  let n = codes.length;
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (needed === 0) {
      if (b < 0x80) { codes[n++] = b; continue; }
      if (b >= 0xC2 && b <= 0xDF) { needed = 1; cp = b & 0x1F; } else if (b >= 0xE0 && b <= 0xEF) {
        if (b === 0xE0) lower = 0xA0;
        if (b === 0xED) upper = 0x9F;
        needed = 2; cp = b & 0x0F;
      } else if (b >= 0xF0 && b <= 0xF4) {
        if (b === 0xF0) lower = 0x90;
        if (b === 0xF4) upper = 0x8F;
        needed = 3; cp = b & 0x07;
      } else {
        if (fatal) throw invalidData('utf-8');
        codes[n++] = REPLACEMENT;
      }
      continue;
    }
    if (b < lower || b > upper) {
      needed = 0; seen = 0; cp = 0; lower = 0x80; upper = 0xBF;
      if (fatal) throw invalidData('utf-8');
      codes[n++] = REPLACEMENT;
      i--;
      continue;
    }
    lower = 0x80; upper = 0xBF;
    cp = (cp << 6) | (b & 0x3F);
    if (++seen === needed) {
      if (cp >= 0x10000) {
        cp -= 0x10000;
        codes[n++] = 0xD800 + (cp >> 10);
        codes[n++] = 0xDC00 + (cp & 0x3FF);
      } else codes[n++] = cp;
      needed = 0; seen = 0; cp = 0;
    }
  }
  if (flush && needed !== 0) {
    needed = 0; seen = 0; cp = 0; lower = 0x80; upper = 0xBF;
    if (fatal) throw invalidData('utf-8');
    codes[n++] = REPLACEMENT;
  }
  state.needed = needed; state.seen = seen; state.cp = cp; state.lower = lower; state.upper = upper;
  return codes;
}

function freshUtf8State() { return { needed: 0, seen: 0, cp: 0, lower: 0x80, upper: 0xBF }; }

function utf8Decode(bytes, start, end) {
  return codesToString(utf8DecodeInto(bytes, start, end, freshUtf8State(), true, false, []));
}

function invalidData(enc) {
  const e = new TypeError(`The encoded data was not valid for encoding ${enc}`);
  e.code = 'ERR_ENCODING_INVALID_ENCODED_DATA';
  return e;
}

const LABELS = {};
for (const l of ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8']) LABELS[l] = 'utf-8';
for (const l of ['csunicode', 'iso-10646-ucs-2', 'ucs-2', 'unicode', 'unicodefeff', 'utf-16', 'utf-16le']) LABELS[l] = 'utf-16le';
for (const l of ['ansi_x3.4-1968', 'ascii', 'cp1252', 'cp819', 'csisolatin1', 'ibm819', 'iso-8859-1', 'iso-ir-100',
  'iso8859-1', 'iso88591', 'iso_8859-1', 'iso_8859-1:1987', 'l1', 'latin1', 'us-ascii', 'windows-1252', 'x-cp1252']) LABELS[l] = 'windows-1252';

function toBytes(input) {
  if (input === undefined) return new Uint8Array(0);
  if (input instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && input instanceof SharedArrayBuffer)) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  // Node's wording, odd argument name included.
  const e = new TypeError('The "list" argument must be an instance of SharedArrayBuffer, ArrayBuffer or ArrayBufferView.');
  e.code = 'ERR_INVALID_ARG_TYPE';
  throw e;
}

function describeReceived(v) {
  if (v === null) return ' Received null';
  if (typeof v === 'function') return ` Received function ${v.name}`;
  if (typeof v === 'object') {
    const c = v.constructor && v.constructor.name;
    return c ? ` Received an instance of ${c}` : ' Received [object Object]';
  }
  let shown = String(v);
  if (typeof v === 'string') shown = `'${v.length > 25 ? v.slice(0, 25) + '...' : v}'`;
  return ` Received type ${typeof v} (${shown})`;
}

class TextEncoder {
  get encoding() { return 'utf-8'; }
  encode(input = '') {
    return utf8Encode(String(input));
  }
  encodeInto(src, dest) {
    if (!(dest instanceof Uint8Array)) {
      const e = new TypeError('The "dest" argument must be an instance of Uint8Array.' + describeReceived(dest));
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    const r = utf8Write(String(src), dest, 0, dest.length);
    return { read: r[0], written: r[1] };
  }
  get [Symbol.toStringTag]() { return 'TextEncoder'; }
}

const kState = Symbol('decoderState');

class TextDecoder {
  constructor(label = 'utf-8', options = {}) {
    const key = String(label).trim().toLowerCase();
    const encoding = Object.prototype.hasOwnProperty.call(LABELS, key) ? LABELS[key] : undefined;
    if (encoding === undefined) {
      const e = new RangeError(`The "${label}" encoding is not supported`);
      e.code = 'ERR_ENCODING_NOT_SUPPORTED';
      throw e;
    }
    if (options !== undefined && options !== null && typeof options !== 'object' && typeof options !== 'function') {
      const e = new TypeError('The "options" argument must be of type object.' + describeReceived(options));
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    const opts = options || {};
    this[kState] = {
      encoding,
      fatal: Boolean(opts.fatal),
      ignoreBOM: Boolean(opts.ignoreBOM),
      bomSeen: false,
      utf8: freshUtf8State(),
      pendingByte: -1, // utf-16le: odd byte carried to the next chunk
      pendingHigh: -1, // utf-16le: high surrogate carried to the next chunk
    };
  }
  get encoding() { return this[kState].encoding; }
  get fatal() { return this[kState].fatal; }
  get ignoreBOM() { return this[kState].ignoreBOM; }
  get [Symbol.toStringTag]() { return 'TextDecoder'; }

  decode(input = undefined, options = {}) {
    const st = this[kState];
    const bytes = toBytes(input);
    const stream = Boolean(options && options.stream);
    let codes;
    if (st.encoding === 'utf-8') {
      codes = utf8DecodeInto(bytes, 0, bytes.length, st.utf8, !stream, st.fatal, []);
    } else if (st.encoding === 'utf-16le') {
      codes = this._utf16(bytes, stream);
    } else {
      // Node 20 decodes the windows-1252 labels as plain ISO-8859-1 (0x80-0x9F stay
      // C1 controls rather than the cp1252 punctuation); we match Node, not WHATWG.
      codes = Array.from(bytes);
    }
    // The BOM is only dropped once per stream, at its very start.
    let from = 0;
    if (!st.bomSeen && codes.length > 0) {
      st.bomSeen = true;
      if (!st.ignoreBOM && st.encoding !== 'windows-1252' && codes[0] === 0xFEFF) from = 1;
    }
    const out = codesToString(from ? codes.slice(from) : codes);
    if (!stream) st.bomSeen = false;
    return out;
  }

  _utf16(bytes, stream) {
    const st = this[kState];
    const codes = [];
    let i = 0;
    const units = [];
    if (st.pendingByte >= 0 && bytes.length > 0) {
      units.push(st.pendingByte | (bytes[0] << 8));
      st.pendingByte = -1;
      i = 1;
    }
    for (; i + 1 < bytes.length; i += 2) units.push(bytes[i] | (bytes[i + 1] << 8));
    if (i < bytes.length) st.pendingByte = bytes[i];
    let high = st.pendingHigh;
    st.pendingHigh = -1;
    for (const u of units) {
      if (high >= 0) {
        if (u >= 0xDC00 && u <= 0xDFFF) { codes.push(high, u); high = -1; continue; }
        if (st.fatal) throw invalidData('utf-16le');
        codes.push(REPLACEMENT);
        high = -1;
      }
      if (u >= 0xD800 && u <= 0xDBFF) high = u;
      else if (u >= 0xDC00 && u <= 0xDFFF) {
        if (st.fatal) throw invalidData('utf-16le');
        codes.push(REPLACEMENT);
      } else codes.push(u);
    }
    if (stream) {
      st.pendingHigh = high;
    } else {
      if (high >= 0 || st.pendingByte >= 0) {
        if (st.fatal) { st.pendingByte = -1; throw invalidData('utf-16le'); }
        codes.push(REPLACEMENT);
      }
      st.pendingByte = -1;
    }
    return codes;
  }
}

module.exports = { TextEncoder, TextDecoder };
// Shared with buffer.js so both modules replace invalid UTF-8 identically.
Object.defineProperty(module.exports, '__utf8', {
  value: { encode: utf8Encode, write: utf8Write, decode: utf8Decode, byteLength: utf8ByteLength, codesToString },
  enumerable: false,
});
