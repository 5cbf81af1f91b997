'use strict';
const { src, randomValue, randomPrimitive } = require('../gen');

function mutate(r, v, depth = 0) {
  if (v === null || typeof v !== 'object') {
    return r.pick([0, -0, NaN, '0', undefined, null, 1, false, 0n, v === 0 ? -0 : 0]);
  }
  if (v instanceof Map || v instanceof Set) return v;
  const copy = Array.isArray(v) ? v.slice() : Object.assign({}, v);
  const keys = Object.keys(copy);
  const k = r.int(0, 3);
  if (k === 0 || keys.length === 0) {
    if (Array.isArray(copy)) copy.push(randomPrimitive(r)); else copy[`extra${r.int(0, 3)}`] = randomPrimitive(r);
  } else if (k === 1 && !Array.isArray(copy)) {
    delete copy[r.pick(keys)];
  } else {
    const key = r.pick(keys);
    copy[key] = depth < 3 && r.bool() ? mutate(r, copy[key], depth + 1) : mutate(r, null);
  }
  return copy;
}

module.exports = function utilCases(r) {
  const c = [];
  // inspect on random JSON-ish values (with -0, NaN, bigint, holes, Map/Set, long strings).
  for (let i = 0; i < 1500; i++) {
    const v = randomValue(r, 0, { holes: true, collections: i % 3 === 0 });
    const opts = r.pick(['', '', '', ', { depth: 0 }', ', { depth: 4 }', ', { breakLength: 40 }', ', { compact: false }', ', { maxArrayLength: 5 }', ', { sorted: true }', ', { depth: Infinity }']);
    c.push(`m.inspect(${src(v)}${opts})`);
  }
  // format with random format strings.
  const SPEC = ['%s', '%d', '%i', '%f', '%j', '%o', '%O', '%c', '%%', '%x', '%', ' ', 'a', '%s%s'];
  for (let i = 0; i < 600; i++) {
    let fmt = '';
    for (let j = r.int(0, 5); j > 0; j--) fmt += r.pick(SPEC);
    const argv = [];
    for (let j = r.int(0, 4); j > 0; j--) argv.push(r.bool(0.7) ? randomPrimitive(r) : randomValue(r, 2));
    if (i % 7 === 0) c.push(`m.format(${argv.map(src).join(', ')})`);
    else c.push(`m.format(${[fmt].concat(argv).map(src).join(', ')})`);
  }
  // isDeepStrictEqual on equal-but-distinct copies and on near misses.
  for (let i = 0; i < 1200; i++) {
    const v = randomValue(r, 0, { holes: true, collections: i % 4 === 0 });
    const w = r.bool(0.4) ? v : mutate(r, v);
    c.push(`m.isDeepStrictEqual(${src(v)}, ${src(w)})`);
  }
  const inspectEdge = [
    `1`, `-0`, `0n`, `'str'`, `"it's"`, `'a"b\\'c'`, `'a"b\\'c\`d'`, `'\\x00\\x1b\\x7f\\n\\t\\ud800x'`, `Symbol('s')`, `Symbol()`, `undefined`, `null`, `true`, `NaN`, `-Infinity`,
    `[]`, `{}`, `[[]]`, `[{}]`, `{ a: [] }`, `[1, 2, 3]`, `[, 1]`, `[1, , , 2, ,]`, `new Array(5)`, `Object.assign([1, 2], { k: 'v' })`, `Object.assign([], { k: 1 })`,
    `{ 'a-b': 1, a_b: 2, '1a': 3, 'ünï': 4, '': 5, [Symbol('k')]: 6 }`, `{ a: { b: { c: { d: { e: 1 } } } } }`, `{ a: { b: { c: {} } } }`, `{ a: { b: { c: [] } } }`,
    `{ a: { b: { c: [1] } } }`, `Object.create(null)`, `Object.assign(Object.create(null), { x: 1 })`, `new (class Foo {})()`, `new (class Foo { constructor() { this.a = 1; } })()`,
    `new (class extends Array {})()`, `(() => { class Foo extends Array {} return Foo.from([1, 2]); })()`,
    `function foo() {}`, `() => {}`, `async function af() {}`, `function* gen() {}`, `async function* ag() {}`, `class A {}`, `class B extends Array {}`, `class {}`,
    `Object.assign(function f() {}, { x: 1 })`, `Math.max`, `new Map()`, `new Set()`, `new Map([[1, 'a'], ['b', { c: 2 }]])`, `new Set([1, 'two', [3]])`,
    `new Map([[{ a: 1 }, new Set([1])]])`, `new Date(0)`, `new Date(NaN)`, `/ab+c/gi`, `new RegExp('a/b')`, `Object.assign(/x/, { k: 1 })`,
    `new Uint8Array([1, 2, 3])`, `new Float64Array([1.5, -0, NaN])`, `new BigInt64Array([1n, -2n])`, `new Uint8Array(0)`, `new Uint16Array(200)`, `new ArrayBuffer(3)`, `new DataView(new ArrayBuffer(2), 1)`,
    `new Number(3)`, `new String('ab')`, `new Boolean(false)`, `Object(1n)`, `Object(Symbol('q'))`, `Object.assign(new Number(-0), { x: 1 })`,
    `new WeakMap()`, `new WeakSet()`, `(() => { const o = { a: 1 }; o.self = o; return o; })()`, `(() => { const a = [1]; a.push(a); return a; })()`,
    `(() => { const o = { x: {} }; o.x.y = o.x; o.z = o; return o; })()`, `(() => { const m1 = new Map(); m1.set('me', m1); return m1; })()`,
    `{ get a() { return 1; }, set b(v) {}, get c() { return 1; }, set c(v) {} }`, `Object.defineProperty({}, 'hidden', { value: 1, enumerable: false })`,
    `{ [Symbol.toStringTag]: 'Tagged', a: 1 }`, `(() => { class T { get [Symbol.toStringTag]() { return 'TT'; } } return new T(); })()`,
    `{ s: 'x'.repeat(20) + '\\n' + 'y'.repeat(70) }`, `'x'.repeat(20) + '\\n' + 'y'.repeat(70)`, `'a'.repeat(10005)`, `{ a: 'a'.repeat(100) }`,
    `Array.from({ length: 120 }, (_, i) => i)`, `Array.from({ length: 27 }, (_, i) => 'item' + i)`, `Array.from({ length: 8 }, (_, i) => ({ i }))`,
    `Array.from({ length: 30 }, (_, i) => i % 3 ? i * 1000 : -i)`, `Array.from({ length: 10 }, (_, i) => i % 2 ? 'a' : 1)`,
    `[1n, 22n, 333n, 4444n, 5n, 6n, 7n]`, `{ a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], b: { c: [1, 2, 3, 4, 5, 6, 7] } }`,
    `(() => { const e = new Error('boom'); e.stack = 'Error: boom'; return e; })()`,
    `(() => { const e = new TypeError('bad'); e.stack = 'TypeError: bad'; return { e, list: [e] }; })()`,
    `(() => { const e = new RangeError('r'); e.stack = 'RangeError: r'; e.code = 'E_X'; return e; })()`,
    `(() => { class MyError extends Error {} const e = new MyError('m'); e.stack = 'Error: m'; return e; })()`,
    `(() => { const e = new Error('m', { cause: 'c' }); e.stack = 'Error: m'; return e; })()`,
    `(() => { const e = new Error('no stack'); Object.defineProperty(e, 'stack', { value: undefined }); return e; })()`,
    `(() => { const e = new Error('with frames'); e.stack = 'Error: with frames\\n    at foo (file.js:1:1)\\n    at bar (file.js:2:2)'; return { nested: e }; })()`,
    `{ [Symbol.for('nodejs.util.inspect.custom')]() { return 'CUSTOM'; } }`, `{ x: { [Symbol.for('nodejs.util.inspect.custom')](depth) { return { depth }; } } }`,
    `{ inspect() { return 'not used'; } }`, `(function () { return arguments; })(1, 'a')`,
    `{ __proto__: { inherited: 1 }, own: 2 }`, `Object.create({ inherited: 1 })`, `Object.create(Object.create(null))`,
  ];
  for (const e of inspectEdge) c.push(`m.inspect(${e})`);
  c.push(`m.inspect({ a: { b: { c: { d: 1 } } } }, false, 0)`, `m.inspect({ a: { b: { c: { d: 1 } } } }, { depth: null })`,
    `m.inspect([1, [2, [3, [4, [5]]]]], { depth: 1 })`, `m.inspect('abc', { maxStringLength: 1 })`, `m.inspect([1, 2, 3], { maxArrayLength: 0 })`,
    `m.inspect(new Set([1, 2, 3]), { maxArrayLength: 1 })`, `m.inspect({ b: 1, a: 2 }, { sorted: true })`, `m.inspect(123456789.5, { numericSeparator: true })`,
    `m.inspect({ get a() { return { x: 1 }; } }, { getters: true })`, `m.inspect({ a: 1, b: 'x' }, { compact: true })`, `m.inspect({ a: { b: 1 } }, { compact: false })`,
    `m.inspect({ a: 1, b: 2 }, { breakLength: 3 })`, `m.inspect({ a: 1 }, { showHidden: true })`, `typeof m.inspect.custom`, `m.inspect.custom === Symbol.for('nodejs.util.inspect.custom')`,
    `m.inspect.defaultOptions.depth`, `m.inspect.defaultOptions.breakLength`);
  const formatEdge = [
    [], ['a'], ['%s'], ['%s', 'a'], ['%s', 'a', 'b'], ['%d', '42'], ['%d', 1.5], ['%d', '0x10'], ['%d', 10n], ['%i', '42.9'], ['%i', 10n], ['%f', '1.5e3'],
    ['%j', { a: [1] }], ['%s', { a: { b: { c: 1 } } }], ['%s', [1, [2, [3]]]], ['%s', -0], ['%s', 5n], ['%s', null], ['%s', undefined], ['%s', Symbol('x')],
    ['%o', { a: 1 }], ['%O', { a: { b: { c: { d: 1 } } } }], ['%c%s', 'color: red', 'x'], ['100%'], ['100%', 'x'], ['%%', 'x'], ['%%%s', 'x'], ['%x', 1],
    ['%s:%s', 'a'], [1, 2, 'three', { four: 4 }], [{ a: 1 }, 'str'], ['%s', new Date(0)], ['%s', new Map([[1, 2]])],
  ];
  for (const args of formatEdge) c.push(`m.format(${args.map((a) => (typeof a === 'symbol' ? "Symbol('x')" : src(a))).join(', ')})`);
  c.push(`m.format('%s', { toString() { return 'custom'; } })`, `m.format('%s', new (class Foo { toString() { return 'FooStr'; } })())`,
    `m.format('%s', new (class Bar {})())`, `m.format('%s', (() => { const e = new Error('err msg'); e.stack = 'Error: err msg'; return e; })())`,
    `m.format('%j', (() => { const o = {}; o.o = o; return o; })())`, `m.format('%s', () => 1)`, `m.format('%d', Symbol('s'))`, `m.format('%d', {})`,
    `m.formatWithOptions({ depth: 0 }, '%O', { a: { b: 1 } })`, `m.formatWithOptions({ compact: false }, { a: 1 })`);
  const deepEdge = [
    ['0', '-0'], ['NaN', 'NaN'], ['[NaN]', '[NaN]'], ['{ a: -0 }', '{ a: 0 }'], ['[1, 2]', '[1, 2]'], ['[1, , 3]', '[1, undefined, 3]'], ['[, ]', '[undefined]'],
    ['{ a: undefined }', '{}'], ['{ a: 1, b: 2 }', '{ b: 2, a: 1 }'], ['new Date(0)', 'new Date(0)'], ['new Date(0)', 'new Date(1)'], ['new Date(NaN)', 'new Date(NaN)'],
    ['/a/g', '/a/g'], ['/a/g', '/a/i'], ['(() => { const r = /a/g; r.lastIndex = 3; return r; })()', '/a/g'], ['new Map([[1, 2]])', 'new Map([[1, 2]])'],
    ['new Map([[1, 2]])', 'new Map([[1, 3]])'], ['new Map([[{ a: 1 }, 2]])', 'new Map([[{ a: 1 }, 2]])'], ['new Set([{ a: 1 }, { a: 1 }])', 'new Set([{ a: 1 }, { a: 2 }])'],
    ['new Set([1, 2])', 'new Set([2, 1])'], ['new Set([NaN])', 'new Set([NaN])'], ['new Set([[1]])', 'new Set([[1]])'], ['new Map([[NaN, 1]])', 'new Map([[NaN, 1]])'],
    ['new Uint8Array([1, 2])', 'new Uint8Array([1, 2])'], ['new Uint8Array([1, 2])', 'new Int8Array([1, 2])'], ['new Float64Array([0])', 'new Float64Array([-0])'],
    ['new Float32Array([NaN])', 'new Float32Array([NaN])'], ['new ArrayBuffer(2)', 'new ArrayBuffer(2)'], ['new ArrayBuffer(2)', 'new ArrayBuffer(3)'],
    ['new Number(1)', 'new Number(1)'], ['new Number(0)', 'new Number(-0)'], ['new String("a")', 'new String("a")'], ['new String("a")', '"a"'], ['new Boolean(true)', 'new Boolean(false)'],
    ['Object(1n)', 'Object(1n)'], ['1n', '1n'], ['{ [Symbol.for("s")]: 1 }', '{ [Symbol.for("s")]: 1 }'], ['{ [Symbol.for("s")]: 1 }', '{ [Symbol.for("s")]: 2 }'],
    ['{ [Symbol.for("s")]: 1 }', '{}'], ['Object.create(null)', '{}'], ['Object.create(null)', 'Object.create(null)'], ['new (class A {})()', 'new (class A {})()'],
    ['[1]', '{ 0: 1, length: 1 }'], ['new Error("a")', 'new Error("a")'], ['new Error("a")', 'new TypeError("a")'], ['new Error("a")', 'new Error("b")'],
    ['new Error("a", { cause: 1 })', 'new Error("a", { cause: 1 })'], ['new Error("a", { cause: 1 })', 'new Error("a", { cause: 2 })'], ['new Error("a", { cause: 1 })', 'new Error("a")'],
    ['(() => { const a = { x: 1 }; a.self = a; return a; })()', '(() => { const b = { x: 1 }; b.self = b; return b; })()'],
    ['(() => { const a = { x: 1 }; a.self = a; return a; })()', '(() => { const b = { x: 1 }; b.self = { x: 1, self: b }; return b; })()'],
    ['(() => { const a = [1]; a.k = 1; return a; })()', '[1]'], ['(() => { const a = [1]; a.k = 1; return a; })()', '(() => { const a = [1]; a.k = 1; return a; })()'],
    ['function f() {}', 'function f() {}'], ['Math.max', 'Math.max'], ['null', 'undefined'], ['null', '{}'], ['"1"', '1'], ['[1, [2, [3]]]', '[1, [2, [3]]]'],
    ['new Date(0)', '{}'], ['/a/', '{}'], ['new Map()', 'new Set()'], ['[]', '{}'], ['new Uint8Array(2)', '[0, 0]'],
  ];
  for (const [a, b] of deepEdge) c.push(`m.isDeepStrictEqual(${a}, ${b})`);
  // types and legacy predicates.
  const samples = ['new Date()', '/x/', 'new Map()', 'new Set()', 'new WeakMap()', 'new WeakSet()', 'Promise.resolve()', 'new Uint8Array(1)', 'new Float32Array(1)',
    'new ArrayBuffer(1)', 'new DataView(new ArrayBuffer(1))', 'new Error()', 'new TypeError()', 'new Number(1)', 'new String("")', 'Object(Symbol())', 'Object(1n)',
    'function* g() {}', 'async function a() {}', 'async function* ag() {}', '() => {}', '(function () { return arguments; })()', 'new Map().keys()', 'new Set().values()',
    '(function* () {})()', '{}', '[]', 'null', 'undefined', '1', '"s"', 'Symbol()', 'RegExp.prototype', 'Object.create(Date.prototype)', 'Object.create(Error.prototype)',
    '{ __proto__: Map.prototype }', 'new (class extends Error {})()', 'new BigUint64Array(1)', 'new Uint8ClampedArray(1)'];
  const preds = ['isDate', 'isRegExp', 'isMap', 'isSet', 'isWeakMap', 'isWeakSet', 'isPromise', 'isTypedArray', 'isUint8Array', 'isFloat32Array', 'isArrayBuffer',
    'isAnyArrayBuffer', 'isArrayBufferView', 'isDataView', 'isNativeError', 'isBoxedPrimitive', 'isNumberObject', 'isStringObject', 'isSymbolObject', 'isBigIntObject',
    'isGeneratorFunction', 'isAsyncFunction', 'isGeneratorObject', 'isArgumentsObject', 'isMapIterator', 'isSetIterator', 'isBigUint64Array', 'isUint8ClampedArray'];
  for (const p of preds) c.push(`[${samples.map((s) => `m.types.${p}(${s})`).join(', ')}]`);
  const legacy = ['isArray', 'isBoolean', 'isNull', 'isNullOrUndefined', 'isNumber', 'isString', 'isSymbol', 'isUndefined', 'isRegExp', 'isObject', 'isDate', 'isError', 'isFunction', 'isPrimitive'];
  for (const p of legacy) c.push(`[${samples.map((s) => `m.${p}(${s})`).join(', ')}]`);
  // inherits / promisify / callbackify / deprecate.
  c.push(
    `(() => { function A() {} A.prototype.hi = function () { return 'hi'; }; function B() { A.call(this); } m.inherits(B, A); return [new B().hi(), B.super_ === A, Object.getPrototypeOf(B.prototype) === A.prototype, new B() instanceof A]; })()`,
    `m.inherits(function () {}, null)`, `m.inherits(null, function () {})`, `m.inherits(function () {}, { prototype: undefined })`,
    { expr: `m.promisify((a, b, cb) => cb(null, a + b))(1, 2)`, async: true },
    { expr: `m.promisify((cb) => cb(new Error('nope')))().catch((e) => 'caught ' + e.message)`, async: true },
    { expr: `m.promisify((cb) => cb(null, 1, 2))()`, async: true },
    { expr: `m.promisify(() => { throw new Error('sync'); })().catch((e) => 'caught ' + e.message)`, async: true },
    { expr: `(() => { function f(cb) { cb(null, 'plain'); } f[m.promisify.custom] = () => Promise.resolve('custom'); return m.promisify(f)(); })()`, async: true },
    `(() => { function f(cb) {} f[m.promisify.custom] = () => 1; return m.promisify(f) === f[m.promisify.custom]; })()`,
    `(() => { function named(a, b, cb) {} const p = m.promisify(named); return [p.name, p.length, typeof p[m.promisify.custom]]; })()`,
    `m.promisify.custom === Symbol.for('nodejs.util.promisify.custom')`, `m.promisify(1)`,
    { expr: `new Promise((res) => m.callbackify(async (x) => x * 2)(21, (err, v) => res([err, v])))`, async: true },
    { expr: `new Promise((res) => m.callbackify(async () => { throw new Error('bad'); })((err) => res(err.message)))`, async: true },
    { expr: `new Promise((res) => m.callbackify(() => Promise.reject(null))((err) => res([err.message, err.code, err.reason])))`, async: true },
    `(() => { async function fn(a) {} const cb = m.callbackify(fn); return [cb.name, cb.length]; })()`, `m.callbackify(async () => 1)(1)`,
    `(() => { const warn = console.warn; const seen = []; console.warn = (...a) => seen.push(a); try { const f = m.deprecate((x) => x + 1, 'old'); return [f(1), f(2)]; } finally { console.warn = warn; } })()`,
    `(() => { class K { constructor(v) { this.v = v; } } const D = m.deprecate(K, 'K is old'); const warn = console.warn; console.warn = () => {}; try { return new D(5).v; } finally { console.warn = warn; } })()`,
    `new m.TextDecoder().decode(new m.TextEncoder().encode('héllo'))`, `m.isArray([])`, `m.toUSVString('a\\ud800b')`, `m.stripVTControlCharacters('\\u001b[31mred\\u001b[39m')`,
  );
  return c;
};
