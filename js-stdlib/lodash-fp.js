/*
 * elemental lodash/fp — an independent implementation of lodash 4.17.21's
 * functional variant, built over js-stdlib/lodash.js.
 *
 * The engine registers this file as a factory rather than a module that
 * requires 'lodash' itself (module names inside the engine are not file
 * paths):
 *
 *     module.exports = function (_) { return fp; }
 *
 * so the host does `fp = require_fp_factory(lodashInstance)` and exposes the
 * result as `require('lodash/fp')`.
 *
 * Semantics follow lodash/fp's documented conventions:
 *  - data-last argument order ("iteratee-first"), fixed arity, auto-curried
 *    (with `fp.__` as placeholder);
 *  - iteratees of map/filter/... receive only the value (capped), reduce gets
 *    (accumulator, value);
 *  - functions that mutate in lodash (set, merge, assign, pull, ...) work on
 *    copies and return them.
 */
'use strict';

module.exports = function createFp(_) {
  var fp = {};

  // Arity of each converted function (functions not listed keep lodash's
  // behaviour unchanged).
  var ARITY = {
    1: 'assignAll assignInAll attempt castArray ceil create curry curryRight defaultsAll defaultsDeepAll floor flow flowRight fromPairs invert iteratee memoize method mergeAll methodOf mixin nthArg over overEvery overSome rest reverse round runInContext spread template trim trimEnd trimStart uniqueId words zipAll',
    2: 'add after ary assign assignAllWith assignIn assignInAllWith at before bind bindAll bindKey chunk cloneDeepWith cloneWith concat conformsTo countBy curryN curryRightN debounce defaults defaultsDeep defaultTo delay difference divide drop dropRight dropRightWhile dropWhile endsWith eq every filter find findIndex findKey findLast findLastIndex findLastKey flatMap flatMapDeep flattenDepth forEach forEachRight forIn forInRight forOwn forOwnRight get groupBy gt gte has hasIn includes indexOf intersection invertBy invoke invokeMap isEqual isMatch join keyBy lastIndexOf lt lte map mapKeys mapValues matchesProperty maxBy meanBy merge mergeAllWith minBy multiply nth omit omitBy overArgs pad padEnd padStart parseInt partial partialRight partition pick pickBy propertyOf pull pullAll pullAt random range rangeRight rearg reject remove repeat restFrom result sampleSize some sortBy sortedIndex sortedIndexOf sortedLastIndex sortedLastIndexOf sortedUniqBy split spreadFrom startsWith subtract sumBy take takeRight takeRightWhile takeWhile tap throttle thru times trimChars trimCharsEnd trimCharsStart truncate union uniqBy uniqWith unset unzipWith without wrap xor zip zipObject zipObjectDeep',
    3: 'assignInWith assignWith clamp differenceBy differenceWith findFrom findIndexFrom findLastFrom findLastIndexFrom getOr includesFrom indexOfFrom inRange intersectionBy intersectionWith invokeArgs invokeArgsMap isEqualWith isMatchWith flatMapDepth lastIndexOfFrom mergeWith orderBy padChars padCharsEnd padCharsStart pullAllBy pullAllWith rangeStep rangeStepRight reduce reduceRight replace set slice sortedIndexBy sortedLastIndexBy transform unionBy unionWith update xorBy xorWith zipWith',
    4: 'fill setWith updateWith'
  };
  // Default mapping from fp argument positions to lodash positions.
  var DEFAULT_REARG = { 2: [1, 0], 3: [2, 0, 1], 4: [3, 2, 0, 1] };
  var METHOD_REARG = {
    assignInAllWith: [1, 0], assignInWith: [1, 2, 0], assignAllWith: [1, 0], assignWith: [1, 2, 0],
    differenceBy: [1, 2, 0], differenceWith: [1, 2, 0], getOr: [2, 1, 0], intersectionBy: [1, 2, 0],
    intersectionWith: [1, 2, 0], isEqualWith: [1, 2, 0], isMatchWith: [2, 1, 0], mergeAllWith: [1, 0],
    mergeWith: [1, 2, 0], padChars: [2, 1, 0], padCharsEnd: [2, 1, 0], padCharsStart: [2, 1, 0],
    pullAllBy: [2, 1, 0], pullAllWith: [2, 1, 0], rangeStep: [1, 2, 0], rangeStepRight: [1, 2, 0],
    setWith: [3, 1, 2, 0], sortedIndexBy: [2, 1, 0], sortedLastIndexBy: [2, 1, 0], unionBy: [1, 2, 0],
    unionWith: [1, 2, 0], updateWith: [3, 1, 2, 0], xorBy: [1, 2, 0], xorWith: [1, 2, 0], zipWith: [1, 2, 0]
  };
  var SKIP_REARG = set('add assign assignIn bind bindKey concat difference divide eq gt gte isEqual lt lte matchesProperty merge multiply overArgs partial partialRight propertyOf random range rangeRight subtract zip zipObject zipObjectDeep');
  var SKIP_FIXED = set('castArray flow flowRight iteratee mixin rearg runInContext');
  // Iteratee argument caps (the iteratee is the first fp argument).
  var ITERATEE_ARY = {
    dropRightWhile: 1, dropWhile: 1, every: 1, filter: 1, find: 1, findFrom: 1, findIndex: 1, findIndexFrom: 1,
    findKey: 1, findLast: 1, findLastFrom: 1, findLastIndex: 1, findLastIndexFrom: 1, findLastKey: 1,
    flatMap: 1, flatMapDeep: 1, flatMapDepth: 1, forEach: 1, forEachRight: 1, forIn: 1, forInRight: 1,
    forOwn: 1, forOwnRight: 1, map: 1, mapKeys: 1, mapValues: 1, partition: 1, reduce: 2, reduceRight: 2,
    reject: 1, remove: 1, some: 1, takeRightWhile: 1, takeWhile: 1, times: 1, transform: 2
  };
  // Iteratees that see their arguments in a different order.
  var ITERATEE_REARG = { mapKeys: [1], reduceRight: [1, 0] };
  // Rest-parameter lodash functions that fp calls with an array spread from `start`.
  var SPREAD = { assignAll: 0, assignAllWith: 0, assignInAll: 0, assignInAllWith: 0, defaultsAll: 0,
    defaultsDeepAll: 0, invokeArgs: 2, invokeArgsMap: 2, mergeAll: 0, mergeAllWith: 0, partial: 1,
    partialRight: 1, without: 1, zipAll: 0 };
  var MUTATES_ARRAY = set('fill pull pullAll pullAllBy pullAllWith pullAt remove reverse');
  var MUTATES_OBJECT = set('assign assignAll assignAllWith assignIn assignInAll assignInAllWith assignInWith assignWith defaults defaultsAll defaultsDeep defaultsDeepAll merge mergeAll mergeAllWith mergeWith');
  var MUTATES_PATH = set('set setWith unset update updateWith');

  function set(words) {
    var result = {};
    words.split(' ').forEach(function (w) { result[w] = true; });
    return result;
  }

  // fp-only functions, expressed in terms of lodash.
  var extra = {
    assignAll: function (sources) { return _.assign.apply(_, [{}].concat(sources)); },
    assignAllWith: function (sources, customizer) { return _.assignWith.apply(_, [{}].concat(sources, [customizer])); },
    assignInAll: function (sources) { return _.assignIn.apply(_, [{}].concat(sources)); },
    assignInAllWith: function (sources, customizer) { return _.assignInWith.apply(_, [{}].concat(sources, [customizer])); },
    defaultsAll: function (sources) { return _.defaults.apply(_, [{}].concat(sources)); },
    defaultsDeepAll: function (sources) { return _.defaultsDeep.apply(_, [{}].concat(sources)); },
    mergeAll: function (sources) { return _.merge.apply(_, [{}].concat(sources)); },
    mergeAllWith: function (sources, customizer) { return _.mergeWith.apply(_, [{}].concat(sources, [customizer])); },
    zipAll: function (arrays) { return _.zip.apply(_, arrays); },
    getOr: function (object, path, defaultValue) { return _.get(object, path, defaultValue); },
    curryN: function (arity, func) { return _.curry(func, arity); },
    curryRightN: function (arity, func) { return _.curryRight(func, arity); },
    findFrom: function (collection, predicate, fromIndex) { return _.find(collection, predicate, fromIndex); },
    findIndexFrom: function (array, predicate, fromIndex) { return _.findIndex(array, predicate, fromIndex); },
    findLastFrom: function (collection, predicate, fromIndex) { return _.findLast(collection, predicate, fromIndex); },
    findLastIndexFrom: function (array, predicate, fromIndex) { return _.findLastIndex(array, predicate, fromIndex); },
    includesFrom: function (collection, value, fromIndex) { return _.includes(collection, value, fromIndex); },
    indexOfFrom: function (array, value, fromIndex) { return _.indexOf(array, value, fromIndex); },
    lastIndexOfFrom: function (array, value, fromIndex) { return _.lastIndexOf(array, value, fromIndex); },
    invokeArgs: function (object, path, args) { return _.invoke.apply(_, [object, path].concat(args || [])); },
    invokeArgsMap: function (collection, path, args) { return _.invokeMap.apply(_, [collection, path].concat(args || [])); },
    padChars: function (string, length, chars) { return _.pad(string, length, chars); },
    padCharsEnd: function (string, length, chars) { return _.padEnd(string, length, chars); },
    padCharsStart: function (string, length, chars) { return _.padStart(string, length, chars); },
    trimChars: function (string, chars) { return _.trim(string, chars); },
    trimCharsEnd: function (string, chars) { return _.trimEnd(string, chars); },
    trimCharsStart: function (string, chars) { return _.trimStart(string, chars); },
    rangeStep: function (start, end, step) { return _.range(start, end, step); },
    rangeStepRight: function (start, end, step) { return _.rangeRight(start, end, step); },
    restFrom: function (func, start) { return _.rest(func, start); },
    spreadFrom: function (func, start) { return _.spread(func, start); }
  };
  // Data-last variants with a default fp order for the *All helpers.
  var EXTRA_REARG = {
    getOr: [2, 1, 0], findFrom: [2, 0, 1], findIndexFrom: [2, 0, 1], findLastFrom: [2, 0, 1],
    findLastIndexFrom: [2, 0, 1], includesFrom: [2, 0, 1], indexOfFrom: [2, 0, 1], lastIndexOfFrom: [2, 0, 1],
    invokeArgs: [2, 0, 1], invokeArgsMap: [2, 0, 1], padChars: [2, 1, 0], padCharsEnd: [2, 1, 0],
    padCharsStart: [2, 1, 0], trimChars: [1, 0], trimCharsEnd: [1, 0], trimCharsStart: [1, 0],
    rangeStep: [1, 2, 0], rangeStepRight: [1, 2, 0], restFrom: [1, 0], spreadFrom: [1, 0],
    curryN: [0, 1], curryRightN: [0, 1], assignAllWith: [0, 1], assignInAllWith: [0, 1], mergeAllWith: [0, 1]
  };

  var arityOf = {};
  Object.keys(ARITY).forEach(function (n) {
    ARITY[n].split(' ').forEach(function (name) { arityOf[name] = +n; });
  });

  function capIteratee(fn, n, order) {
    if (typeof fn != 'function') return fn;
    return function () {
      var args = Array.prototype.slice.call(arguments, 0, order ? Math.max.apply(null, order) + 1 : n);
      if (order) args = order.map(function (i) { return args[i]; });
      return fn.apply(this, args.slice(0, n));
    };
  }
  function shallowClone(value) {
    if (Array.isArray(value)) return value.slice();
    return _.clone(value);
  }
  // Copies the objects along `path` so that set/unset/update can write into
  // the copy without touching the caller's data.
  function cloneByPath(object, path) {
    path = _.toPath(path);
    var result = _.clone(Object(object)), nested = result;
    for (var i = 0; nested != null && i < path.length; i++) {
      var key = path[i], value = nested[key];
      if (value != null && !(typeof value == 'function' || _.isError(value) || _.isWeakMap(value))) {
        nested[key] = _.clone(i == path.length - 1 ? value : Object(value));
      }
      nested = nested[key];
    }
    return result;
  }

  function convert(name, func) {
    var ary = arityOf[name];
    if (!ary) return func;
    var order = METHOD_REARG[name] || EXTRA_REARG[name] || (SKIP_REARG[name] ? null : DEFAULT_REARG[ary]);
    var spreadStart = Object.prototype.hasOwnProperty.call(SPREAD, name) && !extra[name] ? SPREAD[name] : undefined;

    function callLodash(fpArgs) {
      var args = fpArgs.slice(0, SKIP_FIXED[name] ? fpArgs.length : ary);
      if (ITERATEE_ARY[name]) args[0] = capIteratee(args[0], ITERATEE_ARY[name], ITERATEE_REARG[name]);
      var lodashArgs = args;
      if (order && args.length > 1) {
        lodashArgs = [];
        for (var i = 0; i < order.length && i < args.length; i++) lodashArgs[i] = args[order[i]];
      }
      // Mutators work on a copy and return that copy (not lodash's result,
      // so e.g. fp.unset gives the new object and fp.remove the kept items).
      var copy, isMutator = !extra[name] && (MUTATES_PATH[name] || MUTATES_OBJECT[name] || MUTATES_ARRAY[name]);
      if (MUTATES_PATH[name]) {
        copy = cloneByPath(lodashArgs[0], lodashArgs[1]);
      } else if (MUTATES_OBJECT[name]) {
        // Copy with the family's own base function, as lodash/fp does: merge
        // copies plain structure deeply, assign shallowly.
        var base = /^(assignIn|defaultsDeep|defaults|merge|assign)/.exec(name)[1];
        copy = _[base]({}, lodashArgs[0]);
      } else if (MUTATES_ARRAY[name]) {
        copy = shallowClone(lodashArgs[0]);
      }
      if (isMutator) lodashArgs[0] = copy;
      if (spreadStart !== undefined) {
        var spreadArgs = lodashArgs.slice(0, spreadStart);
        var rest = lodashArgs[spreadStart];
        lodashArgs = spreadArgs.concat(rest == null ? [] : rest);
      }
      var result = func.apply(undefined, lodashArgs);
      return isMutator ? copy : result;
    }
    if (SKIP_FIXED[name]) return function () { return callLodash(Array.prototype.slice.call(arguments)); };
    return curried(ary, []);

    function curried(remaining, held) {
      return function () {
        var args = Array.prototype.slice.call(arguments);
        var combined = [], argIndex = 0;
        for (var i = 0; i < held.length; i++) {
          combined.push(held[i] === fp.__ && argIndex < args.length ? args[argIndex++] : held[i]);
        }
        while (argIndex < args.length) combined.push(args[argIndex++]);
        var filled = 0;
        for (var j = 0; j < combined.length && j < ary; j++) if (combined[j] !== fp.__) filled++;
        if (filled < ary) return curried(ary - filled, combined);
        return callLodash(combined);
      };
    }
  }

  fp.__ = fp.placeholder = {};
  Object.keys(_).forEach(function (name) {
    if (typeof _[name] == 'function' && name != '_') fp[name] = convert(name, _[name]);
  });
  Object.keys(extra).forEach(function (name) {
    fp[name] = convert(name, extra[name]);
  });
  // Ramda-style aliases that lodash/fp documents.
  var ALIASES = {
    F: 'stubFalse', T: 'stubTrue', all: 'every', allPass: 'overEvery', always: 'constant', any: 'some',
    anyPass: 'overSome', apply: 'spread', assoc: 'set', assocPath: 'set', complement: 'negate',
    compose: 'flowRight', conforms: 'conformsTo', contains: 'includes', dissoc: 'unset', dissocPath: 'unset',
    dropLast: 'dropRight', dropLastWhile: 'dropRightWhile', each: 'forEach', eachRight: 'forEachRight',
    entries: 'toPairs', entriesIn: 'toPairsIn', equals: 'isEqual', extend: 'assignIn', extendAll: 'assignInAll',
    extendAllWith: 'assignInAllWith', extendWith: 'assignInWith', first: 'head', identical: 'eq',
    indexBy: 'keyBy', init: 'initial', invertObj: 'invert', juxt: 'over', matches: 'isMatch', nAry: 'ary',
    omitAll: 'omit', path: 'get', pathEq: 'matchesProperty', pathOr: 'getOr', paths: 'at', pickAll: 'pick',
    pipe: 'flow', pluck: 'map', prop: 'get', propEq: 'matchesProperty', propOr: 'getOr', property: 'get',
    props: 'at', symmetricDifference: 'xor', symmetricDifferenceBy: 'xorBy', symmetricDifferenceWith: 'xorWith',
    takeLast: 'takeRight', takeLastWhile: 'takeRightWhile', unapply: 'rest', unnest: 'flatten',
    useWith: 'overArgs', where: 'conformsTo', whereEq: 'isMatch', zipObj: 'zipObject'
  };
  Object.keys(ALIASES).forEach(function (alias) {
    fp[alias] = fp[ALIASES[alias]];
  });
  fp.convert = function () { return fp; };
  return fp;
};
