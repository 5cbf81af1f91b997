// require('crypto'): the hashing, HMAC and random parts of Node's module that hooks use,
// computed in Rust (`internal.crypto`, given to stdlib modules only) and byte-identical to Node.
'use strict';
const { Buffer } = require('buffer');
const host = internal.crypto;

const toBytes = (data, encoding) => {
  if (typeof data === 'string') return Buffer.from(data, encoding || 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  throw new TypeError('The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView.');
};
const output = (bytes, encoding) => {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return encoding === undefined || encoding === 'buffer' ? buffer : buffer.toString(encoding);
};
const algorithm = (name) => String(name).toLowerCase().replace(/^rsa-/, '');

class Hash {
  constructor(name, key) {
    this._algorithm = algorithm(name);
    this._key = key;
    this._chunks = [];
    this._done = false;
    // Fail at creation, as Node does, for an unknown algorithm.
    host.check(this._algorithm);
  }
  update(data, encoding) {
    if (this._done) throw new Error('Digest already called');
    this._chunks.push(toBytes(data, encoding));
    return this;
  }
  digest(encoding) {
    if (this._done) throw new Error('Digest already called');
    this._done = true;
    const data = new Uint8Array(Buffer.concat(this._chunks));
    const bytes = this._key === undefined ? host.digest(this._algorithm, data) : host.hmac(this._algorithm, this._key, data);
    return output(bytes, encoding);
  }
  copy() {
    const copy = new Hash(this._algorithm, this._key);
    copy._chunks = this._chunks.slice();
    return copy;
  }
}

module.exports = {
  createHash: (name) => new Hash(name),
  createHmac: (name, key) => new Hash(name, new Uint8Array(toBytes(key))),
  randomBytes(size, callback) {
    const bytes = output(host.randomBytes(Number(size) >>> 0));
    if (typeof callback === 'function') { queueMicrotask(() => callback(null, bytes)); return undefined; }
    return bytes;
  },
  randomUUID: () => host.randomUUID(),
  randomInt(min, max) {
    if (max === undefined) { max = min; min = 0; }
    const span = max - min;
    if (!(span > 0)) throw new RangeError('The value of "max" is out of range. It must be greater than the value of "min"');
    const bytes = host.randomBytes(6);
    let n = 0;
    for (const b of bytes) n = n * 256 + b;
    return min + (n % span);
  },
  timingSafeEqual(a, b) {
    if (a.byteLength !== b.byteLength) throw new RangeError('Input buffers must have the same byte length');
    let diff = 0;
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
    return diff === 0;
  },
  getHashes: () => ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'],
};
module.exports.webcrypto = undefined;
