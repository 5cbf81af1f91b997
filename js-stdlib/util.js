// Node's `util` module for hooks. `inspect` reproduces Node 20's layout rules
// (compact=3 line grouping, breakLength 80, numeric column grouping) as observed,
// because hook logs are compared against what the same script printed under Node.
'use strict';

const encoding = require('encoding');

const customInspectSymbol = Symbol.for('nodejs.util.inspect.custom');
const customPromisifySymbol = Symbol.for('nodejs.util.promisify.custom');

const objToString = (v) => Object.prototype.toString.call(v);
const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
const isEnumerable = (o, k) => Object.prototype.propertyIsEnumerable.call(o, k);

function withCode(err, code) {
  Object.defineProperty(err, 'code', { value: code, enumerable: true, writable: true, configurable: true });
  return err;
}

function received(value) {
  if (value === null || value === undefined) return ` Received ${value}`;
  if (typeof value === 'function') return ` Received function ${value.name}`;
  if (typeof value === 'object') {
    if (value.constructor && value.constructor.name) return ` Received an instance of ${value.constructor.name}`;
    return ` Received ${inspect(value, { depth: -1 })}`;
  }
  let shown = inspect(value, { colors: false });
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return ` Received type ${typeof value} (${shown})`;
}

function invalidArgType(name, expected, value) {
  const what = name.includes('.') ? `"${name}" property` : `"${name}" argument`;
  return withCode(new TypeError(`The ${what} must be ${expected}.${received(value)}`), 'ERR_INVALID_ARG_TYPE');
}

// ------------------------------------------------------------------ types

const TypedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayTag = Object.getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag).get;
const brand = (getter) => (v) => {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return false;
  try { getter(v); return true; } catch (e) { return false; }
};
const protoGetter = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get;

const mapSize = protoGetter(Map.prototype, 'size');
const setSize = protoGetter(Set.prototype, 'size');
const abByteLength = protoGetter(ArrayBuffer.prototype, 'byteLength');
const sabByteLength = typeof SharedArrayBuffer === 'function' ? protoGetter(SharedArrayBuffer.prototype, 'byteLength') : null;
const dvByteLength = protoGetter(DataView.prototype, 'byteLength');
const regexpSource = protoGetter(RegExp.prototype, 'source');

const isTypedArray = (v) => typedArrayTag.call(v) !== undefined;
const typedIs = (name) => (v) => typedArrayTag.call(v) === name;
const isRegExp = (v) => v !== RegExp.prototype && brand((x) => regexpSource.call(x))(v);
const isSharedArrayBuffer = sabByteLength ? brand((x) => sabByteLength.call(x)) : () => false;
const isArrayBuffer = brand((x) => abByteLength.call(x));
const isFnTag = (tags) => (v) => typeof v === 'function' && tags.includes(objToString(v));
const boxedCheck = (proto) => (v) => typeof v === 'object' && v !== null && brand((x) => proto.valueOf.call(x))(v);
const isNumberObject = boxedCheck(Number.prototype);
const isStringObject = boxedCheck(String.prototype);
const isBooleanObject = boxedCheck(Boolean.prototype);
const isBigIntObject = typeof BigInt === 'function' ? boxedCheck(BigInt.prototype) : () => false;
const isSymbolObject = boxedCheck(Symbol.prototype);

const types = {
  isDate: brand((x) => Date.prototype.getTime.call(x)),
  isRegExp,
  isMap: brand((x) => mapSize.call(x)),
  isSet: brand((x) => setSize.call(x)),
  isWeakMap: brand((x) => WeakMap.prototype.has.call(x, {})),
  isWeakSet: brand((x) => WeakSet.prototype.has.call(x, {})),
  // No side-effect-free brand check exists for promises in plain JS.
  isPromise: (v) => v instanceof Promise || (v !== null && typeof v === 'object' && objToString(v) === '[object Promise]'),
  isTypedArray,
  isUint8Array: typedIs('Uint8Array'),
  isUint8ClampedArray: typedIs('Uint8ClampedArray'),
  isUint16Array: typedIs('Uint16Array'),
  isUint32Array: typedIs('Uint32Array'),
  isInt8Array: typedIs('Int8Array'),
  isInt16Array: typedIs('Int16Array'),
  isInt32Array: typedIs('Int32Array'),
  isFloat32Array: typedIs('Float32Array'),
  isFloat64Array: typedIs('Float64Array'),
  isBigInt64Array: typedIs('BigInt64Array'),
  isBigUint64Array: typedIs('BigUint64Array'),
  isArrayBuffer,
  isSharedArrayBuffer,
  isAnyArrayBuffer: (v) => isArrayBuffer(v) || isSharedArrayBuffer(v),
  isArrayBufferView: (v) => ArrayBuffer.isView(v),
  isDataView: brand((x) => dvByteLength.call(x)),
  isNativeError: (v) => v !== null && typeof v === 'object' && objToString(v) === '[object Error]',
  isNumberObject,
  isStringObject,
  isBooleanObject,
  isBigIntObject,
  isSymbolObject,
  isBoxedPrimitive: (v) => isNumberObject(v) || isStringObject(v) || isBooleanObject(v) || isBigIntObject(v) || isSymbolObject(v),
  isGeneratorFunction: isFnTag(['[object GeneratorFunction]', '[object AsyncGeneratorFunction]']),
  isAsyncFunction: isFnTag(['[object AsyncFunction]', '[object AsyncGeneratorFunction]']),
  isGeneratorObject: (v) => v !== null && typeof v === 'object' && objToString(v) === '[object Generator]',
  isArgumentsObject: (v) => v !== null && typeof v === 'object' && objToString(v) === '[object Arguments]',
  isMapIterator: (v) => v !== null && typeof v === 'object' && objToString(v) === '[object Map Iterator]',
  isSetIterator: (v) => v !== null && typeof v === 'object' && objToString(v) === '[object Set Iterator]',
  isModuleNamespaceObject: (v) => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === null && v[Symbol.toStringTag] === 'Module',
  // Proxies and externals are invisible from plain JS.
  isProxy: () => false,
  isExternal: () => false,
  isKeyObject: () => false,
  isCryptoKey: () => false,
};

// ------------------------------------------------------------------ inspect

const inspectDefaults = {
  showHidden: false,
  depth: 2,
  colors: false,
  customInspect: true,
  showProxy: false,
  maxArrayLength: 100,
  maxStringLength: 10000,
  breakLength: 80,
  compact: 3,
  sorted: false,
  getters: false,
  numericSeparator: false,
};

const ARRAY_EXTRAS = 1;
const OBJECT_EXTRAS = 0;

const META = [];
for (let i = 0; i < 0x20; i++) META.push(`\\x${i.toString(16).toUpperCase().padStart(2, '0')}`);
META[8] = '\\b'; META[9] = '\\t'; META[10] = '\\n'; META[12] = '\\f'; META[13] = '\\r';

function quoteString(str) {
  let quote = "'";
  if (str.includes("'")) {
    if (!str.includes('"')) quote = '"';
    else if (!str.includes('`') && !str.includes('${')) quote = '`';
  }
  const q = quote.charCodeAt(0);
  let out = '';
  let last = 0;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    let rep;
    if (c < 0x20) rep = META[c];
    else if (c >= 0x7F && c <= 0x9F) rep = `\\x${c.toString(16).toUpperCase()}`;
    else if (c === q || c === 0x5C) rep = `\\${str[i]}`;
    else if (c >= 0xD800 && c <= 0xDFFF) {
      if (c <= 0xDBFF && i + 1 < str.length) {
        const d = str.charCodeAt(i + 1);
        if (d >= 0xDC00 && d <= 0xDFFF) { i++; continue; }
      }
      rep = `\\u${c.toString(16)}`;
    } else continue;
    out += str.slice(last, i) + rep;
    last = i + 1;
  }
  return quote + out + str.slice(last) + quote;
}

function formatNumber(n, separators) {
  if (Object.is(n, -0)) return '-0';
  const s = `${n}`;
  if (!separators || !Number.isFinite(n)) return s;
  const [int, frac] = s.split('.');
  const group = (digits) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, '_');
  if (int.includes('e')) return s;
  return frac === undefined ? group(int) : `${group(int)}.${frac.replace(/(\d{3})(?=\d)/g, '$1_')}`;
}

function formatBigInt(n, separators) {
  const s = `${n}`;
  return `${separators ? s.replace(/\B(?=(\d{3})+(?!\d))/g, '_') : s}n`;
}

function formatPrimitive(ctx, value) {
  switch (typeof value) {
    case 'string': {
      let trailer = '';
      let str = value;
      if (str.length > ctx.maxStringLength) {
        const remaining = str.length - ctx.maxStringLength;
        str = str.slice(0, ctx.maxStringLength);
        trailer = `... ${remaining} more character${remaining > 1 ? 's' : ''}`;
      }
      // Long multi-line strings are shown as one quoted piece per line, joined with '+'.
      if (ctx.compact !== true && str.length > 16 && str.length > ctx.breakLength - ctx.indentationLvl - 4) {
        const pieces = [];
        let start = 0;
        for (let i = 0; i < str.length; i++) {
          if (str.charCodeAt(i) === 10) { pieces.push(str.slice(start, i + 1)); start = i + 1; }
        }
        if (start < str.length) pieces.push(str.slice(start));
        return pieces.map(quoteString).join(` +\n${' '.repeat(ctx.indentationLvl + 2)}`) + trailer;
      }
      return quoteString(str) + trailer;
    }
    case 'number': return formatNumber(value, ctx.numericSeparator);
    case 'bigint': return formatBigInt(value, ctx.numericSeparator);
    case 'boolean': return `${value}`;
    case 'undefined': return 'undefined';
    default: return value.toString(); // symbol
  }
}

// The engine turns built-in prototypes' data properties into accessors (see the prelude), so
// an own `constructor` may be a getter: read it either way, without touching other getters.
function ownConstructor(o) {
  const d = Object.getOwnPropertyDescriptor(o, 'constructor');
  if (d === undefined) return undefined;
  if ('value' in d) return d.value;
  try { return d.get ? d.get.call(o) : undefined; } catch (e) { return undefined; }
}

function constructorNameOf(obj) {
  let cur = obj;
  let first;
  while (cur !== null && cur !== undefined) {
    const ctor = ownConstructor(cur);
    if (typeof ctor === 'function' && ctor.name !== '') {
      let ok = false;
      try { ok = obj instanceof ctor; } catch (e) { ok = false; }
      if (ok) return String(ctor.name);
    }
    cur = Object.getPrototypeOf(cur);
    if (first === undefined) first = cur;
  }
  if (first === null) return null;
  const inner = constructorNameOf(first);
  return `Object <${inner === null ? '[Object: null prototype] {}' : inner}>`;
}

function prefixFor(constructor, tag, fallback, size = '') {
  if (constructor === null) {
    if (tag !== '' && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
    return `[${fallback}${size}: null prototype] `;
  }
  if (tag !== '' && constructor !== tag) return `${constructor}${size} [${tag}] `;
  return `${constructor}${size} `;
}

function isIndexKey(key, length) {
  if (typeof key !== 'string' || key === '') return false;
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && String(n) === key && (length === undefined || n < 2 ** 32 - 1);
}

function ownKeys(value, showHidden, skipIndices) {
  let keys;
  const symbols = Object.getOwnPropertySymbols(value);
  if (showHidden) {
    keys = Object.getOwnPropertyNames(value).concat(symbols);
  } else {
    try { keys = Object.keys(value); } catch (e) { keys = []; }
    for (const s of symbols) if (isEnumerable(value, s)) keys.push(s);
  }
  if (skipIndices) keys = keys.filter((k) => !isIndexKey(k));
  return keys;
}

function functionBase(value, constructor, tag) {
  let source = '';
  try { source = Function.prototype.toString.call(value); } catch (e) { source = ''; }
  if (source.startsWith('class') && source.endsWith('}')) {
    let base = `[class ${hasOwn(value, 'name') && value.name ? value.name : '(anonymous)'}`;
    if (constructor !== 'Function' && constructor !== null) base += ` [${constructor}]`;
    if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
    if (constructor !== null) {
      const superName = Object.getPrototypeOf(value).name;
      if (superName) base += ` extends ${superName}`;
    } else base += ' extends [null prototype]';
    return `${base}]`;
  }
  let type = 'Function';
  if (types.isGeneratorFunction(value)) type = `Generator${type}`;
  if (types.isAsyncFunction(value)) type = `Async${type}`;
  let base = `[${type}`;
  if (constructor === null) base += ' (null prototype)';
  base += value.name === '' ? ' (anonymous)' : `: ${value.name}`;
  base += ']';
  if (constructor !== type && constructor !== null) base += ` ${constructor}`;
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
  return base;
}

function errorBase(err, constructor, tag, keys, ctx) {
  const name = err.name != null ? String(err.name) : 'Error';
  const message = err.message != null ? String(err.message) : '';
  const header = message ? `${name}: ${message}` : name;
  let stack = typeof err.stack === 'string' && err.stack !== '' ? err.stack : null;
  if (stack === null) {
    try { stack = Error.prototype.toString.call(err); } catch (e) { stack = header; }
  } else if (/^\s+at /.test(stack)) {
    // QuickJS stacks hold only the frames; V8's start with "Name: message".
    stack = `${header}\n${stack.replace(/\n+$/, '')}`;
  }
  // Name the subclass when `name` alone would hide it (class MyError extends Error).
  const len = name.length;
  if (constructor !== null && name.endsWith('Error') && stack.startsWith(name) &&
      (stack.length === len || stack[len] === ':' || stack[len] === '\n')) {
    const proto = prefixFor(constructor, tag, 'Error').slice(0, -1);
    if (name !== proto) stack = proto.includes(name) ? `${proto}${stack.slice(len)}` : `${proto} [${name}]${stack.slice(len)}`;
  }
  for (const k of ['name', 'message', 'stack']) {
    const i = keys.indexOf(k);
    if (i !== -1 && typeof err[k] === 'string' && stack.includes(err[k])) keys.splice(i, 1);
  }
  if ('cause' in err && !keys.includes('cause')) keys.push('cause');
  if (Array.isArray(err.errors) && !keys.includes('errors')) keys.push('errors');
  const at = stack.indexOf('\n    at');
  if (at === -1) stack = `[${stack}]`;
  if (ctx.indentationLvl !== 0) stack = stack.split('\n').join(`\n${' '.repeat(ctx.indentationLvl)}`);
  return stack;
}

function formatValue(ctx, value, recurseTimes, typedArray) {
  if (typeof value !== 'object' && typeof value !== 'function') return formatPrimitive(ctx, value);
  if (value === null) return 'null';

  if (ctx.customInspect) {
    let custom;
    try { custom = value[customInspectSymbol]; } catch (e) { custom = undefined; }
    let isProto = false;
    try { isProto = Boolean(value.constructor && value.constructor.prototype === value); } catch (e) { isProto = false; }
    if (typeof custom === 'function' && custom !== inspect && !isProto) {
      const depth = ctx.depth === null ? null : ctx.depth - recurseTimes;
      const opts = Object.assign({}, ctx.userOptions, { depth });
      const ret = custom.call(value, depth, opts, inspect);
      if (ret !== value) {
        if (typeof ret !== 'string') return formatValue(ctx, ret, recurseTimes);
        return ret.split('\n').join(`\n${' '.repeat(ctx.indentationLvl)}`);
      }
    }
  }

  if (ctx.seen.includes(value)) {
    let index = ctx.circular.get(value);
    if (index === undefined) {
      index = ctx.circular.size + 1;
      ctx.circular.set(value, index);
    }
    return `[Circular *${index}]`;
  }
  return formatRaw(ctx, value, recurseTimes, typedArray);
}

function formatRaw(ctx, value, recurseTimes, typedArray) {
  const constructor = constructorNameOf(value);
  let tag = '';
  try {
    const t = value[Symbol.toStringTag];
    if (typeof t === 'string' && t !== '' && !(ctx.showHidden ? hasOwn(value, Symbol.toStringTag) : isEnumerable(value, Symbol.toStringTag))) tag = t;
  } catch (e) { tag = ''; }

  let keys;
  let base = '';
  let formatter = () => [];
  let braces;
  let extras = OBJECT_EXTRAS;
  let noIterator = true;

  if (Array.isArray(value)) {
    keys = ownKeys(value, ctx.showHidden, true);
    const prefix = constructor !== 'Array' || tag !== '' ? prefixFor(constructor, tag, 'Array', `(${value.length})`) : '';
    braces = [`${prefix}[`, ']'];
    if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
    extras = ARRAY_EXTRAS;
    formatter = formatArray;
    noIterator = false;
  } else if (types.isSet(value)) {
    const size = setSize.call(value);
    const prefix = prefixFor(constructor, tag, 'Set', `(${size})`);
    keys = ownKeys(value, ctx.showHidden);
    formatter = formatSet;
    if (size === 0 && keys.length === 0) return `${prefix}{}`;
    braces = [`${prefix}{`, '}'];
    noIterator = false;
  } else if (types.isMap(value)) {
    const size = mapSize.call(value);
    const prefix = prefixFor(constructor, tag, 'Map', `(${size})`);
    keys = ownKeys(value, ctx.showHidden);
    formatter = formatMap;
    if (size === 0 && keys.length === 0) return `${prefix}{}`;
    braces = [`${prefix}{`, '}'];
    noIterator = false;
  } else if (isTypedArray(value)) {
    keys = ownKeys(value, ctx.showHidden, true);
    const fallback = typedArrayTag.call(value);
    const prefix = prefixFor(constructor, tag, fallback, `(${value.length})`);
    braces = [`${prefix}[`, ']'];
    if (value.length === 0 && keys.length === 0 && !ctx.showHidden) return `${braces[0]}]`;
    formatter = formatTypedArray;
    extras = ARRAY_EXTRAS;
    noIterator = false;
  }

  if (noIterator) {
    keys = ownKeys(value, ctx.showHidden);
    braces = ['{', '}'];
    if (constructor === 'Object') {
      if (types.isArgumentsObject(value)) {
        braces[0] = '[Arguments] {';
      } else if (tag !== '') {
        braces[0] = `${prefixFor(constructor, tag, 'Object')}{`;
      }
      if (keys.length === 0) return `${braces[0]}}`;
    } else if (typeof value === 'function') {
      base = functionBase(value, constructor, tag);
      if (keys.length === 0) return base;
    } else if (isRegExp(value)) {
      base = RegExp.prototype.toString.call(value);
      const prefix = prefixFor(constructor, tag, 'RegExp');
      if (prefix !== 'RegExp ') base = `${prefix}${base}`;
      if (keys.length === 0 || (recurseTimes > ctx.depth && ctx.depth !== null)) return base;
    } else if (types.isDate(value)) {
      const t = Date.prototype.getTime.call(value);
      base = Number.isNaN(t) ? 'Invalid Date' : Date.prototype.toISOString.call(value);
      const prefix = prefixFor(constructor, tag, 'Date');
      if (prefix !== 'Date ') base = `${prefix}${base}`;
      if (keys.length === 0) return base;
    } else if (types.isNativeError(value) || value instanceof Error) {
      base = errorBase(value, constructor, tag, keys, ctx);
      if (keys.length === 0) return base;
    } else if (types.isAnyArrayBuffer(value)) {
      const prefix = prefixFor(constructor, tag, isArrayBuffer(value) ? 'ArrayBuffer' : 'SharedArrayBuffer');
      if (typedArray === undefined) formatter = formatArrayBuffer;
      else if (keys.length === 0) return `${prefix}{ byteLength: ${formatNumber(value.byteLength, false)} }`;
      braces[0] = `${prefix}{`;
      keys.unshift('byteLength');
    } else if (types.isDataView(value)) {
      braces[0] = `${prefixFor(constructor, tag, 'DataView')}{`;
      keys.unshift('byteLength', 'byteOffset', 'buffer');
    } else if (types.isPromise(value)) {
      braces[0] = `${prefixFor(constructor, tag, 'Promise')}{`;
      formatter = () => ['<unknown>'];
    } else if (types.isWeakSet(value)) {
      braces[0] = `${prefixFor(constructor, tag, 'WeakSet')}{`;
      formatter = () => ['<items unknown>'];
    } else if (types.isWeakMap(value)) {
      braces[0] = `${prefixFor(constructor, tag, 'WeakMap')}{`;
      formatter = () => ['<items unknown>'];
    } else if (types.isBoxedPrimitive(value)) {
      let type;
      let prim;
      if (isNumberObject(value)) { type = 'Number'; prim = Number.prototype.valueOf.call(value); } else if (isStringObject(value)) {
        type = 'String'; prim = String.prototype.valueOf.call(value);
        keys = keys.filter((k) => !isIndexKey(k));
      } else if (isBooleanObject(value)) { type = 'Boolean'; prim = Boolean.prototype.valueOf.call(value); } else if (isBigIntObject(value)) { type = 'BigInt'; prim = BigInt.prototype.valueOf.call(value); } else { type = 'Symbol'; prim = Symbol.prototype.valueOf.call(value); }
      base = `[${type}`;
      if (type !== constructor) base += constructor === null ? ' (null prototype)' : ` (${constructor})`;
      base += `: ${formatPrimitive(Object.assign({}, ctx, { compact: true }), prim)}]`;
      if (tag !== '' && tag !== constructor) base += ` [${tag}]`;
      if (keys.length === 0) return base;
    } else {
      if (keys.length === 0) return `${prefixFor(constructor, tag, 'Object')}{}`;
      braces[0] = `${prefixFor(constructor, tag, 'Object')}{`;
    }
  }

  if (ctx.depth !== null && recurseTimes > ctx.depth) {
    const name = prefixFor(constructor, tag, 'Object').slice(0, -1);
    return constructor !== null ? `[${name}]` : name;
  }
  recurseTimes += 1;
  ctx.seen.push(value);
  ctx.currentDepth = recurseTimes;
  let output;
  try {
    output = formatter(ctx, value, recurseTimes);
    for (const key of keys) output.push(formatProperty(ctx, value, recurseTimes, key, OBJECT_EXTRAS));
  } finally {
    ctx.seen.pop();
  }
  const ref = ctx.circular.get(value);
  if (ref !== undefined) {
    const reference = `<ref *${ref}>`;
    if (ctx.compact !== true) base = base === '' ? reference : `${reference} ${base}`;
    else braces[0] = `${reference} ${braces[0]}`;
  }
  if (ctx.sorted) {
    const cmp = ctx.sorted === true ? undefined : ctx.sorted;
    if (extras === OBJECT_EXTRAS) output.sort(cmp);
    else if (keys.length > 1) {
      const sortedKeys = output.slice(output.length - keys.length).sort(cmp);
      output.splice(output.length - keys.length, keys.length, ...sortedKeys);
    }
  }
  return layout(ctx, output, base, braces, extras, recurseTimes, value);
}

function formatArray(ctx, value, recurseTimes) {
  const length = value.length;
  const max = Math.min(Math.max(0, ctx.maxArrayLength), length);
  const output = [];
  let index = 0;
  // Sparse arrays: walk the present index keys so huge holes stay cheap.
  const dense = (() => { for (let i = 0; i < Math.min(length, max); i++) if (!hasOwn(value, i)) return false; return true; })();
  if (dense) {
    for (; index < max; index++) output.push(formatProperty(ctx, value, recurseTimes, index, ARRAY_EXTRAS));
  } else {
    const present = Object.keys(value).filter((k) => isIndexKey(k)).map(Number).sort((a, b) => a - b);
    let p = 0;
    while (output.length < max && index < length) {
      const next = p < present.length ? present[p] : length;
      if (next > index) {
        const holes = next - index;
        output.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
        index = next;
        continue;
      }
      output.push(formatProperty(ctx, value, recurseTimes, String(index), ARRAY_EXTRAS));
      index++;
      p++;
    }
  }
  const remaining = length - index;
  if (remaining > 0) output.push(`... ${remaining} more item${remaining > 1 ? 's' : ''}`);
  return output;
}

function formatTypedArray(ctx, value) {
  const length = value.length;
  const max = Math.min(Math.max(0, ctx.maxArrayLength), length);
  const output = new Array(max);
  const big = typeof value[0] === 'bigint';
  for (let i = 0; i < max; i++) output[i] = big ? formatBigInt(value[i], ctx.numericSeparator) : formatNumber(value[i], ctx.numericSeparator);
  if (length > max) output.push(`... ${length - max} more item${length - max > 1 ? 's' : ''}`);
  if (ctx.showHidden) {
    ctx.indentationLvl += 2;
    for (const key of ['BYTES_PER_ELEMENT', 'length', 'byteLength', 'byteOffset', 'buffer']) {
      output.push(`[${key}]: ${formatValue(ctx, value[key], ctx.currentDepth, true)}`);
    }
    ctx.indentationLvl -= 2;
  }
  return output;
}

function formatArrayBuffer(ctx, value) {
  const bytes = new Uint8Array(value);
  const shown = Math.min(ctx.maxArrayLength, bytes.length);
  const parts = [];
  for (let i = 0; i < shown; i++) parts.push(bytes[i].toString(16).padStart(2, '0'));
  let str = parts.join(' ');
  const remaining = bytes.length - shown;
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  return [`[Uint8Contents]: <${str}>`];
}

function formatSet(ctx, value, recurseTimes) {
  const size = setSize.call(value);
  const max = Math.min(Math.max(0, ctx.maxArrayLength), size);
  const output = [];
  ctx.indentationLvl += 2;
  let i = 0;
  for (const v of value) {
    if (i++ >= max) break;
    output.push(formatValue(ctx, v, recurseTimes));
  }
  ctx.indentationLvl -= 2;
  if (size > max) output.push(`... ${size - max} more item${size - max > 1 ? 's' : ''}`);
  return output;
}

function formatMap(ctx, value, recurseTimes) {
  const size = mapSize.call(value);
  const max = Math.min(Math.max(0, ctx.maxArrayLength), size);
  const output = [];
  ctx.indentationLvl += 2;
  let i = 0;
  for (const [k, v] of value) {
    if (i++ >= max) break;
    output.push(`${formatValue(ctx, k, recurseTimes)} => ${formatValue(ctx, v, recurseTimes)}`);
  }
  ctx.indentationLvl -= 2;
  if (size > max) output.push(`... ${size - max} more item${size - max > 1 ? 's' : ''}`);
  return output;
}

const IDENTIFIER = /^[a-zA-Z_][a-zA-Z_0-9]*$/;

function formatProperty(ctx, value, recurseTimes, key, extras) {
  let desc = Object.getOwnPropertyDescriptor(value, key);
  if (desc === undefined) desc = { value: value[key], enumerable: true };
  let str;
  if (desc.value !== undefined) {
    ctx.indentationLvl += 2;
    str = formatValue(ctx, desc.value, recurseTimes);
    ctx.indentationLvl -= 2;
  } else if (desc.get !== undefined) {
    const label = desc.set !== undefined ? 'Getter/Setter' : 'Getter';
    if (ctx.getters && (ctx.getters === true || (ctx.getters === 'get' && desc.set === undefined) || (ctx.getters === 'set' && desc.set !== undefined))) {
      try {
        const v = desc.get.call(value);
        ctx.indentationLvl += 2;
        str = v === null || typeof v !== 'object' ? `[${label}: ${formatPrimitive(ctx, v)}]` : `[${label}] ${formatValue(ctx, v, recurseTimes)}`;
        ctx.indentationLvl -= 2;
      } catch (err) {
        str = `[${label}: <Inspection threw (${err && err.message})>]`;
      }
    } else str = `[${label}]`;
  } else if (desc.set !== undefined) str = '[Setter]';
  else str = 'undefined';
  if (extras === ARRAY_EXTRAS) return str;
  let name;
  if (typeof key === 'symbol') name = `[${key.toString()}]`;
  else if (key === '__proto__') name = "['__proto__']";
  else if (desc.enumerable === false) name = `[${IDENTIFIER.test(key) ? key : quoteString(key)}]`;
  else if (IDENTIFIER.test(key)) name = key;
  else name = quoteString(key);
  return `${name}: ${str}`;
}

// Terminal column width, as Node computes it with ICU: controls, format chars,
// non-spacing/enclosing marks and emoji modifiers take no column; East Asian
// Wide/Fullwidth characters and emoji-presentation characters take two.
const ZERO_WIDTH = /[\p{Cc}\p{Cf}\p{Me}\p{Mn}\p{Emoji_Modifier}]/u;
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}/u;
// East_Asian_Width W/F ranges (JS regexps cannot query that property).
const WIDE_RANGES = [
  0x1100, 0x115F, 0x2329, 0x232A, 0x2E80, 0x2E99, 0x2E9B, 0x2EF3, 0x2F00, 0x2FD5, 0x2FF0, 0x2FFF, 0x3000, 0x303E,
  0x3041, 0x3096, 0x3099, 0x30FF, 0x3105, 0x312F, 0x3131, 0x318E, 0x3190, 0x31E3, 0x31EF, 0x321E, 0x3220, 0x3247,
  0x3250, 0x4DBF, 0x4E00, 0xA48C, 0xA490, 0xA4C6, 0xA960, 0xA97C, 0xAC00, 0xD7A3, 0xF900, 0xFAFF, 0xFE10, 0xFE19,
  0xFE30, 0xFE52, 0xFE54, 0xFE66, 0xFE68, 0xFE6B, 0xFF01, 0xFF60, 0xFFE0, 0xFFE6, 0x16FE0, 0x16FE4, 0x16FF0, 0x16FF1,
  0x17000, 0x187F7, 0x18800, 0x18CD5, 0x18D00, 0x18D08, 0x1AFF0, 0x1AFFE, 0x1B000, 0x1B122, 0x1B132, 0x1B132,
  0x1B150, 0x1B152, 0x1B155, 0x1B155, 0x1B164, 0x1B167, 0x1B170, 0x1B2FB, 0x1F200, 0x1F202, 0x1F210, 0x1F23B,
  0x1F240, 0x1F248, 0x1F250, 0x1F251, 0x1F260, 0x1F265, 0x1F300, 0x1F64F, 0x1F900, 0x1F9FF, 0x20000, 0x2FFFD,
  0x30000, 0x3FFFD,
];

function isWide(cp) {
  if (cp < 0x1100) return false;
  for (let i = 0; i < WIDE_RANGES.length; i += 2) {
    if (cp < WIDE_RANGES[i]) return false;
    if (cp <= WIDE_RANGES[i + 1]) return true;
  }
  return false;
}

function stringWidth(str) {
  let width = 0;
  let i = 0;
  for (; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c >= 127) break;
    if (c >= 32) width++;
  }
  if (i === str.length) return width;
  for (const ch of str.slice(i).normalize('NFC')) {
    const cp = ch.codePointAt(0);
    if (ZERO_WIDTH.test(ch)) continue;
    width += isWide(cp) || EMOJI_PRESENTATION.test(ch) ? 2 : 1;
  }
  return width;
}

// Numeric-looking short entries of long arrays are laid out in aligned columns.
function groupColumns(ctx, output, value) {
  let total = 0;
  let maxLen = 0;
  let count = output.length;
  if (ctx.maxArrayLength < output.length) count--; // leave "... more items" out of the grid
  const SEP = 2;
  const lens = new Array(count);
  for (let i = 0; i < count; i++) {
    const len = stringWidth(output[i]);
    lens[i] = len;
    total += len + SEP;
    if (maxLen < len) maxLen = len;
  }
  const cell = maxLen + SEP;
  if (!(cell * 3 + ctx.indentationLvl < ctx.breakLength && (total / cell > 5 || maxLen <= 6))) return output;
  const bias = Math.sqrt(cell - total / output.length);
  const biasedMax = Math.max(cell - 3 - bias, 1);
  const columns = Math.min(
    Math.round(Math.sqrt(2.5 * biasedMax * count) / biasedMax),
    Math.floor((ctx.breakLength - ctx.indentationLvl) / cell),
    ctx.compact * 4,
    15,
  );
  if (columns <= 1) return output;
  const widths = [];
  for (let c = 0; c < columns; c++) {
    let w = 0;
    for (let j = c; j < output.length; j += columns) if (lens[j] > w) w = lens[j];
    widths.push(w + SEP);
  }
  let alignRight = value !== undefined;
  if (alignRight) {
    for (let i = 0; i < output.length; i++) {
      if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') { alignRight = false; break; }
    }
  }
  const rows = [];
  for (let i = 0; i < count; i += columns) {
    const last = Math.min(i + columns, count) - 1;
    let line = '';
    for (let j = i; j < last; j++) {
      const cellText = `${output[j]}, `;
      const pad = widths[j - i] + output[j].length - lens[j];
      line += alignRight ? cellText.padStart(pad) : cellText.padEnd(pad);
    }
    line += alignRight ? output[last].padStart(widths[last - i] + output[last].length - lens[last] - SEP) : output[last];
    rows.push(line);
  }
  if (ctx.maxArrayLength < output.length) rows.push(output[count]);
  return rows;
}

function fitsOnLine(ctx, output, start, base) {
  let total = output.length + start;
  if (total + output.length > ctx.breakLength) return false;
  for (const entry of output) {
    total += entry.length;
    if (total > ctx.breakLength) return false;
  }
  return base === '' || !base.includes('\n');
}

function layout(ctx, output, base, braces, extras, recurseTimes, value) {
  const lead = base ? `${base} ` : '';
  if (ctx.compact !== true) {
    if (typeof ctx.compact === 'number' && ctx.compact >= 1) {
      const entries = output.length;
      if (extras === ARRAY_EXTRAS && entries > 6) output = groupColumns(ctx, output, value);
      // Only the innermost `compact` levels may collapse onto one line.
      if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
        const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
        if (fitsOnLine(ctx, output, start, base)) {
          const joined = output.join(', ');
          if (!joined.includes('\n')) return `${lead}${braces[0]} ${joined} ${braces[1]}`;
        }
      }
    }
    const nl = `\n${' '.repeat(ctx.indentationLvl)}`;
    return `${lead}${braces[0]}${nl}  ${output.join(`,${nl}  `)}${nl}${braces[1]}`;
  }
  if (fitsOnLine(ctx, output, 0, base)) return `${braces[0]}${base ? ` ${base}` : ''} ${output.join(', ')} ${braces[1]}`;
  const pad = ' '.repeat(ctx.indentationLvl);
  const ln = base === '' && braces[0].length === 1 ? ' ' : `${base ? ` ${base}` : ''}\n${pad}  `;
  return `${braces[0]}${ln}${output.join(`,\n${pad}  `)} ${braces[1]}`;
}

function inspect(value, opts) {
  const ctx = Object.assign({}, inspect.defaultOptions, { seen: [], circular: new Map(), indentationLvl: 0, currentDepth: 0, userOptions: {} });
  if (arguments.length > 1) {
    if (typeof opts === 'boolean') {
      ctx.showHidden = opts;
      if (arguments.length > 2 && arguments[2] !== undefined) ctx.depth = arguments[2];
      if (arguments.length > 3 && arguments[3] !== undefined) ctx.colors = arguments[3];
    } else if (opts !== null && typeof opts === 'object') {
      for (const key of Object.keys(opts)) {
        if (hasOwn(inspectDefaults, key) || key === 'stylize') {
          ctx[key] = opts[key];
          ctx.userOptions[key] = opts[key];
        }
      }
    }
  }
  if (ctx.depth === Infinity) ctx.depth = null;
  if (ctx.maxArrayLength === null) ctx.maxArrayLength = Infinity;
  if (ctx.maxStringLength === null) ctx.maxStringLength = Infinity;
  return formatValue(ctx, value, 0);
}
inspect.custom = customInspectSymbol;
// Each invocation starts from the defaults: the module is shared by every instance (internal.state).
const inspectOptions = internal.state(() => Object.assign({}, inspectDefaults));
Object.defineProperty(inspect, 'defaultOptions', {
  get() { return inspectOptions.get(); },
  set(options) {
    if (options === null || typeof options !== 'object') throw invalidArgType('options', 'of type object', options);
    Object.assign(inspectOptions.get(), options);
  },
  enumerable: true,
  configurable: true,
});
// Colors are never emitted (hook output is plain text); the tables exist for code that reads them.
inspect.colors = Object.assign(Object.create(null), {
  reset: [0, 0], bold: [1, 22], dim: [2, 22], italic: [3, 23], underline: [4, 24], blink: [5, 25], inverse: [7, 27],
  hidden: [8, 28], strikethrough: [9, 29], black: [30, 39], red: [31, 39], green: [32, 39], yellow: [33, 39],
  blue: [34, 39], magenta: [35, 39], cyan: [36, 39], white: [37, 39], gray: [90, 39], grey: [90, 39],
});
inspect.styles = Object.assign(Object.create(null), {
  special: 'cyan', number: 'yellow', bigint: 'yellow', boolean: 'yellow', undefined: 'grey', null: 'bold',
  string: 'green', symbol: 'green', date: 'magenta', regexp: 'red', module: 'underline',
});

// ------------------------------------------------------------------ format

// Taken per invocation: the globals of another instance's invocation are not built-ins.
const builtinNames = internal.state(() => {
  const names = new Set();
  for (const name of Object.getOwnPropertyNames(globalThis)) {
    if (/^[A-Z][a-zA-Z0-9]+$/.test(name)) {
      const v = globalThis[name];
      if (typeof v === 'function' || (typeof v === 'object' && v !== null)) names.add(name);
    }
  }
  return names;
});
function builtInConstructorNames() {
  return builtinNames.get();
}

function hasBuiltInToString(value) {
  if (typeof value.toString !== 'function') return true;
  if (hasOwn(value, 'toString')) return false;
  let p = value;
  do { p = Object.getPrototypeOf(p); } while (p !== null && !hasOwn(p, 'toString'));
  if (p === null) return true;
  const ctor = ownConstructor(p);
  return typeof ctor === 'function' && builtInConstructorNames().has(ctor.name);
}

function jsonOrCircular(v) {
  try {
    return JSON.stringify(v);
  } catch (err) {
    if (err instanceof TypeError && /circular|cyclic/i.test(String(err.message))) return '[Circular]';
    throw err;
  }
}

function formatWithOptions(inspectOptions, ...args) {
  if (inspectOptions === null || typeof inspectOptions !== 'object') throw invalidArgType('inspectOptions', 'of type object', inspectOptions);
  const first = args[0];
  let a = 0;
  let str = '';
  let join = '';
  if (typeof first === 'string') {
    if (args.length === 1) return first;
    let last = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) !== 37) continue; // '%'
      const next = first.charCodeAt(++i);
      if (a + 1 !== args.length) {
        let piece;
        switch (next) {
          case 115: { // s
            const arg = args[++a];
            if (typeof arg === 'number') piece = formatNumber(arg, false);
            else if (typeof arg === 'bigint') piece = formatBigInt(arg, false);
            else if (typeof arg !== 'object' || arg === null || !hasBuiltInToString(arg)) piece = String(arg);
            else piece = inspect(arg, Object.assign({}, inspectOptions, { depth: 0, colors: false, compact: 3 }));
            break;
          }
          case 106: piece = jsonOrCircular(args[++a]); break; // j
          case 100: { // d
            const n = args[++a];
            if (typeof n === 'bigint') piece = formatBigInt(n, false);
            else if (typeof n === 'symbol') piece = 'NaN';
            else piece = formatNumber(Number(n), false);
            break;
          }
          case 79: piece = inspect(args[++a], inspectOptions); break; // O
          case 111: piece = inspect(args[++a], Object.assign({}, inspectOptions, { showHidden: true, showProxy: true, depth: 4 })); break; // o
          case 105: { // i
            const n = args[++a];
            if (typeof n === 'bigint') piece = formatBigInt(n, false);
            else if (typeof n === 'symbol') piece = 'NaN';
            else piece = formatNumber(parseInt(n), false);
            break;
          }
          case 102: { // f
            const n = args[++a];
            piece = typeof n === 'symbol' ? 'NaN' : formatNumber(parseFloat(n), false);
            break;
          }
          case 99: a += 1; piece = ''; break; // c: CSS is meaningless outside a browser console
          case 37: str += first.slice(last, i); last = i + 1; continue;
          default: continue;
        }
        if (last !== i - 1) str += first.slice(last, i - 1);
        str += piece;
        last = i + 1;
      } else if (next === 37) {
        str += first.slice(last, i);
        last = i + 1;
      }
    }
    if (last !== 0) {
      a++;
      join = ' ';
      if (last < first.length) str += first.slice(last);
    }
  }
  while (a < args.length) {
    const v = args[a];
    str += join;
    str += typeof v !== 'string' ? inspect(v, inspectOptions) : v;
    join = ' ';
    a++;
  }
  return str;
}

function format(...args) { return formatWithOptions({}, ...args); }

// ------------------------------------------------------------------ deep equality

function sameRegExp(a, b) {
  return a.source === b.source && a.flags === b.flags && a.lastIndex === b.lastIndex;
}

function sameBytes(a, b) {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a.buffer || a, a.byteOffset || 0, a.byteLength);
  const y = new Uint8Array(b.buffer || b, b.byteOffset || 0, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function sameBoxed(a, b) {
  if (isNumberObject(a)) return isNumberObject(b) && Object.is(Number.prototype.valueOf.call(a), Number.prototype.valueOf.call(b));
  if (isStringObject(a)) return isStringObject(b) && String.prototype.valueOf.call(a) === String.prototype.valueOf.call(b);
  if (isBooleanObject(a)) return isBooleanObject(b) && Boolean.prototype.valueOf.call(a) === Boolean.prototype.valueOf.call(b);
  if (isBigIntObject(a)) return isBigIntObject(b) && BigInt.prototype.valueOf.call(a) === BigInt.prototype.valueOf.call(b);
  if (isSymbolObject(a)) return isSymbolObject(b) && Symbol.prototype.valueOf.call(a) === Symbol.prototype.valueOf.call(b);
  return false;
}

const KIND_PLAIN = 0;
const KIND_ARRAY = 1;
const KIND_SET = 2;
const KIND_MAP = 3;

function deepEqual(a, b, memos) {
  if (a === b) return a !== 0 || Object.is(a, b);
  if (typeof a !== 'object') return typeof a === 'number' && Number.isNaN(a) && Number.isNaN(b);
  if (typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const tagA = objToString(a);
  if (tagA !== objToString(b)) return false;

  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    const ka = ownKeys(a, false, true);
    const kb = ownKeys(b, false, true);
    if (ka.length !== kb.length) return false;
    return compareKeys(a, b, memos, KIND_ARRAY, ka);
  }
  if (tagA === '[object Object]' && !types.isBoxedPrimitive(a) && !types.isBoxedPrimitive(b)) {
    return compareKeys(a, b, memos, KIND_PLAIN);
  }
  if (types.isDate(a)) {
    if (!types.isDate(b) || Date.prototype.getTime.call(a) !== Date.prototype.getTime.call(b)) return false;
  } else if (isRegExp(a)) {
    if (!isRegExp(b) || !sameRegExp(a, b)) return false;
  } else if (types.isNativeError(a) || a instanceof Error) {
    if ((!types.isNativeError(b) && !(b instanceof Error)) || a.message !== b.message || a.name !== b.name) return false;
    for (const k of ['cause', 'errors']) {
      const enumA = isEnumerable(a, k);
      if (enumA !== isEnumerable(b, k)) return false;
      if (!enumA && (hasOwn(a, k) !== hasOwn(b, k) || !deepEqual(a[k], b[k], memos))) return false;
    }
  } else if (ArrayBuffer.isView(a)) {
    if (!ArrayBuffer.isView(b) || !sameBytes(a, b)) return false;
    const ka = ownKeys(a, false, true);
    const kb = ownKeys(b, false, true);
    if (ka.length !== kb.length) return false;
    return compareKeys(a, b, memos, KIND_PLAIN, ka);
  } else if (types.isSet(a)) {
    if (!types.isSet(b) || setSize.call(a) !== setSize.call(b)) return false;
    return compareKeys(a, b, memos, KIND_SET);
  } else if (types.isMap(a)) {
    if (!types.isMap(b) || mapSize.call(a) !== mapSize.call(b)) return false;
    return compareKeys(a, b, memos, KIND_MAP);
  } else if (types.isAnyArrayBuffer(a)) {
    if (!types.isAnyArrayBuffer(b) || !sameBytes(a, b)) return false;
  } else if (types.isBoxedPrimitive(a)) {
    if (!sameBoxed(a, b)) return false;
  } else if (Array.isArray(b) || ArrayBuffer.isView(b) || types.isSet(b) || types.isMap(b) || types.isDate(b) || isRegExp(b) ||
             types.isAnyArrayBuffer(b) || types.isBoxedPrimitive(b) || types.isNativeError(b) || b instanceof Error) {
    return false;
  }
  return compareKeys(a, b, memos, KIND_PLAIN);
}

function compareKeys(a, b, memos, kind, keysA) {
  const explicitKeys = keysA !== undefined;
  if (!explicitKeys) {
    keysA = Object.keys(a);
    if (keysA.length !== Object.keys(b).length) return false;
  }
  for (const k of keysA) if (!isEnumerable(b, k)) return false;
  if (!explicitKeys) {
    const symA = Object.getOwnPropertySymbols(a);
    const symB = Object.getOwnPropertySymbols(b);
    let count = 0;
    for (const s of symA) {
      if (isEnumerable(a, s)) {
        if (!isEnumerable(b, s)) return false;
        keysA.push(s);
        count++;
      } else if (isEnumerable(b, s)) return false;
    }
    if (symB.filter((s) => isEnumerable(b, s)).length !== count) return false;
  }
  if (keysA.length === 0 && (kind === KIND_PLAIN || (kind === KIND_ARRAY && a.length === 0) ||
      (kind === KIND_SET && setSize.call(a) === 0) || (kind === KIND_MAP && mapSize.call(a) === 0))) return true;

  // Cycles: a pair that is already being compared further up the stack is
  // assumed equal (the rest of the comparison decides), as Node 20 does.
  if (memos === undefined) memos = new Map();
  let partners = memos.get(a);
  if (partners !== undefined && partners.has(b)) return true;
  if (partners === undefined) memos.set(a, partners = new Set());
  partners.add(b);
  const result = compareContents(a, b, memos, kind, keysA);
  partners.delete(b);
  return result;
}

function compareContents(a, b, memos, kind, keysA) {
  if (kind === KIND_SET) {
    let pending = null;
    for (const v of a) {
      if (typeof v === 'object' && v !== null) (pending || (pending = new Set())).add(v);
      else if (!b.has(v)) return false;
    }
    if (pending !== null) {
      for (const v of b) {
        if (typeof v === 'object' && v !== null) {
          let found = false;
          for (const cand of pending) {
            if (deepEqual(v, cand, memos)) { pending.delete(cand); found = true; break; }
          }
          if (!found) return false;
        }
      }
      return pending.size === 0;
    }
  } else if (kind === KIND_MAP) {
    let pending = null;
    for (const [k, v] of a) {
      if (typeof k === 'object' && k !== null) (pending || (pending = new Set())).add(k);
      else {
        const other = b.get(k);
        if ((other === undefined && !b.has(k)) || !deepEqual(v, other, memos)) return false;
      }
    }
    if (pending !== null) {
      for (const [k, v] of b) {
        if (typeof k === 'object' && k !== null) {
          let found = false;
          for (const cand of pending) {
            if (deepEqual(k, cand, memos) && deepEqual(v, a.get(cand), memos)) { pending.delete(cand); found = true; break; }
          }
          if (!found) return false;
        }
      }
      return pending.size === 0;
    }
  } else if (kind === KIND_ARRAY) {
    for (let i = 0; i < a.length; i++) {
      const inA = hasOwn(a, i);
      if (inA !== hasOwn(b, i)) return false;
      if (inA && !deepEqual(a[i], b[i], memos)) return false;
    }
  }
  for (const k of keysA) if (!deepEqual(a[k], b[k], memos)) return false;
  return true;
}

function isDeepStrictEqual(a, b) { return deepEqual(a, b, undefined); }

// ------------------------------------------------------------------ functions

function validateFunction(fn, name) {
  if (typeof fn !== 'function') {
    if (name === 'last argument') throw withCode(new TypeError(`The last argument must be of type function.${received(fn)}`), 'ERR_INVALID_ARG_TYPE');
    throw invalidArgType(name, 'of type function', fn);
  }
}

function inherits(ctor, superCtor) {
  if (ctor === undefined || ctor === null) throw invalidArgType('ctor', 'of type function', ctor);
  if (superCtor === undefined || superCtor === null) throw invalidArgType('superCtor', 'of type function', superCtor);
  if (superCtor.prototype === undefined) throw invalidArgType('superCtor.prototype', 'of type object', superCtor.prototype);
  Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

function promisify(original) {
  validateFunction(original, 'original');
  if (original[customPromisifySymbol]) {
    const fn = original[customPromisifySymbol];
    validateFunction(fn, 'util.promisify.custom');
    return Object.defineProperty(fn, customPromisifySymbol, { value: fn, enumerable: false, writable: false, configurable: true });
  }
  function fn(...args) {
    return new Promise((resolve, reject) => {
      args.push((err, ...values) => {
        if (err) return reject(err);
        resolve(values[0]);
      });
      Reflect.apply(original, this, args);
    });
  }
  Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
  Object.defineProperty(fn, customPromisifySymbol, { value: fn, enumerable: false, writable: false, configurable: true });
  return Object.defineProperties(fn, Object.getOwnPropertyDescriptors(original));
}
promisify.custom = customPromisifySymbol;

const defer = typeof queueMicrotask === 'function' ? queueMicrotask : (f) => { Promise.resolve().then(f); };

function callbackify(original) {
  validateFunction(original, 'original');
  function callbackified(...args) {
    const cb = args.pop();
    validateFunction(cb, 'last argument');
    const ok = (ret) => defer(() => cb.call(this, null, ret));
    const fail = (reason) => defer(() => {
      if (!reason) {
        const wrapped = withCode(new Error('Promise was rejected with falsy value'), 'ERR_FALSY_VALUE_REJECTION');
        wrapped.reason = reason;
        reason = wrapped;
      }
      cb.call(this, reason);
    });
    Reflect.apply(original, this, args).then(ok, fail);
  }
  const descriptors = Object.getOwnPropertyDescriptors(original);
  if (descriptors.length && typeof descriptors.length.value === 'number') descriptors.length.value++;
  if (descriptors.name && typeof descriptors.name.value === 'string') descriptors.name.value += 'Callbackified';
  Object.setPrototypeOf(callbackified, Object.getPrototypeOf(original));
  Object.defineProperties(callbackified, descriptors);
  return callbackified;
}

const warnedCodes = internal.state(() => new Set());
function deprecate(fn, msg, code) {
  validateFunction(fn, 'fn');
  let warned = false;
  function deprecated(...args) {
    if (!warned && !(code !== undefined && warnedCodes.get().has(code))) {
      warned = true;
      if (code !== undefined) warnedCodes.get().add(code);
      if (typeof console !== 'undefined' && console && typeof console.warn === 'function') {
        console.warn(`${code !== undefined ? `[${code}] ` : ''}DeprecationWarning: ${msg}`);
      }
    }
    if (new.target) return Reflect.construct(fn, args, new.target);
    return Reflect.apply(fn, this, args);
  }
  Object.setPrototypeOf(deprecated, fn);
  if (fn.prototype) deprecated.prototype = fn.prototype;
  return deprecated;
}

function debuglog() {
  const log = function () {};
  log.enabled = false;
  return log;
}

const ANSI = /[\u001B\u009B][[\]()#;?]*(?:(?:(?:(?:;[-a-zA-Z\d/#&.:=?%@~_]+)*|[a-zA-Z\d]+(?:;[-a-zA-Z\d/#&.:=?%@~_]*)*)?\u0007)|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PR-TZcf-ntqry=><~]))/g;

module.exports = {
  format,
  formatWithOptions,
  inspect,
  inherits,
  promisify,
  callbackify,
  deprecate,
  debuglog,
  debug: debuglog,
  isDeepStrictEqual,
  types,
  TextEncoder: encoding.TextEncoder,
  TextDecoder: encoding.TextDecoder,
  toUSVString: (s) => { const str = `${s}`; return str.isWellFormed ? str.toWellFormed() : str; },
  stripVTControlCharacters: (s) => String(s).replace(ANSI, ''),
  isArray: Array.isArray,
  isBoolean: (v) => typeof v === 'boolean',
  isBuffer: (v) => require('buffer').Buffer.isBuffer(v),
  isNull: (v) => v === null,
  isNullOrUndefined: (v) => v === null || v === undefined,
  isNumber: (v) => typeof v === 'number',
  isString: (v) => typeof v === 'string',
  isSymbol: (v) => typeof v === 'symbol',
  isUndefined: (v) => v === undefined,
  isRegExp: types.isRegExp,
  isObject: (v) => v !== null && typeof v === 'object',
  isDate: types.isDate,
  isError: (v) => objToString(v) === '[object Error]' || v instanceof Error,
  isFunction: (v) => typeof v === 'function',
  isPrimitive: (v) => v === null || (typeof v !== 'object' && typeof v !== 'function'),
};
