'use strict';
const { src } = require('../gen');

const ENCODINGS = ['utf8', 'utf-8', 'UTF8', 'base64', 'base64url', 'hex', 'latin1', 'binary', 'ascii', 'ucs2', 'utf16le', 'UTF-16LE', 'ucs-2'];
const B64_JUNK = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_= \n\t\r.!*é€';
const HEX_JUNK = '0123456789abcdefABCDEFxyzg -\u0161\u4e41\u0130';

module.exports = function bufferCases(r) {
  const c = [];
  const B = 'm.Buffer';
  // Random bytes decoded in every encoding, and utf8-looking junk through utf8.
  for (let i = 0; i < 1200; i++) {
    const bytes = i % 2 ? r.utf8ish(r.int(0, 40)) : r.bytes(r.int(0, 40));
    const enc = i < 600 ? 'utf8' : r.pick(ENCODINGS);
    c.push(`${B}.from(${src(bytes)}).toString(${src(enc)})`);
  }
  // Random unicode (with lone surrogates) encoded in every encoding.
  for (let i = 0; i < 1200; i++) {
    const s = r.unicode(r.int(0, 30));
    const enc = r.pick(ENCODINGS);
    c.push(`Array.from(${B}.from(${src(s)}, ${src(enc)}))`);
    if (i % 4 === 0) c.push(`${B}.byteLength(${src(s)}, ${src(enc)})`);
    if (i % 4 === 1) c.push(`${B}.from(${B}.from(${src(s)}, ${src(enc)}).toString(${src(enc)}), ${src(enc)}).toString('hex')`);
  }
  // Forgiving base64 / hex decoders on junk.
  for (let i = 0; i < 1000; i++) {
    const s = r.fromAlphabet(B64_JUNK, r.int(0, 24));
    const enc = r.pick(['base64', 'base64url']);
    c.push(`Array.from(${B}.from(${src(s)}, ${src(enc)}))`);
    if (i % 5 === 0) c.push(`${B}.byteLength(${src(s)}, ${src(enc)})`);
  }
  for (let i = 0; i < 400; i++) {
    const s = r.fromAlphabet(HEX_JUNK, r.int(0, 16));
    c.push(`Array.from(${B}.from(${src(s)}, 'hex'))`);
  }
  // Round trips.
  for (let i = 0; i < 400; i++) {
    const bytes = r.bytes(r.int(0, 30));
    const enc = r.pick(['base64', 'base64url', 'hex', 'latin1']);
    c.push(`Array.from(${B}.from(${B}.from(${src(bytes)}).toString(${src(enc)}), ${src(enc)}))`);
  }
  // toString with ranges, slice/subarray, write with offsets.
  for (let i = 0; i < 300; i++) {
    const bytes = r.bytes(r.int(0, 12));
    const a = r.pick([undefined, 0, 1, 2, -1, -3, 5, 100, 1.7, NaN, '2']);
    const b = r.pick([undefined, 0, 3, -1, 4, 100, 2.5, NaN]);
    c.push(`${B}.from(${src(bytes)}).toString(${src(r.pick(['hex', 'latin1', undefined]))}, ${src(a)}, ${src(b)})`);
    c.push(`Array.from(${B}.from(${src(bytes)}).slice(${src(a)}, ${src(b)}))`);
    c.push(`(() => { const b = ${B}.from(${src(bytes)}); const s = b.subarray(1); if (s.length) s[0] = 7; return [${B}.isBuffer(s), Array.from(b)]; })()`);
    const str = r.unicode(r.int(0, 8));
    const off = r.pick([undefined, 0, 1, 3, 20, -1, 1.5]);
    const len = r.pick([undefined, 0, 1, 2, 5, 100]);
    const enc = r.pick([undefined, 'utf8', 'hex', 'ucs2', 'base64', 'latin1']);
    c.push(`(() => { const b = ${B}.alloc(${r.int(0, 10)}); const n = b.write(${src(str)}, ${src(off)}, ${src(len)}, ${src(enc)}); return [n, Array.from(b)]; })()`);
    c.push(`(() => { const b = ${B}.alloc(${r.int(0, 10)}); const n = b.write(${src(str)}, ${src(enc)}); return [n, Array.from(b)]; })()`);
  }
  // Integer reads and writes.
  const READS = ['readUInt8', 'readInt8', 'readUInt16LE', 'readUInt16BE', 'readInt16LE', 'readInt16BE', 'readUInt32LE', 'readUInt32BE',
    'readInt32LE', 'readInt32BE', 'readFloatLE', 'readDoubleBE', 'readUint16LE', 'readBigUInt64LE', 'readBigInt64BE'];
  for (let i = 0; i < 300; i++) {
    const bytes = r.bytes(r.int(0, 10));
    const fn = r.pick(READS);
    const off = r.pick([undefined, 0, 1, 2, 3, 6, -1, 1.5, '1', NaN]);
    c.push(`(() => { const v = ${B}.from(${src(bytes)}).${fn}(${src(off)}); return typeof v === 'bigint' ? String(v) : (Number.isNaN(v) ? 'NaN' : v); })()`);
    const bl = r.pick([1, 2, 3, 4, 5, 6, 7, 0]);
    c.push(`${B}.from(${src(bytes)}).${r.pick(['readUIntLE', 'readUIntBE', 'readIntLE', 'readIntBE'])}(${src(r.pick([0, 1, 2]))}, ${bl})`);
  }
  const WRITES = [['writeUInt8', 255], ['writeInt8', 127], ['writeUInt16LE', 65535], ['writeInt16BE', 32767], ['writeUInt32BE', 2 ** 32 - 1],
    ['writeInt32LE', 2 ** 31 - 1], ['writeUint32LE', 2 ** 32 - 1], ['writeDoubleLE', 1e300], ['writeFloatBE', 3.4e38]];
  for (let i = 0; i < 300; i++) {
    const [fn, max] = r.pick(WRITES);
    const v = r.pick([0, 1, -1, max, max + 1, -max - 1, -max - 2, Math.floor(max / 3), 1.5, -0.5, NaN, '12']);
    const off = r.pick([undefined, 0, 1, 3, 5, -1, 2.5]);
    c.push(`(() => { const b = ${B}.alloc(${r.int(0, 9)}); const n = b.${fn}(${src(v)}, ${src(off)}); return [n, Array.from(b)]; })()`);
    const bl = r.int(1, 6);
    const lim = 2 ** (8 * bl);
    const v2 = r.pick([0, 1, -1, lim - 1, lim, lim / 2, -lim / 2, -lim / 2 - 1, r.int(-1000, 1000)]);
    c.push(`(() => { const b = ${B}.alloc(8); const n = b.${r.pick(['writeUIntLE', 'writeUIntBE', 'writeIntLE', 'writeIntBE'])}(${src(v2)}, ${r.int(0, 3)}, ${bl}); return [n, Array.from(b)]; })()`);
  }
  // indexOf / lastIndexOf / includes.
  for (let i = 0; i < 400; i++) {
    const hay = r.fromAlphabet('abcab€', r.int(0, 12));
    const needle = r.pick([r.fromAlphabet('abc€', r.int(0, 3)), r.int(-2, 400), `${B}.from(${src(r.fromAlphabet('abc', r.int(0, 2)))})`]);
    const needleSrc = typeof needle === 'string' && needle.startsWith('m.') ? needle : src(needle);
    const off = r.pick([undefined, 0, 1, 3, -1, -4, 20, -20, NaN, '1', 'latin1', null]);
    const fn = r.pick(['indexOf', 'lastIndexOf', 'includes']);
    c.push(`${B}.from(${src(hay)}).${fn}(${needleSrc}, ${src(off)})`);
  }
  // fill / alloc / concat / compare / equals / copy.
  for (let i = 0; i < 300; i++) {
    const fillv = r.pick([0, 1, 257, -1, 'a', 'ab', '', 'é', '€x', 'zz', 'abc', true, 1.9]);
    const enc = r.pick([undefined, 'utf8', 'hex', 'base64', 'latin1', 'ucs2']);
    c.push(`Array.from(${B}.alloc(${r.int(0, 9)}, ${src(fillv)}, ${src(enc)}))`);
    c.push(`(() => { const b = ${B}.alloc(${r.int(0, 9)}); b.fill(${src(fillv)}, ${src(r.pick([undefined, 0, 1, 2, 'hex']))}, ${src(r.pick([undefined, 3, 5, 9]))}); return Array.from(b); })()`);
    const a = r.bytes(r.int(0, 5));
    const b = r.bytes(r.int(0, 5));
    const a2 = r.bool() ? a : a.concat(r.bytes(1));
    c.push(`${B}.compare(${B}.from(${src(a)}), ${B}.from(${src(r.bool(0.3) ? a : b)}))`);
    c.push(`${B}.from(${src(a)}).equals(${B}.from(${src(a2)}))`);
    c.push(`${B}.from(${src(a)}).compare(${B}.from(${src(b)}), ${src(r.pick([undefined, 0, 1]))}, ${src(r.pick([undefined, 2, 5]))}, ${src(r.pick([undefined, 0, 1]))}, ${src(r.pick([undefined, 2, 5]))})`);
    c.push(`Array.from(${B}.concat([${B}.from(${src(a)}), new Uint8Array(${src(b)})], ${src(r.pick([undefined, 0, 3, 20]))}))`);
    c.push(`(() => { const t = ${B}.alloc(${r.int(0, 8)}); const n = ${B}.from(${src(a.concat(b))}).copy(t, ${src(r.pick([undefined, 0, 1, 3, 10]))}, ${src(r.pick([undefined, 0, 1, 2]))}, ${src(r.pick([undefined, 1, 3, 50]))}); return [n, Array.from(t)]; })()`);
  }
  // Hand-written edge cases.
  const edge = [
    `${B}.from('aGVsbG8gd29ybGQ=', 'base64').toString()`,
    `${B}.from('aGVs bG8\\nd29y\\tbGQ', 'base64').toString()`,
    `${B}.from('aGVsbG8=d29ybGQ=', 'base64').toString()`,
    `${B}.from('_-8', 'base64').toString('hex')`,
    `${B}.from('+/8', 'base64url').toString('hex')`,
    `${B}.from([251, 255, 191]).toString('base64')`,
    `${B}.from([251, 255, 191]).toString('base64url')`,
    `${B}.from('abc', 'hex').toString('hex')`,
    `${B}.from('12zz34', 'hex').toString('hex')`,
    `${B}.from('ÿĀ', 'latin1').toString('hex')`,
    `${B}.from([0xe9, 0x80, 0xff]).toString('ascii')`,
    `${B}.from('\\ud800', 'utf8').toString('hex')`,
    `${B}.from('a\\udc00b\\ud83d\\ude00').toString('hex')`,
    `${B}.from([0xf0, 0x9f, 0x98]).toString()`,
    `${B}.from([0xed, 0xa0, 0x80]).toString()`,
    `${B}.from([0xc0, 0xaf, 0xe0, 0x80, 0xbf, 0xf8, 0x88, 0x80, 0x80, 0x80]).toString()`,
    `${B}.from([0xef, 0xbb, 0xbf, 0x41]).toString()`,
    `${B}.from('abc').toJSON()`,
    `JSON.stringify(${B}.from([1, 2, 3]))`,
    `${B}.from({ type: 'Buffer', data: [1, 2, 3] }).toString('hex')`,
    `${B}.from(new String('hey')).toString()`,
    `${B}.from({ length: 3, 0: 1, 1: 2, 2: 3 }).toString('hex')`,
    `${B}.from(new Uint16Array([1, 256, 513])).toString('hex')`,
    `(() => { const ab = new ArrayBuffer(8); const b = ${B}.from(ab, 2, 4); b[0] = 9; return [b.length, new Uint8Array(ab)[2]]; })()`,
    `${B}.from(new ArrayBuffer(4), 5)`,
    `${B}.from(new ArrayBuffer(4), 1, 9)`,
    `${B}.from({})`,
    `${B}.from(5)`,
    `${B}.from(null)`,
    `${B}.from('x', 'nope')`,
    `${B}.alloc(-1)`,
    `${B}.alloc('5')`,
    `${B}.alloc(3).fill('zz', 'hex')`,
    `${B}.alloc(3).fill('', 'nope')`,
    `${B}.concat('nope')`,
    `${B}.concat([${B}.from('a'), 'b'])`,
    `${B}.concat([])`,
    `${B}.isEncoding('UTF-8')`, `${B}.isEncoding('utf16le')`, `${B}.isEncoding('')`, `${B}.isEncoding('nope')`, `${B}.isEncoding(null)`, `${B}.isEncoding('binary')`,
    `${B}.isBuffer(${B}.alloc(1))`, `${B}.isBuffer(new Uint8Array(1))`, `${B}.isBuffer('x')`,
    `${B}.byteLength('héllo')`, `${B}.byteLength('héllo', 'latin1')`, `${B}.byteLength(new Uint16Array(4))`, `${B}.byteLength(new ArrayBuffer(7))`, `${B}.byteLength(5)`,
    `${B}.byteLength('aGVsbG8=', 'base64')`, `${B}.byteLength('abc', 'hex')`, `${B}.byteLength('abc', 'nope')`,
    `${B}.from('abc').toString('nope')`, `${B}.from('abc').toString(null)`,
    `${B}.from([1, 2, 3, 4]).readUInt32BE(1)`, `${B}.from([1, 2]).readUInt16LE(1)`, `${B}.alloc(4).writeUInt32LE(2 ** 32)`,
    `${B}.alloc(8).writeUIntLE(2 ** 48, 0, 6)`, `${B}.alloc(8).writeIntBE(-(2 ** 47) - 1, 0, 6)`, `${B}.alloc(2).readUIntLE(0, 7)`,
    `${B}.alloc(2).writeUInt16LE(1, 1)`, `${B}.alloc(0).readUInt8()`, `${B}.alloc(4).write(5)`,
    `(() => { const b = ${B}.from([1, 2, 3, 4]); b.swap16(); return Array.from(b); })()`,
    `(() => { const b = ${B}.from([1, 2, 3, 4, 5, 6, 7, 8]); b.swap32(); return Array.from(b); })()`,
    `(() => { const b = ${B}.from([1, 2, 3, 4, 5, 6, 7, 8]); b.swap64(); return Array.from(b); })()`,
    `${B}.from([1, 2, 3]).swap16()`,
    `(() => { const b = ${B}.from('abcdef'); b.copy(b, 2, 0, 4); return b.toString(); })()`,
    `(() => { const b = ${B}.alloc(8); b.writeBigInt64LE(-5n); return [Array.from(b), String(b.readBigInt64LE())]; })()`,
    `${B}.alloc(8).writeBigUInt64BE(-1n)`,
    `${B}.from('€').toString('ucs2')`,
    `${B}.from([0x41, 0x00, 0x42]).toString('utf16le')`,
    `${B}.from('hello world').indexOf('o', -4)`, `${B}.from('hello world').lastIndexOf('o', -5)`, `${B}.from('hello').indexOf('', 10)`, `${B}.from('hello').lastIndexOf('')`,
    `${B}.from('hello').indexOf({})`, `${B}.from('hello').indexOf('6c', 0, 'hex')`, `${B}.from('hello').indexOf(108 + 256)`,
    `${B}.from('abc').map((x) => x + 1) instanceof ${B}`, `${B}.from('abc').filter(() => true).toString()`,
    `${B}(\'legacy\').toString()`, `new ${B}(3).length`, `new ${B}('abc', 'latin1').toString('hex')`,
    `${B}.of(1, 257, -1).toString('hex')`, `${B}.from([1.9, -1, 256, 'x', '7']).toString('hex')`,
    `Object.keys(${B}.from('ab'))`, `${B}.from('ab').toLocaleString()`,
    `[m.kMaxLength, m.constants.MAX_LENGTH, m.constants.MAX_STRING_LENGTH, m.INSPECT_MAX_BYTES]`,
    `${B}.poolSize`, `${B}.from([1, 2]).equals(new Uint8Array([1, 2]))`, `${B}.from([1]).equals([1])`,
    `m.isUtf8(${B}.from([0xe2, 0x82, 0xac]))`, `m.isUtf8(${B}.from([0xe2, 0x82]))`, `m.isAscii(${B}.from('abc'))`,
    `${B}.from('abc').toString('utf8', 1)`, `${B}.from('abc').toString(undefined, 1, 2)`,
  ];
  return c.concat(edge);
};
