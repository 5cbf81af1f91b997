// The CE library's expected values, computed by Node itself (CE's results must be
// byte-identical to Node's crypto). tests/ce_library.rs runs the same inputs through CE.* in a
// hook and compares.
//
// Regenerate (and commit the result) after changing the cases below:
//
//     node tests/support/ce_expected.js > tests/fixtures/ce_expected.json
//
// tests/ce_library.rs re-runs this script when `node` is on PATH and fails if the committed
// JSON is stale. Keep it deterministic: no dates, no randomness, no Node version in the output.
'use strict';

const crypto = require('crypto');

// Deterministic filler: `n` characters cycling through `alphabet` (by code point).
const cycle = (alphabet, n) => {
  const chars = Array.from(alphabet);
  let out = '';
  for (let i = 0; i < n; i++) out += chars[i % chars.length];
  return out;
};

const utf8Length = (s) => Buffer.byteLength(s, 'utf8');

// Secrets chosen around the HMAC block sizes: 64 bytes for md5/sha1/sha256, 128 for sha512.
// A longer key is hashed first; a shorter one is zero-padded. Multi-byte characters make the
// byte length differ from the character count, which is what the host must use.
const secrets = {
  empty: '',
  short: 'k',
  jefe: 'Jefe',
  ascii63: cycle('abcdefghijklmnopqrstuvwxyz0123456789', 63),
  ascii64: cycle('abcdefghijklmnopqrstuvwxyz0123456789', 64),
  ascii65: cycle('abcdefghijklmnopqrstuvwxyz0123456789', 65),
  ascii127: cycle('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 127),
  ascii128: cycle('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 128),
  ascii129: cycle('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 129),
  ascii300: cycle('0123456789abcdef', 300),
  accented: 'clé secrète',
  // 16 keys of 4 bytes each: exactly 64 bytes in 32 UTF-16 units.
  emoji64: '🔑'.repeat(16),
  // 17 keys: 68 bytes, over the block size while only 34 UTF-16 units long.
  emoji68: '🔑'.repeat(17),
  // 22 × 6 bytes = 132 bytes (> 128) in 44 characters.
  kanji132: '秘密'.repeat(22),
  withNul: 'sec\u0000ret',
  base64ish: 'c2VjcmV0/+==',
};

for (const [name, bytes] of [['ascii63', 63], ['ascii64', 64], ['ascii65', 65], ['ascii127', 127], ['ascii128', 128], ['ascii129', 129], ['emoji64', 64], ['emoji68', 68], ['kanji132', 132]]) {
  if (utf8Length(secrets[name]) !== bytes) throw new Error(`secret ${name} is ${utf8Length(secrets[name])} bytes, not ${bytes}`);
}

// [name, input, secret name]
const cases = [
  ['empty string', '', 'empty'],
  ['empty string, long key', '', 'ascii129'],
  ['one letter', 'a', 'short'],
  ['abc', 'abc', 'jefe'],
  ['RFC 4231 case 2', 'what do ya want for nothing?', 'jefe'],
  ['pangram', 'The quick brown fox jumps over the lazy dog', 'short'],
  ['base64 without padding', 'abc', 'ascii63'],
  ['base64 with one =', 'abcd', 'ascii64'],
  ['base64 with two ==', 'abcde', 'ascii65'],
  ['base64 alphabet edge (+ and /)', '\u00fb\u00ff\u00bf>?', 'ascii127'],
  ['json body', '{"name":"Ada Lovelace","email":"ada@example.com","tags":["a","b"]}', 'ascii128'],
  ['signature string', 'GET\n/v1/contacts\nx-date:Tue, 14 Nov 2023 22:13:20 GMT\n1700000000', 'ascii300'],
  ['url with query', 'https://api.example.com/v1/contacts?where=name%3D%27x%27&page=2&pageSize=200', 'base64ish'],
  ['e acute', '\u00e9', 'accented'],
  ['e + combining acute', 'e\u0301', 'accented'],
  ['french sentence', 'Crème brûlée à la française, déjà vu', 'short'],
  ['japanese', '日本語', 'kanji132'],
  ['japanese sentence', 'こんにちは、世界！', 'emoji64'],
  ['emoji (surrogate pair)', '😀', 'emoji68'],
  ['emoji with modifiers and ZWJ', '👍🏽 👨‍👩‍👧 🇫🇷', 'jefe'],
  ['astral edge U+10FFFF', '\u{10FFFF}', 'emoji64'],
  ['BMP edge U+FFFF', '\uffff', 'kanji132'],
  ['latin1 range', '\u007f\u0080\u00a0\u00ff', 'ascii64'],
  ['byte order mark', '\ufeffhello', 'short'],
  ['line and paragraph separators', 'a\u2028b\u2029c', 'ascii65'],
  ['newlines LF and CRLF', 'line 1\nline 2\r\nline 3\n', 'jefe'],
  ['tabs and quotes', '\t"quoted" \'single\' \\backslash\\', 'withNul'],
  ['NUL inside', 'nul\u0000byte', 'withNul'],
  ['only NUL', '\u0000', 'empty'],
  ['control characters', '\u0001\u0002\u001b[0m\u001f', 'ascii63'],
  ['spaces only', '   ', 'ascii128'],
  ['1000 ASCII characters', cycle('0123456789', 1000), 'ascii64'],
  ['1500 ASCII, every 4th a newline', cycle('abc\n', 1500), 'ascii129'],
  ['2048 ASCII characters', cycle('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 2048), 'ascii300'],
  ['1200 × e acute (2400 bytes)', '\u00e9'.repeat(1200), 'accented'],
  ['mixed scripts, 1000 code points', cycle('aé日😀\n', 1000), 'emoji68'],
  ['1000 emoji', '😀'.repeat(1000), 'kanji132'],
  ['long json with unicode', JSON.stringify({ items: Array.from({ length: 40 }, (_, i) => ({ id: i, name: `Ünïcødé ${i}`, note: 'ok 👌' })) }), 'ascii127'],
  ['base64 of base64', 'aGVsbG8gd29ybGQ=', 'base64ish'],
  ['digits', '12345678901234567890', 'emoji64'],
];

const out = cases.map(([name, input, secretName]) => {
  const secret = secrets[secretName];
  const b64 = Buffer.from(input, 'utf8').toString('base64');
  const hmac = (algo, enc) => crypto.createHmac(algo, secret).update(input, 'utf8').digest(enc);
  return {
    name,
    input,
    secret,
    md5: crypto.createHash('md5').update(input, 'utf8').digest('hex'),
    b64,
    decode64: Buffer.from(b64, 'base64').toString('utf8'),
    hmac: {
      sha1: { hex: hmac('sha1', 'hex'), base64: hmac('sha1', 'base64') },
      sha256: { hex: hmac('sha256', 'hex'), base64: hmac('sha256', 'base64') },
      md5: { hex: hmac('md5', 'hex'), base64: hmac('md5', 'base64') },
      sha512: { hex: hmac('sha512', 'hex') },
    },
  };
});

// Base64 text as vendors send it: unpadded, URL-safe, wrapped, with junk, or not UTF-8 inside.
// Node decodes all of these without throwing; CE.decode64 must give the same text.
const sloppyBase64 = [
  '',
  'aGk',
  'aGk=',
  'aGk==',
  'aG k=\n',
  'aGVs\r\nbG8=',
  '8J+YgA',
  '8J-YgA',
  'aGk-_w',
  'a',
  'aGVsbG8',
  '====',
  'aGk=aGk=',
  'aG=k',
  'YWJjZA=x',
  'aGl=',
  'YR==',
  '!!aGk!!',
  '/w==',
  '7aCA',
  'wA==',
  '4oKs',
  '4oI=',
];
const decode64 = sloppyBase64.map((input) => ({ input, output: Buffer.from(input, 'base64').toString('utf8') }));

process.stdout.write(JSON.stringify({
  about: 'Generated by tests/support/ce_expected.js with Node crypto and Buffer; do not edit by hand.',
  cases: out,
  decode64,
}, null, 2) + '\n');
