// structuredClone per the HTML structured clone algorithm, limited to the value
// kinds QuickJS has. Exports the function itself.
'use strict';

const objToString = (v) => Object.prototype.toString.call(v);
const TypedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayTag = Object.getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag).get;
const brand = (fn) => (v) => { try { fn(v); return true; } catch (e) { return false; } };
const getter = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get;
const isMap = brand((v) => getter(Map.prototype, 'size').call(v));
const isSet = brand((v) => getter(Set.prototype, 'size').call(v));
const isDate = brand((v) => Date.prototype.getTime.call(v));
const regexpSource = getter(RegExp.prototype, 'source');
const isRegExp = (v) => v !== RegExp.prototype && brand((x) => regexpSource.call(x))(v);
const isArrayBuffer = brand((v) => getter(ArrayBuffer.prototype, 'byteLength').call(v));
const isDataView = brand((v) => getter(DataView.prototype, 'byteLength').call(v));
const isWeak = (v) => brand((x) => WeakMap.prototype.has.call(x, {}))(v) || brand((x) => WeakSet.prototype.has.call(x, {}))(v);
const boxed = [
  [Number.prototype, (x) => new Number(x)],
  [String.prototype, (x) => new String(x)],
  [Boolean.prototype, (x) => new Boolean(x)],
];
if (typeof BigInt === 'function') boxed.push([BigInt.prototype, (x) => Object(x)]);

const ERROR_NAMES = ['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError'];

function dataCloneError(message) {
  const err = new Error(message);
  Object.defineProperty(err, 'name', { value: 'DataCloneError', writable: true, configurable: true, enumerable: false });
  Object.defineProperty(err, 'code', { value: 25, writable: true, configurable: true, enumerable: false });
  return err;
}

function describe(value) {
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') {
    try { return Function.prototype.toString.call(value); } catch (e) { return 'function'; }
  }
  const ctor = value && value.constructor && value.constructor.name;
  return `#<${ctor || 'Object'}>`;
}

function cloneValue(value, memory) {
  if (typeof value === 'symbol' || typeof value === 'function') throw dataCloneError(`${describe(value)} could not be cloned.`);
  if (value === null || typeof value !== 'object') return value;
  if (memory.has(value)) return memory.get(value);

  let out;
  for (const [proto, make] of boxed) {
    let prim;
    try { prim = proto.valueOf.call(value); } catch (e) { continue; }
    out = make(prim);
    memory.set(value, out);
    return out;
  }
  try {
    Symbol.prototype.valueOf.call(value);
    throw dataCloneError(`${describe(value)} could not be cloned.`);
  } catch (e) {
    if (e && e.name === 'DataCloneError') throw e;
  }
  if (isDate(value)) {
    out = new Date(Date.prototype.getTime.call(value));
    memory.set(value, out);
    return out;
  }
  if (isRegExp(value)) {
    // lastIndex is deliberately not carried over by the algorithm.
    out = new RegExp(regexpSource.call(value), getter(RegExp.prototype, 'flags').call(value));
    memory.set(value, out);
    return out;
  }
  if (isArrayBuffer(value)) {
    out = ArrayBuffer.prototype.slice.call(value, 0);
    memory.set(value, out);
    return out;
  }
  if (ArrayBuffer.isView(value)) {
    const buffer = cloneValue(value.buffer, memory);
    if (isDataView(value)) out = new DataView(buffer, value.byteOffset, value.byteLength);
    else {
      const Ctor = globalThis[typedArrayTag.call(value)];
      out = new Ctor(buffer, value.byteOffset, value.length);
    }
    memory.set(value, out);
    return out;
  }
  if (isMap(value)) {
    out = new Map();
    memory.set(value, out);
    const entries = Array.from(Map.prototype.entries.call(value));
    for (const [k, v] of entries) out.set(cloneValue(k, memory), cloneValue(v, memory));
    return out;
  }
  if (isSet(value)) {
    out = new Set();
    memory.set(value, out);
    const values = Array.from(Set.prototype.values.call(value));
    for (const v of values) out.add(cloneValue(v, memory));
    return out;
  }
  if (objToString(value) === '[object Error]') {
    let name = 'Error';
    try {
      const n = value.name;
      if (ERROR_NAMES.includes(n)) name = n;
    } catch (e) { name = 'Error'; }
    // A real error object, so the clone keeps the [[ErrorData]] brand.
    out = new globalThis[name]();
    memory.set(value, out);
    const msgDesc = Object.getOwnPropertyDescriptor(value, 'message');
    if (msgDesc && 'value' in msgDesc) {
      Object.defineProperty(out, 'message', { value: String(msgDesc.value), writable: true, configurable: true, enumerable: false });
    }
    const stack = value.stack;
    if (typeof stack === 'string') Object.defineProperty(out, 'stack', { value: stack, writable: true, configurable: true, enumerable: false });
    else delete out.stack;
    if (Object.prototype.hasOwnProperty.call(value, 'cause')) {
      Object.defineProperty(out, 'cause', { value: cloneValue(value.cause, memory), writable: true, configurable: true, enumerable: false });
    }
    return out;
  }
  if (isWeak(value) || objToString(value) === '[object Promise]' || value instanceof Promise ||
      objToString(value) === '[object WeakRef]' || objToString(value) === '[object Generator]') {
    throw dataCloneError(`${describe(value)} could not be cloned.`);
  }
  if (Array.isArray(value)) {
    out = new Array(value.length);
  } else {
    out = {};
  }
  memory.set(value, out);
  // Own enumerable string keys only; getters run, prototypes and symbols are dropped.
  for (const key of Object.keys(value)) {
    if (!Object.prototype.propertyIsEnumerable.call(value, key)) continue;
    out[key] = cloneValue(value[key], memory);
  }
  return out;
}

function structuredClone(value, options) {
  if (arguments.length === 0) {
    const e = new TypeError('The value argument must be specified');
    e.code = 'ERR_MISSING_ARGS';
    throw e;
  }
  if (options !== undefined && options !== null && typeof options === 'object' && options.transfer !== undefined) {
    const list = Array.from(options.transfer);
    if (list.length > 0) throw dataCloneError('Transferring objects is not supported.');
  }
  return cloneValue(value, new Map());
}

module.exports = structuredClone;
module.exports.structuredClone = structuredClone;
