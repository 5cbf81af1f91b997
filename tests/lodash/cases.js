'use strict';
/*
 * Hand-written cases. `targetedCases` are [fnName, () => args] pairs; the
 * factory is called once per implementation so mutation cannot leak.
 * `scriptCases` are [label, (_) => value] scripts for chaining, templates and
 * other multi-step behaviour; each runs against both implementations.
 */

function args() {
  return Array.prototype.slice.call(arguments);
}
function argumentsObject() {
  return (function () { return arguments; }(1, 2, 3));
}
const sparse = () => [1, , 3]; // eslint-disable-line no-sparse-arrays
const users = () => [
  { user: 'barney', age: 36, active: true, tags: ['a', 'b'] },
  { user: 'fred', age: 40, active: false, tags: ['b'] },
  { user: 'pebbles', age: 1, active: true, tags: [] },
  { user: 'barney', age: 34, active: false, tags: ['c'] },
];
const nested = () => ({ a: [{ b: { c: 3 } }, 4], 'a.b': 'flat', x: { 'y.z': 1, y: { z: 2 } }, n: null, u: undefined });

const C = [];
function add(fn) {
  for (let i = 1; i < arguments.length; i++) C.push([fn, arguments[i]]);
}

/* Paths: get / set / has / hasIn / unset / update / setWith / result / toPath */
add('get',
  () => [nested(), 'a[0].b.c'], () => [nested(), ['a', '0', 'b', 'c']], () => [nested(), 'a.b'],
  () => [nested(), 'x["y.z"]'], () => [nested(), "x['y'].z"], () => [nested(), 'x.y.z'], () => [nested(), 'a[1]'],
  () => [nested(), 'missing.deep', 'dflt'], () => [null, 'a'], () => [undefined, 'a.b', 5], () => [nested(), 'n.x', 'd'],
  () => [nested(), 'u', 'd'], () => [nested(), 'n', 'd'], () => [nested(), [], 'd'], () => [{ '': 1 }, ''],
  () => [[1, 2, 3], 1], () => [[1, 2, 3], -0], () => [{ '-0': 'neg' }, -0], () => [{ a: { '': { b: 1 } } }, 'a..b'],
  () => [{ a: [[1, 2]] }, 'a[0][1]'], () => ['abc', 'length'], () => ['abc', '[1]'], () => [{ a: 1 }, Symbol.for('x')],
  () => [{ 'a[0]': 'literal' }, 'a[0]'], () => [{ a: { b: 1 } }, 'a\\.b']);
add('set',
  () => [{}, 'a[0].b.c', 1], () => [{}, ['x', '0', 'y'], 2], () => [{ a: 1 }, 'a.b', 3], () => [{}, 'a["b.c"].d', 4],
  () => [null, 'a', 1], () => [5, 'a', 1], () => [[], '[1]', 'x'], () => [{}, '__proto__.polluted', 1],
  () => [{}, 'constructor.prototype.x', 1], () => [{ a: 0 }, 'a', -0], () => [{ a: -0 }, 'a', 0], () => [{}, 'a[-1]', 1],
  () => [{}, 'a.0.b', 1], () => [{}, [], 1], () => [{}, '', 1], () => [{}, 'a[1.5]', 1]);
add('setWith', () => [{}, '[0][1]', 'a', Object], () => [{}, 'a.b', 1, () => undefined]);
add('has',
  () => [nested(), 'a[0].b.c'], () => [nested(), 'a.b'], () => [nested(), 'u'], () => [nested(), 'missing'],
  () => [sparse(), '1'], () => [sparse(), 1], () => [{ a: sparse() }, 'a[1]'], () => [null, 'a'], () => [{}, []],
  () => [Object.create({ inherited: 1 }), 'inherited'], () => [argumentsObject(), 0], () => ['abc', 'length']);
add('hasIn', () => [Object.create({ inherited: { x: 1 } }), 'inherited.x'], () => [nested(), 'x.y.z'], () => [null, 'a']);
add('unset', () => [nested(), 'a[0].b.c'], () => [nested(), 'x["y.z"]'], () => [null, 'a'], () => [{ a: 1 }, 'b.c'], () => ['abc', '0']);
add('update', () => [{ a: [{ b: { c: 3 } }] }, 'a[0].b.c', (n) => n * n], () => [{}, 'x.y', (v) => (v === undefined ? 'init' : v)]);
add('updateWith', () => [{}, '[0][1]', () => 'a', Object]);
add('result', () => [{ a: { b: function () { return this.c; }, c: 9 } }, 'a.b'], () => [{}, 'x', () => 'dflt'], () => [{ a: 1 }, [], 'd']);
add('toPath',
  () => ['a[0].b.c'], () => ['a["b.c"].d'], () => ["a['it''s']"], () => ['a[\'x\\\'y\']'], () => ['.a'], () => ['a.'],
  () => ['a..b'], () => ['a[]'], () => ['a[].b'], () => ['[0][1]'], () => [''], () => ['a[-1.5]'], () => ['a[b]c'],
  () => [['a', 0, -0]], () => [null], () => [undefined], () => [12], () => ['a["b\\\\c"]'], () => ['a["unterminated]']);

/* Collections and iteratee shorthands */
add('map',
  () => [[1, 2, 3], (n) => n * 3], () => [{ a: 1, b: 2 }, (v, k) => k + v], () => [users(), 'user'],
  () => [users(), 'tags[0]'], () => [users(), { active: true }], () => [users(), ['age', 40]], () => [[1, 2], undefined],
  () => [null], () => ['abc', (c, i) => c + i], () => [sparse(), (v) => v], () => [{ length: 2, 0: 'a', 1: 'b' }, (v) => v],
  () => [['1', '2', '3'], parseInt]);
add('filter', () => [users(), 'active'], () => [users(), { age: 36, active: true }], () => [users(), ['active', false]],
  () => [{ a: 1, b: 2, c: 3 }, (v) => v > 1], () => [null, 'a'], () => [sparse(), (v) => v === undefined]);
add('reduce', () => [[1, 2, 3], (s, n) => s + n, 0], () => [[1, 2, 3], (s, n) => s + n], () => [[], (s, n) => s + n],
  () => [{ a: 1, b: 2 }, (acc, v, k) => { (acc[v] || (acc[v] = [])).push(k); return acc; }, {}], () => [null, (a) => a, 'init']);
add('reduceRight', () => [[[0, 1], [2, 3]], (acc, v) => acc.concat(v), []]);
add('forEach', () => [[1, 2, 3], (v) => v !== 2], () => [{ a: 1 }, 'notAFunction']);
add('every', () => [[true, 1, null, 'yes'], Boolean], () => [users(), { active: true }], () => [[], 'x'], () => [[1, 2], 'length', 1]);
add('some', () => [[null, 0, 'yes', false], Boolean], () => [users(), ['active', false]], () => [{ a: 0, b: 1 }, (v) => v]);
add('find', () => [users(), { age: 1 }], () => [users(), 'active', 1], () => [{ a: 1, b: 2 }, (v) => v > 1], () => [users(), (u) => u.age < 0]);
add('findLast', () => [[1, 2, 3, 4], (n) => n % 2 === 1], () => [users(), 'active', -2]);
add('findIndex', () => [users(), ['active', false]], () => [[1, 2, 3], (n) => n > 1, -1], () => [[NaN], (n) => n !== n]);
add('findLastIndex', () => [users(), { user: 'barney' }], () => [[1, 2, 3], () => true, 10], () => [[1, 2, 3], () => true, -5]);
add('includes', () => [[1, 2, 3], 1, 2], () => [[NaN], NaN], () => [[-0], 0], () => [{ a: 1, b: 2 }, 2], () => ['abcd', 'bc'],
  () => ['abc', ''], () => ['abc', '', 5], () => [[1, 2, 3], 3, -1], () => [null, 1], () => [[1, 2], 1, 'x']);
add('invokeMap', () => [[[5, 1, 7], [3, 2, 1]], 'sort'], () => [[123, 456], String.prototype.split, ''], () => [[{ a: { f() { return 1; } } }], 'a.f']);
add('flatMap', () => [[1, 2], (n) => [n, n]], () => [{ a: [1], b: [[2]] }]);
add('flatMapDeep', () => [[1, 2], (n) => [[[n, n]]]]);
add('flatMapDepth', () => [[1, 2], (n) => [[[n, n]]], 2]);
add('groupBy', () => [[6.1, 4.2, 6.3], Math.floor], () => [['one', 'two', 'three'], 'length'], () => [users(), 'tags[0]'],
  () => [[1, 2], () => '__proto__'], () => [[1, 2], () => 'constructor'], () => [[1, 2], () => 'hasOwnProperty']);
add('keyBy', () => [users(), 'user'], () => [[{ dir: 'left', code: 97 }], (o) => String.fromCharCode(o.code)]);
add('countBy', () => [[6.1, 4.2, 6.3], Math.floor], () => [['one', 'two', 'three'], 'length'], () => [users(), 'active']);
add('partition', () => [users(), 'active'], () => [users(), { age: 1, active: true }], () => [[1, 2, 3], (n) => n % 2]);
add('sortBy',
  () => [users(), ['user', 'age']], () => [users(), 'user', (o) => o.age], () => [users(), [(o) => o.user]],
  () => [[3, 1, NaN, null, undefined, 2, -0, 0, Symbol.for('s'), 'a'], (x) => x], () => [[{ a: 2 }, { a: 1 }, { b: 1 }], 'a'],
  () => [{ x: 3, y: 1, z: 2 }], () => [null], () => [['b', 'a', 'C', 'B']], () => [[[1, 2], [1, 1]], 0]);
add('orderBy', () => [users(), ['user', 'age'], ['asc', 'desc']], () => [users(), 'age', 'desc'], () => [users(), [['tags', 'length']], ['desc']],
  () => [users(), ['user', 'age'], ['desc']], () => [null, 'a']);
add('size', () => [[1, 2, 3]], () => [{ a: 1, b: 2 }], () => ['pebbles'], () => ['😀👍🏽'], () => [new Map([[1, 2]])], () => [null], () => [argumentsObject()]);
add('reject', () => [users(), 'active']);
add('sample', () => [[1, 2, 3, 4]]);
add('sampleSize', () => [[1, 2, 3], 4], () => [[1, 2, 3], 2]);
add('shuffle', () => [[1, 2, 3, 4, 5]]);

/* Arrays */
add('chunk', () => [['a', 'b', 'c', 'd'], 2], () => [['a', 'b', 'c', 'd'], 3], () => [[1, 2], 0], () => [[1, 2, 3], 1.9], () => [null, 2]);
add('compact', () => [[0, 1, false, 2, '', 3, NaN, null, undefined, -0]]);
add('concat', () => [[1], 2, [3], [[4]]], () => [1, 2], () => [argumentsObject(), [1]]);
add('difference', () => [[2, 1, NaN, -0], [2, 3, NaN, 0]], () => [[1, 2], 'ab', [1]], () => [argumentsObject(), [2]]);
add('differenceBy', () => [[2.1, 1.2], [2.3, 3.4], Math.floor], () => [[{ x: 2 }, { x: 1 }], [{ x: 1 }], 'x'], () => [[1, 2], [1], ['x']]);
add('differenceWith', () => [[{ x: 1, y: 2 }, { x: 2, y: 1 }], [{ x: 1, y: 2 }], (a, b) => a.x === b.x && a.y === b.y]);
add('drop', () => [[1, 2, 3], 2], () => [[1, 2, 3], 5], () => [[1, 2, 3], 0], () => [[1, 2, 3], -1]);
add('dropRight', () => [[1, 2, 3]], () => [[1, 2, 3], 2]);
add('dropWhile', () => [users(), { user: 'barney', age: 36 }], () => [users(), 'active']);
add('dropRightWhile', () => [users(), ['active', false]]);
add('take', () => [[1, 2, 3]], () => [[1, 2, 3], 2], () => [[1, 2, 3], 0]);
add('takeRight', () => [[1, 2, 3], 2]);
add('takeWhile', () => [users(), 'active']);
add('takeRightWhile', () => [users(), { active: false }]);
add('fill', () => [[1, 2, 3], 'a'], () => [Array(3), 2], () => [[4, 6, 8, 10], '*', 1, 3], () => [[1, 2, 3], 0, -2]);
add('flatten', () => [[1, [2, [3, [4]], 5]]], () => [[1, argumentsObject()]], () => [sparse()]);
add('flattenDeep', () => [[1, [2, [3, [4]], 5]]]);
add('flattenDepth', () => [[1, [2, [3, [4]], 5]], 2], () => [[1, [2]], 0]);
add('fromPairs', () => [[['a', 1], ['b', 2]]], () => [[['__proto__', 1]]], () => [null]);
add('head', () => [[1, 2]], () => [[]]);
add('indexOf', () => [[1, 2, 1, 2], 2], () => [[1, 2, 1, 2], 2, 2], () => [[NaN], NaN], () => [[1, 2], 2, -1]);
add('lastIndexOf', () => [[1, 2, 1, 2], 2], () => [[1, 2, 1, 2], 2, 2], () => [[1, 2], undefined], () => [[NaN, 1], NaN]);
add('initial', () => [[1, 2, 3]]);
add('intersection', () => [[2, 1], [2, 3]], () => [[1, 1, NaN, -0], [NaN, 1, 0]], () => ['abc', [1]], () => [[1], 'abc']);
add('intersectionBy', () => [[2.1, 1.2], [2.3, 3.4], Math.floor], () => [[{ x: 1 }], [{ x: 2 }, { x: 1 }], 'x']);
add('intersectionWith', () => [[{ x: 1 }, { x: 2 }], [{ x: 1 }], (a, b) => a.x === b.x]);
add('join', () => [['a', 'b', 'c'], '~'], () => [[null, undefined, 1]], () => [null]);
add('last', () => [[1, 2, 3]]);
add('nth', () => [['a', 'b', 'c', 'd'], 1], () => [['a', 'b', 'c', 'd'], -2], () => [['a'], 5]);
add('pull', () => [['a', 'b', 'c', 'a', 'b', 'c'], 'a', 'c'], () => [[NaN, 1, NaN], NaN]);
add('pullAll', () => [['a', 'b', 'c', 'a'], ['a', 'c']]);
add('pullAllBy', () => [[{ x: 1 }, { x: 2 }, { x: 3 }, { x: 1 }], [{ x: 1 }, { x: 3 }], 'x']);
add('pullAllWith', () => [[{ x: 1, y: 2 }, { x: 3, y: 4 }], [{ x: 3, y: 4 }], (a, b) => a.x === b.x]);
add('pullAt', () => [['a', 'b', 'c', 'd'], 1, 3], () => [['a', 'b', 'c'], [2, 0, 2]], () => [['a', 'b'], '1', 5]);
add('remove', () => [[1, 2, 3, 4], (n) => n % 2 === 0], () => [users(), 'active']);
add('reverse', () => [[1, 2, 3]], () => [sparse()]);
add('slice', () => [[1, 2, 3, 4], 1, 3], () => [[1, 2, 3], -2], () => [sparse(), 0]);
add('sortedIndex', () => [[30, 50], 40], () => [[1, 2, null, undefined, NaN], NaN], () => [[1, 2, null, undefined], undefined], () => [['a', 'c'], 'b']);
add('sortedIndexBy', () => [[{ x: 4 }, { x: 5 }], { x: 4 }, 'x'], () => [[{ x: 4 }, { x: 5 }], { x: 4 }, (o) => o.x]);
add('sortedIndexOf', () => [[4, 5, 5, 5, 6], 5], () => [[NaN, NaN], NaN]);
add('sortedLastIndex', () => [[4, 5, 5, 5, 6], 5]);
add('sortedLastIndexBy', () => [[{ x: 4 }, { x: 5 }], { x: 4 }, 'x']);
add('sortedLastIndexOf', () => [[4, 5, 5, 5, 6], 5]);
add('sortedUniq', () => [[1, 1, 2, -0, 0, NaN, NaN]]);
add('sortedUniqBy', () => [[1.1, 1.2, 2.3, 2.4], Math.floor]);
add('tail', () => [[1, 2, 3]]);
add('union', () => [[2], [1, 2]], () => [[-0], [0]], () => [[1], 'ab', [2]]);
add('unionBy', () => [[2.1], [1.2, 2.3], Math.floor], () => [[{ x: 1 }], [{ x: 2 }, { x: 1 }], 'x']);
add('unionWith', () => [[{ x: 1 }], [{ x: 1 }, { x: 2 }], (a, b) => a.x === b.x]);
add('uniq', () => [[2, 1, 2]], () => [[-0, 0]], () => [[0, -0]], () => [[NaN, NaN, undefined, , null]], () => ['aab']); // eslint-disable-line no-sparse-arrays
add('uniqBy', () => [[2.1, 1.2, 2.3], Math.floor], () => [[{ x: 1 }, { x: 2 }, { x: 1 }], 'x']);
add('uniqWith', () => [[{ x: 1, y: 2 }, { x: 2, y: 1 }, { x: 1, y: 2 }], (a, b) => a.x === b.x && a.y === b.y]);
add('unzip', () => [[['a', 1, true], ['b', 2, false]]], () => [[['a'], 'x', ['b', 2]]]);
add('unzipWith', () => [[[1, 10, 100], [2, 20, 200]], (a, b) => a + b]);
add('without', () => [[2, 1, 2, 3], 1, 2], () => [[NaN, -0], NaN]);
add('xor', () => [[2, 1], [2, 3]], () => [[1, 1, 2]], () => [[1], 'x', [2]]);
add('xorBy', () => [[2.1, 1.2], [2.3, 3.4], Math.floor]);
add('xorWith', () => [[{ x: 1 }, { x: 2 }], [{ x: 1 }], (a, b) => a.x === b.x]);
add('zip', () => [['a', 'b'], [1, 2], [true, false]], () => [['a'], [1, 2]]);
add('zipObject', () => [['a', 'b'], [1, 2]], () => [['a', 'b', 'c'], [1]]);
add('zipObjectDeep', () => [['a.b[0].c', 'a.b[1].d'], [1, 2]], () => [['__proto__.x'], [1]]);
add('zipWith', () => [[1, 2], [10, 20], [100, 200], (a, b, c) => a + b + c]);
add('castArray', () => [1], () => [[1]], () => [], () => [null], () => [undefined]);

/* Objects */
add('assign', () => [{ a: 0 }, { b: 1 }, { a: 2 }], () => [{}, 'ab'], () => [null, { a: 1 }], () => [{ a: 1 }, null, undefined, { b: 2 }],
  () => [{}, Object.create({ inherited: 1 })], () => [{ a: 0 }, { a: -0 }]);
add('assignIn', () => [{}, Object.create({ inherited: 1 })]);
add('assignWith', () => [{ a: 1 }, { a: 2, b: 3 }, (o, s) => (o === undefined ? s : o)]);
add('defaults', () => [{ a: 1 }, { b: 2 }, { a: 3 }], () => [{ a: undefined, b: null }, { a: 1, b: 2 }], () => [{}, { constructor: 1, toString: 2 }]);
add('defaultsDeep', () => [{ a: { b: 2 } }, { a: { b: 1, c: 3 } }], () => [{ a: null }, { a: { b: 1 } }], () => [{ a: [1] }, { a: [2, 3] }],
  () => [{}, { a: { b: [1, { c: 2 }] } }]);
add('merge',
  () => [{ a: [{ b: 2 }, { d: 4 }] }, { a: [{ c: 3 }, { e: 5 }] }], () => [{ a: 1 }, { a: undefined }], () => [{}, { a: undefined }],
  () => [{ a: [1, 2, 3] }, { a: [4] }], () => [{ a: { x: 1 } }, { a: [1] }], () => [{ a: [1] }, { a: { x: 1 } }],
  () => [{ d: new Date(0) }, { d: { x: 1 } }], () => [{}, { d: new Date(5) }], () => [{ a: 1 }, { a: null }],
  () => [null, { a: 1 }], () => [{}, JSON.parse('{"__proto__": {"polluted": 1}}')], () => [[1, 2], [3]], () => [{ a: 0 }, { a: -0 }]);
add('mergeWith', () => [{ a: [1], b: [2] }, { a: [3], b: [4] }, (o, s) => (Array.isArray(o) ? o.concat(s) : undefined)]);
add('pick', () => [{ a: 1, b: '2', c: 3 }, ['a', 'c']], () => [{ a: 1, b: '2', c: 3 }, 'a', 'c'], () => [nested(), 'a[0].b.c'],
  () => [nested(), 'a.b'], () => [nested(), 'x["y.z"]'], () => [null, 'a'], () => [{ a: 1 }, 'zz']);
add('pickBy', () => [{ a: 1, b: '2', c: 3 }, (v) => typeof v === 'number'], () => [{ a: 1, b: null }]);
add('omit', () => [{ a: 1, b: '2', c: 3 }, ['a', 'c']], () => [nested(), 'a[0].b.c'], () => [nested(), 'x.y.z', 'n'], () => [null, 'a'], () => [[1, 2, 3], 0]);
add('omitBy', () => [{ a: 1, b: '2', c: 3 }, (v) => typeof v === 'number']);
add('keys', () => [{ a: 1, b: 2 }], () => ['hi'], () => [[1, , 3]], () => [argumentsObject()], () => [null], () => [5], () => [{ length: 2, 0: 1 }]); // eslint-disable-line no-sparse-arrays
add('keysIn', () => [Object.create({ inherited: 1 })]);
add('values', () => [{ a: 1, b: 2 }], () => ['hi'], () => [sparse()]);
add('valuesIn', () => [Object.create({ inherited: 1 })]);
add('entries', () => [{ a: 1, b: 2 }], () => [new Map([['a', 1]])], () => [new Set([1, 2])]);
add('toPairs', () => [{ a: 1, b: 2 }]);
add('toPairsIn', () => [Object.create({ inherited: 1 })]);
add('fromPairs', () => [[['a', 1], ['b', 2]]]);
add('mapValues', () => [{ a: { n: 1 }, b: { n: 2 } }, 'n'], () => [[1, 2], (v, k) => k + v]);
add('mapKeys', () => [{ a: 1, b: 2 }, (v, k) => k + v]);
add('invert', () => [{ a: 1, b: 2, c: 1 }]);
add('invertBy', () => [{ a: 1, b: 2, c: 1 }, (v) => 'group' + v]);
add('findKey', () => [{ a: { age: 1 }, b: { age: 40 } }, { age: 40 }]);
add('findLastKey', () => [{ a: { age: 1 }, b: { age: 40 } }, (o) => o.age < 50]);
add('transform', () => [[2, 3, 4], (r, n) => { r.push(n * n); return n % 2 === 0; }, []], () => [{ a: 1, b: 2, c: 1 }, (r, v, k) => { (r[v] || (r[v] = [])).push(k); }, {}]);
add('at', () => [nested(), ['a[0].b.c', 'a[1]']], () => [nested(), 'x.y.z', 'missing']);
add('invoke', () => [{ a: [{ b: { c: [1, 2, 3, 4] } }] }, 'a[0].b.c.slice', 1, 3]);
add('clone', () => [{ a: [1], b: new Date(3) }], () => [sparse()], () => [/x/gi], () => [new Map([[1, { a: 1 }]])], () => [argumentsObject()], () => [() => 1], () => [new Error('x')]);
add('cloneDeep', () => [nested()], () => [sparse()], () => [{ a: new Set([1, { b: 2 }]), r: /x/g }], () => [[{ a: [1] }]], () => [{ f() {} }]);
add('cloneDeepWith', () => [{ a: 1, b: { c: 2 } }, (v) => (typeof v === 'number' ? v * 2 : undefined)]);

/* Lang */
add('isEqual', () => [{ a: [1, 2, { b: NaN }] }, { a: [1, 2, { b: NaN }] }], () => [[1, , 3], [1, undefined, 3]], () => [-0, 0], // eslint-disable-line no-sparse-arrays
  () => [new Date(1), new Date(1)], () => [/a/g, /a/g], () => [new Map([[1, 2]]), new Map([[1, 2]])], () => [new Set([1, 2]), new Set([2, 1])],
  () => [argumentsObject(), { 0: 1, 1: 2, 2: 3 }], () => [[1], { 0: 1 }], () => [Object.create(null), {}], () => [{ a: 1, b: 2 }, { b: 2, a: 1 }],
  () => [Object(1), 1], () => [new Error('a'), new Error('a')]);
add('isEqualWith', () => [['hello', 'goodbye'], ['hi', 'goodbye'], (a, b) => (/^h(?:i|ello)$/.test(a) && /^h(?:i|ello)$/.test(b) ? true : undefined)]);
add('isMatch', () => [{ a: 1, b: 2 }, { b: 2 }], () => [{ a: [1, 2, 3] }, { a: [3, 1] }], () => [{ a: { b: 1, c: 2 } }, { a: { b: 1 } }],
  () => [{ a: 1 }, { a: undefined }], () => [{}, { a: undefined }], () => [{ a: undefined }, { a: undefined }], () => [null, {}], () => [null, { a: 1 }]);
add('isEmpty', () => [null], () => [true], () => [1], () => [[1, 2, 3]], () => [{ a: 1 }], () => [''], () => [{}], () => [new Map()], () => [argumentsObject()], () => [{ length: 0 }]);
add('isPlainObject', () => [{}], () => [Object.create(null)], () => [Object.create({})], () => [[]], () => [new Date()]);
add('isArrayLike', () => ['abc'], () => [() => 1], () => [{ length: 3 }], () => [{ length: -1 }]);
add('isInteger', () => [3], () => ['3'], () => [Infinity], () => [3.0000001]);
add('isSafeInteger', () => [2 ** 53], () => [2 ** 53 - 1]);
add('isFinite', () => ['3'], () => [Infinity]);
add('isNaN', () => [NaN], () => [Object(NaN)], () => [undefined]);
add('isNumber', () => [Object(1)], () => ['1']);
add('isString', () => [Object('x')]);
add('isDate', () => [new Date()]);
add('isRegExp', () => [/x/]);
add('isFunction', () => [class {}], () => [async () => {}], () => [function* g() {}]);
add('isObject', () => [() => 1], () => [null]);
add('isObjectLike', () => [() => 1], () => [[]]);
add('isError', () => [new TypeError('x')], () => [{ name: 'e', message: 'm' }]);
add('isMap', () => [new Map()], () => [new WeakMap()]);
add('isSet', () => [new Set()]);
add('isTypedArray', () => [new Uint8Array(2)], () => [[]]);
add('isArguments', () => [argumentsObject()], () => [[1, 2, 3]]);
add('isNil', () => [null], () => [undefined], () => [NaN]);
add('isNative', () => [Array.prototype.push], () => [() => 1]);
add('isLength', () => [3], () => [Number.MIN_VALUE], () => [Infinity], () => ['3']);
add('toNumber', () => ['  12  '], () => ['0b101'], () => ['0o17'], () => ['0x1f'], () => ['-0x1f'], () => [''], () => [null], () => [Symbol.for('x')],
  () => [{ valueOf: () => '4' }], () => [[1]], () => [[1, 2]], () => ['1e1000'], () => [-0]);
add('toInteger', () => [3.2], () => [-0], () => [-0.5], () => [Infinity], () => ['3.7'], () => [NaN]);
add('toFinite', () => [Infinity], () => [-Infinity], () => ['3.2'], () => [NaN], () => [-0]);
add('toLength', () => [3.2], () => [Infinity], () => [-1]);
add('toSafeInteger', () => [Infinity], () => ['3.2'], () => [-0]);
add('toString', () => [null], () => [-0], () => [[1, 2, 3]], () => [[null, undefined, -0, [1, [2]]]], () => [Symbol.for('x')], () => [{}]);
add('toArray', () => [{ a: 1, b: 2 }], () => ['abc'], () => ['😀a'], () => [1], () => [null], () => [new Map([[1, 2]])], () => [new Set([1])]);
add('toPlainObject', () => [Object.create({ b: 2 }, { a: { value: 1, enumerable: true } })]);
add('clamp', () => [-10, -5, 5], () => [10, -5, 5], () => [10, 5], () => [NaN, 1, 2], () => [-0, 0, 1]);
add('inRange', () => [3, 2, 4], () => [4, 8], () => [-3, -2, -6], () => [1.2, 2]);

/* Math */
add('add', () => [6, 4], () => ['6', 4], () => [undefined, 4], () => [undefined, undefined]);
add('subtract', () => [6, 4]);
add('multiply', () => [6, 4]);
add('divide', () => [6, 4]);
add('sum', () => [[4, 2, 8, 6]], () => [[]], () => [['a', 'b']], () => [[undefined]], () => [[1, undefined, 2]]);
add('sumBy', () => [[{ n: 4 }, { n: 2 }], 'n']);
add('mean', () => [[4, 2, 8, 6]], () => [[]]);
add('meanBy', () => [[{ n: 4 }, { n: 2 }], (o) => o.n]);
add('max', () => [[4, 2, 8, 6]], () => [[]], () => [[NaN, 1]], () => [['a', 'b']], () => [[null, undefined, 1]]);
add('maxBy', () => [[{ n: 1 }, { n: 2 }], 'n']);
add('min', () => [[4, 2, 8, 6]]);
add('minBy', () => [[{ n: 1 }, { n: 2 }], (o) => o.n]);
add('round', () => [4.006], () => [4.006, 2], () => [4060, -2], () => [1.005, 2], () => [-0.5], () => [2.5]);
add('floor', () => [0.046, 2], () => [4060, -2]);
add('ceil', () => [4.006], () => [6.004, 2], () => [6040, -2]);
add('random', () => [0, 5], () => [5], () => [1.2, 5.2], () => [0, 5, true], () => []);

/* Strings */
const caseInputs = ['Foo Bar', '--foo-bar--', '__FOO_BAR__', 'fooBar', 'XMLHttpRequest', 'déjà vu', "it's a test", 'A1B2c3', '', 'the 1st place', '12 ducks', 'ÆØÅ æøå', 'camelCase2Snake', 'HTMLElement', 'emoji😀Case',
  // ASCII input with case changes, digits or punctuation takes the ASCII word pattern
  'first_name', 'email_address2', 'HTTP2Server', 'iOS_17th_version', "don't_STOP_it's", 'ABCdef_GHI', 'x1st', '3RD_place', 'a-b.c/d:e@f', 'ID', 'userID_v2'];
for (const fn of ['camelCase', 'snakeCase', 'kebabCase', 'startCase', 'lowerCase', 'upperCase', 'words']) {
  add(fn, ...caseInputs.map((s) => () => [s]));
}
add('capitalize', () => ['FRED'], () => ['éa'], () => ['']);
add('upperFirst', () => ['fred'], () => ['😀x']);
add('lowerFirst', () => ['Fred']);
add('deburr', () => ['déjà vu'], () => ['ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİıĲĳĴĵĶķĸĹĺĻļĽľĿŀŁłŃńŅņŇňŉŊŋŌōŎŏŐőŒœŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſ×÷']);
add('words', () => ['fred, barney, & pebbles', /[^, ]+/g]);
add('pad', () => ['abc', 8], () => ['abc', 8, '_-'], () => ['abc', 2], () => ['abc', 8, ''], () => ['😀', 5, '👍🏽']);
add('padStart', () => ['abc', 6, '_-'], () => ['abc', 6]);
add('padEnd', () => ['abc', 6, '_-']);
add('trim', () => ['  abc  '], () => ['-_-abc-_-', '_-'], () => ['  abc  ', undefined], () => ['nullxnull', null], () => ['\u00a0x\ufeff']);
add('trimStart', () => ['  abc  '], () => ['-_-abc-_-', '_-']);
add('trimEnd', () => ['  abc  '], () => ['-_-abc-_-', '_-']);
add('truncate', () => ['hi-diddly-ho there, neighborino'], () => ['hi-diddly-ho there, neighborino', { length: 24, separator: ' ' }],
  () => ['hi-diddly-ho there, neighborino', { length: 24, separator: /,? +/ }], () => ['hi-diddly-ho there, neighborino', { omission: ' [...]' }],
  () => ['short'], () => ['😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀', { length: 10 }]);
add('escape', () => ['fred, barney, & "pebbles" <\'x\'>']);
add('unescape', () => ['fred, barney, &amp; &quot;pebbles&quot; &lt;&#39;x&#39;&gt; &#96;']);
add('escapeRegExp', () => ['[lodash](https://lodash.com/)']);
add('repeat', () => ['*', 3], () => ['abc', 2], () => ['abc', 0], () => ['abc']);
add('replace', () => ['Hi Fred', 'Fred', 'Barney'], () => ['aaa', /a/g, 'b']);
add('split', () => ['a-b-c', '-', 2], () => ['a-b-c'], () => ['😀a', ''], () => ['abc', '', 2]);
add('parseInt', () => ['08'], () => ['  0x1f'], () => ['10', 2]);
add('startsWith', () => ['abc', 'a'], () => ['abc', 'b', 1], () => ['abc', 'b', -5]);
add('endsWith', () => ['abc', 'c'], () => ['abc', 'b', 2]);
add('toLower', () => ['--Foo-Bar--']);
add('toUpper', () => ['--foo-bar--']);

/* Utils / functions with plain results */
add('range', () => [4], () => [-4], () => [1, 5], () => [0, 20, 5], () => [0, -4, -1], () => [1, 4, 0], () => [0], () => [0, 1, 0.25]);
add('rangeRight', () => [4], () => [1, 5], () => [0, 20, 5]);
add('times', () => [3, String], () => [4, () => 0], () => [-1], () => [2]);
add('identity', () => [{ a: 1 }]);
add('defaultTo', () => [1, 10], () => [undefined, 10], () => [NaN, 10], () => [null, 10]);
add('attempt', () => [(x) => x * 2, 4], () => [() => { throw new Error('boom'); }]);
add('uniqueId', () => ['contact_'], () => []);
add('stubArray', () => []);
add('noop', () => [1, 2]);
add('conformsTo', () => [{ a: 1, b: 2 }, { b: (n) => n > 1 }], () => [{ a: 1, b: 2 }, { b: (n) => n > 2 }]);
add('eq', () => [NaN, NaN], () => [-0, 0], () => ['a', Object('a')]);
add('gt', () => [3, 1], () => ['10', '9'], () => ['10', 9]);
add('lte', () => [1, 1]);

add('tap', () => [[1, 2], (a) => a.push(3)]);
add('thru', () => [[1, 2], (a) => a.length]);
add('chain', () => [[1, 2]], () => [{ a: 1 }]);
add('noConflict', () => []);
add('noop', () => []);
add('now', () => []);
add('bindKey', () => [{ f() { return 1; } }, 'f']);
add('bindAll', () => [{ a: 1 }, []]);

module.exports.targetedCases = C;

/*
 * Timer scenarios, run against a fake clock: each step is either
 * ['call', args] on the function under test or ['advance', ms]. The log of
 * invocations (with the fake time) and the values returned are compared.
 */
const T = [];
function timer(label, make, steps) {
  T.push([label, make, steps]);
}
const callsAt = (...times) => {
  const steps = [];
  let t = 0;
  for (const at of times) {
    if (at > t) steps.push(['advance', at - t]);
    steps.push(['call', [at]]);
    t = at;
  }
  steps.push(['advance', 1000]);
  return steps;
};
timer('debounce trailing', (_, f) => _.debounce(f, 100), callsAt(0, 30, 60, 200, 450));
timer('debounce leading', (_, f) => _.debounce(f, 100, { leading: true }), callsAt(0, 30, 60, 200, 450));
timer('debounce leading only', (_, f) => _.debounce(f, 100, { leading: true, trailing: false }), callsAt(0, 30, 150, 160, 400));
timer('debounce maxWait', (_, f) => _.debounce(f, 100, { maxWait: 150 }), callsAt(0, 50, 100, 150, 200, 250, 300, 350));
timer('debounce zero wait', (_, f) => _.debounce(f), callsAt(0, 0, 5));
timer('throttle', (_, f) => _.throttle(f, 100), callsAt(0, 20, 40, 60, 80, 100, 120, 250, 260, 500));
timer('throttle no leading', (_, f) => _.throttle(f, 100, { leading: false }), callsAt(0, 20, 150, 160, 400));
timer('throttle no trailing', (_, f) => _.throttle(f, 100, { trailing: false }), callsAt(0, 20, 150, 160, 400));
timer('debounce cancel', (_, f) => _.debounce(f, 100), [['call', [1]], ['advance', 50], ['cancel'], ['advance', 200], ['call', [2]], ['advance', 200]]);
timer('debounce flush', (_, f) => _.debounce(f, 100), [['call', [1]], ['advance', 10], ['flush'], ['advance', 200], ['flush']]);
timer('delay', (_, f) => (...a) => _.delay(f, 50, ...a), [['call', ['x']], ['advance', 49], ['call', ['y']], ['advance', 100]]);
timer('defer', (_, f) => (...a) => _.defer(f, ...a), [['call', ['x']], ['advance', 5]]);

module.exports.timerCases = T;

/* Scripts: multi-step behaviour, function-valued results, wrappers */
const S = [];
function script(label, fn) {
  S.push([label, fn]);
}
script('chain map/filter/value', (_) => _([1, 2, 3, 4]).map((n) => n * 2).filter((n) => n > 2).value());
script('implicit value sum', (_) => _([1, 2]).sum());
script('explicit chain sum', (_) => _.chain([1, 2]).sum().value());
script('chain head', (_) => _.chain(users()).sortBy('age').map((o) => o.user + ' is ' + o.age).head().value());
script('implicit head', (_) => _(users()).sortBy('age').head());
script('chain tap/thru', (_) => {
  const seen = [];
  const v = _([1, 2, 3]).tap((a) => seen.push(a.length)).thru((a) => a.concat(9)).value();
  return [v, seen];
});
script('wrapper is lazy until value()', (_) => {
  let calls = 0;
  const w = _([1, 2]).map(() => { calls++; return calls; });
  const before = calls;
  return [before, w.value(), calls];
});
script('chain groupBy/mapValues', (_) => _(users()).groupBy('user').mapValues((xs) => xs.length).value());
script('chain keys/sort', (_) => _({ b: 1, a: 2 }).keys().sort().value());
script('wrapper push/pop/shift', (_) => {
  const w = _([1, 2, 3]);
  return [w.push(4).value(), _([1, 2]).pop(), _([1, 2]).shift(), _.chain([1, 2]).pop().value()];
});
script('wrapper reverse/at', (_) => [_([1, 2, 3]).reverse().value(), _({ a: [{ b: 1 }] }).at(['a[0].b']).value()]);
script('wrapper join/replace/split', (_) => [_(['a', 'b']).join('-'), _('a-b').replace('-', '+'), _('a-b').split('-').value()]);
script('wrapper toString/valueOf/JSON', (_) => [String(_([1, 2])), _([1, 2]).valueOf(), JSON.stringify(_({ a: 1 }))]);
script('wrapper commit/plant', (_) => {
  const w = _([1, 2]).map((x) => x + 1);
  return [w.commit().value(), w.plant([10]).value()];
});
script('wrapper iteration', (_) => Array.from(_([1, 2, 3]).map((x) => x * 2)));
script('chain of value methods', (_) => _('fooBar').camelCase());
script('chain words', (_) => _('foo bar').words().map(_.upperFirst).join(' ').value());
script('_(wrapper) identity', (_) => { const w = _([1]); return _(w) === w; });
script('instanceof', (_) => _([1]) instanceof _);
script('VERSION', (_) => _.VERSION);
script('runInContext has no _._', (_) => typeof _.runInContext()._);
script('templateSettings defaults', (_) => [_.templateSettings.escape.source, _.templateSettings.evaluate.source, _.templateSettings.interpolate.source, _.templateSettings.variable]);
script('template interpolate', (_) => _.template('hello <%= user %>!')({ user: 'fred' }));
script('template escape', (_) => _.template('<b><%- value %></b>')({ value: '<script>' }));
script('template evaluate', (_) => _.template('<% _.forEach(users, function(user) { %><li><%- user %></li><% }); %>')({ users: ['fred', 'barney'] }));
script('template print', (_) => _.template('<% print("hello " + user); %>!')({ user: 'barney' }));
script('template es', (_) => _.template('hello ${ user }!')({ user: 'pebbles' }));
script('template null values', (_) => _.template('[<%= a %>][<%- b %>]')({ a: null, b: undefined }));
script('template quotes/newlines', (_) => _.template("it's \\ a\n'<%= x %>'\r\n\u2028")({ x: 1 }));
script('template custom interpolate', (_) => _.template('hello {{ user }}!', { interpolate: /{{([\s\S]+?)}}/g })({ user: 'mustache' }));
script('template variable', (_) => _.template('hi <%= data.user %>', { variable: 'data' })({ user: 'x' }));
script('template imports', (_) => _.template('<% jq.each(users, function(u){ %><%- u %>,<% }) %>', { imports: { jq: { each: (a, f) => a.forEach(f) } } })({ users: ['a', '<'] }));
script('template missing var throws', (_) => { try { _.template('<%= nope %>')({}); return 'no'; } catch (e) { return 'threw'; } });
script('template source property', (_) => typeof _.template('x').source);
script('template settings change', (_) => {
  const old = _.templateSettings.interpolate;
  _.templateSettings.interpolate = /{{([\s\S]+?)}}/g;
  try { return _.template('a {{ v }} <%= v %>')({ v: 1 }); } finally { _.templateSettings.interpolate = old; }
});
script('template bad variable', (_) => { try { _.template('x', { variable: 'a b' }); return 'ok'; } catch (e) { return 'threw'; } });
script('curry', (_) => {
  const abc = (a, b, c) => [a, b, c];
  const c = _.curry(abc);
  return [c(1)(2)(3), c(1, 2)(3), c(1, 2, 3), c(1)(_, 3)(2), c(_, 2)(1)(3), _.curry(abc, 2)(1)(2)];
});
script('curryRight', (_) => {
  const abc = (a, b, c) => [a, b, c];
  const c = _.curryRight(abc);
  return [c(3)(2)(1), c(2, 3)(1), c(1, 2, 3)];
});
script('partial/partialRight', (_) => {
  const greet = (g, n, p) => g + ' ' + n + (p || '');
  return [_.partial(greet, 'hi')('fred'), _.partial(greet, _, 'fred')('hello'), _.partialRight(greet, 'fred')('hi'), _.partialRight(greet, 'hi', _)('fred', '!')];
});
script('bind/bindKey', (_) => {
  const obj = { user: 'fred', greet(g, p) { return g + ' ' + this.user + p; } };
  const b = _.bind(function (g, p) { return g + ' ' + this.user + p; }, obj, 'hi');
  const k = _.bindKey(obj, 'greet', 'hi');
  const first = k('!');
  obj.greet = function (g, p) { return g + 'ya ' + this.user + p; };
  return [b('!'), _.bind(function (g, p) { return g + this.user + p; }, obj, _, '?')('yo '), first, k('!')];
});
script('bindAll', (_) => {
  const view = { label: 'docs', click() { return 'clicked ' + this.label; } };
  _.bindAll(view, ['click']);
  const f = view.click;
  return f();
});
script('memoize', (_) => {
  let calls = 0;
  const m = _.memoize((o) => { calls++; return Object.keys(o); });
  const o = { a: 1 };
  m(o); m(o);
  m.cache.set(o, ['x']);
  const r = m(o);
  const byResolver = _.memoize((a, b) => a + b, (a, b) => a + ':' + b);
  return [calls, r, byResolver(1, 2), byResolver(1, 3), typeof _.memoize.Cache];
});
script('once/before/after', (_) => {
  let n = 0;
  const once = _.once(() => ++n);
  once(); once();
  const before = _.before(3, (x) => x);
  const after = _.after(2, () => 'done');
  return [n, once(), before(1), before(2), before(3), after(), after(), after()];
});
script('negate/ary/unary/flip/rest/spread', (_) => [
  [1, 2, 3, 4].filter(_.negate((n) => n % 2 === 0)),
  ['6', '8', '10'].map(_.ary(parseInt, 1)),
  ['6', '8', '10'].map(_.unary(parseInt)),
  _.flip((...xs) => xs)('a', 'b', 'c'),
  _.rest((what, names) => what + ' ' + names.join(','))('hello', 'fred', 'barney'),
  _.rest((a, b) => [a, b], 0)(1, 2),
  _.spread((who, what) => who + ' says ' + what)(['fred', 'hello']),
  _.spread((a, b, c) => [a, b, c], 1)(0, [1, 2]),
]);
script('rearg/overArgs/nthArg', (_) => [
  _.rearg((a, b, c) => [a, b, c], [2, 0, 1])('b', 'c', 'a'),
  _.overArgs((x, y) => [x, y], [(n) => n * 2, (n) => n * n])(9, 3),
  _.nthArg(1)('a', 'b', 'c'), _.nthArg(-2)('a', 'b', 'c'),
]);
script('flow/flowRight', (_) => {
  const sq = (n) => n * n;
  return [_.flow([_.add, sq])(2, 3), _.flowRight(sq, _.add)(2, 3), _.flow()(5), _.flow(_.add, [sq, sq])(1, 1)];
});
script('flow non-function throws', (_) => { try { _.flow(1); return 'no'; } catch (e) { return e instanceof TypeError; } });
script('cond', (_) => {
  const f = _.cond([[_.matches({ a: 1 }), _.constant('matches A')], [_.conforms({ b: _.isNumber }), _.constant('matches B')], [_.stubTrue, _.constant('no match')]]);
  return [f({ a: 1, b: 2 }), f({ a: 0, b: 1 }), f({ a: '1', b: '2' })];
});
script('over/overEvery/overSome', (_) => [_.over([Math.max, Math.min])(1, 2, 3, 4), _.overEvery([Boolean, isFinite])('1'), _.overSome([Boolean, isFinite])(null)]);
script('iteratee shorthands', (_) => [
  _.filter(users(), _.iteratee({ user: 'barney', active: true })), _.filter(users(), _.iteratee(['user', 'fred'])),
  _.map(users(), _.iteratee('user')), _.iteratee()(5),
]);
script('custom _.iteratee', (_) => {
  const original = _.iteratee;
  _.iteratee = _.wrap(_.iteratee, (iteratee, func) => (typeof func === 'string' && func.startsWith('#') ? (o) => o[func.slice(1)] + '!' : iteratee(func)));
  try { return _.map(users(), '#user'); } finally { _.iteratee = original; }
});
script('matches/matchesProperty/property/propertyOf/method/methodOf', (_) => {
  const objects = [{ a: 1, b: 2, c: 3 }, { a: 4, b: 5, c: 6 }];
  const src = { a: 4 };
  const m = _.matches(src);
  src.a = 1;
  return [_.filter(objects, m), _.find(objects, _.matchesProperty('a', 4)), _.map([{ a: { b: 2 } }], _.property('a.b')),
    _.map(['a[0]', 'b'], _.propertyOf({ a: [1], b: 2 })), _.map([{ a: { b: () => 2 } }], _.method('a.b')),
    _.map(['a[0]', 'b'], _.methodOf({ a: [() => 0], b: () => 1 }))];
});
script('mixin', (_) => {
  const r = _.runInContext();
  r.mixin({ vowels: (s) => s.match(/[aeiou]/g) });
  const o = {};
  r.mixin(o, { consonants: (s) => s.match(/[^aeiou]/g) });
  return [r.vowels('fred'), r('fred').vowels().value ? 'wrapped' : 'plain', r.chain('fred').vowels().value(), o.consonants('fred'), typeof r.prototype.consonants];
});
script('runInContext independent', (_) => { const r = _.runInContext(); r.foo = 1; return [_.foo, r.VERSION, typeof r.map]; });
script('debounce/throttle sync API', (_) => {
  const d = _.debounce(() => 1, 100);
  const t = _.throttle((x) => x, 100);
  const first = t(5);
  const res = [typeof d.cancel, typeof d.flush, d(), first, d.flush()];
  d.cancel(); t.cancel();
  return res;
});
script('debounce leading', (_) => {
  const d = _.debounce((x) => x * 2, 100, { leading: true });
  const r = [d(2), d(3)];
  d.cancel();
  return r;
});
script('defer/delay return timers', (_) => {
  const a = _.delay(() => {}, 1);
  const b = _.defer(() => {});
  clearTimeout(a); clearTimeout(b);
  return [typeof a === 'object' || typeof a === 'number', typeof b === 'object' || typeof b === 'number'];
});
script('uniqueId increments', (_) => { const a = _.uniqueId(); const b = _.uniqueId('x_'); return [Number(b.slice(2)) - Number(a)]; });
script('wrap', (_) => _.wrap(_.escape, (func, text) => '<p>' + func(text) + '</p>')('fred, barney, & pebbles'));
script('attempt error', (_) => { const e = _.attempt(() => { throw 'str'; }); return [e instanceof Error, e.message]; });
script('isEqual cyclic', (_) => { const a = { x: 1 }; a.self = a; const b = { x: 1 }; b.self = b; return _.isEqual(a, b); });
script('cloneDeep cyclic', (_) => { const a = { x: [1] }; a.self = a; const c = _.cloneDeep(a); return [c.self === c, c.x !== a.x]; });
script('merge cyclic source', (_) => { const s = { a: { b: 1 } }; s.a.s = s.a; const r = _.merge({}, s); return [r.a.s === r.a, r.a !== s.a]; });
script('reduce with assign guard', (_) => _.reduce([{ a: 1 }, { b: 2 }], _.assign, {}));
script('map with iteratee-guarded functions', (_) => [
  _.map([[1, 2], [3, 4]], _.first), _.map(['a', 'b'], _.repeat), _.map([[1, 2, 3]], _.take), _.map(['  a  '], _.trim),
  _.map([['a', 'b'], ['c']], _.chunk), _.map(['6', '8', '10'], _.parseInt), _.map([{ a: 1 }], _.defaults), _.map([[3, 1]], _.sortBy),
  _.map([{ a: [1, 2] }], _.every), _.map(['a b'], _.words), _.map([4, 8], _.range), _.map(['x'], _.split),
]);
script('sortBy stability', (_) => _.sortBy(_.times(40, (i) => ({ k: i % 3, i })), 'k').map((o) => o.i));
script('orderBy stability mixed', (_) => _.orderBy(_.times(30, (i) => ({ k: i % 4, j: i % 5, i })), ['k', 'j'], ['desc']).map((o) => o.i));
script('sortedIndex many', (_) => _.times(12, (i) => _.sortedIndex([1, 1, 2, 3, 5, 8, 13, null, undefined, NaN], [0, 1, 4, 13, 20, null, undefined, NaN, 'a', -0, Infinity, 2][i])));
script('forEach early exit / forIn', (_) => {
  const out = [];
  _.forEach([1, 2, 3], (v) => { out.push(v); return v < 2; });
  function F() { this.a = 1; }
  F.prototype.b = 2;
  _.forIn(new F(), (v, k) => { out.push(k); });
  _.forOwnRight({ x: 1, y: 2 }, (v, k) => { out.push(k); });
  _.forEachRight('ab', (c) => { out.push(c); });
  return out;
});
script('large uniq/difference', (_) => {
  const big = _.times(500, (i) => i % 37);
  return [_.uniq(big).length, _.difference(big, _.range(30)).length, _.intersection(big, _.range(10, 500)).length, _.union(big, [1000]).length, _.uniqBy(big, (x) => x % 5)];
});
script('lodash functions count', (_) => Object.keys(_).filter((k) => typeof _[k] === 'function').length >= 300);

module.exports.scriptCases = S;
module.exports.args = args;

/* lodash/fp scripts: [label, (fp) => value], compared against real lodash/fp. */
const F = [];
function fpCase(label, fn) {
  F.push([label, fn]);
}
const fpUsers = () => [{ user: 'barney', age: 36, active: true }, { user: 'fred', age: 40, active: false }, { user: 'pebbles', age: 1, active: true }];
fpCase('map capped', (fp) => [fp.map(parseInt)(['6', '8', '10']), fp.map((x) => x * 2, [1, 2]), fp.map('user')(fpUsers())]);
fpCase('filter/reject/find', (fp) => [fp.filter('active', fpUsers()), fp.reject({ age: 1 })(fpUsers()), fp.find(['user', 'fred'])(fpUsers())]);
fpCase('get/getOr/path', (fp) => [fp.get('a.b')({ a: { b: 1 } }), fp.getOr('d', 'a.x', { a: {} }), fp.getOr('d')('a.b')({ a: { b: 2 } }), fp.path(['a', 'b'], { a: { b: 3 } }), fp.prop('a', { a: 4 })]);
fpCase('set immutable', (fp) => {
  const o = { a: { b: 1 }, c: { d: 2 } };
  const r = fp.set('a.b', 9, o);
  return [o, r, r.c === o.c, r.a !== o.a, fp.set('x[0].y', 1)({})];
});
fpCase('unset/update immutable', (fp) => {
  const o = { a: { b: 1, c: 2 } };
  return [fp.unset('a.b', o), o, fp.update('a.c', (n) => n * 10, o), o];
});
fpCase('pick/omit', (fp) => [fp.pick(['a', 'c'], { a: 1, b: 2, c: 3 }), fp.omit('b')({ a: 1, b: 2 }), fp.pickBy((v) => v > 1, { a: 1, b: 2 })]);
fpCase('sortBy/orderBy/groupBy/keyBy/countBy', (fp) => [fp.sortBy('age', fpUsers()), fp.orderBy(['age'], ['desc'], fpUsers()), fp.groupBy('active', fpUsers()), fp.keyBy('user')(fpUsers()), fp.countBy(Math.floor, [6.1, 4.2, 6.3])]);
fpCase('uniq/uniqBy/flatten/compact', (fp) => [fp.uniq([2, 1, 2]), fp.uniqBy(Math.floor, [2.1, 1.2, 2.3]), fp.flatten([1, [2, [3]]]), fp.compact([0, 1, false])]);
fpCase('merge/assign immutable', (fp) => {
  const a = { x: { y: 1 }, arr: [1] };
  const b = { x: { z: 2 }, arr: [2, 3] };
  const m = fp.merge(a, b);
  return [m, a, fp.assign({ p: 1 }, { q: 2 }), fp.defaults({ a: 1 }, { a: 2, b: 2 }), fp.mergeAll([{ a: 1 }, { b: 2 }, { a: 3 }]), fp.assignAll([{ a: 1 }, { b: 2 }])];
});
fpCase('reduce/reduceRight/transform', (fp) => [fp.reduce((acc, x) => acc + x, 0, [1, 2, 3]), fp.reduce((acc, x) => acc.concat(x), [])([[1], [2]]), fp.reduceRight((x, acc) => acc + x, '', ['a', 'b', 'c'])]);
fpCase('includes/join/split/trim/camelCase', (fp) => [fp.includes(2, [1, 2]), fp.includes('b')('abc'), fp.join('-', ['a', 'b']), fp.split(',', 'a,b'), fp.trim('  x  '), fp.camelCase('foo bar'), fp.trimChars('_-', '-_x_-'), fp.padChars('*', 5, 'x')]);
fpCase('flow/compose/pipe', (fp) => {
  const inc = (x) => x + 1, dbl = (x) => x * 2;
  return [fp.flow(inc, dbl)(1), fp.flow([inc, dbl])(1), fp.compose(inc, dbl)(1), fp.pipe(inc, dbl)(1)];
});
fpCase('curry and placeholder', (fp) => [fp.get(fp.__, { a: 1 })('a'), fp.set(fp.__, 1)('a')({}), fp.map(fp.__, [1, 2])((x) => x + 1), fp.curryN(2, (a, b) => a + b)(1)(2)]);
fpCase('fixed arity', (fp) => [fp.map((...a) => a.length, [5]), fp.times((...a) => a.length, 2), fp.mapKeys((k) => k + '!', { a: 1 })]);
fpCase('array mutators copy', (fp) => {
  const arr = [1, 2, 3, 1];
  return [fp.pull(1, arr), fp.pullAll([2], arr), fp.remove((x) => x > 2, arr), fp.reverse(arr), fp.fill(0, 2, 'x', arr), arr];
});
fpCase('difference/without/union/intersection/xor', (fp) => [fp.difference([1, 2, 3], [2]), fp.without([2], [1, 2, 3]), fp.union([2, 3], [1, 2]), fp.intersection([2, 3], [1, 2]), fp.xor([1], [2])]);
fpCase('isEqual/isMatch/matches/eq', (fp) => [fp.isEqual({ a: 1 }, { a: 1 }), fp.isMatch({ a: 1 }, { a: 1, b: 2 }), fp.matches({ a: 1 })({ a: 1, b: 2 }), fp.eq(NaN)(NaN), fp.whereEq({ a: 1 }, { a: 1 })]);
fpCase('range/times/chunk/take/drop', (fp) => [fp.range(0, 4), fp.rangeStep(2, 0, 8), fp.times(String, 3), fp.chunk(2, [1, 2, 3]), fp.take(2, [1, 2, 3]), fp.drop(1)([1, 2, 3]), fp.slice(1, 2, [1, 2, 3])]);
fpCase('every/some/partition/zipObject', (fp) => [fp.every(Boolean, [1, 0]), fp.some(Boolean)([0, 1]), fp.partition((x) => x > 1, [1, 2, 3]), fp.zipObject(['a', 'b'], [1, 2]), fp.fromPairs([['a', 1]])]);
fpCase('mapValues/forEach/assoc/dissoc', (fp) => [fp.mapValues((x) => x * 2, { a: 1 }), fp.assoc('a', 2, { a: 1 }), fp.dissoc('a', { a: 1, b: 2 }), fp.forEach((x) => x, [1, 2])]);
fpCase('sum/max/min/meanBy/sumBy', (fp) => [fp.sum([1, 2]), fp.max([1, 3]), fp.sumBy('n', [{ n: 1 }, { n: 2 }]), fp.maxBy('n')([{ n: 1 }, { n: 2 }]), fp.meanBy('n', [{ n: 1 }, { n: 3 }])]);
fpCase('findIndex/indexOf/has/defaultTo/startsWith', (fp) => [fp.findIndex((x) => x > 1, [1, 2]), fp.indexOf(2, [1, 2]), fp.has('a.b', { a: { b: 1 } }), fp.defaultTo(5, null), fp.startsWith('a', 'abc'), fp.repeat(2, 'ab'), fp.padStart(4, 'x'), fp.truncate({ length: 5 }, 'abcdefghij')]);

module.exports.fpCases = F;
