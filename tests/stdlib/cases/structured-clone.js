'use strict';
const { src, randomValue } = require('../gen');

module.exports = function structuredCloneCases(r) {
  const c = [];
  for (let i = 0; i < 800; i++) {
    const v = randomValue(r, 0, { holes: true, collections: true });
    c.push(`m(${src(v)})`);
  }
  const edge = [
    `m(1)`, `m('s')`, `m(null)`, `m(undefined)`, `m(-0)`, `m(NaN)`, `m(10n)`, `m(true)`, `m([1, , 3])`, `m(Object.assign([1], { extra: 'x' }))`,
    `m(new Date(123))`, `m(new Date(NaN))`, `(() => { const r = /a+/gi; r.lastIndex = 2; return m(r); })()`, `m(new Map([[{ k: 1 }, [1, 2]]]))`, `m(new Set([1, { a: 1 }]))`,
    `m(new Uint8Array([1, 2, 3]))`, `m(new Float64Array([1.5, -0, NaN]))`, `m(new BigInt64Array([5n]))`, `m(new Uint8Array([1, 2, 3, 4]).subarray(1, 3))`,
    `(() => { const c = m(new Uint8Array([1, 2, 3, 4]).subarray(1, 3)); return [c.byteOffset, c.buffer.byteLength]; })()`,
    `m(new ArrayBuffer(4))`, `(() => { const b = new ArrayBuffer(4); const c = m({ x: new Uint8Array(b), y: new Uint16Array(b) }); c.x[0] = 255; return [c.y[0], c.x.buffer === c.y.buffer]; })()`,
    `(() => { const d = m(new DataView(new ArrayBuffer(4), 1, 2)); return [Object.prototype.toString.call(d), d.byteOffset, d.byteLength]; })()`,
    `m(new Number(5))`, `m(new String('x'))`, `m(new Boolean(false))`, `typeof m(Object(1n))`,
    `(() => { const o = { a: 1 }; o.self = o; const c = m(o); return [c.self === c, c !== o]; })()`,
    `(() => { const shared = { s: 1 }; const c = m([shared, shared]); return c[0] === c[1]; })()`,
    `(() => { const a = [1]; a.push(a); const c = m(a); return c[1] === c; })()`,
    `(() => { class Foo { constructor() { this.x = 1; } get y() { return 2; } } const c = m(new Foo()); return [Object.getPrototypeOf(c) === Object.prototype, c.x, c.y]; })()`,
    `(() => { const c = m({ get g() { return 'got'; } }); return Object.getOwnPropertyDescriptor(c, 'g'); })()`,
    `(() => { const c = m({ [Symbol('s')]: 1, a: 2 }); return Object.getOwnPropertySymbols(c).length; })()`,
    `(() => { const o = Object.defineProperty({}, 'hidden', { value: 1, enumerable: false }); return Object.getOwnPropertyNames(m(o)); })()`,
    `(() => { const e = m(new TypeError('bad')); return [e instanceof TypeError, e.name, e.message, Object.prototype.toString.call(e)]; })()`,
    `(() => { class MyErr extends RangeError {} const e = m(new MyErr('x')); return [e.constructor.name, e.message]; })()`,
    `(() => { const e = new Error('x'); e.name = 'Custom'; const c = m(e); return [c.name, c.message]; })()`,
    `(() => { const e = new Error('x'); e.extra = 1; const c = m(e); return [c.extra, Object.keys(c)]; })()`,
    `(() => { const e = new Error('x', { cause: { deep: 1 } }); const c = m(e); return [c.cause, Object.prototype.hasOwnProperty.call(c, 'cause')]; })()`,
    `m(() => 1)`, `m({ f() {} })`, `m(Symbol('s'))`, `m({ s: Symbol('s') })`, `m(new WeakMap())`, `m(Promise.resolve())`, `m()`,
    `(() => { try { m(function named() {}); } catch (e) { return [e.name, e.message, e instanceof Error]; } })()`,
    `(() => { try { m(Symbol('q')); } catch (e) { return [e.name, e.message]; } })()`,
  ];
  return c.concat(edge);
};
