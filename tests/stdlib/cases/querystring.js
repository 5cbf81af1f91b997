'use strict';
const { src, randomPrimitive } = require('../gen');

const QS_ALPHABET = ['a', 'b', 'c', '=', '=', '&', '&', '+', '%', '%', '2', '0', 'F', 'f', 'z', 'é', '€', ';', ':', ' ', '😀', '\ud800', '%E2%82%AC', '%C3', '%zz', '%2', '&&', '=='];

module.exports = function querystringCases(r) {
  const c = [];
  for (let i = 0; i < 2500; i++) {
    const qs = r.fromAlphabet(QS_ALPHABET, r.int(0, 16));
    const k = i % 10;
    if (k < 5) c.push(`m.parse(${src(qs)})`);
    else if (k === 5) c.push(`m.parse(${src(qs)}, ${src(r.pick(['&&', ';', ':', 'ab', '&=', null, '']))}, ${src(r.pick(['==', ':', '=', 'b', undefined, '']))})`);
    else if (k === 6) c.push(`m.parse(${src(qs)}, null, null, { maxKeys: ${r.pick([0, 1, 2, 3, -1, 'x'].map(src))} })`);
    else if (k === 7) c.push(`m.parse(${src(qs)}, null, null, { decodeURIComponent: (s) => '<' + s + '>' })`);
    else if (k === 8) c.push(`m.unescape(${src(qs)})`);
    else c.push(`m.escape(${src(qs)})`);
  }
  for (let i = 0; i < 800; i++) {
    const obj = {};
    for (let j = r.int(0, 5); j > 0; j--) {
      const key = r.fromAlphabet(QS_ALPHABET.filter((x) => x !== '\ud800'), r.int(0, 4));
      const kind = r.int(0, 5);
      if (kind === 0) obj[key] = [randomPrimitive(r), r.unicode(2).replace(/[\ud800-\udfff]/g, 'x'), r.int(0, 9)];
      else if (kind === 1) obj[key] = {};
      else if (kind === 2) obj[key] = [];
      else obj[key] = r.bool(0.3) ? r.pick([1e21, -0, NaN, Infinity, 2.5, true, false, null, undefined, 12n]) : r.fromAlphabet(QS_ALPHABET.filter((x) => x !== '\ud800'), r.int(0, 6));
    }
    const k = i % 4;
    if (k < 2) c.push(`m.stringify(${src(obj)})`);
    else if (k === 2) c.push(`m.stringify(${src(obj)}, ${src(r.pick([';', '&&', '']))}, ${src(r.pick([':', '==', '']))})`);
    else c.push(`m.stringify(${src(obj)}, null, null, { encodeURIComponent: (s) => '[' + s + ']' })`);
  }
  const edge = [
    `m.parse('a=1&b=2&a=3')`, `m.parse('a=1&a=2&a=3')`, `m.parse('a+b=c+d')`, `m.parse('a%20b=c%2Bd')`, `m.parse('%E4%zz=1')`, `m.parse('a=%')`, `m.parse('a=%4')`,
    `m.parse('a=%41%')`, `m.parse('=1&=2')`, `m.parse('&&a&&')`, `m.parse('a&b=')`, `m.parse('a==b')`, `m.parse('__proto__=1&constructor=2&toString=3')`,
    `Object.getPrototypeOf(Object.getPrototypeOf(m.parse('a=1')))`, `m.parse('')`, `m.parse(5)`, `m.parse(null)`, `m.parse('a:1;b:2', ';', ':')`,
    `m.parse(Array.from({ length: 1100 }, (_, i) => 'k' + i + '=' + i).join('&'))`, `Object.keys(m.parse(Array.from({ length: 1100 }, (_, i) => 'k' + i).join('&'))).length`,
    `Object.keys(m.parse(Array.from({ length: 1100 }, (_, i) => 'k' + i).join('&'), null, null, { maxKeys: 0 })).length`,
    `m.parse('a=%E2%82%AC%zz€')`, `m.parse('€%zz=%E2%82%AC')`, `m.parse('a%41%41=%zz€')`, `m.parse('a=1', null, null, { decodeURIComponent: () => { throw new Error('x'); } })`,
    `m.decode === m.parse`, `m.encode === m.stringify`,
    `m.stringify({ a: [1, 2], b: 'x y', c: { d: 1 }, e: null, f: undefined, g: true, h: 1e21, i: NaN, j: 10n, k: [] })`, `m.stringify('str')`, `m.stringify(null)`,
    `m.stringify({ 'é': '€', 'a b': '!\\'()*-._~' })`, `m.stringify({ a: '\\ud800' })`, `m.stringify([1, 2])`, `m.stringify({ a: 1 }, '', '')`,
    `m.stringify({ a: [1, 2] }, ';', ':')`, `m.escape('a b&c=d/é€😀')`, `m.escape('\\udc00')`, `m.escape(5)`, `m.escape({ toString() { return 'o k'; } })`, `m.escape(null)`,
    `m.unescape('a+b%20c')`, `m.unescape('a+b', true)`, `m.unescape('%zz%41')`, `m.unescape('%E2%82')`, `m.unescape('%')`, `m.unescape('€%zz')`,
    `m.unescapeBuffer('a%20b%zz').toString()`, `m.unescapeBuffer('a+b', true).toString()`, `Array.from(m.unescapeBuffer('%41%'))`, `Array.from(m.unescapeBuffer('€'))`,
  ];
  return c.concat(edge);
};
