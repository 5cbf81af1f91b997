'use strict';
/*
 * Argument generators and per-function call signatures for the random part of
 * the differential test. Everything is a pure function of the PRNG passed in,
 * so the harness can build identical, independent argument sets for lodash and
 * for ours.
 *
 * Signature DSL: 'kind,kind,...'; a trailing '*' on a kind repeats it 0-3
 * times; '?' makes the argument sometimes absent (dropped from the end).
 */

const SYM = Symbol.for('elemental.lodash.test');

const EDGE_NUMBERS = [0, -0, 1, -1, 2, 3, 7, 1.5, -2.5, 0.1, NaN, Infinity, -Infinity, 9007199254740991, 2 ** 53 + 2, 1e21, -1e-7, 4294967295];
const SMALL_INTS = [0, -0, 1, 2, 3, -1, -2, 5, 10, 1.7, -1.2, NaN, Infinity, -Infinity, '2', '1e1', null, undefined, true];
const PLAIN_STRINGS = ['', 'a', 'abc', 'A', '0', '1', '-1', '1.5', ' 2 ', '0x1f', '-0x1f', '0b101', '0o17', '12px', 'foo bar',
  'fooBar', 'FOO_BAR', 'hello world', '  padded  ', 'a.b', 'a[0]', 'true', 'null', '\t\n x \n', '-0', '1e3', 'Infinity'];
const UNICODE_STRINGS = ['déjà vu', 'Ünïcödé', '😀 smile', 'naïve café', '日本語テキスト', 'e\u0301', '👍🏽ok', '🇺🇸🇫🇷', 'a\u200db', 'ÀÉÎÕÜ', 'straße', 'Ⅻ'];
const WORD_PIECES = ['foo', 'Bar', 'BAZ', 'qux', '123', '4th', '1ST', 'XMLHttp', 'Request', 'camel', 'Case', 'ÀÉÎ', 'ß', 'déjà',
  '😀', 'a1b2', 'HTML', 'id', 'ID', "it's", 'we’re', 'Ünï', 'x', 'Y', 'éÉ', '日本', 'iPhone', '10px', 'v2', '__', 'ǅ', 'Ā'];
const SEPARATORS = [' ', '-', '_', '.', '', '  ', '/', ', ', '--', '\t', '+'];
const KEYS = ['a', 'b', 'c', 'd', 'x', 'y', '0', '1', 'a.b', 'k-1', 'length', 'name', 'id', ''];
const PATHS = ['a', 'b', 'a.b', 'a.b.c', 'a[0]', 'a[0].b', 'a[1].b.c', 'c.d', 'x', '', '[0]', '0', 'a["b.c"]', "a['b']",
  'a..b', 'a.', '.a', 'a[]', 'a[-1]', 'a[0][1]', 'b.0', 'length', 'a.length', 'constructor', 'd.e.f', 'a[b]', 'a.b[0]'];
const ARRAY_PATHS = [['a'], ['a', 'b'], ['a', 0], ['a.b'], ['a', '0', 'b'], [], ['x', 'y'], [0], ['c', 'd']];
// Fragments concatenated at random: property-path syntax (brackets, quotes,
// escapes, empty segments) and word-splitting hazards (case changes,
// ordinals, contractions, emoji sequences, combining marks, Unicode spaces).
const PATH_PIECES = ['a', 'b', '0', '-1', '1.5', '.', '[', ']', '"', "'", '\\', 'x y', '[]', '..', '["', "']", '\n', 'é'];
const WORD_FUZZ = ['foo', 'Bar', 'BAZ', 'x', 'Y', '1', '2nd', '3RD', '11th', 'é', 'É', 'ß', 'ÿ', 'À', '😀', '👍🏽', '🇺🇸', '\u200d',
  '\u0301', '’s', "'re", "'S", '日本', 'Ⅻ', 'ǅ', 'Ā', 'ā', '-', '_', ' ', '.', '+', '×', '÷', '\u2019', '\u00a0', '\u2000', '\u3000',
  'ﬁ', 'µ', 'Ω', 'ω', 'a1', '1a', 'A1b', 'HTTPServer', 'iOS', 'ID2', 'v1.2', '©', '™', '\t', '\n', '$', '€', '→', '✓', '❤️', '☃', '#', '@', 'ÆØ'];
const TEMPLATES = ['hello <%= user %>!', '<%- user %>', '<% if (user) { %>yes<% } else { %>no<% } %>', '${ user }-${n}', '<%= n + 1 %>',
  "it's <%= user %>\n", '<% print(user, n) %>', '<%= missing %>', '<%- n %><%= user.length %>', 'plain', '<%= user %><%=user%>'];
const TEMPLATE_CHARS = ['', ' ', '-', '_', 'ab', '😀', 'é', '0'];

function pick(rng, list) {
  return list[rng.int(list.length)];
}

function genPrimitive(rng) {
  switch (rng.int(9)) {
    case 0: case 1: return pick(rng, EDGE_NUMBERS);
    case 2: return rng.int(20) - 5;
    case 3: return pick(rng, PLAIN_STRINGS);
    case 4: return pick(rng, UNICODE_STRINGS);
    case 5: return rng.chance(0.5);
    case 6: return null;
    case 7: return undefined;
    default: return pick(rng, ['a', 'b', 'c', 1, 2, 3]);
  }
}
function genNumber(rng) {
  return rng.chance(0.5) ? pick(rng, EDGE_NUMBERS) : Math.round((rng() * 200 - 100) * 100) / 100;
}
function genInt(rng) {
  return rng.chance(0.6) ? rng.int(8) - 2 : pick(rng, SMALL_INTS);
}
function genString(rng) {
  const r = rng.int(5);
  if (r === 4) return fuzzFrom(rng, WORD_FUZZ, 6);
  if (r === 0) return pick(rng, PLAIN_STRINGS);
  if (r === 1) return pick(rng, UNICODE_STRINGS);
  return genWords(rng);
}
function genWords(rng) {
  if (rng.chance(0.3)) return fuzzFrom(rng, WORD_FUZZ, 6);
  const n = rng.int(5);
  let s = rng.chance(0.2) ? pick(rng, SEPARATORS) : '';
  for (let i = 0; i < n; i++) {
    s += pick(rng, WORD_PIECES);
    if (i < n - 1) s += pick(rng, SEPARATORS);
  }
  if (rng.chance(0.15)) s += pick(rng, SEPARATORS);
  return s;
}
function genKey(rng) {
  return pick(rng, KEYS);
}
function maybeSparse(rng, arr) {
  if (arr.length > 1 && rng.chance(0.15)) delete arr[rng.int(arr.length)];
  if (rng.chance(0.05)) arr.length += 2;
  return arr;
}
function genArray(rng, depth) {
  depth = depth || 0;
  const n = rng.int(7);
  const arr = [];
  for (let i = 0; i < n; i++) {
    const r = rng.int(10);
    if (r < 6 || depth > 1) arr.push(genPrimitive(rng));
    else if (r < 8) arr.push(genArray(rng, depth + 1));
    else arr.push(genObject(rng, depth + 1));
  }
  return maybeSparse(rng, arr);
}
function genNumArray(rng) {
  const n = rng.int(8);
  const arr = [];
  for (let i = 0; i < n; i++) arr.push(rng.chance(0.7) ? rng.int(10) - 3 : genNumber(rng));
  if (rng.chance(0.1)) arr.push(undefined);
  if (rng.chance(0.1)) arr.push(null);
  return maybeSparse(rng, arr);
}
function genSortedArray(rng) {
  const arr = [];
  const n = rng.int(8);
  for (let i = 0; i < n; i++) arr.push(rng.int(6));
  arr.sort((a, b) => a - b);
  if (rng.chance(0.15)) arr.push(NaN);
  if (rng.chance(0.15)) arr.push(undefined);
  return arr;
}
function genRecord(rng) {
  const o = { a: rng.int(4), b: pick(rng, ['x', 'y', 'z', 'X']) };
  if (rng.chance(0.7)) o.c = { d: rng.int(3), e: [rng.int(3), rng.int(3)] };
  if (rng.chance(0.3)) o.n = pick(rng, [null, undefined, NaN, -0, 0, '1']);
  if (rng.chance(0.2)) delete o.a;
  return o;
}
function genRecords(rng) {
  const n = rng.int(7);
  const arr = [];
  for (let i = 0; i < n; i++) arr.push(rng.chance(0.9) ? genRecord(rng) : genPrimitive(rng));
  return arr;
}
function genObject(rng, depth) {
  depth = depth || 0;
  const o = {};
  const n = rng.int(5);
  for (let i = 0; i < n; i++) {
    const r = rng.int(10);
    const k = genKey(rng);
    // A huge numeric `length` turns any object into an array-like that both
    // implementations would iterate for hours.
    if (k === 'length') o[k] = pick(rng, [0, 1, 2, 3, -1, 1.5, 'x', null, {}]);
    else if (r < 6 || depth > 1) o[k] = genPrimitive(rng);
    else if (r < 8) o[k] = genObject(rng, depth + 1);
    else o[k] = genArray(rng, depth + 1);
  }
  if (rng.chance(0.05)) o[SYM] = 1;
  return o;
}
// Objects shaped so that generated paths usually hit something.
function genDeep(rng) {
  const leaf = () => (rng.chance(0.7) ? genPrimitive(rng) : genObject(rng, 2));
  const o = {};
  if (rng.chance(0.85)) {
    o.a = rng.chance(0.5)
      ? { b: rng.chance(0.7) ? { c: leaf() } : leaf(), 'b.c': leaf() }
      : [rng.chance(0.6) ? { b: leaf() } : leaf(), { b: { c: leaf() } }];
  }
  if (rng.chance(0.5)) o.b = rng.chance(0.5) ? [leaf(), leaf()] : leaf();
  if (rng.chance(0.4)) o.c = { d: leaf() };
  if (rng.chance(0.3)) o['a.b'] = leaf();
  if (rng.chance(0.2)) o.x = null;
  if (rng.chance(0.1)) o['0'] = leaf();
  return o;
}
function genCollection(rng) {
  switch (rng.int(10)) {
    case 0: return genObject(rng);
    case 1: return pick(rng, ['abc', '', 'hello', '😀a']);
    case 2: return pick(rng, [null, undefined, 5]);
    case 3: return { length: 2, 0: 'x', 1: 'y' };
    case 4: return { a: 1, b: 2, c: 3 };
    case 5: case 6: return genRecords(rng);
    case 7: return genNumArray(rng);
    default: return genArray(rng);
  }
}
function genAny(rng) {
  switch (rng.int(8)) {
    case 0: case 1: case 2: return genPrimitive(rng);
    case 3: return genArray(rng);
    case 4: return genObject(rng);
    case 5: return genDeep(rng);
    case 6: return genRecords(rng);
    default: return pick(rng, [new Date(0), /a+b/g, new Map([[1, 'a']]), new Set([1, 2]), Object(1), Object('s'),
      [1, [2, [3, [4]]]], { a: { b: { c: 1 } } }, Object.create(null), new Error('e'), SYM, new Uint8Array([1, 2])]);
  }
}
function fuzzFrom(rng, pieces, maxLen) {
  let s = '';
  const n = 1 + rng.int(maxLen);
  for (let i = 0; i < n; i++) s += pick(rng, pieces);
  return s;
}
function genPath(rng) {
  if (rng.chance(0.25)) return fuzzFrom(rng, PATH_PIECES, 8);
  const r = rng.int(10);
  if (r < 6) return pick(rng, PATHS);
  if (r < 8) return pick(rng, ARRAY_PATHS).slice();
  return pick(rng, [0, 1, -0, null, undefined, true, 'b.c', 'a.b.c.d']);
}

/* Iteratees: a fixed catalogue of functions plus every shorthand form. */
const ITERATEE_FUNCS = [
  (x) => x,
  (x) => (typeof x === 'number' ? x * 2 : x),
  (x) => (typeof x === 'number' ? Math.floor(x) : typeof x),
  (x) => String(x),
  (x) => (x == null ? x : x.a),
  (x, i) => i,
  (x) => (typeof x === 'number' ? x % 3 : x && x.b),
  (x) => (Array.isArray(x) ? x.length : x),
  (x, k) => String(k) + ':' + typeof x,
];
const PREDICATE_FUNCS = [
  (x) => !!x,
  (x) => typeof x === 'number' && x > 1,
  (x) => x == null,
  (x) => (x && x.a) > 1,
  (x, i) => i % 2 === 0,
  (x) => typeof x === 'string',
  () => true,
  () => false,
];
const COMPARATORS = [
  (a, b) => a === b,
  (a, b) => typeof a === typeof b,
  (a, b) => Math.floor(a) === Math.floor(b),
  (a, b) => JSON.stringify(a) === JSON.stringify(b),
  (a, b) => (a && a.a) === (b && b.a),
];
const REDUCERS = [
  (acc, x) => acc + x,
  (acc, x) => (Array.isArray(acc) ? acc.concat([x]) : [acc, x]),
  (acc, x, k) => { if (acc && typeof acc === 'object') acc[k] = x; return acc; },
  (acc, x) => (typeof x === 'number' ? acc * x : acc),
];
const SHORTHANDS = ['a', 'b', 'a.b', 'c.d', 'length', 0, { a: 1 }, { b: 'x' }, { c: { d: 1 } }, ['a', 1], ['b', 'x'], ['c.d', 0], undefined, null, ['a']];

function genIteratee(rng) {
  if (rng.chance(0.55)) return pick(rng, ITERATEE_FUNCS);
  const s = pick(rng, SHORTHANDS);
  return (s && typeof s === 'object') ? JSON.parse(JSON.stringify(s)) : s;
}
function genPredicate(rng) {
  if (rng.chance(0.55)) return pick(rng, PREDICATE_FUNCS);
  return genIteratee(rng);
}
function genComparator(rng) {
  return rng.chance(0.9) ? pick(rng, COMPARATORS) : undefined;
}
function genFunc(rng) {
  return pick(rng, ITERATEE_FUNCS.concat([(a, b, c) => [a, b, c], function () { return arguments.length; }, (...xs) => xs.join('|')]));
}

const KINDS = {
  any: genAny,
  prim: genPrimitive,
  num: genNumber,
  int: genInt,
  str: genString,
  words: genWords,
  arr: genArray,
  narr: genNumArray,
  sarr: genSortedArray,
  recs: genRecords,
  obj: (rng) => genObject(rng),
  deep: genDeep,
  coll: genCollection,
  path: genPath,
  key: genKey,
  it: genIteratee,
  pred: genPredicate,
  cmp: genComparator,
  red: REDUCERS && ((rng) => pick(rng, REDUCERS)),
  fn: genFunc,
  bool: (rng) => rng.chance(0.5),
  chars: (rng) => pick(rng, TEMPLATE_CHARS.concat([undefined, null, 'xy', '-_'])),
  val: (rng) => (rng.chance(0.5) ? pick(rng, [1, 2, 3, 'a', 'b', NaN, -0, 0, undefined, null]) : genPrimitive(rng)),
  pairs: (rng) => {
    const n = rng.int(5);
    const out = [];
    for (let i = 0; i < n; i++) out.push([rng.chance(0.8) ? genKey(rng) : genPath(rng), genPrimitive(rng)]);
    return out;
  },
  keys: (rng) => {
    const n = rng.int(5);
    const out = [];
    for (let i = 0; i < n; i++) out.push(rng.chance(0.8) ? genKey(rng) : genPath(rng));
    return out;
  },
  arrs: (rng) => {
    const n = rng.int(4);
    const out = [];
    for (let i = 0; i < n; i++) out.push(rng.chance(0.5) ? genNumArray(rng) : genArray(rng));
    return out;
  },
  sep: (rng) => pick(rng, [',', ' ', '', '-', undefined, null, /\s+/, 'a', /(,)/]),
  pattern: (rng) => pick(rng, [/a/g, /o/, 'o', /(\w)(\w)/g, /x*/g, 'l']),
  repl: (rng) => pick(rng, ['X', '$&$&', '', '[$1]', (m) => m.toUpperCase()]),
  radix: (rng) => pick(rng, [undefined, 2, 8, 10, 16, 36, 0, '16', null, 1]),
  order: (rng) => pick(rng, ['asc', 'desc', ['desc', 'asc'], ['asc'], undefined, 'ASC']),
  truncOpts: (rng) => {
    const o = {};
    if (rng.chance(0.6)) o.length = rng.int(25);
    if (rng.chance(0.4)) o.omission = pick(rng, ['', '…', ' [...]', '😀']);
    if (rng.chance(0.4)) o.separator = pick(rng, [' ', /,? +/, ',', /\s/g]);
    return rng.chance(0.9) ? o : undefined;
  },
  depth: (rng) => pick(rng, [undefined, 0, 1, 2, 3, -1, Infinity, '2']),
  precision: (rng) => pick(rng, [undefined, 0, 1, 2, -1, -2, 3, '1', 1.5]),
  customizer: (rng) => pick(rng, [
    undefined,
    (a, b) => (Array.isArray(a) ? a.concat(b) : undefined),
    (a) => (typeof a === 'number' ? a + 1 : undefined),
    (a, b) => (a === undefined ? b : a),
  ]),
  eqCustomizer: (rng) => pick(rng, [undefined, (a, b) => (typeof a === 'number' && typeof b === 'number' ? Math.floor(a) === Math.floor(b) : undefined), () => undefined]),
  cloneCustomizer: (rng) => pick(rng, [undefined, (v) => (typeof v === 'number' ? v * 10 : undefined), () => undefined]),
  updater: (rng) => pick(rng, [(v) => (typeof v === 'number' ? v + 1 : [v]), () => 'new', undefined]),
  setCustomizer: (rng) => pick(rng, [undefined, Object, (v) => (v === undefined ? [] : undefined)]),
  conformsSource: (rng) => pick(rng, [{ a: (v) => v > 1 }, { b: (v) => typeof v === 'string' }, {}, { a: (v) => v == null, b: () => true }]),
  condPairs: (rng) => pick(rng, [
    [[(x) => x > 1, (x) => 'big'], [() => true, () => 'other']],
    [[{ a: 1 }, () => 'a1'], ['b', (x) => x.b]],
    [],
  ]),
  funcs: (rng) => {
    const n = rng.int(4);
    const out = [];
    for (let i = 0; i < n; i++) out.push(pick(rng, ITERATEE_FUNCS.slice(0, 5)));
    return out;
  },
  tmpl: (rng) => pick(rng, TEMPLATES),
  tmplOpts: (rng) => pick(rng, [undefined, { variable: 'data' }, { interpolate: /{{([\s\S]+?)}}/g }, { escape: null }, { imports: { user: 'imported' } }]),
  tmplData: (rng) => (rng.chance(0.8) ? { user: pick(rng, ['fred', '<b>&', '', null, 'x\'y']), n: pick(rng, [1, -0, NaN, null]) } : undefined),
  wordsPattern: (rng) => pick(rng, [undefined, /\w+/g, /[a-z]+/gi, /x/]),
  bigArr: (rng) => {
    const out = [];
    for (let i = 0; i < 230; i++) out.push(rng.int(40) - (i % 7 === 0 ? 0.5 : 0));
    if (rng.chance(0.5)) out.push(NaN, -0, 0, NaN);
    return out;
  },
};

function parseSig(text) {
  const parts = text ? text.split(',') : [];
  return (rng) => {
    const args = [];
    for (const raw of parts) {
      let kind = raw, repeat = false, optional = false;
      if (kind.endsWith('*')) { repeat = true; kind = kind.slice(0, -1); }
      if (kind.endsWith('?')) { optional = true; kind = kind.slice(0, -1); }
      const gen = KINDS[kind];
      if (!gen) throw new Error('unknown kind ' + kind);
      if (repeat) {
        const n = rng.int(4);
        for (let i = 0; i < n; i++) args.push(gen(rng));
      } else if (optional && rng.chance(0.3)) {
        break;
      } else {
        args.push(gen(rng));
      }
    }
    return args;
  };
}

// fn name -> list of signatures. Functions whose result is itself a function
// get `probe` argument generators so the returned functions are exercised.
const TABLE = {
  // Array
  chunk: ['arr,int?', 'coll,int'],
  compact: ['arr', 'coll'],
  concat: ['any,any*', 'arr,arr*'],
  difference: ['narr,narr*', 'arr,arr*', 'any,any*', 'bigArr,narr'],
  differenceBy: ['narr,narr*,it', 'recs,recs,it', 'arr,arr*'],
  differenceWith: ['narr,narr,cmp', 'recs,recs,cmp'],
  drop: ['arr,int?', 'coll,int'],
  dropRight: ['arr,int?'],
  dropRightWhile: ['narr,pred', 'recs,pred'],
  dropWhile: ['narr,pred', 'recs,pred'],
  fill: ['arr,any,int?,int?', 'narr,val,int,int'],
  findIndex: ['narr,pred,int?', 'recs,pred,int?', 'coll,pred'],
  findLastIndex: ['narr,pred,int?', 'recs,pred,int?'],
  first: ['arr', 'coll'],
  flatten: ['arr', 'any'],
  flattenDeep: ['arr', 'any'],
  flattenDepth: ['arr,depth'],
  fromPairs: ['pairs', 'any'],
  head: ['arr', 'coll'],
  indexOf: ['narr,val,int?', 'arr,val,int?'],
  initial: ['arr', 'coll'],
  intersection: ['narr*', 'narr,narr,narr', 'arr,arr', 'any,narr', 'bigArr,bigArr'],
  intersectionBy: ['narr,narr,it', 'recs,recs,it', 'narr*'],
  intersectionWith: ['narr,narr,cmp', 'recs,recs,cmp'],
  join: ['arr,sep?', 'coll,sep'],
  last: ['arr', 'coll'],
  lastIndexOf: ['narr,val,int?', 'arr,val,int?'],
  nth: ['arr,int?', 'coll,int'],
  pull: ['narr,val*', 'arr,val*'],
  pullAll: ['narr,narr', 'arr,arr'],
  pullAllBy: ['narr,narr,it', 'recs,recs,it'],
  pullAllWith: ['narr,narr,cmp', 'recs,recs,cmp'],
  pullAt: ['arr,int*', 'narr,narr'],
  remove: ['narr,pred', 'recs,pred'],
  reverse: ['arr', 'narr'],
  slice: ['arr,int?,int?', 'coll,int,int'],
  sortedIndex: ['sarr,val', 'sarr,num'],
  sortedIndexBy: ['sarr,val,it', 'recs,any,it'],
  sortedIndexOf: ['sarr,val'],
  sortedLastIndex: ['sarr,val', 'sarr,num'],
  sortedLastIndexBy: ['sarr,val,it'],
  sortedLastIndexOf: ['sarr,val'],
  sortedUniq: ['sarr', 'narr'],
  sortedUniqBy: ['sarr,it', 'narr,it'],
  tail: ['arr', 'coll'],
  take: ['arr,int?', 'coll,int'],
  takeRight: ['arr,int?'],
  takeRightWhile: ['narr,pred', 'recs,pred'],
  takeWhile: ['narr,pred', 'recs,pred'],
  union: ['narr*', 'arr,arr', 'any,narr'],
  unionBy: ['narr,narr,it', 'recs,recs,it'],
  unionWith: ['narr,narr,cmp', 'recs,recs,cmp'],
  uniq: ['narr', 'arr', 'any', 'bigArr'],
  uniqBy: ['narr,it', 'recs,it', 'bigArr,it'],
  uniqWith: ['narr,cmp', 'recs,cmp'],
  unzip: ['arrs', 'any'],
  unzipWith: ['arrs,fn?'],
  without: ['narr,val*', 'arr,val*'],
  xor: ['narr*', 'arr,arr', 'narr,any,narr'],
  xorBy: ['narr,narr,it', 'recs,recs,it'],
  xorWith: ['narr,narr,cmp', 'recs,recs,cmp'],
  zip: ['arr*', 'narr,narr'],
  zipObject: ['keys,arr', 'keys'],
  zipObjectDeep: ['keys,arr'],
  zipWith: ['narr,narr,fn', 'arr*'],
  // Collection
  countBy: ['coll,it?', 'recs,it'],
  each: ['coll,fn'],
  eachRight: ['coll,fn'],
  every: ['coll,pred?', 'recs,pred'],
  filter: ['coll,pred?', 'recs,pred'],
  find: ['coll,pred,int?', 'recs,pred'],
  findLast: ['coll,pred,int?', 'recs,pred'],
  flatMap: ['coll,it?'],
  flatMapDeep: ['coll,it?'],
  flatMapDepth: ['coll,it,depth'],
  forEach: ['coll,fn'],
  forEachRight: ['coll,fn'],
  groupBy: ['coll,it?', 'recs,it'],
  includes: ['coll,val,int?', 'str,str,int?', 'narr,val'],
  invokeMap: ['arrs,path', 'coll,path'],
  keyBy: ['coll,it?', 'recs,it'],
  map: ['coll,it?', 'recs,it', 'deep,it'],
  orderBy: ['recs,it,order?', 'coll,it?,order?', 'recs,keys,order'],
  partition: ['coll,pred?', 'recs,pred'],
  reduce: ['coll,red,any?', 'narr,red', 'recs,red,any'],
  reduceRight: ['coll,red,any?', 'narr,red'],
  reject: ['coll,pred?', 'recs,pred'],
  sample: ['coll'],
  sampleSize: ['coll,int?'],
  shuffle: ['coll'],
  size: ['coll', 'any'],
  some: ['coll,pred?', 'recs,pred'],
  sortBy: ['coll,it*', 'recs,it,it', 'narr', 'arr'],
  // Lang
  castArray: ['any?'],
  clone: ['any'],
  cloneDeep: ['any'],
  cloneDeepWith: ['any,cloneCustomizer'],
  cloneWith: ['any,cloneCustomizer'],
  conformsTo: ['coll,conformsSource', 'any,conformsSource'],
  eq: ['val,val', 'any,any'],
  gt: ['val,val', 'prim,prim'],
  gte: ['val,val', 'prim,prim'],
  isArguments: ['any'],
  isArray: ['any'],
  isArrayBuffer: ['any'],
  isArrayLike: ['any', 'coll'],
  isArrayLikeObject: ['any', 'coll'],
  isBoolean: ['any'],
  isBuffer: ['any'],
  isDate: ['any'],
  isElement: ['any'],
  isEmpty: ['any', 'coll'],
  isEqual: ['any,any', 'narr,narr', 'obj,obj', 'recs,recs', 'deep,deep'],
  isEqualWith: ['any,any,eqCustomizer', 'narr,narr,eqCustomizer'],
  isError: ['any'],
  isFinite: ['any', 'num'],
  isFunction: ['any'],
  isInteger: ['any', 'num'],
  isLength: ['any', 'num'],
  isMap: ['any'],
  isMatch: ['deep,deep', 'recs,obj', 'any,obj', 'obj,obj'],
  isMatchWith: ['deep,deep,eqCustomizer', 'obj,obj,eqCustomizer'],
  isNaN: ['any', 'num'],
  isNative: ['any'],
  isNil: ['any'],
  isNull: ['any'],
  isNumber: ['any'],
  isObject: ['any'],
  isObjectLike: ['any'],
  isPlainObject: ['any'],
  isRegExp: ['any'],
  isSafeInteger: ['any', 'num'],
  isSet: ['any'],
  isString: ['any'],
  isSymbol: ['any'],
  isTypedArray: ['any'],
  isUndefined: ['any'],
  isWeakMap: ['any'],
  isWeakSet: ['any'],
  lt: ['val,val', 'prim,prim'],
  lte: ['val,val', 'prim,prim'],
  toArray: ['any', 'coll'],
  toFinite: ['any', 'num', 'str'],
  toInteger: ['any', 'num', 'str'],
  toLength: ['any', 'num'],
  toNumber: ['any', 'num', 'str'],
  toPlainObject: ['any'],
  toSafeInteger: ['any', 'num'],
  toString: ['any', 'num', 'arr'],
  // Math
  add: ['val,val', 'num,num', 'prim,prim'],
  ceil: ['num,precision?', 'prim,precision'],
  divide: ['num,num', 'prim,prim'],
  floor: ['num,precision?', 'prim,precision'],
  max: ['narr', 'arr', 'any'],
  maxBy: ['recs,it', 'narr,it'],
  mean: ['narr', 'any'],
  meanBy: ['recs,it', 'narr,it'],
  min: ['narr', 'arr', 'any'],
  minBy: ['recs,it', 'narr,it'],
  multiply: ['num,num', 'prim,prim'],
  round: ['num,precision?', 'prim,precision'],
  subtract: ['num,num', 'prim,prim'],
  sum: ['narr', 'arr', 'any'],
  sumBy: ['recs,it', 'narr,it'],
  // Number
  clamp: ['num,num,num?', 'prim,prim,prim'],
  inRange: ['num,num,num?', 'prim,prim,prim'],
  random: ['num?,num?,bool?', 'int,int'],
  // Object
  assign: ['obj,obj*', 'any,any*'],
  assignIn: ['obj,obj*', 'any,any*'],
  assignInWith: ['obj,obj,customizer'],
  assignWith: ['obj,obj,customizer', 'obj,obj*'],
  at: ['deep,path*', 'deep,keys'],
  create: ['obj?,obj?'],
  defaults: ['obj,obj*', 'any,any*'],
  defaultsDeep: ['deep,deep*', 'obj,obj', 'any,any'],
  entries: ['coll', 'any'],
  entriesIn: ['coll', 'any'],
  extend: ['obj,obj*'],
  extendWith: ['obj,obj,customizer'],
  findKey: ['obj,pred', 'recs,pred'],
  findLastKey: ['obj,pred', 'recs,pred'],
  forIn: ['coll,fn'],
  forInRight: ['coll,fn'],
  forOwn: ['coll,fn'],
  forOwnRight: ['coll,fn'],
  functions: ['any'],
  functionsIn: ['any'],
  get: ['deep,path,any?', 'any,path', 'coll,path'],
  has: ['deep,path', 'any,path', 'arr,path'],
  hasIn: ['deep,path', 'any,path'],
  invert: ['obj', 'coll'],
  invertBy: ['obj,it?', 'coll,it'],
  invoke: ['deep,path,any*', 'any,path'],
  keys: ['any', 'coll'],
  keysIn: ['any', 'coll'],
  mapKeys: ['coll,it?', 'obj,it'],
  mapValues: ['coll,it?', 'deep,it'],
  merge: ['deep,deep*', 'obj,obj', 'any,any*', 'recs,recs'],
  mergeWith: ['deep,deep,customizer', 'obj,obj,customizer'],
  omit: ['deep,path*', 'deep,keys', 'any,path'],
  omitBy: ['obj,pred?', 'coll,pred'],
  pick: ['deep,path*', 'deep,keys', 'any,path'],
  pickBy: ['obj,pred?', 'coll,pred'],
  result: ['deep,path,any?', 'any,path'],
  set: ['deep,path,any', 'any,path,any', 'obj,path,val'],
  setWith: ['deep,path,any,setCustomizer', 'obj,path,val,setCustomizer'],
  toPairs: ['coll', 'any'],
  toPairsIn: ['coll', 'any'],
  transform: ['coll,red,any?'],
  unset: ['deep,path', 'any,path'],
  update: ['deep,path,updater', 'obj,path,updater'],
  updateWith: ['deep,path,updater,setCustomizer'],
  values: ['any', 'coll'],
  valuesIn: ['any', 'coll'],
  // String
  camelCase: ['words', 'str', 'any'],
  capitalize: ['words', 'str', 'any'],
  deburr: ['str', 'words', 'any'],
  endsWith: ['str,str,int?', 'words,chars,int?'],
  escape: ['str', 'any'],
  escapeRegExp: ['str', 'any'],
  kebabCase: ['words', 'str', 'any'],
  lowerCase: ['words', 'str', 'any'],
  lowerFirst: ['words', 'str', 'any'],
  pad: ['str,int?,chars?', 'words,int,chars'],
  padEnd: ['str,int?,chars?', 'words,int,chars'],
  padStart: ['str,int?,chars?', 'words,int,chars'],
  parseInt: ['str,radix?', 'any,radix'],
  repeat: ['str,int?', 'chars,int'],
  replace: ['str,pattern,repl', 'words,pattern,repl', 'str,pattern'],
  snakeCase: ['words', 'str', 'any'],
  split: ['str,sep?,int?', 'words,sep', 'any,sep'],
  startCase: ['words', 'str', 'any'],
  startsWith: ['str,str,int?', 'words,chars,int?'],
  toLower: ['words', 'str', 'any'],
  toUpper: ['words', 'str', 'any'],
  trim: ['str,chars?', 'words,chars'],
  trimEnd: ['str,chars?', 'words,chars'],
  trimStart: ['str,chars?', 'words,chars'],
  truncate: ['words,truncOpts', 'str,truncOpts'],
  unescape: ['str', 'any'],
  upperCase: ['words', 'str', 'any'],
  upperFirst: ['words', 'str', 'any'],
  words: ['words,wordsPattern?', 'str', 'any'],
  // Util
  attempt: ['fn,any*'],
  cond: ['condPairs'],
  conforms: ['conformsSource'],
  constant: ['any'],
  defaultTo: ['any,any'],
  flow: ['funcs'],
  flowRight: ['funcs'],
  identity: ['any'],
  iteratee: ['it'],
  matches: ['obj', 'deep'],
  matchesProperty: ['path,any', 'key,val'],
  method: ['path,any*'],
  methodOf: ['deep,any*'],
  nthArg: ['int?'],
  over: ['funcs'],
  overEvery: ['funcs'],
  overSome: ['funcs'],
  property: ['path'],
  propertyOf: ['deep'],
  range: ['int?,int?,int?', 'int,int,prim'],
  rangeRight: ['int?,int?,int?'],
  stubArray: [''],
  stubFalse: [''],
  stubObject: [''],
  stubString: [''],
  stubTrue: [''],
  times: ['int,fn?'],
  toPath: ['path', 'any'],
  uniqueId: ['str?'],
  // Function
  after: ['int,fn'],
  ary: ['fn,int?'],
  before: ['int,fn'],
  flip: ['fn'],
  negate: ['fn'],
  once: ['fn'],
  rearg: ['fn,int*'],
  rest: ['fn,int?'],
  spread: ['fn,int?'],
  unary: ['fn'],
  overArgs: ['fn,funcs'],
  memoize: ['fn'],
  curry: ['fn,int?'],
  curryRight: ['fn,int?'],
  partial: ['fn,any*'],
  partialRight: ['fn,any*'],
  wrap: ['any,fn'],
  bind: ['fn,any,any*'],
  template: ['tmpl,tmplOpts?'],
};

// Functions whose results are functions: probe them with these arguments.
const PROBED = {
  after: 'any,any', ary: 'any,any,any', before: 'any', flip: 'any,any,any', negate: 'any,any', once: 'any',
  rearg: 'any,any,any', rest: 'any,any,any', spread: 'arr', unary: 'any,any', overArgs: 'any,any', memoize: 'any',
  curry: 'any,any,any', curryRight: 'any,any,any', partial: 'any,any', partialRight: 'any,any', wrap: 'any',
  cond: 'deep', conforms: 'deep', constant: '', flow: 'any', flowRight: 'any', iteratee: 'deep',
  matches: 'deep', matchesProperty: 'deep', method: 'deep', methodOf: 'path', nthArg: 'any,any,any',
  bind: 'any,any', template: 'tmplData',
  over: 'any,any', overEvery: 'any', overSome: 'any', property: 'deep', propertyOf: 'path',
};

// Functions excluded from the JSON dump because their value depends on
// per-process state (uniqueId's counter).
const NO_DUMP = new Set(['uniqueId', 'sample', 'sampleSize', 'shuffle', 'random']);

function buildSpecs() {
  const specs = {};
  for (const name of Object.keys(TABLE)) {
    specs[name] = {
      sigs: TABLE[name].map(parseSig),
      probes: Object.prototype.hasOwnProperty.call(PROBED, name) ? parseSig(PROBED[name]) : null,
      noDump: NO_DUMP.has(name),
    };
  }
  return specs;
}

module.exports = { buildSpecs, KINDS, SYM };
