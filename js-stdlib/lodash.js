/*
 * elemental lodash — an independent implementation of the lodash 4.17.21 API
 * for Cloud Elements hook scripts running inside QuickJS.
 *
 * Written from lodash's documented behaviour and black-box observation of
 * lodash 4.17.21 (see tests/lodash/ for the differential test that keeps it
 * honest). No lodash source is included.
 *
 * Constraints that shape this file:
 *  - it is evaluated by the engine as the body of `function(module, exports)`,
 *    so it must not rely on sloppy mode, `require`, or Node globals;
 *  - timers (debounce/throttle/delay/defer) are looked up on `globalThis` at
 *    call time because the host installs them after this module loads.
 */
'use strict';

var _ = (function () {
  function runInContext() {
    var VERSION = '4.17.21';
    var objectProto = Object.prototype;
    var hasOwnProperty = objectProto.hasOwnProperty;
    var objectToString = objectProto.toString;
    var fnToString = Function.prototype.toString;
    var objectCtorString = fnToString.call(Object);
    var arrayProto = Array.prototype;
    var getProto = Object.getPrototypeOf;

    var INFINITY = 1 / 0;
    var MAX_SAFE_INTEGER = 9007199254740991;
    var MAX_INTEGER = 1.7976931348623157e308;
    var MAX_ARRAY_LENGTH = 4294967295;
    var MAX_ARRAY_INDEX = MAX_ARRAY_LENGTH - 1;
    var HALF_MAX_ARRAY_LENGTH = MAX_ARRAY_LENGTH >>> 1;
    var FUNC_ERROR_TEXT = 'Expected a function';

    function hasOwn(object, key) {
      return object != null && hasOwnProperty.call(object, key);
    }
    function tagOf(value) {
      return objectToString.call(value);
    }
    var typedArrayTagRe = /^\[object (?:Float(?:32|64)|Int(?:8|16|32)|Uint(?:8|8Clamped|16|32)|Big(?:Int|Uint)64)Array\]$/;

    /* ------------------------------------------------------------------ */
    /* Small array primitives                                              */
    /* ------------------------------------------------------------------ */

    function arrayMap(array, fn) {
      var length = array == null ? 0 : array.length;
      var result = Array(length);
      for (var i = 0; i < length; i++) result[i] = fn(array[i], i, array);
      return result;
    }
    function arrayPush(array, values) {
      var offset = array.length;
      for (var i = 0; i < values.length; i++) array[offset + i] = values[i];
      return array;
    }
    function copyArray(source, target) {
      var length = source.length;
      target = target || Array(length);
      for (var i = 0; i < length; i++) target[i] = source[i];
      return target;
    }
    function times(n, fn) {
      var result = Array(n);
      for (var i = 0; i < n; i++) result[i] = fn(i);
      return result;
    }
    function apply(func, thisArg, args) {
      return func.apply(thisArg, args);
    }

    /* ------------------------------------------------------------------ */
    /* Equality / comparison primitives                                    */
    /* ------------------------------------------------------------------ */

    // SameValueZero: what lodash calls `eq`.
    function eq(value, other) {
      return value === other || (value !== value && other !== other);
    }

    function isLength(value) {
      return typeof value == 'number' && value > -1 && value % 1 == 0 && value <= MAX_SAFE_INTEGER;
    }
    var reUnsignedInt = /^(?:0|[1-9]\d*)$/;
    function isIndex(value, length) {
      var type = typeof value;
      length = length == null ? MAX_SAFE_INTEGER : length;
      return !!length &&
        (type == 'number' || (type != 'symbol' && reUnsignedInt.test(value))) &&
        (value > -1 && value % 1 == 0 && value < length);
    }

    // Ordering used by sortBy/orderBy/sortedIndex: ordinary values first, then
    // symbols, null, undefined and NaN, in that order.
    function sortRank(v) {
      if (v === undefined) return 3;
      if (v === null) return 2;
      if (typeof v == 'symbol') return 1;
      if (v !== v) return 4;
      return 0;
    }
    function compareAscending(value, other) {
      if (value === other) return 0;
      var rv = sortRank(value), ro = sortRank(other);
      if (rv !== ro) return rv > ro ? 1 : -1;
      if (rv === 0) return value > other ? 1 : value < other ? -1 : 0;
      // lodash reports NaN as greater than NaN; keep that so sort outcomes agree.
      return rv === 4 ? 1 : 0;
    }

    /* ------------------------------------------------------------------ */
    /* Lang predicates                                                     */
    /* ------------------------------------------------------------------ */

    var isArray = Array.isArray;
    function isObject(value) {
      var type = typeof value;
      return value != null && (type == 'object' || type == 'function');
    }
    function isObjectLike(value) {
      return value != null && typeof value == 'object';
    }
    function isFunction(value) {
      return typeof value == 'function';
    }
    function isArguments(value) {
      return isObjectLike(value) && tagOf(value) == '[object Arguments]';
    }
    function isArrayLike(value) {
      return value != null && typeof value != 'function' && isLength(value.length);
    }
    function isArrayLikeObject(value) {
      return isObjectLike(value) && isArrayLike(value);
    }
    function isTypedArray(value) {
      return isObjectLike(value) && typedArrayTagRe.test(tagOf(value));
    }
    function isBuffer() {
      return false;
    }
    function isPlainObject(value) {
      if (!isObjectLike(value) || tagOf(value) != '[object Object]') return false;
      var proto = getProto(Object(value));
      if (proto === null) return true;
      var Ctor = hasOwnProperty.call(proto, 'constructor') && proto.constructor;
      return typeof Ctor == 'function' && Ctor instanceof Ctor && fnToString.call(Ctor) == objectCtorString;
    }
    function isPrototype(value) {
      var Ctor = value && value.constructor;
      var proto = (typeof Ctor == 'function' && Ctor.prototype) || objectProto;
      return value === proto;
    }
    function isString(value) {
      return typeof value == 'string' || (!isArray(value) && isObjectLike(value) && tagOf(value) == '[object String]');
    }
    function isNumber(value) {
      return typeof value == 'number' || (isObjectLike(value) && tagOf(value) == '[object Number]');
    }
    function isBoolean(value) {
      return value === true || value === false || (isObjectLike(value) && tagOf(value) == '[object Boolean]');
    }
    function isSymbol(value) {
      return typeof value == 'symbol' || (isObjectLike(value) && tagOf(value) == '[object Symbol]');
    }
    function tagTest(tag) {
      return function (value) {
        return isObjectLike(value) && tagOf(value) == tag;
      };
    }
    var isDate = tagTest('[object Date]');
    var isRegExp = tagTest('[object RegExp]');
    var isMap = tagTest('[object Map]');
    var isSet = tagTest('[object Set]');
    var isWeakMap = tagTest('[object WeakMap]');
    var isWeakSet = tagTest('[object WeakSet]');
    var isArrayBuffer = tagTest('[object ArrayBuffer]');
    function isError(value) {
      if (!isObjectLike(value)) return false;
      var tag = tagOf(value);
      return tag == '[object Error]' || tag == '[object DOMException]' ||
        (typeof value.message == 'string' && typeof value.name == 'string' && !isPlainObject(value));
    }
    function isElement(value) {
      return isObjectLike(value) && value.nodeType === 1 && !isPlainObject(value);
    }
    var reNativeBody = /\{\s*\[native code\]\s*\}\s*$/;
    function isNative(value) {
      return isObject(value) && typeof value == 'function' && reNativeBody.test(fnToString.call(value));
    }
    function isNil(value) { return value == null; }
    function isNull(value) { return value === null; }
    function isUndefined(value) { return value === undefined; }
    function isNaN(value) { return isNumber(value) && value != +value; }
    function isFinite(value) { return typeof value == 'number' && Number.isFinite(value); }
    function isInteger(value) { return typeof value == 'number' && value == toInteger(value); }
    function isSafeInteger(value) { return isInteger(value) && value >= -MAX_SAFE_INTEGER && value <= MAX_SAFE_INTEGER; }

    function isEmpty(value) {
      if (value == null) return true;
      if (isArrayLike(value) &&
          (isArray(value) || typeof value == 'string' || typeof value.splice == 'function' ||
           isTypedArray(value) || isArguments(value))) {
        return !value.length;
      }
      var tag = tagOf(value);
      if (tag == '[object Map]' || tag == '[object Set]') return !value.size;
      if (isPrototype(value)) return !ownKeysNoCtor(value).length;
      for (var key in value) {
        if (hasOwnProperty.call(value, key)) return false;
      }
      return true;
    }

    /* ------------------------------------------------------------------ */
    /* Conversions                                                         */
    /* ------------------------------------------------------------------ */

    function symbolToString(sym) {
      return Symbol.prototype.toString.call(sym);
    }
    // String conversion that keeps the sign of -0 and recurses into arrays.
    function baseToString(value) {
      if (typeof value == 'string') return value;
      if (isArray(value)) return arrayMap(value, baseToString) + '';
      if (isSymbol(value)) return typeof value == 'symbol' ? symbolToString(value) : symbolToString(value.valueOf());
      var result = value + '';
      return (result == '0' && (1 / value) == -INFINITY) ? '-0' : result;
    }
    function toString(value) {
      return value == null ? '' : baseToString(value);
    }
    var reWhitespaceStart = /^\s+/;
    function trimWhitespace(string) {
      var end = string.length;
      while (end-- && /\s/.test(string.charAt(end))) { /* scan back */ }
      return string.slice(0, end + 1).replace(reWhitespaceStart, '');
    }
    function toNumber(value) {
      if (typeof value == 'number') return value;
      if (isSymbol(value)) return NaN;
      if (isObject(value)) {
        var other = typeof value.valueOf == 'function' ? value.valueOf() : value;
        value = isObject(other) ? (other + '') : other;
      }
      if (typeof value != 'string') return value === 0 ? value : +value;
      value = trimWhitespace(value);
      if (/^0b[01]+$/i.test(value)) return parseInt(value.slice(2), 2);
      if (/^0o[0-7]+$/i.test(value)) return parseInt(value.slice(2), 8);
      if (/^[-+]0x[0-9a-f]+$/i.test(value)) return NaN;
      return +value;
    }
    function toFinite(value) {
      if (!value) return value === 0 ? value : 0;
      value = toNumber(value);
      if (value === INFINITY || value === -INFINITY) return (value < 0 ? -1 : 1) * MAX_INTEGER;
      return value === value ? value : 0;
    }
    function toInteger(value) {
      var result = toFinite(value);
      var remainder = result % 1;
      return result === result ? (remainder ? result - remainder : result) : 0;
    }
    function baseClamp(number, lower, upper) {
      if (number === number) {
        if (upper !== undefined) number = number <= upper ? number : upper;
        if (lower !== undefined) number = number >= lower ? number : lower;
      }
      return number;
    }
    function toLength(value) {
      return value ? baseClamp(toInteger(value), 0, MAX_ARRAY_LENGTH) : 0;
    }
    function toSafeInteger(value) {
      return value ? baseClamp(toInteger(value), -MAX_SAFE_INTEGER, MAX_SAFE_INTEGER) : (value === 0 ? value : 0);
    }
    function baseToNumber(value) {
      if (typeof value == 'number') return value;
      if (isSymbol(value)) return NaN;
      return +value;
    }

    /* ------------------------------------------------------------------ */
    /* Keys                                                                */
    /* ------------------------------------------------------------------ */

    function ownKeysNoCtor(object) {
      var result = [];
      var keys = Object.keys(Object(object));
      for (var i = 0; i < keys.length; i++) if (keys[i] != 'constructor') result.push(keys[i]);
      return result;
    }
    // Keys of array-likes: every index (holes included) then the other enumerable
    // keys; `length` and typed-array internals are not reported for real arrays.
    function arrayLikeKeys(value, inherited) {
      var isArr = isArray(value), isArg = !isArr && isArguments(value);
      var isTyped = !isArr && !isArg && isTypedArray(value);
      var skipIndexes = isArr || isArg || isTyped;
      var length = value.length;
      var result = skipIndexes ? times(length, String) : [];
      for (var key in value) {
        if ((inherited || hasOwnProperty.call(value, key)) &&
            !(skipIndexes && (key == 'length' || isIndex(key, length) ||
              (isTyped && (key == 'buffer' || key == 'byteLength' || key == 'byteOffset'))))) {
          result.push(key);
        }
      }
      return result;
    }
    function keys(object) {
      if (isArrayLike(object)) return arrayLikeKeys(object);
      if (object == null) return [];
      if (isPrototype(object)) return ownKeysNoCtor(object);
      return Object.keys(Object(object));
    }
    function keysIn(object) {
      if (isArrayLike(object)) return arrayLikeKeys(object, true);
      var result = [], key;
      if (!isObject(object)) {
        if (object != null) for (key in Object(object)) result.push(key);
        return result;
      }
      var isProto = isPrototype(object);
      for (key in object) {
        if (!(key == 'constructor' && (isProto || !hasOwnProperty.call(object, key)))) result.push(key);
      }
      return result;
    }
    function ownEnumSymbols(object) {
      if (object == null) return [];
      object = Object(object);
      return Object.getOwnPropertySymbols(object).filter(function (s) {
        return objectProto.propertyIsEnumerable.call(object, s);
      });
    }
    function symbolsIn(object) {
      var result = [];
      while (object != null) {
        arrayPush(result, ownEnumSymbols(object));
        object = getProto(Object(object));
      }
      return result;
    }
    function allKeys(object) {
      return arrayPush(keys(object), ownEnumSymbols(object));
    }
    function allKeysIn(object) {
      return arrayPush(keysIn(object), symbolsIn(object));
    }

    function values(object) {
      return object == null ? [] : keys(object).map(function (k) { return object[k]; });
    }
    function valuesIn(object) {
      return object == null ? [] : keysIn(object).map(function (k) { return object[k]; });
    }

    /* ------------------------------------------------------------------ */
    /* Property assignment                                                 */
    /* ------------------------------------------------------------------ */

    // lodash runs in sloppy mode, where writing a read-only property (a
    // String object's index, a frozen object) is silently ignored; this file
    // is strict, so emulate that instead of throwing.
    function sloppySet(object, key, value) {
      try {
        object[key] = value;
      } catch (e) {
        if (!(e instanceof TypeError)) throw e;
      }
    }
    function baseAssignValue(object, key, value) {
      if (key == '__proto__') {
        Object.defineProperty(object, key, { configurable: true, enumerable: true, value: value, writable: true });
      } else {
        sloppySet(object, key, value);
      }
    }
    // Assign unless the own value is already SameValueZero-equal (so 0 is not
    // replaced by -0), but always create a missing key even for undefined.
    function assignValue(object, key, value) {
      var objValue = object[key];
      if (!(hasOwnProperty.call(object, key) && eq(objValue, value)) ||
          (value === undefined && !(key in object))) {
        baseAssignValue(object, key, value);
      }
    }
    function assignMergeValue(object, key, value) {
      if ((value !== undefined && !eq(object[key], value)) ||
          (value === undefined && !(key in object))) {
        baseAssignValue(object, key, value);
      }
    }
    function copyObject(source, props, object, customizer) {
      var isNew = !object;
      object = object || {};
      for (var i = 0; i < props.length; i++) {
        var key = props[i];
        var newValue = customizer ? customizer(object[key], source[key], key, object, source) : undefined;
        if (newValue === undefined) newValue = source[key];
        if (isNew) baseAssignValue(object, key, newValue);
        else assignValue(object, key, newValue);
      }
      return object;
    }

    /* ------------------------------------------------------------------ */
    /* Paths                                                               */
    /* ------------------------------------------------------------------ */

    var reDeepPropTest = /\.|\[(?:[^[\]]*|(["'])(?:(?!\1)[^\\]|\\.)*?\1)\]/;
    var rePlainProp = /^\w*$/;
    function isKey(value, object) {
      if (isArray(value)) return false;
      var type = typeof value;
      // Neither a `.` nor a `[`: no deep path can match, so a key whatever the regexes say
      // (they ran three times per key in `_.pick`, most of its cost).
      if (type == 'string' && value.indexOf('.') === -1 && value.indexOf('[') === -1) return true;
      if (type == 'number' || type == 'symbol' || type == 'boolean' || value == null || isSymbol(value)) return true;
      return rePlainProp.test(value) || !reDeepPropTest.test(value) ||
        (object != null && value in Object(object));
    }
    var reNumberInBrackets = /^-?\d+(?:\.\d+)?\]/;
    // Tokenises a property path string the way lodash does:
    //  - runs of characters other than `.`, `[`, `]` are keys;
    //  - `[123]` / `[-1.5]` yield the number text, `["x"]`/`['x']` the quoted text
    //    with backslash escapes removed;
    //  - an empty key is produced for a leading `.`, and wherever `.` or `[]` is
    //    followed by another `.`, `[]` or the end of the string;
    //  - any other stray bracket or dot is skipped.
    function stringToPath(string) {
      var result = [];
      var n = string.length;
      if (string.charCodeAt(0) === 46) result.push('');
      var i = 0;
      while (i < n) {
        var ch = string.charAt(i);
        if (ch != '.' && ch != '[' && ch != ']') {
          var j = i;
          while (j < n) {
            var c = string.charAt(j);
            if (c == '.' || c == '[' || c == ']') break;
            j++;
          }
          result.push(string.slice(i, j));
          i = j;
          continue;
        }
        if (ch == '[') {
          var rest = string.slice(i + 1);
          var num = reNumberInBrackets.exec(rest);
          if (num) {
            result.push(num[0].slice(0, -1));
            i += 1 + num[0].length;
            continue;
          }
          var q = rest.charAt(0);
          if (q == '"' || q == "'") {
            var k = 1, content = '', ok = false;
            while (k < rest.length) {
              var cc = rest.charAt(k);
              if (cc == '\\') {
                var nx = rest.charAt(k + 1);
                if (k + 1 >= rest.length || nx == '\n' || nx == '\r' || nx == '\u2028' || nx == '\u2029') break;
                content += cc + nx;
                k += 2;
                continue;
              }
              if (cc == q) {
                ok = rest.charAt(k + 1) == ']';
                break;
              }
              content += cc;
              k++;
            }
            if (ok) {
              result.push(content.replace(/\\(\\)?/g, '$1'));
              i += 1 + k + 2;
              continue;
            }
          }
        }
        if (ch == '.' || (ch == '[' && string.charAt(i + 1) == ']')) {
          var after = i + (ch == '.' ? 1 : 2);
          if (after >= n || string.charAt(after) == '.' || (string.charAt(after) == '[' && string.charAt(after + 1) == ']')) {
            result.push('');
          }
        }
        i++;
      }
      return result;
    }
    function toKey(value) {
      if (typeof value == 'string' || isSymbol(value)) return value;
      var result = value + '';
      return (result == '0' && (1 / value) == -INFINITY) ? '-0' : result;
    }
    function castPath(value, object) {
      if (isArray(value)) return value;
      return isKey(value, object) ? [value] : stringToPath(toString(value));
    }
    function toPath(value) {
      if (isArray(value)) return arrayMap(value, toKey);
      return isSymbol(value) ? [value] : stringToPath(toString(value));
    }
    function baseGet(object, path) {
      path = castPath(path, object);
      var index = 0, length = path.length;
      while (object != null && index < length) object = object[toKey(path[index++])];
      return (index && index == length) ? object : undefined;
    }
    function get(object, path, defaultValue) {
      var result = object == null ? undefined : baseGet(object, path);
      return result === undefined ? defaultValue : result;
    }
    function hasPath(object, path, hasFunc) {
      path = castPath(path, object);
      var index = -1, length = path.length, result = false, key;
      while (++index < length) {
        key = toKey(path[index]);
        if (!(result = object != null && hasFunc(object, key))) break;
        object = object[key];
      }
      if (result || ++index != length) return result;
      length = object == null ? 0 : object.length;
      // A hole in a real array or arguments object still counts as present.
      return !!length && isLength(length) && isIndex(key, length) && (isArray(object) || isArguments(object));
    }
    function has(object, path) {
      return object != null && hasPath(object, path, function (o, k) { return hasOwnProperty.call(o, k); });
    }
    function hasIn(object, path) {
      return object != null && hasPath(object, path, function (o, k) { return k in Object(o); });
    }
    function baseSet(object, path, value, customizer) {
      if (!isObject(object)) return object;
      path = castPath(path, object);
      var index = -1, length = path.length, lastIndex = length - 1, nested = object;
      while (nested != null && ++index < length) {
        var key = toKey(path[index]);
        var newValue = value;
        if (key === '__proto__' || key === 'constructor' || key === 'prototype') return object;
        if (index != lastIndex) {
          var objValue = nested[key];
          newValue = customizer ? customizer(objValue, key, nested) : undefined;
          if (newValue === undefined) {
            newValue = isObject(objValue) ? objValue : (isIndex(path[index + 1]) ? [] : {});
          }
        }
        assignValue(nested, key, newValue);
        nested = nested[key];
      }
      return object;
    }
    function set(object, path, value) {
      return object == null ? object : baseSet(object, path, value);
    }
    function setWith(object, path, value, customizer) {
      customizer = typeof customizer == 'function' ? customizer : undefined;
      return object == null ? object : baseSet(object, path, value, customizer);
    }
    function baseSlice(array, start, end) {
      var index = -1, length = array.length;
      if (start < 0) start = -start > length ? 0 : (length + start);
      end = end > length ? length : end;
      if (end < 0) end += length;
      length = start > end ? 0 : ((end - start) >>> 0);
      start >>>= 0;
      var result = Array(length);
      while (++index < length) result[index] = array[index + start];
      return result;
    }
    function parentOf(object, path) {
      return path.length < 2 ? object : baseGet(object, baseSlice(path, 0, -1));
    }
    function baseUnset(object, path) {
      path = castPath(path, object);
      object = parentOf(object, path);
      if (object == null) return true;
      try {
        return delete object[toKey(path[path.length - 1])];
      } catch (e) {
        // lodash runs sloppy, where deleting a non-configurable property is just false.
        return false;
      }
    }
    function unset(object, path) {
      return object == null ? true : baseUnset(object, path);
    }
    function update(object, path, updater) {
      return object == null ? object : baseSet(object, path, castFunction(updater)(baseGet(object, path)));
    }
    function updateWith(object, path, updater, customizer) {
      customizer = typeof customizer == 'function' ? customizer : undefined;
      return object == null ? object : baseSet(object, path, castFunction(updater)(baseGet(object, path)), customizer);
    }
    function castFunction(value) {
      return typeof value == 'function' ? value : identity;
    }
    function identity(value) {
      return value;
    }

    /* ------------------------------------------------------------------ */
    /* Iteration                                                           */
    /* ------------------------------------------------------------------ */

    // Visits own keys of objects or indexes of array-likes; stops when fn returns false.
    function baseEach(collection, fn) {
      if (collection == null) return collection;
      if (!isArrayLike(collection)) return baseForOwn(collection, fn);
      var iterable = Object(collection), length = collection.length;
      for (var i = 0; i < length; i++) if (fn(iterable[i], i, iterable) === false) break;
      return collection;
    }
    function baseEachRight(collection, fn) {
      if (collection == null) return collection;
      if (!isArrayLike(collection)) return baseForOwnRight(collection, fn);
      var iterable = Object(collection);
      for (var i = collection.length - 1; i >= 0; i--) if (fn(iterable[i], i, iterable) === false) break;
      return collection;
    }
    function baseFor(object, fn, keysFunc) {
      var iterable = Object(object), props = keysFunc(object);
      for (var i = 0; i < props.length; i++) {
        var key = props[i];
        if (fn(iterable[key], key, iterable) === false) break;
      }
      return object;
    }
    function baseForRight(object, fn, keysFunc) {
      var iterable = Object(object), props = keysFunc(object);
      for (var i = props.length - 1; i >= 0; i--) {
        var key = props[i];
        if (fn(iterable[key], key, iterable) === false) break;
      }
      return object;
    }
    function baseForOwn(object, fn) {
      return object && baseFor(object, fn, keys);
    }
    function baseForOwnRight(object, fn) {
      return object && baseForRight(object, fn, keys);
    }

    function isIterateeCall(value, index, object) {
      if (!isObject(object)) return false;
      var type = typeof index;
      if (type == 'number' ? (isArrayLike(object) && isIndex(index, object.length)) : (type == 'string' && index in object)) {
        return eq(object[index], value);
      }
      return false;
    }

    // Collects the trailing arguments from `start` into an array, like a rest param
    // whose position defaults to func.length - 1.
    function baseRest(func, start, transform) {
      start = Math.max(start === undefined ? (func.length - 1) : start, 0);
      return function () {
        var args = arguments, length = Math.max(args.length - start, 0), array = Array(length), i;
        for (i = 0; i < length; i++) array[i] = args[start + i];
        var otherArgs = Array(start + 1);
        for (i = 0; i < start; i++) otherArgs[i] = args[i];
        otherArgs[start] = transform ? transform(array) : array;
        return func.apply(this, otherArgs);
      };
    }
    // Like baseRest, but the collected rest arguments are flattened one level,
    // so `pick(obj, 'a', ['b', 'c'])` sees ['a', 'b', 'c'].
    function flatRest(func) {
      return baseRest(func, undefined, function (array) { return baseFlatten(array, 1); });
    }
    function arrayFrom(args) {
      var result = Array(args.length);
      for (var i = 0; i < args.length; i++) result[i] = args[i];
      return result;
    }

    function isFlattenable(value) {
      return isArray(value) || isArguments(value) || !!(value && value[Symbol.isConcatSpreadable]);
    }
    function baseFlatten(array, depth, predicate, isStrict, result) {
      predicate = predicate || isFlattenable;
      result = result || [];
      if (array == null) return result;
      for (var i = 0; i < array.length; i++) {
        var value = array[i];
        if (depth > 0 && predicate(value)) {
          if (depth > 1) baseFlatten(value, depth - 1, predicate, isStrict, result);
          else arrayPush(result, value);
        } else if (!isStrict) {
          result[result.length] = value;
        }
      }
      return result;
    }

    /* ------------------------------------------------------------------ */
    /* Deep equality                                                       */
    /* ------------------------------------------------------------------ */

    var PARTIAL = 1, UNORDERED = 2;

    // Tracks object pairs currently being compared so cycles compare equal.
    function PairStack() {
      this.a = new Map();
      this.b = new Map();
    }
    function normalTag(value) {
      var tag = tagOf(value);
      return tag == '[object Arguments]' ? '[object Object]' : tag;
    }
    function baseIsEqual(value, other, bitmask, customizer, stack) {
      if (value === other) return true;
      if (value == null || other == null || (!isObjectLike(value) && !isObjectLike(other))) {
        return value !== value && other !== other;
      }
      return baseIsEqualDeep(value, other, bitmask, customizer, stack);
    }
    function baseIsEqualDeep(object, other, bitmask, customizer, stack) {
      var objIsArr = isArray(object), othIsArr = isArray(other);
      var objTag = objIsArr ? '[object Array]' : normalTag(object);
      var othTag = othIsArr ? '[object Array]' : normalTag(other);
      var objIsObj = objTag == '[object Object]', othIsObj = othTag == '[object Object]';
      var sameTag = objTag == othTag;
      stack = stack || new PairStack();
      if (sameTag && !objIsObj) {
        return (objIsArr || isTypedArray(object))
          ? equalArrays(object, other, bitmask, customizer, stack)
          : equalByTag(object, other, objTag, bitmask, customizer, stack);
      }
      if (!(bitmask & PARTIAL)) {
        var objWrapped = objIsObj && hasOwnProperty.call(object, '__wrapped__');
        var othWrapped = othIsObj && hasOwnProperty.call(other, '__wrapped__');
        if (objWrapped || othWrapped) {
          return baseIsEqual(objWrapped ? object.value() : object, othWrapped ? other.value() : other, bitmask, customizer, stack);
        }
      }
      if (!sameTag) return false;
      return equalObjects(object, other, bitmask, customizer, stack);
    }
    function withPair(stack, object, other, fn) {
      var stackedA = stack.a.get(object), stackedB = stack.b.get(other);
      if (stackedA && stackedB) return stackedA == other && stackedB == object;
      stack.a.set(object, other);
      stack.b.set(other, object);
      var result = fn();
      stack.a['delete'](object);
      stack.b['delete'](other);
      return result;
    }
    function equalArrays(array, other, bitmask, customizer, stack) {
      var isPartial = bitmask & PARTIAL;
      var arrLength = array.length, othLength = other.length;
      if (arrLength != othLength && !(isPartial && othLength > arrLength)) return false;
      return withPair(stack, array, other, function () {
        var seen = (bitmask & UNORDERED) ? new Set() : null;
        for (var index = 0; index < arrLength; index++) {
          var arrValue = array[index], othValue = other[index];
          var compared;
          if (customizer) {
            compared = isPartial
              ? customizer(othValue, arrValue, index, other, array, stack)
              : customizer(arrValue, othValue, index, array, other, stack);
          }
          if (compared !== undefined) {
            if (compared) continue;
            return false;
          }
          if (seen) {
            var found = false;
            for (var j = 0; j < other.length; j++) {
              var candidate = other[j];
              if (!seen.has(j) && (arrValue === candidate || baseIsEqual(arrValue, candidate, bitmask, customizer, stack))) {
                seen.add(j);
                found = true;
                break;
              }
            }
            if (!found) return false;
          } else if (!(arrValue === othValue || baseIsEqual(arrValue, othValue, bitmask, customizer, stack))) {
            return false;
          }
        }
        return true;
      });
    }
    function equalByTag(object, other, tag, bitmask, customizer, stack) {
      switch (tag) {
        case '[object DataView]':
          if (object.byteLength != other.byteLength || object.byteOffset != other.byteOffset) return false;
          object = object.buffer;
          other = other.buffer;
          // falls through
        case '[object ArrayBuffer]':
          if (object.byteLength != other.byteLength) return false;
          return equalArrays(new Uint8Array(object), new Uint8Array(other), bitmask, customizer, stack);
        case '[object Boolean]':
        case '[object Date]':
        case '[object Number]':
          return eq(+object, +other);
        case '[object Error]':
          return object.name == other.name && object.message == other.message;
        case '[object RegExp]':
        case '[object String]':
          return object == (other + '');
        case '[object Map]':
        case '[object Set]':
          var isPartial = bitmask & PARTIAL;
          if (object.size != other.size && !isPartial) return false;
          var toArr = tag == '[object Map]'
            ? function (m) { var r = []; m.forEach(function (v, k) { r.push([k, v]); }); return r; }
            : function (s) { var r = []; s.forEach(function (v) { r.push(v); }); return r; };
          return withPair(stack, object, other, function () {
            return equalArrays(toArr(object), toArr(other), bitmask | UNORDERED, customizer, stack);
          });
        case '[object Symbol]':
          return Symbol.prototype.valueOf.call(object) == Symbol.prototype.valueOf.call(other);
      }
      return false;
    }
    function equalObjects(object, other, bitmask, customizer, stack) {
      var isPartial = bitmask & PARTIAL;
      var objProps = allKeys(object), othProps = allKeys(other);
      if (objProps.length != othProps.length && !isPartial) return false;
      var index, key;
      for (index = 0; index < objProps.length; index++) {
        key = objProps[index];
        if (!(isPartial ? key in other : hasOwnProperty.call(other, key))) return false;
      }
      return withPair(stack, object, other, function () {
        var skipCtor = isPartial;
        for (index = 0; index < objProps.length; index++) {
          key = objProps[index];
          var objValue = object[key], othValue = other[key], compared;
          if (customizer) {
            compared = isPartial
              ? customizer(othValue, objValue, key, other, object, stack)
              : customizer(objValue, othValue, key, object, other, stack);
          }
          if (!(compared === undefined
            ? (objValue === othValue || baseIsEqual(objValue, othValue, bitmask, customizer, stack))
            : compared)) {
            return false;
          }
          skipCtor = skipCtor || key == 'constructor';
        }
        if (!skipCtor) {
          var objCtor = object.constructor, othCtor = other.constructor;
          if (objCtor != othCtor && ('constructor' in object && 'constructor' in other) &&
              !(typeof objCtor == 'function' && objCtor instanceof objCtor &&
                typeof othCtor == 'function' && othCtor instanceof othCtor)) {
            return false;
          }
        }
        return true;
      });
    }
    function isEqual(value, other) {
      return baseIsEqual(value, other);
    }
    function isEqualWith(value, other, customizer) {
      customizer = typeof customizer == 'function' ? customizer : undefined;
      var result = customizer ? customizer(value, other) : undefined;
      return result === undefined ? baseIsEqual(value, other, undefined, customizer) : !!result;
    }

    function isStrictComparable(value) {
      return value === value && !isObject(value);
    }
    function getMatchData(object) {
      return keys(object).map(function (key) {
        var value = object[key];
        return [key, value, isStrictComparable(value)];
      });
    }
    function baseIsMatch(object, source, matchData, customizer) {
      var index = matchData.length, length = index, data;
      if (object == null) return !length;
      object = Object(object);
      while (index--) {
        data = matchData[index];
        if ((!customizer && data[2]) ? data[1] !== object[data[0]] : !(data[0] in object)) return false;
      }
      while (++index < length) {
        data = matchData[index];
        var key = data[0], objValue = object[key], srcValue = data[1];
        if (!customizer && data[2]) {
          if (objValue === undefined && !(key in object)) return false;
        } else {
          var stack = new PairStack();
          var result = customizer ? customizer(objValue, srcValue, key, object, source, stack) : undefined;
          if (!(result === undefined ? baseIsEqual(srcValue, objValue, PARTIAL | UNORDERED, customizer, stack) : result)) {
            return false;
          }
        }
      }
      return true;
    }
    function isMatch(object, source) {
      return object === source || baseIsMatch(object, source, getMatchData(source));
    }
    function isMatchWith(object, source, customizer) {
      customizer = typeof customizer == 'function' ? customizer : undefined;
      return baseIsMatch(object, source, getMatchData(source), customizer);
    }

    /* ------------------------------------------------------------------ */
    /* Cloning                                                             */
    /* ------------------------------------------------------------------ */

    var CLONE_DEEP = 1, CLONE_FLAT = 2, CLONE_SYMBOLS = 4;
    var cloneableTags = {
      '[object Arguments]': true, '[object Array]': true, '[object ArrayBuffer]': true, '[object DataView]': true,
      '[object Boolean]': true, '[object Date]': true, '[object Float32Array]': true, '[object Float64Array]': true,
      '[object Int8Array]': true, '[object Int16Array]': true, '[object Int32Array]': true, '[object Map]': true,
      '[object Number]': true, '[object Object]': true, '[object RegExp]': true, '[object Set]': true,
      '[object String]': true, '[object Symbol]': true, '[object Uint8Array]': true, '[object Uint8ClampedArray]': true,
      '[object Uint16Array]': true, '[object Uint32Array]': true
    };
    function baseCreate(proto) {
      return isObject(proto) ? Object.create(proto) : {};
    }
    function initCloneObject(object) {
      return (typeof object.constructor == 'function' && !isPrototype(object)) ? baseCreate(getProto(object)) : {};
    }
    function cloneArrayBuffer(buffer) {
      var result = new buffer.constructor(buffer.byteLength);
      new Uint8Array(result).set(new Uint8Array(buffer));
      return result;
    }
    function initCloneByTag(object, tag, isDeep) {
      var Ctor = object.constructor;
      switch (tag) {
        case '[object ArrayBuffer]':
          return cloneArrayBuffer(object);
        case '[object Boolean]':
        case '[object Date]':
          return new Ctor(+object);
        case '[object DataView]':
          return new Ctor(isDeep ? cloneArrayBuffer(object.buffer) : object.buffer, object.byteOffset, object.byteLength);
        case '[object Map]':
        case '[object Set]':
          return new Ctor();
        case '[object Number]':
        case '[object String]':
          return new Ctor(object);
        case '[object RegExp]':
          var re = new Ctor(object.source, /\w*$/.exec(object));
          re.lastIndex = object.lastIndex;
          return re;
        case '[object Symbol]':
          return Object(Symbol.prototype.valueOf.call(object));
        default:
          if (typedArrayTagRe.test(tag)) {
            var buffer = isDeep ? cloneArrayBuffer(object.buffer) : object.buffer;
            return new Ctor(buffer, object.byteOffset, object.length);
          }
      }
    }
    function baseClone(value, bitmask, customizer, key, object, stack) {
      var result;
      var isDeep = bitmask & CLONE_DEEP, isFlat = bitmask & CLONE_FLAT, isFull = bitmask & CLONE_SYMBOLS;
      if (customizer) result = object ? customizer(value, key, object, stack) : customizer(value);
      if (result !== undefined) return result;
      if (!isObject(value)) return value;
      var isArr = isArray(value);
      var tag = tagOf(value);
      if (isArr) {
        result = new value.constructor(value.length);
        // RegExp#exec results carry `index` and `input`.
        if (value.length && typeof value[0] == 'string' && hasOwnProperty.call(value, 'index')) {
          result.index = value.index;
          result.input = value.input;
        }
        if (!isDeep) return copyArray(value, result);
      } else {
        var isFunc = typeof value == 'function';
        if (tag == '[object Object]' || tag == '[object Arguments]' || (isFunc && !object)) {
          result = (isFlat || isFunc) ? {} : initCloneObject(value);
          if (!isDeep) {
            if (isFlat) {
              copyObject(value, keysIn(value), result);
              copyObject(value, symbolsIn(value), result);
            } else {
              copyObject(value, keys(value), result);
              copyObject(value, ownEnumSymbols(value), result);
            }
            return result;
          }
        } else {
          if (isFunc || !cloneableTags[tag]) return object ? value : {};
          result = initCloneByTag(value, tag, isDeep);
        }
      }
      stack = stack || new Map();
      var stacked = stack.get(value);
      if (stacked) return stacked;
      stack.set(value, result);
      if (tag == '[object Set]') {
        value.forEach(function (subValue) {
          result.add(baseClone(subValue, bitmask, customizer, subValue, value, stack));
        });
      } else if (tag == '[object Map]') {
        value.forEach(function (subValue, subKey) {
          result.set(subKey, baseClone(subValue, bitmask, customizer, subKey, value, stack));
        });
      }
      var keysFunc = isFull ? (isFlat ? allKeysIn : allKeys) : (isFlat ? keysIn : keys);
      var props = isArr ? undefined : keysFunc(value);
      var list = props || value;
      for (var i = 0; i < list.length; i++) {
        var k = props ? props[i] : i;
        assignValue(result, k, baseClone(value[k], bitmask, customizer, k, value, stack));
      }
      return result;
    }
    function clone(value) {
      return baseClone(value, CLONE_SYMBOLS);
    }
    function cloneDeep(value) {
      return baseClone(value, CLONE_DEEP | CLONE_SYMBOLS);
    }
    function cloneWith(value, customizer) {
      customizer = typeof customizer == 'function' ? customizer : undefined;
      return baseClone(value, CLONE_SYMBOLS, customizer);
    }
    function cloneDeepWith(value, customizer) {
      customizer = typeof customizer == 'function' ? customizer : undefined;
      return baseClone(value, CLONE_DEEP | CLONE_SYMBOLS, customizer);
    }

    /* ------------------------------------------------------------------ */
    /* Iteratee shorthands                                                 */
    /* ------------------------------------------------------------------ */

    function matchesStrictComparable(key, srcValue) {
      return function (object) {
        return object != null && object[key] === srcValue && (srcValue !== undefined || (key in Object(object)));
      };
    }
    function baseMatches(source) {
      var matchData = getMatchData(source);
      if (matchData.length == 1 && matchData[0][2]) return matchesStrictComparable(matchData[0][0], matchData[0][1]);
      return function (object) {
        return object === source || baseIsMatch(object, source, matchData);
      };
    }
    function baseMatchesProperty(path, srcValue) {
      if (isKey(path) && isStrictComparable(srcValue)) return matchesStrictComparable(toKey(path), srcValue);
      return function (object) {
        var objValue = get(object, path);
        return (objValue === undefined && objValue === srcValue)
          ? hasIn(object, path)
          : baseIsEqual(srcValue, objValue, PARTIAL | UNORDERED);
      };
    }
    function baseProperty(key) {
      return function (object) { return object == null ? undefined : object[key]; };
    }
    function property(path) {
      if (isKey(path)) return baseProperty(toKey(path));
      return function (object) { return baseGet(object, path); };
    }
    function propertyOf(object) {
      return function (path) { return object == null ? undefined : baseGet(object, path); };
    }
    function matches(source) {
      return baseMatches(baseClone(source, CLONE_DEEP));
    }
    function matchesProperty(path, srcValue) {
      return baseMatchesProperty(path, baseClone(srcValue, CLONE_DEEP));
    }
    function baseIteratee(value) {
      if (typeof value == 'function') return value;
      if (value == null) return identity;
      if (typeof value == 'object') return isArray(value) ? baseMatchesProperty(value[0], value[1]) : baseMatches(value);
      return property(value);
    }
    function iteratee(func) {
      return baseIteratee(typeof func == 'function' ? func : baseClone(func, CLONE_DEEP));
    }
    // Honours a user-replaced `_.iteratee`, as lodash does.
    function getIteratee(value) {
      var fn = lodash.iteratee === iteratee ? baseIteratee : lodash.iteratee;
      return arguments.length ? fn(value) : fn;
    }

    /* ------------------------------------------------------------------ */
    /* Collections                                                         */
    /* ------------------------------------------------------------------ */

    function forEach(collection, fn) {
      baseEach(collection, castFunction(fn));
      return collection;
    }
    function forEachRight(collection, fn) {
      baseEachRight(collection, castFunction(fn));
      return collection;
    }
    function map(collection, fn) {
      fn = getIteratee(fn);
      if (isArray(collection)) return arrayMap(collection, fn);
      var index = -1, result = isArrayLike(collection) ? Array(collection.length) : [];
      baseEach(collection, function (value, key, coll) { result[++index] = fn(value, key, coll); });
      return result;
    }
    function filter(collection, predicate) {
      predicate = getIteratee(predicate);
      var result = [];
      baseEach(collection, function (value, key, coll) {
        if (predicate(value, key, coll)) result.push(value);
      });
      return result;
    }
    function negate(predicate) {
      if (typeof predicate != 'function') throw new TypeError(FUNC_ERROR_TEXT);
      return function () { return !predicate.apply(this, arguments); };
    }
    function reject(collection, predicate) {
      return filter(collection, negate(getIteratee(predicate)));
    }
    function makeReduce(eachFunc) {
      return function (collection, fn, accumulator) {
        var initAccum = arguments.length < 3;
        fn = getIteratee(fn);
        eachFunc(collection, function (value, key, coll) {
          if (initAccum) {
            initAccum = false;
            accumulator = value;
          } else {
            accumulator = fn(accumulator, value, key, coll);
          }
        });
        return accumulator;
      };
    }
    var reduce = makeReduce(baseEach);
    var reduceRight = makeReduce(baseEachRight);
    function every(collection, predicate, guard) {
      if (guard && isIterateeCall(collection, predicate, guard)) predicate = undefined;
      predicate = getIteratee(predicate);
      var result = true;
      baseEach(collection, function (value, key, coll) {
        result = !!predicate(value, key, coll);
        return result;
      });
      return result;
    }
    function some(collection, predicate, guard) {
      if (guard && isIterateeCall(collection, predicate, guard)) predicate = undefined;
      predicate = getIteratee(predicate);
      var result = false;
      baseEach(collection, function (value, key, coll) {
        result = !!predicate(value, key, coll);
        return !result;
      });
      return result;
    }
    function baseFindIndex(array, predicate, fromIndex, fromRight) {
      var length = array.length, index = fromIndex + (fromRight ? 1 : -1);
      while (fromRight ? index-- : ++index < length) {
        if (predicate(array[index], index, array)) return index;
      }
      return -1;
    }
    function findIndex(array, predicate, fromIndex) {
      var length = array == null ? 0 : array.length;
      if (!length) return -1;
      var index = fromIndex == null ? 0 : toInteger(fromIndex);
      if (index < 0) index = Math.max(length + index, 0);
      return baseFindIndex(array, getIteratee(predicate), index);
    }
    function findLastIndex(array, predicate, fromIndex) {
      var length = array == null ? 0 : array.length;
      if (!length) return -1;
      var index = length - 1;
      if (fromIndex !== undefined) {
        index = toInteger(fromIndex);
        index = fromIndex < 0 ? Math.max(length + index, 0) : Math.min(index, length - 1);
      }
      return baseFindIndex(array, getIteratee(predicate), index, true);
    }
    function makeFind(findIndexFunc) {
      return function (collection, predicate, fromIndex) {
        var iterable = Object(collection);
        var list = collection, fn = predicate, objectMode = !isArrayLike(collection);
        if (objectMode) {
          var it = getIteratee(predicate);
          list = keys(collection);
          fn = function (key) { return it(iterable[key], key, iterable); };
        }
        var index = findIndexFunc(list, fn, fromIndex);
        return index > -1 ? iterable[objectMode ? list[index] : index] : undefined;
      };
    }
    var find = makeFind(findIndex);
    var findLast = makeFind(findLastIndex);

    function strictIndexOf(array, value, fromIndex) {
      var index = fromIndex - 1, length = array.length;
      while (++index < length) if (array[index] === value) return index;
      return -1;
    }
    function isNaNValue(value) {
      return value !== value;
    }
    function baseIndexOf(array, value, fromIndex) {
      return value === value ? strictIndexOf(array, value, fromIndex) : baseFindIndex(array, isNaNValue, fromIndex);
    }
    function includes(collection, value, fromIndex, guard) {
      collection = isArrayLike(collection) ? collection : values(collection);
      fromIndex = (fromIndex && !guard) ? toInteger(fromIndex) : 0;
      var length = collection.length;
      if (fromIndex < 0) fromIndex = Math.max(length + fromIndex, 0);
      return isString(collection)
        ? (fromIndex <= length && collection.indexOf(value, fromIndex) > -1)
        : (!!length && baseIndexOf(collection, value, fromIndex) > -1);
    }

    function makeAggregator(setter, initializer) {
      return function (collection, fn) {
        var accumulator = initializer ? initializer() : {};
        fn = getIteratee(fn);
        baseEach(collection, function (value) {
          setter(accumulator, value, fn(value));
        });
        return accumulator;
      };
    }
    var groupBy = makeAggregator(function (result, value, key) {
      if (hasOwnProperty.call(result, key)) result[key].push(value);
      else baseAssignValue(result, key, [value]);
    });
    var countBy = makeAggregator(function (result, value, key) {
      if (hasOwnProperty.call(result, key)) ++result[key];
      else baseAssignValue(result, key, 1);
    });
    var keyBy = makeAggregator(function (result, value, key) {
      baseAssignValue(result, key, value);
    });
    var partition = makeAggregator(function (result, value, key) {
      result[key ? 0 : 1].push(value);
    }, function () { return [[], []]; });

    function baseOrderBy(collection, iteratees, orders) {
      if (iteratees.length) {
        iteratees = arrayMap(iteratees, function (it) {
          if (isArray(it)) {
            return function (value) { return baseGet(value, it.length === 1 ? it[0] : it); };
          }
          return it;
        });
      } else {
        iteratees = [identity];
      }
      iteratees = arrayMap(iteratees, function (it) { return getIteratee(it); });
      var index = -1;
      var records = map(collection, function (value) {
        return { criteria: arrayMap(iteratees, function (it) { return it(value); }), index: ++index, value: value };
      });
      records.sort(function (a, b) {
        for (var i = 0; i < a.criteria.length; i++) {
          var result = compareAscending(a.criteria[i], b.criteria[i]);
          if (result) {
            if (i >= orders.length) return result;
            return result * (orders[i] == 'desc' ? -1 : 1);
          }
        }
        return a.index - b.index;
      });
      return arrayMap(records, function (r) { return r.value; });
    }
    var sortBy = baseRest(function (collection, iteratees) {
      if (collection == null) return [];
      var length = iteratees.length;
      if (length > 1 && isIterateeCall(collection, iteratees[0], iteratees[1])) {
        iteratees = [];
      } else if (length > 2 && isIterateeCall(iteratees[0], iteratees[1], iteratees[2])) {
        iteratees = [iteratees[0]];
      }
      return baseOrderBy(collection, baseFlatten(iteratees, 1), []);
    });
    function orderBy(collection, iteratees, orders, guard) {
      if (collection == null) return [];
      if (!isArray(iteratees)) iteratees = iteratees == null ? [] : [iteratees];
      orders = guard ? undefined : orders;
      if (!isArray(orders)) orders = orders == null ? [] : [orders];
      return baseOrderBy(collection, iteratees, orders);
    }

    function flatMap(collection, fn) {
      return baseFlatten(map(collection, fn), 1);
    }
    function flatMapDeep(collection, fn) {
      return baseFlatten(map(collection, fn), INFINITY);
    }
    function flatMapDepth(collection, fn, depth) {
      depth = depth === undefined ? 1 : toInteger(depth);
      return baseFlatten(map(collection, fn), depth);
    }
    function baseInvoke(object, path, args) {
      path = castPath(path, object);
      object = parentOf(object, path);
      var func = object == null ? object : object[toKey(path[path.length - 1])];
      return func == null ? undefined : apply(func, object, args);
    }
    var invokeMap = baseRest(function (collection, path, args) {
      var index = -1, isFunc = typeof path == 'function';
      var result = isArrayLike(collection) ? Array(collection.length) : [];
      baseEach(collection, function (value) {
        result[++index] = isFunc ? apply(path, value, args) : baseInvoke(value, path, args);
      });
      return result;
    });
    var invoke = baseRest(baseInvoke);

    function baseRandom(lower, upper) {
      return lower + Math.floor(Math.random() * (upper - lower + 1));
    }
    function shuffleSelf(array, size) {
      var index = -1, length = array.length, lastIndex = length - 1;
      size = size === undefined ? length : size;
      while (++index < size) {
        var rand = baseRandom(index, lastIndex), value = array[rand];
        array[rand] = array[index];
        array[index] = value;
      }
      array.length = size;
      return array;
    }
    function sample(collection) {
      // Only true arrays are sampled by index; other array-likes go through values().
      var array = isArray(collection) ? collection : values(collection);
      var length = array.length;
      return length ? array[baseRandom(0, length - 1)] : undefined;
    }
    function sampleSize(collection, n, guard) {
      n = (guard ? isIterateeCall(collection, n, guard) : n === undefined) ? 1 : toInteger(n);
      var array = isArray(collection) ? copyArray(collection) : values(collection);
      return shuffleSelf(array, baseClamp(n, 0, array.length));
    }
    function shuffle(collection) {
      var array = isArray(collection) ? copyArray(collection) : values(collection);
      return shuffleSelf(array);
    }
    function size(collection) {
      if (collection == null) return 0;
      if (isArrayLike(collection)) return isString(collection) ? stringSize(collection) : collection.length;
      var tag = tagOf(collection);
      if (tag == '[object Map]' || tag == '[object Set]') return collection.size;
      return isPrototype(collection) ? ownKeysNoCtor(collection).length : Object.keys(Object(collection)).length;
    }

    /* ------------------------------------------------------------------ */
    /* Arrays                                                              */
    /* ------------------------------------------------------------------ */

    function includesWith(array, value, comparator) {
      for (var i = 0; i < array.length; i++) if (comparator(value, array[i])) return true;
      return false;
    }
    function includesSVZ(array, value) {
      return !!(array && array.length) && baseIndexOf(array, value, 0) > -1;
    }
    // Membership test used by the set-like functions; a `Set` gives SameValueZero
    // semantics directly, so large inputs stay linear.
    function makeMembership(list, comparator) {
      if (comparator) return function (v) { return includesWith(list, v, comparator); };
      if (list.length >= 200) {
        var set = new Set(list);
        return function (v) { return set.has(v); };
      }
      return function (v) { return includesSVZ(list, v); };
    }
    function baseDifference(array, vals, fn, comparator) {
      var result = [];
      if (!array.length) return result;
      if (fn) vals = arrayMap(vals, function (v) { return fn(v); });
      var has = makeMembership(vals, comparator);
      for (var i = 0; i < array.length; i++) {
        var value = array[i];
        var computed = fn == null ? value : fn(value);
        if (!comparator && value === 0) value = 0;
        if (!has(computed)) result.push(value);
      }
      return result;
    }
    function lastArg(array) {
      var length = array == null ? 0 : array.length;
      return length ? array[length - 1] : undefined;
    }
    var difference = baseRest(function (array, vals) {
      return isArrayLikeObject(array) ? baseDifference(array, baseFlatten(vals, 1, isArrayLikeObject, true)) : [];
    });
    var differenceBy = baseRest(function (array, vals) {
      var fn = lastArg(vals);
      if (isArrayLikeObject(fn)) fn = undefined;
      return isArrayLikeObject(array)
        ? baseDifference(array, baseFlatten(vals, 1, isArrayLikeObject, true), getIteratee(fn))
        : [];
    });
    var differenceWith = baseRest(function (array, vals) {
      var comparator = lastArg(vals);
      if (isArrayLikeObject(comparator)) comparator = undefined;
      return isArrayLikeObject(array)
        ? baseDifference(array, baseFlatten(vals, 1, isArrayLikeObject, true), undefined, comparator)
        : [];
    });
    var without = baseRest(function (array, vals) {
      return isArrayLikeObject(array) ? baseDifference(array, vals) : [];
    });

    function baseUniq(array, fn, comparator) {
      var result = [], seen = [];
      var set = (!comparator && array.length >= 200) ? new Set() : null;
      for (var i = 0; i < array.length; i++) {
        var value = array[i];
        var computed = fn ? fn(value) : value;
        if (!comparator && value === 0) value = 0;
        var dup;
        if (comparator) dup = includesWith(seen, computed, comparator);
        else if (set) dup = set.has(computed);
        else dup = includesSVZ(seen, computed);
        if (!dup) {
          if (set) set.add(computed);
          else seen.push(computed);
          result.push(value);
        }
      }
      return result;
    }
    function uniq(array) {
      return (array && array.length) ? baseUniq(array) : [];
    }
    function uniqBy(array, fn) {
      return (array && array.length) ? baseUniq(array, getIteratee(fn)) : [];
    }
    function uniqWith(array, comparator) {
      comparator = typeof comparator == 'function' ? comparator : undefined;
      return (array && array.length) ? baseUniq(array, undefined, comparator) : [];
    }
    function baseSortedUniq(array, fn) {
      var result = [], seen;
      for (var i = 0; i < array.length; i++) {
        var value = array[i], computed = fn ? fn(value) : value;
        if (!i || !eq(computed, seen)) {
          seen = computed;
          result.push(value === 0 ? 0 : value);
        }
      }
      return result;
    }
    function sortedUniq(array) {
      return (array && array.length) ? baseSortedUniq(array) : [];
    }
    function sortedUniqBy(array, fn) {
      return (array && array.length) ? baseSortedUniq(array, getIteratee(fn)) : [];
    }

    var union = baseRest(function (arrays) {
      return baseUniq(baseFlatten(arrays, 1, isArrayLikeObject, true));
    });
    var unionBy = baseRest(function (arrays) {
      var fn = lastArg(arrays);
      if (isArrayLikeObject(fn)) fn = undefined;
      return baseUniq(baseFlatten(arrays, 1, isArrayLikeObject, true), getIteratee(fn));
    });
    var unionWith = baseRest(function (arrays) {
      var comparator = lastArg(arrays);
      comparator = typeof comparator == 'function' ? comparator : undefined;
      return baseUniq(baseFlatten(arrays, 1, isArrayLikeObject, true), undefined, comparator);
    });

    function castArrayLikeObject(value) {
      return isArrayLikeObject(value) ? value : [];
    }
    function baseIntersection(arrays, fn, comparator) {
      var first = arrays[0], others = [], result = [], seen = [], i;
      for (i = 1; i < arrays.length; i++) {
        var other = arrays[i];
        if (fn) other = arrayMap(other, function (v) { return fn(v); });
        others.push(makeMembership(other, comparator));
      }
      outer:
      for (i = 0; i < first.length; i++) {
        var value = first[i];
        var computed = fn ? fn(value) : value;
        if (!comparator && value === 0) value = 0;
        if (comparator ? includesWith(seen, computed, comparator) : includesSVZ(seen, computed)) continue;
        for (var j = 0; j < others.length; j++) {
          if (!others[j](computed)) continue outer;
        }
        seen.push(computed);
        result.push(value);
      }
      return result;
    }
    var intersection = baseRest(function (arrays) {
      var mapped = arrayMap(arrays, castArrayLikeObject);
      return (mapped.length && mapped[0] === arrays[0]) ? baseIntersection(mapped) : [];
    });
    var intersectionBy = baseRest(function (arrays) {
      var fn = lastArg(arrays), mapped = arrayMap(arrays, castArrayLikeObject);
      if (fn === lastArg(mapped)) fn = undefined;
      else mapped.pop();
      return (mapped.length && mapped[0] === arrays[0]) ? baseIntersection(mapped, getIteratee(fn)) : [];
    });
    var intersectionWith = baseRest(function (arrays) {
      var comparator = lastArg(arrays), mapped = arrayMap(arrays, castArrayLikeObject);
      comparator = typeof comparator == 'function' ? comparator : undefined;
      if (comparator) mapped.pop();
      return (mapped.length && mapped[0] === arrays[0]) ? baseIntersection(mapped, undefined, comparator) : [];
    });

    function baseXor(arrays, fn, comparator) {
      var length = arrays.length;
      if (length < 2) return length ? baseUniq(arrays[0], fn, comparator) : [];
      var result = Array(length);
      for (var i = 0; i < length; i++) {
        var current = arrays[i];
        for (var j = 0; j < length; j++) {
          if (j != i) current = baseDifference(current, arrays[j], fn, comparator);
        }
        result[i] = current;
      }
      return baseUniq(baseFlatten(result, 1), fn, comparator);
    }
    var xor = baseRest(function (arrays) {
      return baseXor(arrays.filter(isArrayLikeObject));
    });
    var xorBy = baseRest(function (arrays) {
      var fn = lastArg(arrays);
      if (isArrayLikeObject(fn)) fn = undefined;
      return baseXor(arrays.filter(isArrayLikeObject), getIteratee(fn));
    });
    var xorWith = baseRest(function (arrays) {
      var comparator = lastArg(arrays);
      comparator = typeof comparator == 'function' ? comparator : undefined;
      return baseXor(arrays.filter(isArrayLikeObject), undefined, comparator);
    });

    function chunk(array, size, guard) {
      size = (guard ? isIterateeCall(array, size, guard) : size === undefined) ? 1 : Math.max(toInteger(size), 0);
      var length = array == null ? 0 : array.length;
      if (!length || size < 1) return [];
      // Sized up front like lodash, so a bogus non-numeric length throws alike.
      var result = Array(Math.ceil(length / size)), resIndex = 0;
      for (var index = 0; index < length; index += size) result[resIndex++] = baseSlice(array, index, index + size);
      return result;
    }
    function compact(array) {
      var result = [];
      var length = array == null ? 0 : array.length;
      for (var i = 0; i < length; i++) if (array[i]) result.push(array[i]);
      return result;
    }
    function concat() {
      var length = arguments.length;
      if (!length) return [];
      var args = Array(length - 1), array = arguments[0];
      for (var i = 1; i < length; i++) args[i - 1] = arguments[i];
      return arrayPush(isArray(array) ? copyArray(array) : [array], baseFlatten(args, 1));
    }
    function flatten(array) {
      return (array == null ? 0 : array.length) ? baseFlatten(array, 1) : [];
    }
    function flattenDeep(array) {
      return (array == null ? 0 : array.length) ? baseFlatten(array, INFINITY) : [];
    }
    function flattenDepth(array, depth) {
      if (!(array == null ? 0 : array.length)) return [];
      depth = depth === undefined ? 1 : toInteger(depth);
      return baseFlatten(array, depth);
    }
    function head(array) {
      return (array && array.length) ? array[0] : undefined;
    }
    function last(array) {
      var length = array == null ? 0 : array.length;
      return length ? array[length - 1] : undefined;
    }
    function initial(array) {
      var length = array == null ? 0 : array.length;
      return length ? baseSlice(array, 0, -1) : [];
    }
    function tail(array) {
      var length = array == null ? 0 : array.length;
      return length ? baseSlice(array, 1, length) : [];
    }
    function baseNth(array, n) {
      var length = array.length;
      if (!length) return undefined;
      n += n < 0 ? length : 0;
      return isIndex(n, length) ? array[n] : undefined;
    }
    function nth(array, n) {
      return (array && array.length) ? baseNth(array, toInteger(n)) : undefined;
    }
    function take(array, n, guard) {
      if (!(array && array.length)) return [];
      n = (guard || n === undefined) ? 1 : toInteger(n);
      return baseSlice(array, 0, n < 0 ? 0 : n);
    }
    function takeRight(array, n, guard) {
      var length = array == null ? 0 : array.length;
      if (!length) return [];
      n = (guard || n === undefined) ? 1 : toInteger(n);
      n = length - n;
      return baseSlice(array, n < 0 ? 0 : n, length);
    }
    function drop(array, n, guard) {
      var length = array == null ? 0 : array.length;
      if (!length) return [];
      n = (guard || n === undefined) ? 1 : toInteger(n);
      return baseSlice(array, n < 0 ? 0 : n, length);
    }
    function dropRight(array, n, guard) {
      var length = array == null ? 0 : array.length;
      if (!length) return [];
      n = (guard || n === undefined) ? 1 : toInteger(n);
      n = length - n;
      return baseSlice(array, 0, n < 0 ? 0 : n);
    }
    function baseWhile(array, predicate, isDrop, fromRight) {
      var length = array.length, index = fromRight ? length : -1;
      while ((fromRight ? index-- : ++index < length) && predicate(array[index], index, array)) { /* advance */ }
      return isDrop
        ? baseSlice(array, fromRight ? 0 : index, fromRight ? index + 1 : length)
        : baseSlice(array, fromRight ? index + 1 : 0, fromRight ? length : index);
    }
    function takeWhile(array, predicate) {
      return (array && array.length) ? baseWhile(array, getIteratee(predicate)) : [];
    }
    function takeRightWhile(array, predicate) {
      return (array && array.length) ? baseWhile(array, getIteratee(predicate), false, true) : [];
    }
    function dropWhile(array, predicate) {
      return (array && array.length) ? baseWhile(array, getIteratee(predicate), true) : [];
    }
    function dropRightWhile(array, predicate) {
      return (array && array.length) ? baseWhile(array, getIteratee(predicate), true, true) : [];
    }
    function fill(array, value, start, end) {
      var length = array == null ? 0 : array.length;
      if (!length) return [];
      if (start && typeof start != 'number' && isIterateeCall(array, value, start)) {
        start = 0;
        end = length;
      }
      start = toInteger(start);
      if (start < 0) start = -start > length ? 0 : (length + start);
      end = (end === undefined || end > length) ? length : toInteger(end);
      if (end < 0) end += length;
      end = start > end ? 0 : toLength(end);
      while (start < end) sloppySet(array, start++, value);
      return array;
    }
    function indexOf(array, value, fromIndex) {
      var length = array == null ? 0 : array.length;
      if (!length) return -1;
      var index = fromIndex == null ? 0 : toInteger(fromIndex);
      if (index < 0) index = Math.max(length + index, 0);
      return baseIndexOf(array, value, index);
    }
    function lastIndexOf(array, value, fromIndex) {
      var length = array == null ? 0 : array.length;
      if (!length) return -1;
      var index = length;
      if (fromIndex !== undefined) {
        index = toInteger(fromIndex);
        index = index < 0 ? Math.max(length + index, 0) : Math.min(index, length - 1);
      }
      if (value !== value) return baseFindIndex(array, isNaNValue, index, true);
      // Starts one past `index`, so with no fromIndex `undefined` matches array[length].
      for (var i = index; i >= 0; i--) if (array[i] === value) return i;
      return -1;
    }
    function join(array, separator) {
      return array == null ? '' : arrayProto.join.call(array, separator);
    }
    function reverse(array) {
      return array == null ? array : arrayProto.reverse.call(array);
    }
    function slice(array, start, end) {
      var length = array == null ? 0 : array.length;
      if (!length) return [];
      if (end && typeof end != 'number' && isIterateeCall(array, start, end)) {
        start = 0;
        end = length;
      } else {
        start = start == null ? 0 : toInteger(start);
        end = end === undefined ? length : toInteger(end);
      }
      return baseSlice(array, start, end);
    }

    function basePullAll(array, vals, fn, comparator) {
      var seen = array;
      if (array === vals) vals = copyArray(vals);
      if (fn) seen = arrayMap(array, function (v) { return fn(v); });
      for (var i = 0; i < vals.length; i++) {
        var computed = fn ? fn(vals[i]) : vals[i];
        var fromIndex = 0;
        while ((fromIndex = (comparator ? indexOfWith(seen, computed, fromIndex, comparator) : baseIndexOf(seen, computed, fromIndex))) > -1) {
          if (seen !== array) seen.splice(fromIndex, 1);
          array.splice(fromIndex, 1);
        }
      }
      return array;
    }
    function indexOfWith(array, value, fromIndex, comparator) {
      for (var i = fromIndex; i < array.length; i++) if (comparator(array[i], value)) return i;
      return -1;
    }
    function pullAll(array, vals) {
      return (array && array.length && vals && vals.length) ? basePullAll(array, vals) : array;
    }
    var pull = baseRest(pullAll);
    function pullAllBy(array, vals, fn) {
      return (array && array.length && vals && vals.length) ? basePullAll(array, vals, getIteratee(fn)) : array;
    }
    function pullAllWith(array, vals, comparator) {
      return (array && array.length && vals && vals.length) ? basePullAll(array, vals, undefined, comparator) : array;
    }
    function basePullAt(array, indexes) {
      var length = array ? indexes.length : 0, lastIndex = length - 1, previous;
      while (length--) {
        var index = indexes[length];
        if (length == lastIndex || index !== previous) {
          previous = index;
          if (isIndex(index)) array.splice(index, 1);
          else baseUnset(array, index);
        }
      }
      return array;
    }
    function baseAt(object, paths) {
      var length = paths.length, result = Array(length), skip = object == null;
      for (var i = 0; i < length; i++) result[i] = skip ? undefined : get(object, paths[i]);
      return result;
    }
    var pullAt = flatRest(function (array, indexes) {
      var length = array == null ? 0 : array.length;
      var result = baseAt(array, indexes);
      basePullAt(array, arrayMap(indexes, function (index) {
        return isIndex(index, length) ? +index : index;
      }).sort(compareAscending));
      return result;
    });
    function remove(array, predicate) {
      var result = [];
      if (!(array && array.length)) return result;
      predicate = getIteratee(predicate);
      var indexes = [];
      for (var i = 0; i < array.length; i++) {
        var value = array[i];
        if (predicate(value, i, array)) {
          result.push(value);
          indexes.push(i);
        }
      }
      basePullAt(array, indexes);
      return result;
    }

    function baseSortedIndex(array, value, retHighest) {
      var low = 0, high = array == null ? low : array.length;
      if (typeof value == 'number' && value === value && high <= HALF_MAX_ARRAY_LENGTH) {
        while (low < high) {
          var mid = (low + high) >>> 1, computed = array[mid];
          if (computed !== null && !isSymbol(computed) && (retHighest ? (computed <= value) : (computed < value))) low = mid + 1;
          else high = mid;
        }
        return high;
      }
      return baseSortedIndexBy(array, value, identity, retHighest);
    }
    function baseSortedIndexBy(array, value, fn, retHighest) {
      var low = 0, high = array == null ? 0 : array.length;
      if (high === 0) return 0;
      value = fn(value);
      var rv = sortRank(value);
      while (low < high) {
        var mid = Math.floor((low + high) / 2), computed = fn(array[mid]);
        var rc = sortRank(computed), setLow;
        if (rc !== rv) setLow = rc < rv;
        else if (rv === 0) setLow = retHighest ? (computed <= value) : (computed < value);
        else setLow = !!retHighest;
        if (setLow) low = mid + 1;
        else high = mid;
      }
      return Math.min(high, MAX_ARRAY_INDEX);
    }
    function sortedIndex(array, value) {
      return baseSortedIndex(array, value);
    }
    function sortedIndexBy(array, value, fn) {
      return baseSortedIndexBy(array, value, getIteratee(fn));
    }
    function sortedLastIndex(array, value) {
      return baseSortedIndex(array, value, true);
    }
    function sortedLastIndexBy(array, value, fn) {
      return baseSortedIndexBy(array, value, getIteratee(fn), true);
    }
    function sortedIndexOf(array, value) {
      var length = array == null ? 0 : array.length;
      if (length) {
        var index = baseSortedIndex(array, value);
        if (index < length && eq(array[index], value)) return index;
      }
      return -1;
    }
    function sortedLastIndexOf(array, value) {
      var length = array == null ? 0 : array.length;
      if (length) {
        var index = baseSortedIndex(array, value, true) - 1;
        if (eq(array[index], value)) return index;
      }
      return -1;
    }

    function unzip(array) {
      if (!(array && array.length)) return [];
      var length = 0, groups = [];
      for (var i = 0; i < array.length; i++) {
        var group = array[i];
        if (isArrayLikeObject(group)) {
          length = Math.max(group.length, length);
          groups.push(group);
        }
      }
      array = groups;
      return times(length, function (index) {
        return arrayMap(array, function (group) { return group == null ? undefined : group[index]; });
      });
    }
    var zip = baseRest(unzip);
    function unzipWith(array, fn) {
      if (!(array && array.length)) return [];
      var result = unzip(array);
      if (fn == null) return result;
      return arrayMap(result, function (group) { return apply(fn, undefined, group); });
    }
    var zipWith = baseRest(function (arrays) {
      var length = arrays.length, fn = length > 1 ? arrays[length - 1] : undefined;
      if (typeof fn == 'function') arrays.pop();
      else fn = undefined;
      return unzipWith(arrays, fn);
    });
    function fromPairs(pairs) {
      var result = {};
      var length = pairs == null ? 0 : pairs.length;
      for (var i = 0; i < length; i++) {
        var pair = pairs[i];
        result[pair[0]] = pair[1];
      }
      return result;
    }
    function zipObject(props, vals) {
      props = props || [];
      vals = vals || [];
      var result = {};
      for (var i = 0; i < props.length; i++) assignValue(result, props[i], i < vals.length ? vals[i] : undefined);
      return result;
    }
    function zipObjectDeep(props, vals) {
      props = props || [];
      vals = vals || [];
      var result = {};
      for (var i = 0; i < props.length; i++) baseSet(result, props[i], i < vals.length ? vals[i] : undefined);
      return result;
    }
    function castArray() {
      if (!arguments.length) return [];
      var value = arguments[0];
      return isArray(value) ? value : [value];
    }

    /* ------------------------------------------------------------------ */
    /* Objects                                                             */
    /* ------------------------------------------------------------------ */

    // Shared argument handling of assign/merge/defaults-style functions:
    // a trailing customizer (when the assigner takes one) and the guard that
    // lets them be used directly as `reduce` iteratees.
    function createAssigner(assigner) {
      return baseRest(function (object, sources) {
        var length = sources.length;
        var customizer = length > 1 ? sources[length - 1] : undefined;
        var guard = length > 2 ? sources[2] : undefined;
        if (assigner.length > 3 && typeof customizer == 'function') {
          length--;
        } else {
          customizer = undefined;
        }
        if (guard && isIterateeCall(sources[0], sources[1], guard)) {
          customizer = length < 3 ? undefined : customizer;
          length = 1;
        }
        object = Object(object);
        for (var i = 0; i < length; i++) {
          var source = sources[i];
          if (source) assigner(object, source, i, customizer);
        }
        return object;
      });
    }
    var assign = createAssigner(function (object, source) {
      if (isPrototype(source) || isArrayLike(source)) {
        copyObject(source, keys(source), object);
        return;
      }
      for (var key in source) {
        if (hasOwnProperty.call(source, key)) assignValue(object, key, source[key]);
      }
    });
    var assignIn = createAssigner(function (object, source) {
      copyObject(source, keysIn(source), object);
    });
    var assignWith = createAssigner(function (object, source, srcIndex, customizer) {
      copyObject(source, keys(source), object, customizer);
    });
    var assignInWith = createAssigner(function (object, source, srcIndex, customizer) {
      copyObject(source, keysIn(source), object, customizer);
    });
    var defaults = baseRest(function (object, sources) {
      object = Object(object);
      var length = sources.length;
      var guard = length > 2 ? sources[2] : undefined;
      if (guard && isIterateeCall(sources[0], sources[1], guard)) length = 1;
      for (var i = 0; i < length; i++) {
        var source = sources[i];
        var props = keysIn(source);
        for (var j = 0; j < props.length; j++) {
          var key = props[j];
          var value = object[key];
          if (value === undefined || (eq(value, objectProto[key]) && !hasOwnProperty.call(object, key))) {
            sloppySet(object, key, source[key]);
          }
        }
      }
      return object;
    });

    // Returns undefined instead of values that must never be merged through.
    function safeGet(object, key) {
      if (key === 'constructor' && typeof object[key] === 'function') return undefined;
      if (key == '__proto__') return undefined;
      return object[key];
    }
    function toPlainObject(value) {
      return copyObject(value, keysIn(value));
    }
    function baseMerge(object, source, srcIndex, customizer, stack) {
      if (object === source) return;
      baseFor(source, function (srcValue, key) {
        stack = stack || new Map();
        if (isObject(srcValue)) {
          baseMergeDeep(object, source, key, srcIndex, customizer, stack);
        } else {
          var newValue = customizer ? customizer(safeGet(object, key), srcValue, key + '', object, source, stack) : undefined;
          if (newValue === undefined) newValue = srcValue;
          assignMergeValue(object, key, newValue);
        }
      }, keysIn);
    }
    function baseMergeDeep(object, source, key, srcIndex, customizer, stack) {
      var objValue = safeGet(object, key), srcValue = safeGet(source, key);
      var stacked = stack.get(srcValue);
      if (stacked) {
        assignMergeValue(object, key, stacked);
        return;
      }
      var newValue = customizer ? customizer(objValue, srcValue, key + '', object, source, stack) : undefined;
      var isCommon = newValue === undefined;
      if (isCommon) {
        var isArr = isArray(srcValue), isTyped = !isArr && isTypedArray(srcValue);
        newValue = srcValue;
        if (isArr || isTyped) {
          if (isArray(objValue)) newValue = objValue;
          else if (isArrayLikeObject(objValue)) newValue = copyArray(objValue);
          else if (isTyped) {
            isCommon = false;
            newValue = initCloneByTag(srcValue, tagOf(srcValue), true);
          } else newValue = [];
        } else if (isPlainObject(srcValue) || isArguments(srcValue)) {
          newValue = objValue;
          if (isArguments(objValue)) newValue = toPlainObject(objValue);
          else if (!isObject(objValue) || isFunction(objValue)) newValue = initCloneObject(srcValue);
        } else {
          isCommon = false;
        }
      }
      if (isCommon) {
        stack.set(srcValue, newValue);
        baseMerge(newValue, srcValue, srcIndex, customizer, stack);
        stack['delete'](srcValue);
      }
      assignMergeValue(object, key, newValue);
    }
    var merge = createAssigner(function (object, source, srcIndex) {
      baseMerge(object, source, srcIndex);
    });
    var mergeWith = createAssigner(function (object, source, srcIndex, customizer) {
      baseMerge(object, source, srcIndex, customizer);
    });
    function defaultsDeepCustomizer(objValue, srcValue, key, object, source, stack) {
      if (isObject(objValue) && isObject(srcValue)) {
        stack.set(srcValue, objValue);
        baseMerge(objValue, srcValue, undefined, defaultsDeepCustomizer, stack);
        stack['delete'](srcValue);
      }
      return objValue;
    }
    var defaultsDeep = baseRest(function (args) {
      args.push(undefined, defaultsDeepCustomizer);
      return apply(mergeWith, undefined, args);
    });

    function basePickBy(object, paths, predicate) {
      var result = {};
      for (var i = 0; i < paths.length; i++) {
        var path = paths[i], value = baseGet(object, path);
        if (predicate(value, path)) baseSet(result, castPath(path, object), value);
      }
      return result;
    }
    var pick = flatRest(function (object, paths) {
      return object == null ? {} : basePickBy(object, paths, function (value, path) { return hasIn(object, path); });
    });
    function pickBy(object, predicate) {
      if (object == null) return {};
      var props = arrayMap(allKeysIn(object), function (prop) { return [prop]; });
      predicate = getIteratee(predicate);
      return basePickBy(object, props, function (value, path) { return predicate(value, path[0]); });
    }
    function omitCloneCustomizer(value) {
      return isPlainObject(value) ? undefined : value;
    }
    var omit = flatRest(function (object, paths) {
      var result = {};
      if (object == null) return result;
      var isDeep = false;
      paths = arrayMap(paths, function (path) {
        path = castPath(path, object);
        isDeep = isDeep || path.length > 1;
        return path;
      });
      copyObject(object, allKeysIn(object), result);
      if (isDeep) result = baseClone(result, CLONE_DEEP | CLONE_FLAT | CLONE_SYMBOLS, omitCloneCustomizer);
      for (var i = paths.length - 1; i >= 0; i--) baseUnset(result, paths[i]);
      return result;
    });
    function omitBy(object, predicate) {
      return pickBy(object, negate(getIteratee(predicate)));
    }

    function makeToPairs(keysFunc) {
      return function (object) {
        var tag = tagOf(object);
        var result = [];
        if (tag == '[object Map]') {
          object.forEach(function (v, k) { result.push([k, v]); });
          return result;
        }
        if (tag == '[object Set]') {
          object.forEach(function (v) { result.push([v, v]); });
          return result;
        }
        return arrayMap(keysFunc(object), function (key) { return [key, object[key]]; });
      };
    }
    var toPairs = makeToPairs(keys);
    var toPairsIn = makeToPairs(keysIn);

    function mapValues(object, fn) {
      var result = {};
      fn = getIteratee(fn);
      baseForOwn(object, function (value, key, obj) { baseAssignValue(result, key, fn(value, key, obj)); });
      return result;
    }
    function mapKeys(object, fn) {
      var result = {};
      fn = getIteratee(fn);
      baseForOwn(object, function (value, key, obj) { baseAssignValue(result, fn(value, key, obj), value); });
      return result;
    }
    function forOwn(object, fn) {
      return object && baseForOwn(object, castFunction(fn));
    }
    function forOwnRight(object, fn) {
      return object && baseForOwnRight(object, castFunction(fn));
    }
    function forIn(object, fn) {
      return object == null ? object : baseFor(object, castFunction(fn), keysIn);
    }
    function forInRight(object, fn) {
      return object == null ? object : baseForRight(object, castFunction(fn), keysIn);
    }
    function makeFindKey(eachFunc) {
      return function (object, predicate) {
        var result;
        predicate = getIteratee(predicate);
        eachFunc(object, function (value, key, obj) {
          if (predicate(value, key, obj)) {
            result = key;
            return false;
          }
        });
        return result;
      };
    }
    var findKey = makeFindKey(baseForOwn);
    var findLastKey = makeFindKey(baseForOwnRight);
    function functions(object) {
      return object == null ? [] : keys(object).filter(function (key) { return isFunction(object[key]); });
    }
    function functionsIn(object) {
      return object == null ? [] : keysIn(object).filter(function (key) { return isFunction(object[key]); });
    }
    function result(object, path, defaultValue) {
      path = castPath(path, object);
      var length = path.length;
      if (!length) {
        length = 1;
        object = undefined;
      }
      for (var i = 0; i < length; i++) {
        var value = object == null ? undefined : object[toKey(path[i])];
        if (value === undefined) {
          i = length;
          value = defaultValue;
        }
        object = isFunction(value) ? value.call(object) : value;
      }
      return object;
    }
    var at = flatRest(baseAt);
    // Stringifies values the way property keys would be, but without tripping
    // over objects whose `toString` is not callable.
    function invertKey(value) {
      if (value != null && typeof value.toString != 'function') return objectToString.call(value);
      return value;
    }
    function invert(object) {
      var result = {};
      baseForOwn(object, function (value, key) { result[invertKey(value)] = key; });
      return result;
    }
    function invertBy(object, fn) {
      var result = {};
      fn = getIteratee(fn);
      baseForOwn(object, function (value, key) {
        value = invertKey(fn(value));
        if (hasOwnProperty.call(result, value)) result[value].push(key);
        else result[value] = [key];
      });
      return result;
    }
    function transform(object, fn, accumulator) {
      var isArr = isArray(object), isArrLike = isArr || isTypedArray(object);
      fn = getIteratee(fn);
      if (accumulator == null) {
        var Ctor = object && object.constructor;
        if (isArrLike) accumulator = isArr ? new Ctor() : [];
        else if (isObject(object)) accumulator = isFunction(Ctor) ? baseCreate(getProto(object)) : {};
        else accumulator = {};
      }
      (isArrLike ? baseEach : baseForOwn)(object, function (value, index, obj) {
        return fn(accumulator, value, index, obj);
      });
      return accumulator;
    }
    function create(prototype, properties) {
      var obj = baseCreate(prototype);
      return properties == null ? obj : copyObject(properties, keys(properties), obj);
    }
    function conformsTo(object, source) {
      return source == null || baseConformsTo(object, source, keys(source));
    }
    function baseConformsTo(object, source, props) {
      var length = props.length;
      if (object == null) return !length;
      object = Object(object);
      while (length--) {
        var key = props[length], predicate = source[key], value = object[key];
        if ((value === undefined && !(key in object)) || !predicate(value)) return false;
      }
      return true;
    }
    function conforms(source) {
      source = baseClone(source, CLONE_DEEP);
      var props = keys(source);
      return function (object) { return baseConformsTo(object, source, props); };
    }

    /* ------------------------------------------------------------------ */
    /* Unicode-aware string helpers                                        */
    /* ------------------------------------------------------------------ */

    var uCombo = '\\u0300-\\u036f\\ufe20-\\ufe2f\\u20d0-\\u20ff';
    var uSurr = '\\ud800-\\udfff';
    var uVar = '\\ufe0e\\ufe0f';
    var uZWJ = '\\u200d';
    var reHasUnicode = new RegExp('[' + uZWJ + uSurr + uCombo + uVar + ']');
    var pFitz = '\\ud83c[\\udffb-\\udfff]';
    var pRegional = '(?:\\ud83c[\\udde6-\\uddff]){2}';
    var pPair = '[\\ud800-\\udbff][\\udc00-\\udfff]';
    var pCombo = '[' + uCombo + ']';
    var pMod = '(?:' + pCombo + '|' + pFitz + ')';
    // One user-perceived symbol: a base code point (or regional-indicator pair)
    // with its variation selector, modifier and any ZWJ-joined continuation.
    var pSeqTail = '[' + uVar + ']?' + pMod + '?' +
      '(?:' + uZWJ + '(?:[^' + uSurr + ']|' + pRegional + '|' + pPair + ')[' + uVar + ']?' + pMod + '?)*';
    var pSymbol = '(?:[^' + uSurr + ']' + pCombo + '?|' + pCombo + '|' + pRegional + '|' + pPair + '|[' + uSurr + '])';
    var reUnicodeSymbol = new RegExp(pFitz + '(?=' + pFitz + ')|' + pSymbol + pSeqTail, 'g');

    function hasUnicode(string) {
      return reHasUnicode.test(string);
    }
    function stringToArray(string) {
      return hasUnicode(string) ? (string.match(reUnicodeSymbol) || []) : string.split('');
    }
    function stringSize(string) {
      if (!hasUnicode(string)) return string.length;
      reUnicodeSymbol.lastIndex = 0;
      var count = 0;
      while (reUnicodeSymbol.test(string)) count++;
      return count;
    }

    // Word splitting. Simple ASCII input splits on punctuation/whitespace only;
    // anything with case changes, digits next to letters or non-ASCII
    // characters goes through the full rule set below.
    var reAsciiWord = /[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+/g;
    var reHasComplexWord = /[a-z][A-Z]|[A-Z]{2}[a-z]|[0-9][a-zA-Z]|[a-zA-Z][0-9]|[^a-zA-Z0-9 ]/;
    var reUnicodeWord = (function () {
      var upper = 'A-Z\\xc0-\\xd6\\xd8-\\xde';
      var lower = 'a-z\\xdf-\\xf6\\xf8-\\xff';
      var spaces = ' \\t\\x0b\\f\\xa0\\ufeff\\n\\r\\u2028\\u2029\\u1680\\u180e\\u2000\\u2001\\u2002\\u2003\\u2004\\u2005\\u2006\\u2007\\u2008\\u2009\\u200a\\u202f\\u205f\\u3000';
      var breaks = '\\xac\\xb1\\xd7\\xf7' + '\\x00-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\xbf' + '\\u2000-\\u206f' + spaces;
      var dingbats = '\\u2700-\\u27bf';
      var U = '[' + upper + ']', L = '[' + lower + ']', B = '[' + breaks + ']';
      var misc = '[^' + uSurr + breaks + '\\d' + dingbats + lower + upper + ']';
      var miscLower = '(?:' + L + '|' + misc + ')';
      var miscUpper = '(?:' + U + '|' + misc + ')';
      var contrLower = "(?:['\u2019](?:d|ll|m|re|s|t|ve))?";
      var contrUpper = "(?:['\u2019](?:D|LL|M|RE|S|T|VE))?";
      var emoji = '(?:[' + dingbats + ']|' + pRegional + '|' + pPair + ')' + pSeqTail;
      return new RegExp([
        U + '?' + L + '+' + contrLower + '(?=' + B + '|' + U + '|$)',
        miscUpper + '+' + contrUpper + '(?=' + B + '|' + U + miscLower + '|$)',
        U + '?' + miscLower + '+' + contrLower,
        U + '+' + contrUpper,
        '\\d*(?:1ST|2ND|3RD|(?![123])\\dTH)(?=\\b|[a-z_])',
        '\\d*(?:1st|2nd|3rd|(?![123])\\dth)(?=\\b|[A-Z_])',
        '\\d+',
        emoji
      ].join('|'), 'g');
    }());

    // reUnicodeWord restricted to ASCII input: its classes reduced to their ASCII members
    // (`misc` has none, emoji never match), the same alternatives in the same order. Matching
    // `first_name` with the full classes made `_.camelCase` cost ~7 µs a call.
    var reAsciiComplexWord = (function () {
      var B = '[\\x00-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]';
      var contrLower = "(?:['\u2019](?:d|ll|m|re|s|t|ve))?";
      var contrUpper = "(?:['\u2019](?:D|LL|M|RE|S|T|VE))?";
      return new RegExp([
        '[A-Z]?[a-z]+' + contrLower + '(?=' + B + '|[A-Z]|$)',
        '[A-Z]+' + contrUpper + '(?=' + B + '|[A-Z][a-z]|$)',
        '[A-Z]?[a-z]+' + contrLower,
        '[A-Z]+' + contrUpper,
        '\\d*(?:1ST|2ND|3RD|(?![123])\\dTH)(?=\\b|[a-z_])',
        '\\d*(?:1st|2nd|3rd|(?![123])\\dth)(?=\\b|[A-Z_])',
        '\\d+'
      ].join('|'), 'g');
    }());
    var reNonAscii = /[^\x00-\x7f]/;

    function words(string, pattern, guard) {
      string = toString(string);
      pattern = guard ? undefined : pattern;
      if (pattern === undefined) {
        if (!reHasComplexWord.test(string)) return string.match(reAsciiWord) || [];
        return string.match(reNonAscii.test(string) ? reUnicodeWord : reAsciiComplexWord) || [];
      }
      return string.match(pattern) || [];
    }

    var deburrTable = 'A,A,A,A,A,A,Ae,C,E,E,E,E,I,I,I,I,D,N,O,O,O,O,O,,O,U,U,U,U,Y,Th,ss,a,a,a,a,a,a,ae,c,e,e,e,e,i,i,i,i,d,n,o,o,o,o,o,,o,u,u,u,u,y,th,y,A,a,A,a,A,a,C,c,C,c,C,c,C,c,D,d,D,d,E,e,E,e,E,e,E,e,E,e,G,g,G,g,G,g,G,g,H,h,H,h,I,i,I,i,I,i,I,i,I,i,IJ,ij,J,j,K,k,k,L,l,L,l,L,l,L,l,L,l,N,n,N,n,N,n,\'n,N,n,O,o,O,o,O,o,Oe,oe,R,r,R,r,R,r,S,s,S,s,S,s,S,s,T,t,T,t,T,t,U,u,U,u,U,u,U,u,U,u,U,u,W,w,Y,y,Y,Z,z,Z,z,Z,z,s'.split(',');
    var reLatin = /[\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u017f]/g;
    var reComboMark = /[\u0300-\u036f\ufe20-\ufe2f\u20d0-\u20ff]/g;
    function deburr(string) {
      string = toString(string);
      if (!reNonAscii.test(string)) return string; // nothing to deburr, two replaces saved
      return string && string.replace(reLatin, function (ch) {
        return deburrTable[ch.charCodeAt(0) - 0xc0];
      }).replace(reComboMark, '');
    }

    function makeCaseFirst(method) {
      return function (string) {
        string = toString(string);
        var symbols = hasUnicode(string) ? stringToArray(string) : undefined;
        var chr = symbols ? symbols[0] : string.charAt(0);
        var trailing = symbols ? symbols.slice(1).join('') : string.slice(1);
        return (chr === undefined ? '' : chr[method]()) + trailing;
      };
    }
    var upperFirst = makeCaseFirst('toUpperCase');
    var lowerFirst = makeCaseFirst('toLowerCase');
    function capitalize(string) {
      return upperFirst(toString(string).toLowerCase());
    }
    var reApos = /['\u2019]/g;
    function makeCompounder(callback) {
      return function (string) {
        string = deburr(string);
        var list = words(string.indexOf("'") === -1 && string.indexOf('\u2019') === -1 ? string : string.replace(reApos, ''));
        var result = '';
        for (var i = 0; i < list.length; i++) result = callback(result, list[i], i);
        return result;
      };
    }
    var camelCase = makeCompounder(function (result, word, index) {
      word = word.toLowerCase();
      return result + (index ? capitalize(word) : word);
    });
    var kebabCase = makeCompounder(function (result, word, index) {
      return result + (index ? '-' : '') + word.toLowerCase();
    });
    var snakeCase = makeCompounder(function (result, word, index) {
      return result + (index ? '_' : '') + word.toLowerCase();
    });
    var lowerCase = makeCompounder(function (result, word, index) {
      return result + (index ? ' ' : '') + word.toLowerCase();
    });
    var upperCase = makeCompounder(function (result, word, index) {
      return result + (index ? ' ' : '') + word.toUpperCase();
    });
    var startCase = makeCompounder(function (result, word, index) {
      return result + (index ? ' ' : '') + upperFirst(word);
    });
    function toLower(value) {
      return toString(value).toLowerCase();
    }
    function toUpper(value) {
      return toString(value).toUpperCase();
    }

    var htmlEscapes = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
    var htmlUnescapes = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
    var reUnescapedHtml = /[&<>"']/g, reHasUnescapedHtml = /[&<>"']/;
    var reEscapedHtml = /&(?:amp|lt|gt|quot|#39);/g, reHasEscapedHtml = /&(?:amp|lt|gt|quot|#39);/;
    function escape(string) {
      string = toString(string);
      return (string && reHasUnescapedHtml.test(string))
        ? string.replace(reUnescapedHtml, function (ch) { return htmlEscapes[ch]; })
        : string;
    }
    function unescape(string) {
      string = toString(string);
      return (string && reHasEscapedHtml.test(string))
        ? string.replace(reEscapedHtml, function (ent) { return htmlUnescapes[ent]; })
        : string;
    }
    var reRegExpChar = /[\\^$.*+?()[\]{}|]/g, reHasRegExpChar = /[\\^$.*+?()[\]{}|]/;
    function escapeRegExp(string) {
      string = toString(string);
      return (string && reHasRegExpChar.test(string)) ? string.replace(reRegExpChar, '\\$&') : string;
    }

    function baseRepeat(string, n) {
      if (!string || n < 1 || n > MAX_SAFE_INTEGER) return '';
      return string.repeat(n);
    }
    function repeat(string, n, guard) {
      n = (guard ? isIterateeCall(string, n, guard) : n === undefined) ? 1 : toInteger(n);
      return baseRepeat(toString(string), n);
    }
    function createPadding(length, chars) {
      chars = chars === undefined ? ' ' : baseToString(chars);
      var charsLength = chars.length;
      if (charsLength < 2) return charsLength ? baseRepeat(chars, length) : chars;
      var result = baseRepeat(chars, Math.ceil(length / stringSize(chars)));
      return hasUnicode(chars) ? stringToArray(result).slice(0, length).join('') : result.slice(0, length);
    }
    function pad(string, length, chars) {
      string = toString(string);
      length = toInteger(length);
      var strLength = length ? stringSize(string) : 0;
      if (!length || strLength >= length) return string;
      var mid = (length - strLength) / 2;
      return createPadding(Math.floor(mid), chars) + string + createPadding(Math.ceil(mid), chars);
    }
    function padStart(string, length, chars) {
      string = toString(string);
      length = toInteger(length);
      var strLength = length ? stringSize(string) : 0;
      return (length && strLength < length) ? (createPadding(length - strLength, chars) + string) : string;
    }
    function padEnd(string, length, chars) {
      string = toString(string);
      length = toInteger(length);
      var strLength = length ? stringSize(string) : 0;
      return (length && strLength < length) ? (string + createPadding(length - strLength, chars)) : string;
    }
    function charsStartIndex(strSymbols, chrSymbols) {
      var index = -1, length = strSymbols.length;
      while (++index < length && baseIndexOf(chrSymbols, strSymbols[index], 0) > -1) { /* skip */ }
      return index;
    }
    function charsEndIndex(strSymbols, chrSymbols) {
      var index = strSymbols.length;
      while (index-- && baseIndexOf(chrSymbols, strSymbols[index], 0) > -1) { /* skip */ }
      return index;
    }
    function trim(string, chars, guard) {
      string = toString(string);
      if (string && (guard || chars === undefined)) return trimWhitespace(string);
      if (!string || !(chars = baseToString(chars))) return string;
      var strSymbols = stringToArray(string), chrSymbols = stringToArray(chars);
      return strSymbols.slice(charsStartIndex(strSymbols, chrSymbols), charsEndIndex(strSymbols, chrSymbols) + 1).join('');
    }
    function trimStart(string, chars, guard) {
      string = toString(string);
      if (string && (guard || chars === undefined)) return string.replace(reWhitespaceStart, '');
      if (!string || !(chars = baseToString(chars))) return string;
      var strSymbols = stringToArray(string);
      return strSymbols.slice(charsStartIndex(strSymbols, stringToArray(chars))).join('');
    }
    function trimEnd(string, chars, guard) {
      string = toString(string);
      if (string && (guard || chars === undefined)) {
        var end = string.length;
        while (end-- && /\s/.test(string.charAt(end))) { /* scan back */ }
        return string.slice(0, end + 1);
      }
      if (!string || !(chars = baseToString(chars))) return string;
      var strSymbols = stringToArray(string);
      return strSymbols.slice(0, charsEndIndex(strSymbols, stringToArray(chars)) + 1).join('');
    }
    function truncate(string, options) {
      var length = 30, omission = '...', separator;
      if (isObject(options)) {
        separator = 'separator' in options ? options.separator : separator;
        length = 'length' in options ? toInteger(options.length) : length;
        omission = 'omission' in options ? baseToString(options.omission) : omission;
      }
      string = toString(string);
      var strLength = string.length, strSymbols;
      if (hasUnicode(string)) {
        strSymbols = stringToArray(string);
        strLength = strSymbols.length;
      }
      if (length >= strLength) return string;
      var end = length - stringSize(omission);
      if (end < 1) return omission;
      var res = strSymbols ? strSymbols.slice(0, end).join('') : string.slice(0, end);
      if (separator === undefined) return res + omission;
      if (strSymbols) end += (res.length - end);
      if (isRegExp(separator)) {
        if (string.slice(end).search(separator)) {
          var match, newEnd, substring = res;
          if (!separator.global) separator = new RegExp(separator.source, toString(/\w*$/.exec(separator)) + 'g');
          separator.lastIndex = 0;
          while ((match = separator.exec(substring))) newEnd = match.index;
          res = res.slice(0, newEnd === undefined ? end : newEnd);
        }
      } else if (string.indexOf(baseToString(separator), end) != end) {
        var index = res.lastIndexOf(separator);
        if (index > -1) res = res.slice(0, index);
      }
      return res + omission;
    }
    function startsWith(string, target, position) {
      string = toString(string);
      position = position == null ? 0 : baseClamp(toInteger(position), 0, string.length);
      target = baseToString(target);
      return string.slice(position, position + target.length) == target;
    }
    function endsWith(string, target, position) {
      string = toString(string);
      target = baseToString(target);
      var length = string.length;
      position = position === undefined ? length : baseClamp(toInteger(position), 0, length);
      var end = position;
      position -= target.length;
      return position >= 0 && string.slice(position, end) == target;
    }
    function lodashParseInt(string, radix, guard) {
      if (guard || radix == null) radix = 0;
      else if (radix) radix = +radix;
      return parseInt(toString(string).replace(reWhitespaceStart, ''), radix || 0);
    }
    function replace() {
      var args = arguments, string = toString(args[0]);
      return args.length < 3 ? string : string.replace(args[1], args[2]);
    }
    function split(string, separator, limit) {
      if (limit && typeof limit != 'number' && isIterateeCall(string, separator, limit)) separator = limit = undefined;
      limit = limit === undefined ? MAX_ARRAY_LENGTH : limit >>> 0;
      if (!limit) return [];
      string = toString(string);
      if (string && (typeof separator == 'string' || (separator != null && !isRegExp(separator)))) {
        separator = baseToString(separator);
        if (!separator && hasUnicode(string)) return stringToArray(string).slice(0, limit);
      }
      return string.split(separator, limit);
    }

    /* ------------------------------------------------------------------ */
    /* Math                                                                */
    /* ------------------------------------------------------------------ */

    function makeMathOperation(operator, defaultValue) {
      return function (value, other) {
        var res;
        if (value === undefined && other === undefined) return defaultValue;
        if (value !== undefined) res = value;
        if (other !== undefined) {
          if (res === undefined) return other;
          if (typeof value == 'string' || typeof other == 'string') {
            value = baseToString(value);
            other = baseToString(other);
          } else {
            value = baseToNumber(value);
            other = baseToNumber(other);
          }
          res = operator(value, other);
        }
        return res;
      };
    }
    var add = makeMathOperation(function (a, b) { return a + b; }, 0);
    var subtract = makeMathOperation(function (a, b) { return a - b; }, 0);
    var multiply = makeMathOperation(function (a, b) { return a * b; }, 1);
    var divide = makeMathOperation(function (a, b) { return a / b; }, 1);
    // Precision rounding shifts the decimal point through the exponent text
    // rather than multiplying, which avoids binary floating point drift.
    function makeRound(method) {
      var func = Math[method];
      return function (number, precision) {
        number = toNumber(number);
        precision = precision == null ? 0 : Math.min(toInteger(precision), 292);
        if (precision && Number.isFinite(number)) {
          var pair = (toString(number) + 'e').split('e');
          var value = func(pair[0] + 'e' + (+pair[1] + precision));
          pair = (toString(value) + 'e').split('e');
          return +(pair[0] + 'e' + (+pair[1] - precision));
        }
        return func(number);
      };
    }
    var round = makeRound('round');
    var floor = makeRound('floor');
    var ceil = makeRound('ceil');
    function baseExtremum(array, fn, isGreater) {
      var result, computed;
      for (var i = 0; i < array.length; i++) {
        var value = array[i], current = fn(value);
        if (current != null && (computed === undefined
          ? (current === current && !isSymbol(current))
          : (isGreater ? current > computed : current < computed))) {
          computed = current;
          result = value;
        }
      }
      return result;
    }
    function max(array) {
      return (array && array.length) ? baseExtremum(array, identity, true) : undefined;
    }
    function maxBy(array, fn) {
      return (array && array.length) ? baseExtremum(array, getIteratee(fn), true) : undefined;
    }
    function min(array) {
      return (array && array.length) ? baseExtremum(array, identity, false) : undefined;
    }
    function minBy(array, fn) {
      return (array && array.length) ? baseExtremum(array, getIteratee(fn), false) : undefined;
    }
    function baseSum(array, fn) {
      var res;
      for (var i = 0; i < array.length; i++) {
        var current = fn(array[i]);
        if (current !== undefined) res = res === undefined ? current : (res + current);
      }
      return res;
    }
    function sum(array) {
      return (array && array.length) ? baseSum(array, identity) : 0;
    }
    function sumBy(array, fn) {
      return (array && array.length) ? baseSum(array, getIteratee(fn)) : 0;
    }
    function baseMean(array, fn) {
      var length = array == null ? 0 : array.length;
      return length ? (baseSum(array, fn) / length) : NaN;
    }
    function mean(array) {
      return baseMean(array, identity);
    }
    function meanBy(array, fn) {
      return baseMean(array, getIteratee(fn));
    }
    function clamp(number, lower, upper) {
      if (upper === undefined) {
        upper = lower;
        lower = undefined;
      }
      if (upper !== undefined) {
        upper = toNumber(upper);
        upper = upper === upper ? upper : 0;
      }
      if (lower !== undefined) {
        lower = toNumber(lower);
        lower = lower === lower ? lower : 0;
      }
      return baseClamp(toNumber(number), lower, upper);
    }
    function inRange(number, start, end) {
      start = toFinite(start);
      if (end === undefined) {
        end = start;
        start = 0;
      } else {
        end = toFinite(end);
      }
      number = toNumber(number);
      return number >= Math.min(start, end) && number < Math.max(start, end);
    }
    function random(lower, upper, floating) {
      if (floating && typeof floating != 'boolean' && isIterateeCall(lower, upper, floating)) upper = floating = undefined;
      if (floating === undefined) {
        if (typeof upper == 'boolean') {
          floating = upper;
          upper = undefined;
        } else if (typeof lower == 'boolean') {
          floating = lower;
          lower = undefined;
        }
      }
      if (lower === undefined && upper === undefined) {
        lower = 0;
        upper = 1;
      } else {
        lower = toFinite(lower);
        if (upper === undefined) {
          upper = lower;
          lower = 0;
        } else {
          upper = toFinite(upper);
        }
      }
      if (lower > upper) {
        var temp = lower;
        lower = upper;
        upper = temp;
      }
      if (floating || lower % 1 || upper % 1) {
        var rand = Math.random();
        return Math.min(lower + (rand * (upper - lower + parseFloat('1e-' + ((rand + '').length - 1)))), upper);
      }
      return baseRandom(lower, upper);
    }
    function makeRelational(op) {
      return function (value, other) {
        if (!(typeof value == 'string' && typeof other == 'string')) {
          value = toNumber(value);
          other = toNumber(other);
        }
        return op(value, other);
      };
    }
    var gt = makeRelational(function (a, b) { return a > b; });
    var gte = makeRelational(function (a, b) { return a >= b; });
    var lt = makeRelational(function (a, b) { return a < b; });
    var lte = makeRelational(function (a, b) { return a <= b; });

    /* ------------------------------------------------------------------ */
    /* Functions                                                           */
    /* ------------------------------------------------------------------ */

    function assertFunction(func) {
      if (typeof func != 'function') throw new TypeError(FUNC_ERROR_TEXT);
    }
    function after(n, func) {
      assertFunction(func);
      n = toInteger(n);
      return function () {
        if (--n < 1) return func.apply(this, arguments);
      };
    }
    function before(n, func) {
      var res;
      assertFunction(func);
      n = toInteger(n);
      return function () {
        if (--n > 0) res = func.apply(this, arguments);
        if (n <= 1) func = undefined;
        return res;
      };
    }
    function once(func) {
      return before(2, func);
    }
    function ary(func, n, guard) {
      n = guard ? undefined : n;
      n = (func && n == null) ? func.length : n;
      assertFunction(func);
      n = n === undefined ? undefined : Math.max(toInteger(n), 0);
      return function () {
        var args = arrayFrom(arguments);
        if (n !== undefined && n < args.length) args.length = n;
        return func.apply(this, args);
      };
    }
    function unary(func) {
      return ary(func, 1);
    }
    function flip(func) {
      assertFunction(func);
      return function () {
        return func.apply(this, arrayFrom(arguments).reverse());
      };
    }
    function rest(func, start) {
      assertFunction(func);
      start = start === undefined ? start : toInteger(start);
      return baseRest(func, start);
    }
    function spread(func, start) {
      assertFunction(func);
      start = start == null ? 0 : Math.max(toInteger(start), 0);
      return baseRest(function (args) {
        var array = args[start], otherArgs = args.slice(0, start);
        if (array) arrayPush(otherArgs, array);
        return func.apply(this, otherArgs);
      });
    }
    var rearg = flatRest(function (func, indexes) {
      assertFunction(func);
      return function () {
        var args = arrayFrom(arguments), old = args.slice();
        var length = Math.min(indexes.length, args.length);
        while (length--) {
          var index = indexes[length];
          args[length] = isIndex(index, old.length) ? old[index] : undefined;
        }
        return func.apply(this, args);
      };
    });
    var overArgs = baseRest(function (func, transforms) {
      transforms = (transforms.length == 1 && isArray(transforms[0]))
        ? transforms[0]
        : baseFlatten(transforms, 1);
      transforms = arrayMap(transforms, function (t) {
        var fn = getIteratee(t);
        return function (v) { return fn(v); };
      });
      var funcsLength = transforms.length;
      return function () {
        var args = arrayFrom(arguments), length = Math.min(args.length, funcsLength);
        for (var i = 0; i < length; i++) args[i] = transforms[i].call(this, args[i]);
        return func.apply(this, args);
      };
    });

    // Placeholder handling shared by partial/partialRight/bind/bindKey/curry.
    function fillLeft(partials, placeholder, args) {
      var result = [], argIndex = 0;
      for (var i = 0; i < partials.length; i++) {
        result.push(partials[i] === placeholder ? args[argIndex++] : partials[i]);
      }
      while (argIndex < args.length) result.push(args[argIndex++]);
      return result;
    }
    function fillRight(partials, placeholder, args) {
      var holders = 0, i;
      for (i = 0; i < partials.length; i++) if (partials[i] === placeholder) holders++;
      var lead = Math.max(args.length - holders, 0);
      var result = args.slice(0, lead), argIndex = lead;
      for (i = 0; i < partials.length; i++) {
        result.push(partials[i] === placeholder ? args[argIndex++] : partials[i]);
      }
      return result;
    }
    var partial = baseRest(function (func, partials) {
      var placeholder = partial.placeholder;
      return function () {
        var args = fillLeft(partials, placeholder, arrayFrom(arguments));
        if (new.target) return Reflect.construct(func, args);
        return func.apply(this, args);
      };
    });
    var partialRight = baseRest(function (func, partials) {
      var placeholder = partialRight.placeholder;
      return function () {
        return func.apply(this, fillRight(partials, placeholder, arrayFrom(arguments)));
      };
    });
    var bind = baseRest(function (func, thisArg, partials) {
      assertFunction(func);
      var placeholder = bind.placeholder;
      return function () {
        var args = fillLeft(partials, placeholder, arrayFrom(arguments));
        if (new.target) return Reflect.construct(func, args);
        return func.apply(thisArg, args);
      };
    });
    var bindKey = baseRest(function (object, key, partials) {
      var placeholder = bindKey.placeholder;
      return function () {
        return object[key].apply(object, fillLeft(partials, placeholder, arrayFrom(arguments)));
      };
    });
    var bindAll = flatRest(function (object, methodNames) {
      for (var i = 0; i < methodNames.length; i++) {
        var key = toKey(methodNames[i]);
        baseAssignValue(object, key, bind(object[key], object));
      }
      return object;
    });
    function makeCurry(fromRight) {
      function curryFn(func, arity, guard) {
        assertFunction(func);
        arity = guard ? undefined : arity;
        arity = arity == null ? func.length : Math.max(toInteger(arity), 0);
        var placeholder = curryFn.placeholder;
        function build(held) {
          var curried = function () {
            var args = arrayFrom(arguments);
            var combined = fromRight ? fillRight(held, placeholder, args) : fillLeft(held, placeholder, args);
            var filled = 0;
            for (var i = 0; i < combined.length; i++) if (combined[i] !== placeholder) filled++;
            if (filled < arity) return build(combined);
            return func.apply(this, combined);
          };
          curried.placeholder = placeholder;
          return curried;
        }
        return build([]);
      }
      return curryFn;
    }
    var curry = makeCurry(false);
    var curryRight = makeCurry(true);

    function MapCache() {
      this.__data__ = new Map();
    }
    MapCache.prototype.get = function (key) { return this.__data__.get(key); };
    MapCache.prototype.set = function (key, value) { this.__data__.set(key, value); return this; };
    MapCache.prototype.has = function (key) { return this.__data__.has(key); };
    MapCache.prototype['delete'] = function (key) { return this.__data__['delete'](key); };
    MapCache.prototype.clear = function () { this.__data__.clear(); };
    function memoize(func, resolver) {
      if (typeof func != 'function' || (resolver != null && typeof resolver != 'function')) {
        throw new TypeError(FUNC_ERROR_TEXT);
      }
      var memoized = function () {
        var args = arguments;
        var key = resolver ? resolver.apply(this, args) : args[0];
        var cache = memoized.cache;
        if (cache.has(key)) return cache.get(key);
        var res = func.apply(this, args);
        memoized.cache = cache.set(key, res) || cache;
        return res;
      };
      memoized.cache = new (memoize.Cache || MapCache)();
      return memoized;
    }
    var memoizeCache = internal.state(function () { return MapCache; });
    Object.defineProperty(memoize, 'Cache', { get: memoizeCache.get, set: memoizeCache.set, enumerable: true });

    function now() {
      return Date.now();
    }
    // Timers come from the host at call time: the engine may install them
    // after this module has been evaluated.
    function hostTimers() {
      var g = typeof globalThis != 'undefined' ? globalThis : {};
      if (typeof g.setTimeout != 'function') throw new Error('lodash: setTimeout is not available in this environment');
      return { set: g.setTimeout, clear: g.clearTimeout };
    }
    function debounce(func, wait, options) {
      var lastArgs, lastThis, maxWait, res, timerId, lastCallTime;
      var lastInvokeTime = 0, leading = false, maxing = false, trailing = true;
      assertFunction(func);
      wait = toNumber(wait) || 0;
      if (isObject(options)) {
        leading = !!options.leading;
        maxing = 'maxWait' in options;
        maxWait = maxing ? Math.max(toNumber(options.maxWait) || 0, wait) : maxWait;
        trailing = 'trailing' in options ? !!options.trailing : trailing;
      }
      function schedule(fn, ms) {
        return hostTimers().set.call(undefined, fn, ms);
      }
      function invoke(time) {
        var args = lastArgs, thisArg = lastThis;
        lastArgs = lastThis = undefined;
        lastInvokeTime = time;
        res = func.apply(thisArg, args);
        return res;
      }
      function startWindow(time) {
        lastInvokeTime = time;
        timerId = schedule(onTimer, wait);
        return leading ? invoke(time) : res;
      }
      function remaining(time) {
        var sinceCall = time - lastCallTime, sinceInvoke = time - lastInvokeTime, waitLeft = wait - sinceCall;
        return maxing ? Math.min(waitLeft, maxWait - sinceInvoke) : waitLeft;
      }
      function due(time) {
        var sinceCall = time - lastCallTime, sinceInvoke = time - lastInvokeTime;
        return lastCallTime === undefined || sinceCall >= wait || sinceCall < 0 || (maxing && sinceInvoke >= maxWait);
      }
      function onTimer() {
        var time = now();
        if (due(time)) return endWindow(time);
        timerId = schedule(onTimer, remaining(time));
      }
      function endWindow(time) {
        timerId = undefined;
        if (trailing && lastArgs) return invoke(time);
        lastArgs = lastThis = undefined;
        return res;
      }
      function cancel() {
        if (timerId !== undefined) hostTimers().clear.call(undefined, timerId);
        lastInvokeTime = 0;
        lastArgs = lastCallTime = lastThis = timerId = undefined;
      }
      function flush() {
        return timerId === undefined ? res : endWindow(now());
      }
      function debounced() {
        var time = now(), invoking = due(time);
        lastArgs = arguments;
        lastThis = this;
        lastCallTime = time;
        if (invoking) {
          if (timerId === undefined) return startWindow(lastCallTime);
          if (maxing) {
            hostTimers().clear.call(undefined, timerId);
            timerId = schedule(onTimer, wait);
            return invoke(lastCallTime);
          }
        }
        if (timerId === undefined) timerId = schedule(onTimer, wait);
        return res;
      }
      debounced.cancel = cancel;
      debounced.flush = flush;
      return debounced;
    }
    function throttle(func, wait, options) {
      var leading = true, trailing = true;
      assertFunction(func);
      if (isObject(options)) {
        leading = 'leading' in options ? !!options.leading : leading;
        trailing = 'trailing' in options ? !!options.trailing : trailing;
      }
      return debounce(func, wait, { leading: leading, maxWait: wait, trailing: trailing });
    }
    function baseDelay(func, wait, args) {
      assertFunction(func);
      return hostTimers().set.call(undefined, function () { func.apply(undefined, args); }, wait);
    }
    var defer = baseRest(function (func, args) {
      return baseDelay(func, 1, args);
    });
    var delay = baseRest(function (func, wait, args) {
      return baseDelay(func, toNumber(wait) || 0, args);
    });
    function wrap(value, wrapper) {
      return partial(castFunction(wrapper), value);
    }

    /* ------------------------------------------------------------------ */
    /* Utilities                                                           */
    /* ------------------------------------------------------------------ */

    var attempt = baseRest(function (func, args) {
      try {
        return apply(func, undefined, args);
      } catch (e) {
        return isError(e) ? e : new Error(e);
      }
    });
    function cond(pairs) {
      var length = pairs == null ? 0 : pairs.length;
      var toIteratee = getIteratee();
      pairs = !length ? [] : arrayMap(pairs, function (pair) {
        if (typeof pair[1] != 'function') throw new TypeError(FUNC_ERROR_TEXT);
        return [toIteratee(pair[0]), pair[1]];
      });
      return baseRest(function (args) {
        for (var i = 0; i < length; i++) {
          var pair = pairs[i];
          if (apply(pair[0], this, args)) return apply(pair[1], this, args);
        }
      });
    }
    function constant(value) {
      return function () { return value; };
    }
    function defaultTo(value, defaultValue) {
      return (value == null || value !== value) ? defaultValue : value;
    }
    function makeFlow(fromRight) {
      return flatRest(function (funcs) {
        var length = funcs.length;
        if (fromRight) funcs = funcs.slice().reverse();
        for (var i = 0; i < length; i++) assertFunction(funcs[i]);
        return function () {
          var args = arguments, index = 0;
          var res = length ? funcs[0].apply(this, args) : args[0];
          while (++index < length) res = funcs[index].call(this, res);
          return res;
        };
      });
    }
    var flow = makeFlow(false);
    var flowRight = makeFlow(true);
    var method = baseRest(function (path, args) {
      return function (object) { return baseInvoke(object, path, args); };
    });
    var methodOf = baseRest(function (object, args) {
      return function (path) { return baseInvoke(object, path, args); };
    });
    function noop() {}
    function nthArg(n) {
      n = toInteger(n);
      return baseRest(function (args) { return baseNth(args, n); });
    }
    function makeOver(combine) {
      return flatRest(function (iteratees) {
        iteratees = arrayMap(iteratees, function (it) { return getIteratee(it); });
        return baseRest(function (args) {
          var thisArg = this;
          return combine(iteratees, function (it) { return apply(it, thisArg, args); });
        });
      });
    }
    var over = makeOver(function (list, fn) { return arrayMap(list, fn); });
    var overEvery = makeOver(function (list, fn) {
      for (var i = 0; i < list.length; i++) if (!fn(list[i])) return false;
      return true;
    });
    var overSome = makeOver(function (list, fn) {
      for (var i = 0; i < list.length; i++) if (fn(list[i])) return true;
      return false;
    });
    function makeRange(fromRight) {
      return function (start, end, step) {
        if (step && typeof step != 'number' && isIterateeCall(start, end, step)) end = step = undefined;
        start = toFinite(start);
        if (end === undefined) {
          end = start;
          start = 0;
        } else {
          end = toFinite(end);
        }
        step = step === undefined ? (start < end ? 1 : -1) : toFinite(step);
        var length = Math.max(Math.ceil((end - start) / (step || 1)), 0), res = Array(length), index = -1;
        while (length--) {
          res[fromRight ? length : ++index] = start;
          start += step;
        }
        return res;
      };
    }
    var range = makeRange(false);
    var rangeRight = makeRange(true);
    function stubArray() { return []; }
    function stubFalse() { return false; }
    function stubObject() { return {}; }
    function stubString() { return ''; }
    function stubTrue() { return true; }
    function timesFn(n, fn) {
      n = toInteger(n);
      if (n < 1 || n > MAX_SAFE_INTEGER) return [];
      fn = castFunction(fn);
      var length = Math.min(n, MAX_ARRAY_LENGTH), res = times(length, fn);
      for (var index = MAX_ARRAY_LENGTH; index < n; index++) fn(index);
      return res;
    }
    // Per invocation (the module is shared by every instance of an element): internal.state.
    var idCounter = internal.state(function () { return 0; });
    function uniqueId(prefix) {
      var id = idCounter.get() + 1;
      idCounter.set(id);
      return toString(prefix) + id;
    }
    function toArray(value) {
      if (!value) return [];
      if (isArrayLike(value)) return isString(value) ? stringToArray(value) : copyArray(value);
      if (value[Symbol.iterator]) {
        var res = [], it = value[Symbol.iterator](), step;
        while (!(step = it.next()).done) res.push(step.value);
        return res;
      }
      return values(value);
    }
    function tap(value, interceptor) {
      interceptor(value);
      return value;
    }
    function thru(value, interceptor) {
      return interceptor(value);
    }

    /* ------------------------------------------------------------------ */
    /* Templates                                                           */
    /* ------------------------------------------------------------------ */

    var reNoMatch = /($^)/;
    var reEsTemplate = /\$\{([^\\}]*(?:\\.[^\\}]*)*)\}/g;
    var reInterpolateDefault = /<%=([\s\S]+?)%>/g;
    var stringEscapes = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\u2028': '\\u2028', '\u2029': '\\u2029' };
    // Hooks assign these (`_.templateSettings.interpolate = …`): each invocation gets its own.
    var templateSettings = internal.state(function () {
      return {
        escape: /<%-([\s\S]+?)%>/g,
        evaluate: /<%([\s\S]+?)%>/g,
        interpolate: reInterpolateDefault,
        variable: '',
        imports: { _: lodash }
      };
    });
    function defaultsAssignInCustomizer(objValue, srcValue, key, object) {
      if (objValue === undefined || (eq(objValue, objectProto[key]) && !hasOwnProperty.call(object, key))) return srcValue;
      return objValue;
    }
    function template(string, options, guard) {
      var settings = lodash.templateSettings;
      if (guard && isIterateeCall(string, options, guard)) options = undefined;
      string = toString(string);
      options = assignInWith({}, options, settings, defaultsAssignInCustomizer);
      var imports = assignInWith({}, options.imports, settings.imports, defaultsAssignInCustomizer);
      var importNames = keys(imports), importValues = importNames.map(function (k) { return imports[k]; });
      var interpolate = options.interpolate || reNoMatch;
      var delimiters = new RegExp(
        (options.escape || reNoMatch).source + '|' +
        interpolate.source + '|' +
        (interpolate === reInterpolateDefault ? reEsTemplate : reNoMatch).source + '|' +
        (options.evaluate || reNoMatch).source + '|$', 'g');
      var body = "__p += '", index = 0;
      string.replace(delimiters, function (match, escapeValue, interpolateValue, esValue, evaluateValue, offset) {
        interpolateValue = interpolateValue || esValue;
        body += string.slice(index, offset).replace(/[\\'\n\r\u2028\u2029]/g, function (ch) { return stringEscapes[ch]; });
        if (escapeValue) body += "' +\n__e(" + escapeValue + ") +\n'";
        if (evaluateValue) body += "';\n" + evaluateValue + ";\n__p += '";
        if (interpolateValue) body += "' +\n((__t = (" + interpolateValue + ")) == null ? '' : __t) +\n'";
        index = offset + match.length;
        return match;
      });
      body += "';\n";
      var variable = hasOwnProperty.call(options, 'variable') && options.variable;
      if (!variable) body = 'with (obj) {\n' + body + '\n}\n';
      else if (/[()=,{}\[\]\/\s]/.test(variable)) throw new Error('Invalid `variable` option passed into `_.template`');
      var source = 'function(' + (variable || 'obj') + ') {\n' +
        (variable ? '' : 'obj || (obj = {});\n') +
        "var __t, __p = '', __e = _.escape, __j = Array.prototype.join;\n" +
        "function print() { __p += __j.call(arguments, '') }\n" +
        body + 'return __p\n}';
      var compiled = attempt(function () {
        // `with` needs a sloppy-mode function, which Function() always creates.
        return Function(importNames, 'return ' + source).apply(undefined, importValues);
      });
      compiled.source = source;
      if (isError(compiled)) throw compiled;
      return compiled;
    }

    /* ------------------------------------------------------------------ */
    /* Chaining wrapper                                                    */
    /* ------------------------------------------------------------------ */

    // Actions are recorded and replayed by value(), so side effects (tap, push)
    // happen when the chain is resolved, as in lodash; there is no lazy fusion.
    function LodashWrapper(value, chainAll, actions) {
      this.__wrapped__ = value;
      this.__actions__ = actions || [];
      this.__chain__ = !!chainAll;
    }
    function lodash(value) {
      if (isObjectLike(value) && !isArray(value)) {
        if (value instanceof LodashWrapper) return value;
        if (hasOwnProperty.call(value, '__wrapped__')) {
          return new LodashWrapper(value.__wrapped__, value.__chain__, copyArray(value.__actions__ || []));
        }
      }
      return new LodashWrapper(value);
    }
    LodashWrapper.prototype = lodash.prototype;
    lodash.prototype.constructor = lodash;
    function wrapperValue() {
      var res = this.__wrapped__;
      for (var i = 0; i < this.__actions__.length; i++) {
        var action = this.__actions__[i];
        res = action.func.apply(action.thisArg, arrayPush([res], action.args));
      }
      return res;
    }
    function withAction(wrapper, func, args, chainAll) {
      var actions = copyArray(wrapper.__actions__);
      actions.push({ func: func, args: args, thisArg: undefined });
      return new LodashWrapper(wrapper.__wrapped__, chainAll, actions);
    }
    function chain(value) {
      var res = lodash(value);
      res.__chain__ = true;
      return res;
    }

    var proto = lodash.prototype;
    proto.value = proto.valueOf = proto.toJSON = wrapperValue;
    proto.toString = function () { return toString(this.value()); };
    ['pop', 'push', 'shift', 'sort', 'splice', 'unshift'].forEach(function (name) {
      var func = arrayProto[name];
      var returnsValue = name == 'pop' || name == 'shift';
      var mutatesOnly = name == 'push' || name == 'sort' || name == 'unshift';
      proto[name] = function () {
        var args = arrayFrom(arguments);
        var run = function (value) { return func.apply(isArray(value) ? value : [], args); };
        if (returnsValue && !this.__chain__) return run(this.value());
        return withAction(this, mutatesOnly ? function (value) { run(value); return value; } : run, [], this.__chain__);
      };
    });

    // Adds functions to `object` and, when it is the lodash function, to its
    // wrapper prototype. `chain: false` methods resolve the wrapper and return
    // a plain value unless the chain was started explicitly.
    function mixin(object, source, options) {
      var props = keys(source), names = functions(source);
      if (options == null && !(isObject(source) && (names.length || !props.length))) {
        options = source;
        source = object;
        object = this;
        names = functions(source);
      }
      var chainable = !(isObject(options) && 'chain' in options) || !!options.chain;
      var isFunc = isFunction(object);
      names.forEach(function (name) {
        var func = source[name];
        object[name] = func;
        if (isFunc) {
          object.prototype[name] = function () {
            var args = arrayFrom(arguments);
            if (chainable || this.__chain__) return withAction(this, func, args, this.__chain__);
            return func.apply(object, arrayPush([this.value()], args));
          };
        }
      });
      return object;
    }
    function noConflict() {
      return lodash;
    }

    /* ------------------------------------------------------------------ */
    /* Assembly                                                            */
    /* ------------------------------------------------------------------ */

    // Methods that return wrapped values when called on `_(value)`.
    var chainableMethods = {
      after: after, ary: ary, assign: assign, assignIn: assignIn, assignInWith: assignInWith,
      assignWith: assignWith, at: at, before: before, bind: bind, bindAll: bindAll, bindKey: bindKey,
      castArray: castArray, chain: chain, chunk: chunk, compact: compact, concat: concat, cond: cond,
      conforms: conforms, constant: constant, countBy: countBy, create: create, curry: curry,
      curryRight: curryRight, debounce: debounce, defaults: defaults, defaultsDeep: defaultsDeep,
      defer: defer, delay: delay, difference: difference, differenceBy: differenceBy,
      differenceWith: differenceWith, drop: drop, dropRight: dropRight, dropRightWhile: dropRightWhile,
      dropWhile: dropWhile, fill: fill, filter: filter, flatMap: flatMap, flatMapDeep: flatMapDeep,
      flatMapDepth: flatMapDepth, flatten: flatten, flattenDeep: flattenDeep, flattenDepth: flattenDepth,
      flip: flip, flow: flow, flowRight: flowRight, fromPairs: fromPairs, functions: functions,
      functionsIn: functionsIn, groupBy: groupBy, initial: initial, intersection: intersection,
      intersectionBy: intersectionBy, intersectionWith: intersectionWith, invert: invert,
      invertBy: invertBy, invokeMap: invokeMap, iteratee: iteratee, keyBy: keyBy, keys: keys,
      keysIn: keysIn, map: map, mapKeys: mapKeys, mapValues: mapValues, matches: matches,
      matchesProperty: matchesProperty, memoize: memoize, merge: merge, mergeWith: mergeWith,
      method: method, methodOf: methodOf, mixin: mixin, negate: negate, nthArg: nthArg, omit: omit,
      omitBy: omitBy, once: once, orderBy: orderBy, over: over, overArgs: overArgs,
      overEvery: overEvery, overSome: overSome, partial: partial, partialRight: partialRight,
      partition: partition, pick: pick, pickBy: pickBy, property: property, propertyOf: propertyOf,
      pull: pull, pullAll: pullAll, pullAllBy: pullAllBy, pullAllWith: pullAllWith, pullAt: pullAt,
      range: range, rangeRight: rangeRight, rearg: rearg, reject: reject, remove: remove, rest: rest,
      reverse: reverse, sampleSize: sampleSize, set: set, setWith: setWith, shuffle: shuffle,
      slice: slice, sortBy: sortBy, sortedUniq: sortedUniq, sortedUniqBy: sortedUniqBy, split: split,
      spread: spread, tail: tail, take: take, takeRight: takeRight, takeRightWhile: takeRightWhile,
      takeWhile: takeWhile, tap: tap, throttle: throttle, thru: thru, toArray: toArray,
      toPairs: toPairs, toPairsIn: toPairsIn, toPath: toPath, toPlainObject: toPlainObject,
      transform: transform, unary: unary, union: union, unionBy: unionBy, unionWith: unionWith,
      uniq: uniq, uniqBy: uniqBy, uniqWith: uniqWith, unset: unset, unzip: unzip, unzipWith: unzipWith,
      update: update, updateWith: updateWith, values: values, valuesIn: valuesIn, without: without,
      words: words, wrap: wrap, xor: xor, xorBy: xorBy, xorWith: xorWith, zip: zip,
      zipObject: zipObject, zipObjectDeep: zipObjectDeep, zipWith: zipWith,
      entries: toPairs, entriesIn: toPairsIn, extend: assignIn, extendWith: assignInWith
    };
    // Methods that return plain values unless the chain is explicit.
    var valueMethods = {
      add: add, attempt: attempt, camelCase: camelCase, capitalize: capitalize, ceil: ceil,
      clamp: clamp, clone: clone, cloneDeep: cloneDeep, cloneDeepWith: cloneDeepWith,
      cloneWith: cloneWith, conformsTo: conformsTo, deburr: deburr, defaultTo: defaultTo,
      divide: divide, endsWith: endsWith, eq: eq, escape: escape, escapeRegExp: escapeRegExp,
      every: every, find: find, findIndex: findIndex, findKey: findKey, findLast: findLast,
      findLastIndex: findLastIndex, findLastKey: findLastKey, floor: floor, forEach: forEach,
      forEachRight: forEachRight, forIn: forIn, forInRight: forInRight, forOwn: forOwn,
      forOwnRight: forOwnRight, get: get, gt: gt, gte: gte, has: has, hasIn: hasIn, head: head,
      identity: identity, includes: includes, indexOf: indexOf, inRange: inRange, invoke: invoke,
      isArguments: isArguments, isArray: isArray, isArrayBuffer: isArrayBuffer, isArrayLike: isArrayLike,
      isArrayLikeObject: isArrayLikeObject, isBoolean: isBoolean, isBuffer: isBuffer, isDate: isDate,
      isElement: isElement, isEmpty: isEmpty, isEqual: isEqual, isEqualWith: isEqualWith,
      isError: isError, isFinite: isFinite, isFunction: isFunction, isInteger: isInteger,
      isLength: isLength, isMap: isMap, isMatch: isMatch, isMatchWith: isMatchWith, isNaN: isNaN,
      isNative: isNative, isNil: isNil, isNull: isNull, isNumber: isNumber, isObject: isObject,
      isObjectLike: isObjectLike, isPlainObject: isPlainObject, isRegExp: isRegExp,
      isSafeInteger: isSafeInteger, isSet: isSet, isString: isString, isSymbol: isSymbol,
      isTypedArray: isTypedArray, isUndefined: isUndefined, isWeakMap: isWeakMap, isWeakSet: isWeakSet,
      join: join, kebabCase: kebabCase, last: last, lastIndexOf: lastIndexOf, lowerCase: lowerCase,
      lowerFirst: lowerFirst, lt: lt, lte: lte, max: max, maxBy: maxBy, mean: mean, meanBy: meanBy,
      min: min, minBy: minBy, stubArray: stubArray, stubFalse: stubFalse, stubObject: stubObject,
      stubString: stubString, stubTrue: stubTrue, multiply: multiply, nth: nth,
      noConflict: noConflict, noop: noop, now: now, pad: pad, padEnd: padEnd, padStart: padStart,
      parseInt: lodashParseInt, random: random, reduce: reduce, reduceRight: reduceRight,
      repeat: repeat, replace: replace, result: result, round: round, runInContext: runInContext,
      sample: sample, size: size, snakeCase: snakeCase, some: some, sortedIndex: sortedIndex,
      sortedIndexBy: sortedIndexBy, sortedIndexOf: sortedIndexOf, sortedLastIndex: sortedLastIndex,
      sortedLastIndexBy: sortedLastIndexBy, sortedLastIndexOf: sortedLastIndexOf,
      startCase: startCase, startsWith: startsWith, subtract: subtract, sum: sum, sumBy: sumBy,
      template: template, times: timesFn, toFinite: toFinite, toInteger: toInteger,
      toLength: toLength, toLower: toLower, toNumber: toNumber, toSafeInteger: toSafeInteger,
      toString: toString, toUpper: toUpper, trim: trim, trimEnd: trimEnd, trimStart: trimStart,
      truncate: truncate, unescape: unescape, uniqueId: uniqueId, upperCase: upperCase,
      upperFirst: upperFirst, each: forEach, eachRight: forEachRight, first: head
    };

    mixin(lodash, chainableMethods);
    mixin(lodash, valueMethods, { chain: false });
    // Wrapper-specific versions replace the generic ones mixin installed.
    proto.chain = function () { return chain(this); };
    proto.commit = function () { return new LodashWrapper(this.value(), this.__chain__); };
    proto.plant = function (value) {
      return new LodashWrapper(value, this.__chain__, copyArray(this.__actions__));
    };
    proto.tap = function (interceptor) {
      return withAction(this, tap, [interceptor], this.__chain__);
    };
    proto.thru = function (interceptor) {
      return withAction(this, thru, [interceptor], this.__chain__);
    };
    proto.reverse = function () {
      return withAction(this, reverse, [], this.__chain__);
    };
    proto.at = flatRest(function (paths) {
      return withAction(this, function (object) { return baseAt(object, paths); }, [], this.__chain__);
    });
    proto.next = function () {
      if (this.__values__ === undefined) this.__values__ = toArray(this.value());
      this.__index__ = this.__index__ || 0;
      var done = this.__index__ >= this.__values__.length;
      return { done: done, value: done ? undefined : this.__values__[this.__index__++] };
    };
    proto[Symbol.iterator] = function () { return this; };
    lodash.VERSION = VERSION;
    Object.defineProperty(lodash, 'templateSettings', { get: templateSettings.get, set: templateSettings.set, enumerable: true });
    bind.placeholder = bindKey.placeholder = curry.placeholder = curryRight.placeholder =
      partial.placeholder = partialRight.placeholder = lodash;
    return lodash;
  }

  return runInContext();
}());

// The CommonJS export of lodash refers to itself as `_._`.
_._ = _;

module.exports = _;
