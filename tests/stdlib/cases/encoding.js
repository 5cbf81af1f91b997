'use strict';
const { src } = require('../gen');

module.exports = function encodingCases(r) {
  const c = [];
  const dec = (label, opts) => `new m.TextDecoder(${src(label)}${opts ? `, ${opts}` : ''})`;
  for (let i = 0; i < 2500; i++) {
    const bytes = i % 3 ? r.utf8ish(r.int(0, 40)) : r.bytes(r.int(0, 30));
    c.push(`${dec('utf-8')}.decode(new Uint8Array(${src(bytes)}))`);
    if (i % 5 === 0) c.push(`${dec('utf8', '{ fatal: true }')}.decode(new Uint8Array(${src(bytes)}))`);
    if (i % 5 === 1) c.push(`${dec('utf-8', '{ ignoreBOM: true }')}.decode(new Uint8Array(${src(bytes)}))`);
    if (i % 5 === 2) {
      // Streaming: the same bytes split at random points must decode identically.
      const cuts = [r.int(0, bytes.length), r.int(0, bytes.length)].sort((a, b) => a - b);
      c.push(`(() => { const d = ${dec('utf-8')}; const b = new Uint8Array(${src(bytes)}); return d.decode(b.subarray(0, ${cuts[0]}), { stream: true }) + '|' + d.decode(b.subarray(${cuts[0]}, ${cuts[1]}), { stream: true }) + '|' + d.decode(b.subarray(${cuts[1]})) + '|' + d.decode(new Uint8Array([0xe2])); })()`);
    }
    if (i % 5 === 3) c.push(`${dec(r.pick(['utf-16le', 'utf-16', 'ucs-2']))}.decode(new Uint8Array(${src(bytes)}))`);
    if (i % 5 === 4) c.push(`${dec(r.pick(['latin1', 'windows-1252', 'ascii', 'iso-8859-1']))}.decode(new Uint8Array(${src(bytes)}))`);
  }
  for (let i = 0; i < 1500; i++) {
    const s = r.unicode(r.int(0, 30));
    c.push(`Array.from(new m.TextEncoder().encode(${src(s)}))`);
    if (i % 3 === 0) {
      const n = r.int(0, 20);
      c.push(`(() => { const d = new Uint8Array(${n}); const res = new m.TextEncoder().encodeInto(${src(s)}, d); return [res.read, res.written, Array.from(d)]; })()`);
    }
    if (i % 3 === 1) c.push(`new m.TextDecoder().decode(new m.TextEncoder().encode(${src(s)}))`);
  }
  const edge = [
    `new m.TextEncoder().encoding`, `Array.from(new m.TextEncoder().encode())`, `Array.from(new m.TextEncoder().encode(undefined))`,
    `Array.from(new m.TextEncoder().encode(123))`, `Array.from(new m.TextEncoder().encode('\\ud83d'))`,
    `new m.TextDecoder().encoding`, `new m.TextDecoder('UTF8').encoding`, `new m.TextDecoder(' unicode-1-1-utf-8 ').encoding`,
    `new m.TextDecoder('utf-16').encoding`, `new m.TextDecoder('latin1').encoding`, `new m.TextDecoder('nope')`,
    `new m.TextDecoder().fatal`, `new m.TextDecoder('utf-8', { fatal: 1 }).fatal`, `new m.TextDecoder('utf-8', { ignoreBOM: true }).ignoreBOM`,
    `new m.TextDecoder().decode()`, `new m.TextDecoder().decode(new ArrayBuffer(2))`, `new m.TextDecoder().decode(new DataView(new Uint8Array([104, 105]).buffer))`,
    `new m.TextDecoder().decode(new Uint16Array([0x6968]))`, `new m.TextDecoder().decode('abc')`, `new m.TextDecoder().decode(null)`,
    `new m.TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x41]))`,
    `new m.TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff]))`,
    `new m.TextDecoder('utf-16le').decode(new Uint8Array([0xff, 0xfe, 0x41, 0x00, 0x3d, 0xd8]))`,
    `(() => { const d = new m.TextDecoder(); return [d.decode(new Uint8Array([0xef, 0xbb]), { stream: true }), d.decode(new Uint8Array([0xbf, 0x41]))]; })()`,
    `(() => { const d = new m.TextDecoder(); return [d.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]), { stream: true }), d.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x42]))]; })()`,
    `(() => { const d = new m.TextDecoder(); return [d.decode(new Uint8Array([0xf0, 0x9f]), { stream: true }), d.decode(new Uint8Array([0x98, 0x80]), { stream: true }), d.decode()]; })()`,
    `(() => { const d = new m.TextDecoder(); return [d.decode(new Uint8Array([0xf0, 0x9f]), { stream: true }), d.decode()]; })()`,
    `(() => { const d = new m.TextDecoder('utf-16le'); return [d.decode(new Uint8Array([0x3d]), { stream: true }), d.decode(new Uint8Array([0xd8, 0x00]), { stream: true }), d.decode(new Uint8Array([0xde])), d.decode(new Uint8Array([0x41]))]; })()`,
    `Object.prototype.toString.call(new m.TextEncoder())`, `Object.prototype.toString.call(new m.TextDecoder())`,
    `(() => { const r = new m.TextEncoder().encodeInto('a€😀', new Uint8Array(5)); return [r.read, r.written]; })()`,
    `new m.TextEncoder().encodeInto('a', [])`,
  ];
  return c.concat(edge);
};
