// Node's legacy `querystring` module. Output must equal Node 20's byte for byte,
// including how it tolerates malformed percent escapes.
'use strict';

const utf8 = require('encoding').__utf8;

function hexDigit(c) {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

// Byte-level fallback used when decodeURIComponent rejects the input: valid %XX
// pairs become bytes, anything else is kept, and each other UTF-16 unit is stored
// as a single byte (its low 8 bits) — Node does the same, so non-Latin-1 text
// next to a bad escape degrades the same way. Returns a Buffer.
function unescapeBuffer(s, decodeSpaces) {
  s = String(s);
  const bytes = new Uint8Array(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 43 && decodeSpaces) { bytes[n++] = 32; continue; }
    if (c === 37 && i < s.length - 2) {
      const hi = hexDigit(s.charCodeAt(i + 1));
      const lo = hi < 0 ? -1 : hexDigit(s.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        bytes[n++] = hi * 16 + lo;
        i += 2;
        continue;
      }
    }
    bytes[n++] = c;
  }
  const { Buffer } = require('buffer');
  return Buffer.from(bytes.buffer, 0, n);
}

function unescape(s, decodeSpaces) {
  try {
    return decodeURIComponent(s);
  } catch (e) {
    const bytes = unescapeBuffer(s, decodeSpaces);
    return utf8.decode(bytes, 0, bytes.length);
  }
}

function escape(str) {
  if (typeof str !== 'string') {
    if (typeof str === 'object') str = String(str);
    else str += '';
  }
  // Like encodeURIComponent, except for surrogates: Node pairs any surrogate with
  // the following code unit (low 10 bits of each) and only fails when a surrogate
  // is the last unit.
  let out = '';
  let last = 0;
  const pct = (b) => `%${b < 16 ? '0' : ''}${b.toString(16).toUpperCase()}`;
  for (let i = 0; i < str.length; i++) {
    let c = str.charCodeAt(i);
    if (c < 0x80 && UNRESERVED[c]) continue;
    if (last < i) out += str.slice(last, i);
    if (c < 0x80) out += pct(c);
    else if (c < 0x800) out += pct(0xC0 | (c >> 6)) + pct(0x80 | (c & 0x3F));
    else if (c < 0xD800 || c >= 0xE000) out += pct(0xE0 | (c >> 12)) + pct(0x80 | ((c >> 6) & 0x3F)) + pct(0x80 | (c & 0x3F));
    else {
      if (++i >= str.length) {
        const err = new URIError('URI malformed');
        err.code = 'ERR_INVALID_URI';
        throw err;
      }
      c = 0x10000 + (((c & 0x3FF) << 10) | (str.charCodeAt(i) & 0x3FF));
      out += pct(0xF0 | (c >> 18)) + pct(0x80 | ((c >> 12) & 0x3F)) + pct(0x80 | ((c >> 6) & 0x3F)) + pct(0x80 | (c & 0x3F));
    }
    last = i + 1;
  }
  return last === 0 ? str : out + str.slice(last);
}

const UNRESERVED = new Uint8Array(128);
for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()") UNRESERVED[ch.charCodeAt(0)] = 1;

function primitiveText(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return `${v}`;
  if (typeof v === 'bigint') return `${v}`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return '';
}

function stringify(obj, sep, eq, options) {
  sep = sep || '&';
  eq = eq || '=';
  const defaultEncode = module.exports.escape;
  let encode = defaultEncode;
  if (options && typeof options.encodeURIComponent === 'function') encode = options.encodeURIComponent;
  const custom = encode !== escape;
  const convert = (v) => {
    if (custom) return encode(primitiveText(v));
    if (typeof v === 'string') return v.length ? encode(v) : '';
    // 1e21 and up print with an exponent containing '+', which must be escaped.
    if (typeof v === 'number' && Number.isFinite(v)) return Math.abs(v) < 1e21 ? `${v}` : encode(`${v}`);
    return primitiveText(v);
  };
  if (obj === null || typeof obj !== 'object') return '';
  let out = '';
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    const prefix = convert(k) + eq;
    if (Array.isArray(v)) {
      if (v.length === 0) continue;
      if (out) out += sep;
      for (let j = 0; j < v.length; j++) {
        if (j) out += sep;
        out += prefix + convert(v[j]);
      }
    } else {
      if (out) out += sep;
      out += prefix + convert(v);
    }
  }
  return out;
}


function isHex(c) { return hexDigit(c) >= 0; }

function parse(qs, sep, eq, options) {
  // Null prototype, as in Node: keys like "constructor" or "__proto__" are ordinary data.
  const obj = Object.create(null);
  if (typeof qs !== 'string' || qs.length === 0) return obj;
  const sepStr = sep ? String(sep) : '&';
  const eqStr = eq ? String(eq) : '=';
  let budget = 1000;
  if (options && typeof options.maxKeys === 'number') budget = options.maxKeys > 0 ? options.maxKeys : -1;
  let decode = module.exports.unescape;
  if (options && typeof options.decodeURIComponent === 'function') decode = options.decodeURIComponent;
  const custom = decode !== unescape;
  // '+' is turned into something the decoder maps to a space.
  const plus = custom ? '%20' : ' ';

  const tryDecode = (s) => {
    try { return decode(s); } catch (e) { return module.exports.unescape(s, true); }
  };
  const store = (key, value, keyEsc, valEsc) => {
    if (key.length > 0 && keyEsc) key = tryDecode(key);
    if (value.length > 0 && valEsc) value = tryDecode(value);
    const cur = obj[key];
    if (cur === undefined) obj[key] = value;
    else if (Array.isArray(cur)) cur.push(value);
    else obj[key] = [cur, value];
  };

  // Scanner state. Separators are matched greedily without backtracking: a
  // partial match that fails is not re-tried from the failing character.
  let from = 0; // start of text not yet copied into key/value
  let sepHit = 0; // chars of `sep` matched so far
  let eqHit = 0; // chars of `eq` matched so far (== eqStr.length once in the value)
  let key = '';
  let value = '';
  let keyEsc = custom;
  let valEsc = custom;
  // Counts '%', hex, hex of a potential escape; decoding is only attempted for
  // text that contained a complete one (or a '+').
  let escRun = 0;
  const trackEscape = (c) => {
    if (c === 37) { escRun = 1; return false; }
    if (escRun > 0) {
      if (isHex(c)) return ++escRun === 3;
      escRun = 0;
    }
    return false;
  };

  for (let i = 0; i < qs.length; i++) {
    const c = qs.charCodeAt(i);
    if (c === sepStr.charCodeAt(sepHit)) {
      if (++sepHit < sepStr.length) continue;
      const end = i - sepHit + 1;
      if (eqHit < eqStr.length) {
        if (from < end) key += qs.slice(from, end);
        else if (key.length === 0) {
          // Empty pair ("&&") still uses up one of maxKeys.
          if (--budget === 0) return obj;
          from = i + 1;
          sepHit = eqHit = 0;
          continue;
        }
      } else if (from < end) value += qs.slice(from, end);
      store(key, value, keyEsc, valEsc);
      if (--budget === 0) return obj;
      keyEsc = valEsc = custom;
      key = value = '';
      escRun = 0;
      from = i + 1;
      sepHit = eqHit = 0;
      continue;
    }
    sepHit = 0;
    if (eqHit < eqStr.length) {
      if (c === eqStr.charCodeAt(eqHit)) {
        if (++eqHit === eqStr.length) {
          const end = i - eqHit + 1;
          if (from < end) key += qs.slice(from, end);
          escRun = 0;
          from = i + 1;
        }
        continue;
      }
      eqHit = 0;
      if (!keyEsc) {
        if (c === 37 || (escRun > 0 && isHex(c))) {
          if (trackEscape(c)) keyEsc = true;
          continue;
        }
        escRun = 0;
      }
      if (c === 43) {
        if (from < i) key += qs.slice(from, i);
        key += plus;
        from = i + 1;
        continue;
      }
    }
    if (c === 43) {
      if (from < i) value += qs.slice(from, i);
      value += plus;
      from = i + 1;
    } else if (!valEsc) {
      // Once the key is known to need decoding, escapes later in the key also
      // mark the value (Node shares one tracker between them).
      if (trackEscape(c)) valEsc = true;
    }
  }

  if (from < qs.length) {
    if (eqHit < eqStr.length) key += qs.slice(from);
    else if (sepHit < sepStr.length) value += qs.slice(from);
  } else if (eqHit === 0 && key.length === 0) {
    return obj;
  }
  store(key, value, keyEsc, valEsc);
  return obj;
}

module.exports = {
  unescapeBuffer,
  unescape,
  escape,
  stringify,
  encode: stringify,
  parse,
  decode: parse,
};
