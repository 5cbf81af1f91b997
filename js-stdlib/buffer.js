// Node's `buffer` module for hooks, over a Uint8Array subclass. Written against
// Node 20's documented and observed behaviour (tests/stdlib compares byte for byte).
'use strict';

const utf8 = require('encoding').__utf8;

const kMaxLength = 4294967296;
const kStringMaxLength = 536870888;
const INSPECT_MAX_BYTES = 50;
const customInspect = Symbol.for('nodejs.util.inspect.custom');

// ---------------------------------------------------------------- errors

function describeReceived(value) {
  if (value === null || value === undefined) return ` Received ${value}`;
  if (typeof value === 'function') return ` Received function ${value.name}`;
  if (typeof value === 'object') {
    if (value.constructor && value.constructor.name) return ` Received an instance of ${value.constructor.name}`;
    return ' Received [object Object]';
  }
  let shown;
  if (typeof value === 'string') shown = `'${value}'`;
  else if (typeof value === 'bigint') shown = `${value}n`;
  else if (typeof value === 'symbol') shown = value.toString();
  else shown = Object.is(value, -0) ? '-0' : String(value);
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return ` Received type ${typeof value} (${shown})`;
}

function withCode(err, code) {
  Object.defineProperty(err, 'code', { value: code, enumerable: true, writable: true, configurable: true });
  return err;
}

function listTypes(types) {
  if (types.length === 1) return types[0];
  if (types.length === 2) return `${types[0]} or ${types[1]}`;
  return `${types.slice(0, -1).join(', ')}, or ${types[types.length - 1]}`;
}

// `kinds` is [primitive type names, instance names]
function errInvalidArgType(name, types, instances, value) {
  const label = name.endsWith(' argument') ? name : `"${name}" ${name.includes('.') ? 'property' : 'argument'}`;
  let msg = `The ${label} must be `;
  const parts = [];
  if (types.length) parts.push(types.length === 1 ? `of type ${types[0]}` : `one of type ${listTypes(types)}`);
  if (instances.length) parts.push(`an instance of ${listTypes(instances)}`);
  msg += parts.join(' or ') + '.' + describeReceived(value);
  return withCode(new TypeError(msg), 'ERR_INVALID_ARG_TYPE');
}

function addSeparators(s) {
  let res = '';
  let i = s.length;
  const start = s[0] === '-' ? 1 : 0;
  for (; i >= start + 4; i -= 3) res = `_${s.slice(i - 3, i)}${res}`;
  return `${s.slice(0, i)}${res}`;
}

function errOutOfRange(name, range, value) {
  let received;
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) > 2 ** 32) received = addSeparators(String(value));
  else if (typeof value === 'bigint') {
    received = String(value);
    if (value > 2n ** 32n || value < -(2n ** 32n)) received = addSeparators(received);
    received += 'n';
  } else if (typeof value === 'string') received = `'${value}'`;
  else received = Object.is(value, -0) ? '-0' : String(value);
  return withCode(new RangeError(`The value of "${name}" is out of range. It must be ${range}. Received ${received}`), 'ERR_OUT_OF_RANGE');
}

function errUnknownEncoding(enc) {
  return withCode(new TypeError(`Unknown encoding: ${enc}`), 'ERR_UNKNOWN_ENCODING');
}

function errBufferOutOfBounds(name) {
  const msg = name ? `"${name}" is outside of buffer bounds` : 'Attempt to access memory outside buffer bounds';
  return withCode(new RangeError(msg), 'ERR_BUFFER_OUT_OF_BOUNDS');
}

function validateNumber(value, name, min, max) {
  if (typeof value !== 'number') throw errInvalidArgType(name, ['number'], [], value);
  if ((min !== undefined && value < min) || (max !== undefined && value > max) ||
      ((min !== undefined || max !== undefined) && Number.isNaN(value))) {
    throw errOutOfRange(name, `${min !== undefined ? `>= ${min}` : ''}${min !== undefined && max !== undefined ? ' && ' : ''}${max !== undefined ? `<= ${max}` : ''}`, value);
  }
}

function validateOffset(value, name, min = 0, max = kMaxLength) {
  if (typeof value !== 'number') throw errInvalidArgType(name, ['number'], [], value);
  if (!Number.isInteger(value)) throw errOutOfRange(name, 'an integer', value);
  if (value < min || value > max) throw errOutOfRange(name, `>= ${min} && <= ${max}`, value);
}

function isUint8Array(v) { return v instanceof Uint8Array; }
function isAnyArrayBuffer(v) {
  return v instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer);
}

// ---------------------------------------------------------------- encodings

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Node's decoder takes either alphabet in both 'base64' and 'base64url'.
const B64_VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < 64; i++) { B64_VALUE[B64.charCodeAt(i)] = i; B64_VALUE[B64URL.charCodeAt(i)] = i; }

function base64ByteLength(str, bytes) {
  if (str.charCodeAt(bytes - 1) === 0x3D) bytes--;
  if (bytes > 1 && str.charCodeAt(bytes - 1) === 0x3D) bytes--;
  return (bytes * 3) >>> 2;
}

// Forgiving decode: characters outside both alphabets are skipped and the first
// '=' ends the input, wherever it is. Leftover 2 or 3 symbols still yield bytes.
function base64Decode(str, dest, offset, max) {
  let acc = 0, bits = 0, p = offset;
  const end = offset + max;
  for (let i = 0; i < str.length && p < end; i++) {
    // Node's native decoder looks only at the low byte of each UTF-16 unit.
    const c = str.charCodeAt(i) & 0xFF;
    if (c === 0x3D) break;
    const v = B64_VALUE[c];
    if (v < 0) continue;
    acc = ((acc << 6) | v) & 0xFFFFFF;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      dest[p++] = (acc >> bits) & 0xFF;
    }
  }
  return p - offset;
}

function base64Encode(bytes, start, end, url) {
  const alphabet = url ? B64URL : B64;
  const codes = [];
  let i = start;
  for (; i + 2 < end; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    codes.push(alphabet.charCodeAt(n >> 18), alphabet.charCodeAt((n >> 12) & 63), alphabet.charCodeAt((n >> 6) & 63), alphabet.charCodeAt(n & 63));
  }
  const rest = end - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    codes.push(alphabet.charCodeAt(n >> 18), alphabet.charCodeAt((n >> 12) & 63));
    if (!url) codes.push(0x3D, 0x3D);
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    codes.push(alphabet.charCodeAt(n >> 18), alphabet.charCodeAt((n >> 12) & 63), alphabet.charCodeAt((n >> 6) & 63));
    if (!url) codes.push(0x3D);
  }
  return utf8.codesToString(codes);
}

function hexValue(c) {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function bytesToLatin1(bytes, start, end, mask) {
  let out = '';
  for (let i = start; i < end; i += 8192) {
    const chunk = bytes.subarray(i, Math.min(i + 8192, end));
    out += String.fromCharCode.apply(null, mask === 0xFF ? chunk : Array.from(chunk, (b) => b & mask));
  }
  return out;
}

function singleByteWrite(buf, str, offset, max) {
  const n = Math.min(str.length, max);
  for (let i = 0; i < n; i++) buf[offset + i] = str.charCodeAt(i);
  return n;
}

const HEX = [];
for (let i = 0; i < 256; i++) HEX.push((i < 16 ? '0' : '') + i.toString(16));

const ENCODINGS = {
  utf8: {
    byteLength: (s) => utf8.byteLength(s),
    write: (buf, s, off, max) => utf8.write(s, buf, off, max)[1],
    slice: (buf, start, end) => utf8.decode(buf, start, end),
  },
  ucs2: {
    byteLength: (s) => s.length * 2,
    write(buf, s, off, max) {
      const n = Math.min(s.length, max >>> 1);
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        buf[off + 2 * i] = c & 0xFF;
        buf[off + 2 * i + 1] = c >>> 8;
      }
      return n * 2;
    },
    slice(buf, start, end) {
      const codes = [];
      for (let i = start; i + 1 < end; i += 2) codes.push(buf[i] | (buf[i + 1] << 8));
      return utf8.codesToString(codes);
    },
  },
  latin1: {
    byteLength: (s) => s.length,
    write: singleByteWrite,
    slice: (buf, start, end) => bytesToLatin1(buf, start, end, 0xFF),
  },
  ascii: {
    byteLength: (s) => s.length,
    write: singleByteWrite,
    slice: (buf, start, end) => bytesToLatin1(buf, start, end, 0x7F),
  },
  hex: {
    byteLength: (s) => s.length >>> 1,
    write(buf, s, off, max) {
      const n = Math.min(s.length >>> 1, max);
      let i = 0;
      for (; i < n; i++) {
        const hi = hexValue(s.charCodeAt(2 * i) & 0xFF); // low byte only, as Node's native decoder
        const lo = hexValue(s.charCodeAt(2 * i + 1) & 0xFF);
        if (hi < 0 || lo < 0) break;
        buf[off + i] = (hi << 4) | lo;
      }
      return i;
    },
    slice(buf, start, end) {
      let out = '';
      for (let i = start; i < end; i++) out += HEX[buf[i]];
      return out;
    },
  },
  base64: {
    byteLength: (s) => base64ByteLength(s, s.length),
    write: (buf, s, off, max) => base64Decode(s, buf, off, max),
    slice: (buf, start, end) => base64Encode(buf, start, end, false),
  },
  base64url: {
    byteLength: (s) => base64ByteLength(s, s.length),
    write: (buf, s, off, max) => base64Decode(s, buf, off, max),
    slice: (buf, start, end) => base64Encode(buf, start, end, true),
  },
};

const ALIASES = {
  utf8: 'utf8', 'utf-8': 'utf8',
  ucs2: 'ucs2', 'ucs-2': 'ucs2', utf16le: 'ucs2', 'utf-16le': 'ucs2',
  latin1: 'latin1', binary: 'latin1',
  ascii: 'ascii', hex: 'hex', base64: 'base64', base64url: 'base64url',
};

function normalizeEncoding(enc) {
  if (enc === undefined || enc === null) return 'utf8';
  const key = String(enc).toLowerCase();
  return Object.prototype.hasOwnProperty.call(ALIASES, key) ? ALIASES[key] : undefined;
}

function encodingOps(enc) {
  const name = normalizeEncoding(String(enc));
  return name === undefined ? undefined : ENCODINGS[name];
}

// ---------------------------------------------------------------- Buffer

// The real class; `Buffer` itself is a plain function so that legacy
// `Buffer(x)` calls without `new` keep working, as they do in Node.
class FastBuffer extends Uint8Array {}

function Buffer(arg, encodingOrOffset, length) {
  if (typeof arg === 'number') {
    if (typeof encodingOrOffset === 'string') throw errInvalidArgType('string', ['string'], [], arg);
    return Buffer.alloc(arg);
  }
  return Buffer.from(arg, encodingOrOffset, length);
}
Object.setPrototypeOf(Buffer, Uint8Array);
Buffer.prototype = FastBuffer.prototype;
Object.defineProperty(FastBuffer.prototype, 'constructor', { value: Buffer, writable: true, configurable: true, enumerable: false });

Buffer.poolSize = 8192;

function fromString(str, encoding) {
  let ops;
  if (typeof encoding !== 'string' || encoding.length === 0) ops = ENCODINGS.utf8;
  else {
    ops = encodingOps(encoding);
    if (ops === undefined) throw errUnknownEncoding(encoding);
  }
  const cap = ops.byteLength(str);
  const buf = new FastBuffer(cap);
  const written = ops.write(buf, str, 0, cap);
  return written === cap ? buf : new FastBuffer(buf.buffer, 0, written);
}

function fromArrayBuffer(ab, byteOffset, length) {
  if (byteOffset === undefined) byteOffset = 0;
  else {
    byteOffset = +byteOffset;
    if (Number.isNaN(byteOffset)) byteOffset = 0;
  }
  const maxLength = ab.byteLength - byteOffset;
  if (maxLength < 0) throw errBufferOutOfBounds('offset');
  if (length === undefined) length = maxLength;
  else {
    length = +length;
    if (length > 0) {
      if (length > maxLength) throw errBufferOutOfBounds('length');
    } else length = 0;
  }
  return new FastBuffer(ab, byteOffset, length);
}

function fromArrayLike(obj) {
  const len = obj.length;
  const buf = new FastBuffer(len);
  for (let i = 0; i < len; i++) buf[i] = obj[i];
  return buf;
}

Buffer.from = function from(value, encodingOrOffset, length) {
  if (typeof value === 'string') return fromString(value, encodingOrOffset);
  if (typeof value === 'object' && value !== null) {
    if (isAnyArrayBuffer(value)) return fromArrayBuffer(value, encodingOrOffset, length);
    const prim = value.valueOf && value.valueOf();
    if (prim != null && prim !== value && (typeof prim === 'string' || typeof prim === 'object')) {
      return Buffer.from(prim, encodingOrOffset, length);
    }
    if (isUint8Array(value)) {
      const buf = new FastBuffer(value.length);
      buf.set(value);
      return buf;
    }
    if (value.length !== undefined || isAnyArrayBuffer(value.buffer)) {
      if (typeof value.length !== 'number') return new FastBuffer(0);
      return fromArrayLike(value);
    }
    if (value.type === 'Buffer' && Array.isArray(value.data)) return fromArrayLike(value.data);
    if (typeof value[Symbol.toPrimitive] === 'function') {
      const p = value[Symbol.toPrimitive]('string');
      if (typeof p === 'string') return fromString(p, encodingOrOffset);
    }
  }
  throw withCode(new TypeError('The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array ' +
    `or an Array-like Object.${describeReceived(value)}`), 'ERR_INVALID_ARG_TYPE');
};

Buffer.of = function of(...items) {
  const buf = new FastBuffer(items.length);
  for (let i = 0; i < items.length; i++) buf[i] = items[i];
  return buf;
};

Buffer.alloc = function alloc(size, fill, encoding) {
  validateNumber(size, 'size', 0, kMaxLength);
  const buf = new FastBuffer(size);
  if (fill !== undefined && fill !== 0 && buf.length > 0) return fillImpl(buf, fill, 0, buf.length, encoding);
  return buf;
};

Buffer.allocUnsafe = function allocUnsafe(size) {
  validateNumber(size, 'size', 0, kMaxLength);
  return new FastBuffer(size);
};
Buffer.allocUnsafeSlow = Buffer.allocUnsafe;

Buffer.isBuffer = function isBuffer(b) { return b instanceof FastBuffer; };

Buffer.isEncoding = function isEncoding(enc) {
  return typeof enc === 'string' && enc.length !== 0 && normalizeEncoding(enc) !== undefined;
};

Buffer.byteLength = function byteLength(string, encoding) {
  if (typeof string !== 'string') {
    if (ArrayBuffer.isView(string) || isAnyArrayBuffer(string)) return string.byteLength;
    throw errInvalidArgType('string', ['string'], ['Buffer', 'ArrayBuffer'], string);
  }
  if (string.length === 0) return 0;
  const ops = encoding ? encodingOps(encoding) : undefined;
  return (ops || ENCODINGS.utf8).byteLength(string);
};

function compareBytes(a, aStart, aEnd, b, bStart, bEnd) {
  const n = Math.min(aEnd - aStart, bEnd - bStart);
  for (let i = 0; i < n; i++) {
    const x = a[aStart + i], y = b[bStart + i];
    if (x !== y) return x < y ? -1 : 1;
  }
  const la = aEnd - aStart, lb = bEnd - bStart;
  return la < lb ? -1 : la > lb ? 1 : 0;
}

Buffer.compare = function compare(buf1, buf2) {
  if (!isUint8Array(buf1)) throw errInvalidArgType('buf1', [], ['Buffer', 'Uint8Array'], buf1);
  if (!isUint8Array(buf2)) throw errInvalidArgType('buf2', [], ['Buffer', 'Uint8Array'], buf2);
  if (buf1 === buf2) return 0;
  return compareBytes(buf1, 0, buf1.length, buf2, 0, buf2.length);
};

Buffer.concat = function concat(list, length) {
  if (!Array.isArray(list)) throw errInvalidArgType('list', [], ['Array'], list);
  if (list.length === 0) return new FastBuffer(0);
  if (length === undefined) {
    length = 0;
    for (let i = 0; i < list.length; i++) if (list[i].length) length += list[i].length;
  } else validateOffset(length, 'length');
  const out = new FastBuffer(length);
  let pos = 0;
  for (let i = 0; i < list.length; i++) {
    const b = list[i];
    if (!isUint8Array(b)) throw errInvalidArgType(`list[${i}]`, [], ['Buffer', 'Uint8Array'], b);
    const n = Math.min(b.length, length - pos);
    if (n <= 0) continue;
    out.set(n === b.length ? b : b.subarray(0, n), pos);
    pos += n;
  }
  return out;
};

// ---------------------------------------------------------------- prototype

const proto = FastBuffer.prototype;

function define(name, fn) {
  Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true, enumerable: false });
}

define('toString', function toString(encoding, start, end) {
  if (arguments.length === 0) return utf8.decode(this, 0, this.length);
  const len = this.length;
  if (start <= 0) start = 0;
  else if (start >= len) return '';
  else start = Math.trunc(start) || 0;
  if (end === undefined || end > len) end = len;
  else end = Math.trunc(end) || 0;
  if (end <= start) return '';
  if (encoding === undefined) return utf8.decode(this, start, end);
  const ops = encodingOps(encoding);
  if (ops === undefined) throw errUnknownEncoding(encoding);
  return ops.slice(this, start, end);
});
define('toLocaleString', proto.toString);

define('toJSON', function toJSON() {
  const data = new Array(this.length);
  for (let i = 0; i < this.length; i++) data[i] = this[i];
  return { type: 'Buffer', data };
});

define('equals', function equals(other) {
  if (!isUint8Array(other)) throw errInvalidArgType('otherBuffer', [], ['Buffer', 'Uint8Array'], other);
  if (this === other) return true;
  if (this.length !== other.length) return false;
  return compareBytes(this, 0, this.length, other, 0, other.length) === 0;
});

define('compare', function compare(target, targetStart, targetEnd, sourceStart, sourceEnd) {
  if (!isUint8Array(target)) throw errInvalidArgType('target', [], ['Buffer', 'Uint8Array'], target);
  if (targetStart === undefined) targetStart = 0; else validateOffset(targetStart, 'targetStart');
  if (targetEnd === undefined) targetEnd = target.length; else validateOffset(targetEnd, 'targetEnd', 0, target.length);
  if (sourceStart === undefined) sourceStart = 0; else validateOffset(sourceStart, 'sourceStart');
  if (sourceEnd === undefined) sourceEnd = this.length; else validateOffset(sourceEnd, 'sourceEnd', 0, this.length);
  if (sourceStart >= sourceEnd) return targetStart >= targetEnd ? 0 : -1;
  if (targetStart >= targetEnd) return 1;
  if (targetStart > target.length) throw errOutOfRange('targetStart', `>= 0 && <= ${target.length}`, targetStart);
  if (sourceStart > this.length) throw errOutOfRange('sourceStart', `>= 0 && <= ${this.length}`, sourceStart);
  return compareBytes(this, sourceStart, sourceEnd, target, targetStart, targetEnd);
});

function clampIndex(offset, length) {
  offset = Math.trunc(offset);
  if (offset === 0 || Number.isNaN(offset)) return 0;
  if (offset < 0) {
    offset += length;
    return offset > 0 ? offset : 0;
  }
  return offset < length ? offset : length;
}

define('slice', function slice(start, end) {
  const len = this.length;
  start = clampIndex(start, len);
  end = end !== undefined ? clampIndex(end, len) : len;
  return new FastBuffer(this.buffer, this.byteOffset + start, end > start ? end - start : 0);
});

define('write', function write(string, offset, length, encoding) {
  if (typeof string !== 'string') throw withCode(new TypeError('argument must be a string'), 'ERR_INVALID_ARG_TYPE');
  if (offset === undefined) return ENCODINGS.utf8.write(this, string, 0, this.length);
  if (length === undefined && typeof offset === 'string') {
    encoding = offset;
    length = this.length;
    offset = 0;
  } else {
    validateOffset(offset, 'offset', 0, this.length);
    const remaining = this.length - offset;
    if (length === undefined) length = remaining;
    else if (typeof length === 'string') {
      encoding = length;
      length = remaining;
    } else {
      validateOffset(length, 'length', 0, this.length);
      if (length > remaining) length = remaining;
    }
  }
  if (!encoding) return ENCODINGS.utf8.write(this, string, offset, length);
  const ops = encodingOps(encoding);
  if (ops === undefined) throw errUnknownEncoding(encoding);
  return ops.write(this, string, offset, length);
});

function fillImpl(buf, value, offset, end, encoding) {
  if (typeof value === 'string') {
    if (offset === undefined || typeof offset === 'string') {
      encoding = offset;
      offset = 0;
      end = buf.length;
    } else if (typeof end === 'string') {
      encoding = end;
      end = buf.length;
    }
    const norm = normalizeEncoding(encoding);
    if (norm === undefined) {
      if (typeof encoding !== 'string') throw errInvalidArgType('encoding', ['string'], [], encoding);
      throw errUnknownEncoding(encoding);
    }
    if (value.length === 0) value = 0;
    else if (value.length === 1) {
      if (norm === 'utf8') {
        const c = value.charCodeAt(0);
        if (c < 128) value = c;
      } else if (norm === 'latin1') value = value.charCodeAt(0);
    }
  } else encoding = undefined;

  if (offset === undefined) {
    offset = 0;
    end = buf.length;
  } else {
    validateOffset(offset, 'offset');
    if (end === undefined) end = buf.length;
    else validateOffset(end, 'end', 0, buf.length);
    if (offset >= end) return buf;
  }

  if (typeof value === 'number' || typeof value === 'boolean' || !(typeof value === 'string' || isUint8Array(value) || ArrayBuffer.isView(value))) {
    Uint8Array.prototype.fill.call(buf, (Number(value) >>> 0) & 0xFF, offset, end);
    return buf;
  }
  let bytes;
  if (typeof value === 'string') bytes = fromString(value, encoding);
  else bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (bytes.length === 0) {
    const shown = typeof value === 'string' ? `'${value}'` : (Buffer.isBuffer(value) ? inspectBuffer(value) : String(value));
    throw withCode(new TypeError(`The argument 'value' is invalid. Received ${shown}`), 'ERR_INVALID_ARG_VALUE');
  }
  for (let p = offset; p < end; p += bytes.length) {
    const n = Math.min(bytes.length, end - p);
    buf.set(n === bytes.length ? bytes : bytes.subarray(0, n), p);
  }
  return buf;
}

define('fill', function fill(value, offset, end, encoding) {
  return fillImpl(this, value, offset, end, encoding);
});

function toInteger(n, dflt) {
  n = +n;
  if (!Number.isNaN(n) && n >= Number.MIN_SAFE_INTEGER && n <= Number.MAX_SAFE_INTEGER) return n % 1 === 0 ? n : Math.floor(n);
  return dflt;
}

define('copy', function copy(target, targetStart, sourceStart, sourceEnd) {
  if (!isUint8Array(this)) throw errInvalidArgType('source', [], ['Buffer', 'Uint8Array'], this);
  if (!isUint8Array(target)) throw errInvalidArgType('target', [], ['Buffer', 'Uint8Array'], target);
  if (targetStart === undefined) targetStart = 0;
  else {
    targetStart = toInteger(targetStart, 0);
    if (targetStart < 0) throw errOutOfRange('targetStart', '>= 0', targetStart);
  }
  if (sourceStart === undefined) sourceStart = 0;
  else {
    sourceStart = toInteger(sourceStart, 0);
    if (sourceStart < 0 || sourceStart > this.length) throw errOutOfRange('sourceStart', `>= 0 && <= ${this.length}`, sourceStart);
  }
  if (sourceEnd === undefined) sourceEnd = this.length;
  else {
    sourceEnd = toInteger(sourceEnd, 0);
    if (sourceEnd < 0) throw errOutOfRange('sourceEnd', '>= 0', sourceEnd);
  }
  if (targetStart >= target.length || sourceStart >= sourceEnd) return 0;
  if (sourceEnd - sourceStart > target.length - targetStart) sourceEnd = sourceStart + target.length - targetStart;
  let n = sourceEnd - sourceStart;
  if (n > this.length - sourceStart) n = this.length - sourceStart;
  // TypedArray#set copies as if through a temporary, so overlapping ranges are safe.
  target.set(new Uint8Array(this.buffer, this.byteOffset + sourceStart, n), targetStart);
  return n;
});

// Offsets are converted the way Node's native search does (int64 clamp).
function searchStart(length, offset, needleLength, forward) {
  if (offset < 0) {
    if (offset + length >= 0) return length + offset;
    if (forward || needleLength === 0) return 0;
    return -1;
  }
  if (offset + needleLength <= length) return offset;
  if (needleLength === 0) return length;
  if (forward) return -1;
  return length - 1;
}

function indexOfImpl(buf, value, byteOffset, encoding, forward) {
  if (typeof byteOffset === 'string') {
    encoding = byteOffset;
    byteOffset = undefined;
  } else if (byteOffset > 0x7fffffff) byteOffset = 0x7fffffff;
  else if (byteOffset < -0x80000000) byteOffset = -0x80000000;
  byteOffset = +byteOffset;
  if (Number.isNaN(byteOffset)) byteOffset = forward ? 0 : buf.length;
  byteOffset = Math.trunc(byteOffset);

  let needle;
  if (typeof value === 'number') {
    needle = Uint8Array.of(value >>> 0);
  } else {
    const ops = encoding === undefined ? ENCODINGS.utf8 : encodingOps(encoding);
    if (typeof value === 'string') {
      if (ops === undefined) throw errUnknownEncoding(encoding);
      needle = fromString(value, encoding === undefined ? 'utf8' : encoding);
    } else if (isUint8Array(value)) needle = value;
    else throw errInvalidArgType('value', ['number', 'string'], ['Buffer', 'Uint8Array'], value);
  }
  const len = buf.length;
  const nlen = needle.length;
  const start = searchStart(len, byteOffset, nlen, forward);
  if (nlen === 0) return start;
  if (len === 0 || start <= -1) return -1;
  if (nlen > len || (forward && start + nlen > len)) return -1;
  const first = needle[0];
  if (forward) {
    for (let i = start; i + nlen <= len; i++) {
      if (buf[i] !== first) continue;
      let j = 1;
      while (j < nlen && buf[i + j] === needle[j]) j++;
      if (j === nlen) return i;
    }
  } else {
    for (let i = Math.min(start, len - nlen); i >= 0; i--) {
      if (buf[i] !== first) continue;
      let j = 1;
      while (j < nlen && buf[i + j] === needle[j]) j++;
      if (j === nlen) return i;
    }
  }
  return -1;
}

define('indexOf', function indexOf(value, byteOffset, encoding) {
  return indexOfImpl(this, value, byteOffset, encoding, true);
});
define('lastIndexOf', function lastIndexOf(value, byteOffset, encoding) {
  return indexOfImpl(this, value, byteOffset, encoding, false);
});
define('includes', function includes(value, byteOffset, encoding) {
  return indexOfImpl(this, value, byteOffset, encoding, true) !== -1;
});

// ---------------------------------------------------------------- numbers

function boundsError(value, length, type) {
  if (Math.floor(value) !== value) {
    validateNumber(value, type || 'offset');
    throw errOutOfRange(type || 'offset', 'an integer', value);
  }
  if (length < 0) throw errBufferOutOfBounds();
  throw errOutOfRange(type || 'offset', `>= ${type ? 1 : 0} and <= ${length}`, value);
}

function checkRead(buf, offset, size) {
  validateNumber(offset, 'offset');
  if (buf[offset] === undefined || buf[offset + size - 1] === undefined) boundsError(offset, buf.length - size);
}

function checkByteLength(byteLength) {
  if (byteLength === undefined) throw errInvalidArgType('byteLength', ['number'], [], byteLength);
  if (typeof byteLength !== 'number' || !(byteLength >= 1 && byteLength <= 6) || Math.floor(byteLength) !== byteLength) {
    boundsError(byteLength, 6, 'byteLength');
  }
}

function readUnsigned(buf, offset, size, little) {
  let v = 0;
  for (let i = 0; i < size; i++) v = v * 256 + buf[offset + (little ? size - 1 - i : i)];
  return v;
}

function readSigned(buf, offset, size, little) {
  const v = readUnsigned(buf, offset, size, little);
  const limit = 2 ** (size * 8 - 1);
  return v >= limit ? v - limit * 2 : v;
}

for (const [name, size, signed] of [['UInt8', 1, false], ['Int8', 1, true], ['UInt16', 2, false], ['Int16', 2, true], ['UInt32', 4, false], ['Int32', 4, true]]) {
  const suffixes = size === 1 ? [''] : ['LE', 'BE'];
  for (const s of suffixes) {
    const little = s !== 'BE';
    const read = function (offset = 0) {
      checkRead(this, offset, size);
      return signed ? readSigned(this, offset, size, little) : readUnsigned(this, offset, size, little);
    };
    define(`read${name}${s}`, read);
    if (name.startsWith('UInt')) define(`readUint${name.slice(4)}${s}`, read);
  }
}

for (const [s, little] of [['LE', true], ['BE', false]]) {
  const readU = function (offset, byteLength) {
    if (offset === undefined) throw errInvalidArgType('offset', ['number'], [], offset);
    checkByteLength(byteLength);
    checkRead(this, offset, byteLength);
    return readUnsigned(this, offset, byteLength, little);
  };
  const readS = function (offset, byteLength) {
    if (offset === undefined) throw errInvalidArgType('offset', ['number'], [], offset);
    checkByteLength(byteLength);
    checkRead(this, offset, byteLength);
    return readSigned(this, offset, byteLength, little);
  };
  define(`readUInt${s}`, readU);
  define(`readUint${s}`, readU);
  define(`readInt${s}`, readS);
}

function rangeText(min, max, size, big) {
  const n = big ? 'n' : '';
  if (size > 4) {
    if (min === 0 || min === 0n) return `>= 0${n} and < 2${n} ** ${size * 8}${n}`;
    return `>= -(2${n} ** ${size * 8 - 1}${n}) and < 2 ** ${size * 8 - 1}${n}`;
  }
  return `>= ${min}${n} and <= ${max}${n}`;
}

function writeInteger(buf, value, offset, size, signed, little) {
  value = +value;
  const min = signed ? -(2 ** (size * 8 - 1)) : 0;
  const max = signed ? 2 ** (size * 8 - 1) - 1 : 2 ** (size * 8) - 1;
  if (value > max || value < min) throw errOutOfRange('value', rangeText(min, max, size, false), value);
  validateNumber(offset, 'offset');
  if (buf[offset] === undefined || buf[offset + size - 1] === undefined) boundsError(offset, buf.length - size);
  // Split into 24-bit halves so 48-bit values survive without 32-bit truncation.
  let v = Math.trunc(value);
  if (Number.isNaN(v)) v = 0;
  if (v < 0) v += 2 ** (size * 8);
  for (let i = 0; i < size; i++) {
    const byte = v % 256;
    buf[offset + (little ? i : size - 1 - i)] = byte;
    v = (v - byte) / 256;
  }
  return offset + size;
}

for (const [name, size, signed] of [['UInt8', 1, false], ['Int8', 1, true], ['UInt16', 2, false], ['Int16', 2, true], ['UInt32', 4, false], ['Int32', 4, true]]) {
  const suffixes = size === 1 ? [''] : ['LE', 'BE'];
  for (const s of suffixes) {
    const little = s !== 'BE';
    const write = function (value, offset = 0) { return writeInteger(this, value, offset, size, signed, little); };
    define(`write${name}${s}`, write);
    if (name.startsWith('UInt')) define(`writeUint${name.slice(4)}${s}`, write);
  }
}

for (const [s, little] of [['LE', true], ['BE', false]]) {
  const writeU = function (value, offset, byteLength) {
    checkByteLength(byteLength);
    return writeInteger(this, value, offset, byteLength, false, little);
  };
  const writeS = function (value, offset, byteLength) {
    checkByteLength(byteLength);
    return writeInteger(this, value, offset, byteLength, true, little);
  };
  define(`writeUInt${s}`, writeU);
  define(`writeUint${s}`, writeU);
  define(`writeInt${s}`, writeS);
}

function view(buf) { return new DataView(buf.buffer, buf.byteOffset, buf.byteLength); }

for (const [name, size, getter, setter] of [['Float', 4, 'getFloat32', 'setFloat32'], ['Double', 8, 'getFloat64', 'setFloat64']]) {
  for (const [s, little] of [['LE', true], ['BE', false]]) {
    define(`read${name}${s}`, function (offset = 0) {
      checkRead(this, offset, size);
      return view(this)[getter](offset, little);
    });
    define(`write${name}${s}`, function (value, offset = 0) {
      value = +value;
      validateNumber(offset, 'offset');
      if (this[offset] === undefined || this[offset + size - 1] === undefined) boundsError(offset, this.length - size);
      view(this)[setter](offset, value, little);
      return offset + size;
    });
  }
}

for (const [name, signed] of [['BigUInt64', false], ['BigInt64', true]]) {
  for (const [s, little] of [['LE', true], ['BE', false]]) {
    const read = function (offset = 0) {
      checkRead(this, offset, 8);
      return signed ? view(this).getBigInt64(offset, little) : view(this).getBigUint64(offset, little);
    };
    const write = function (value, offset = 0) {
      if (typeof value !== 'bigint') throw errInvalidArgType('value', ['bigint'], [], value);
      const min = signed ? -(2n ** 63n) : 0n;
      const max = signed ? 2n ** 63n - 1n : 2n ** 64n - 1n;
      if (value > max || value < min) throw errOutOfRange('value', rangeText(min, max, 8, true), value);
      validateNumber(offset, 'offset');
      if (this[offset] === undefined || this[offset + 7] === undefined) boundsError(offset, this.length - 8);
      if (signed) view(this).setBigInt64(offset, value, little); else view(this).setBigUint64(offset, value, little);
      return offset + 8;
    };
    define(`read${name}${s}`, read);
    define(`write${name}${s}`, write);
    if (!signed) {
      define(`readBigUint64${s}`, read);
      define(`writeBigUint64${s}`, write);
    }
  }
}

for (const [bits, size] of [[16, 2], [32, 4], [64, 8]]) {
  define(`swap${bits}`, function () {
    if (this.length % size !== 0) {
      throw withCode(new RangeError(`Buffer size must be a multiple of ${bits}-bits`), 'ERR_INVALID_BUFFER_SIZE');
    }
    for (let i = 0; i < this.length; i += size) {
      for (let a = i, b = i + size - 1; a < b; a++, b--) {
        const t = this[a];
        this[a] = this[b];
        this[b] = t;
      }
    }
    return this;
  });
}

// Node exposes per-encoding fast paths (buf.hexSlice, buf.utf8Write, ...); some old code calls them.
for (const name of ['utf8', 'ucs2', 'latin1', 'ascii', 'hex', 'base64', 'base64url']) {
  const ops = ENCODINGS[name];
  define(`${name}Slice`, function (start = 0, end = this.length) { return ops.slice(this, start, Math.min(end, this.length)); });
  define(`${name}Write`, function (string, offset = 0, length = this.length - offset) { return ops.write(this, string, offset, Math.min(length, this.length - offset)); });
}

Object.defineProperty(proto, 'parent', { get() { return this.buffer; }, configurable: true, enumerable: true });
Object.defineProperty(proto, 'offset', { get() { return this.byteOffset; }, configurable: true, enumerable: true });

function inspectBuffer(buf) {
  const max = module.exports.INSPECT_MAX_BYTES;
  const shown = Math.min(max, buf.length);
  let str = '';
  for (let i = 0; i < shown; i++) str += (i ? ' ' : '') + HEX[buf[i]];
  if (buf.length > max) str += ` ... ${buf.length - max} more byte${buf.length - max > 1 ? 's' : ''}`;
  return `<${buf.constructor === Buffer ? 'Buffer' : (buf.constructor && buf.constructor.name) || 'Buffer'} ${str}>`;
}
define(customInspect, function () { return inspectBuffer(this); });
define('inspect', proto[customInspect]);

// ---------------------------------------------------------------- module

function SlowBuffer(size) { return Buffer.allocUnsafe(size); }
Object.setPrototypeOf(SlowBuffer, Uint8Array);
SlowBuffer.prototype = proto;

function isUtf8(input) {
  const bytes = isAnyArrayBuffer(input) ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  try {
    new (require('encoding').TextDecoder)('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch (e) {
    return false;
  }
}

function isAscii(input) {
  const bytes = isAnyArrayBuffer(input) ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  for (let i = 0; i < bytes.length; i++) if (bytes[i] > 0x7F) return false;
  return true;
}

module.exports = {
  Buffer,
  SlowBuffer,
  kMaxLength,
  kStringMaxLength,
  constants: { MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: kStringMaxLength },
  INSPECT_MAX_BYTES,
  isUtf8,
  isAscii,
  btoa: (s) => globalThis.btoa(s),
  atob: (s) => globalThis.atob(s),
};
