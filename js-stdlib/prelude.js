// The globals every hook sees (README.md, "Hooks"; docs/hooks.md), built over the host
// functions that hooks/engine.rs installs as `__host`. Evaluated once per context, before any hook.
(function (host) {
  'use strict';
  // A context serves every instance of one element, one invocation at a time; what one
  // invocation leaves behind must never reach the next (docs/isolation.md). Globals are the
  // one place a script can still write to once the built-ins are frozen below, so whatever it
  // defines there must stay deletable, and the global object must stay extensible with its
  // prototype: these wrappers see to it, and set `touched` so that the reset sweeps.
  const G = globalThis;
  let touched = false;
  const O = { defineProperty: Object.defineProperty, defineProperties: Object.defineProperties, freeze: Object.freeze,
    seal: Object.seal, preventExtensions: Object.preventExtensions, getPrototypeOf: Object.getPrototypeOf,
    setPrototypeOf: Object.setPrototypeOf, isExtensible: Object.isExtensible, ownKeys: Reflect.ownKeys,
    getOwnPropertyDescriptor: Reflect.getOwnPropertyDescriptor, reflectDefine: Reflect.defineProperty,
    reflectPreventExtensions: Reflect.preventExtensions };
  const deletable = (d) => {
    if ((typeof d !== 'object' && typeof d !== 'function') || d === null) return d;
    touched = true;
    const copy = { configurable: true };
    for (const field of ['enumerable', 'value', 'writable', 'get', 'set']) if (field in d) copy[field] = d[field];
    return copy;
  };
  const refuse = (what) => { throw new TypeError(`${what}: the global object cannot be frozen, sealed or made non-extensible in a hook`); };
  Object.defineProperty = function defineProperty(o, key, d) { return O.defineProperty(o, key, o === G ? deletable(d) : d); };
  Object.defineProperties = function defineProperties(o, props) {
    if (o !== G) return O.defineProperties(o, props);
    const list = Object(props);
    for (const key of O.ownKeys(list)) {
      const own = O.getOwnPropertyDescriptor(list, key);
      if (own && own.enumerable) O.defineProperty(o, key, deletable(list[key]));
    }
    return o;
  };
  Reflect.defineProperty = function defineProperty(o, key, d) { return O.reflectDefine(o, key, o === G ? deletable(d) : d); };
  Object.freeze = function freeze(o) { return o === G ? refuse('Object.freeze') : O.freeze(o); };
  Object.seal = function seal(o) { return o === G ? refuse('Object.seal') : O.seal(o); };
  Object.preventExtensions = function preventExtensions(o) { return o === G ? refuse('Object.preventExtensions') : O.preventExtensions(o); };
  Reflect.preventExtensions = function preventExtensions(o) { return o === G ? refuse('Reflect.preventExtensions') : O.reflectPreventExtensions(o); };
  // Its callbacks run whenever the collector runs, which may be in another instance's
  // invocation; nothing a hook does needs them.
  delete G.FinalizationRegistry;
  // Node encodes a lone surrogate as U+FFFD; so must we before text crosses into Rust.
  const text = (value) => { const s = String(value); return s.isWellFormed() ? s : s.toWellFormed(); };
  const format = (args) => args.map((a) => {
    if (typeof a === 'string') return a;
    if (a instanceof Error) return a.stack ? `${a.name}: ${a.message}\n${a.stack}` : `${a.name}: ${a.message}`;
    if (a === undefined || typeof a === 'function' || typeof a === 'symbol' || typeof a === 'bigint') return String(a);
    try { return JSON.stringify(a); } catch (e) { return String(a); }
  }).join(' ');
  const log = (level) => function () { host.console(level, text(format(Array.prototype.slice.call(arguments)))); };
  const console = { log: log('info'), info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug'), trace: log('debug') };

  // Node's createHmac(algo, key).update(data) refuses a missing key or data with this TypeError
  // (a hook reading an unset configuration value must not sign with the text "undefined").
  const missing = (secret, str) => {
    const [name, types, value] = secret == null
      ? ['key', 'ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey', secret]
      : ['data', 'Buffer, TypedArray, or DataView', str];
    const e = new TypeError(`The "${name}" argument must be of type string or an instance of ${types}. Received ${value}`);
    e.code = 'ERR_INVALID_ARG_TYPE';
    return e;
  };
  // The check is inline (one comparison each) because every signing hook pays for it.
  const hmac = (algo) => (enc) => (secret, str) => {
    if (secret == null || str == null) throw missing(secret, str);
    return host.hmac(text(algo), text(enc), text(secret), text(str));
  };
  const CE = {
    randomString: () => host.randomString(),
    randomEmail: () => `${host.randomString().toLowerCase()}@example.com`,
    md5: (str) => host.md5(text(str)),
    b64: (str) => host.b64(text(str)),
    decode64: (str) => host.decode64(text(str)),
    hmac,
    sendEmail: (spec) => sendEmail(spec || {}),
  };
  // Every documented shortcut: CE.hmac{Sha1,Sha256,Md5}{Hex,Base64,base64}.
  for (const [algoName, algo] of [['Sha1', 'sha1'], ['Sha256', 'sha256'], ['Md5', 'md5']]) {
    for (const [encName, enc] of [['Hex', 'hex'], ['Base64', 'base64'], ['base64', 'base64']]) {
      CE[`hmac${algoName}${encName}`] = hmac(algo)(enc);
    }
  }

  // Cloud Elements' Java-backed list: an array with `add`, as event hooks use it.
  const getArray = function () {
    const list = [];
    Object.defineProperty(list, 'add', { value: function (item) { list.push(item); return true; }, enumerable: false });
    return list;
  };

  // Email goes out through the server's SMTP settings; both forms return a promise, and a
  // message handed over is sent even if the hook finishes first.
  const sendEmail = (spec) => new Promise((resolve, reject) => {
    const to = Array.isArray(spec.to) ? spec.to.map(String) : [String(spec.to === undefined ? '' : spec.to)];
    const message = { to, subject: String(spec.subject === undefined ? '' : spec.subject) };
    if (spec.from !== undefined) message.from = String(spec.from);
    if (spec.text !== undefined) message.text = String(spec.text);
    if (spec.html !== undefined) message.html = String(spec.html);
    inFlight.set(host.email(message), { resolve, reject });
  });
  // The Parse API of Parse Cloud Code (README.md, "Script endpoints: Parse Cloud Code") in
  // every script: httpRequest, sendEmail, Cookie, Config and Error; `define` only in cloud
  // code, whose driver (js-stdlib/cloud.js) hands it over as `host.cloud`.
  const parseApi = () => {
    class ParseError extends Error {
      constructor(code, message) { super(message); this.code = code; }
    }
    Object.assign(ParseError, { OTHER_CAUSE: -1, OBJECT_NOT_FOUND: 101, INVALID_JSON: 107, SCRIPT_FAILED: 141, VALIDATION_ERROR: 142 });
    class ParseConfig {
      constructor(attributes) { this.attributes = attributes; }
      get(key) { return this.attributes[key]; }
    }
    const Config = {
      // Master-key-only values need `{useMasterKey: true}` in a master context: hooks, tasks,
      // and a cloud function called with the master key.
      get: (options) => host.internal.io.service('parse.config', JSON.stringify({ useMasterKey: !!(options && options.useMasterKey) }))
        .then((values) => new ParseConfig(values)),
    };
    const outsideCloud = () => { throw new Error('Parse.Cloud.define: functions are defined in cloud code (cloud/main.js) only'); };
    const Cloud = {
      define: host.cloud === undefined ? outsideCloud : host.cloud.define,
      job: host.cloud === undefined ? outsideCloud : host.cloud.job,
      sendEmail: (spec) => sendEmail(spec || {}),
      // Parse's old switch to the master key: scripts here need none to make calls.
      useMasterKey: () => undefined,
    };
    Object.defineProperty(Cloud, 'httpRequest', { get: () => globalThis.require('fetch').httpRequest, enumerable: true });
    Object.defineProperty(Cloud, 'Cookie', { get: () => globalThis.require('fetch').Cookie, enumerable: true });
    return { Cloud: Object.freeze(Cloud), Config: Object.freeze(Config), Error: ParseError };
  };
  const notify = {
    email: (to, subject, body) => sendEmail({ to, subject, text: body }),
  };

  const define = (name, value) => Object.defineProperty(globalThis, name, { value, writable: false, enumerable: false, configurable: false });
  define('console', Object.freeze(console));
  // Parse-style httpRequest, also as CE.httpRequest; loaded on first use.
  Object.defineProperty(CE, 'httpRequest', { get: () => globalThis.require('fetch').httpRequest, enumerable: true });
  define('CE', Object.freeze(CE));
  define('Parse', Object.freeze(parseApi()));
  define('getArray', getArray);
  define('notify', Object.freeze(notify));
  define('btoa', (s) => host.btoa(String(s)));
  define('atob', (s) => host.atob(String(s)));

  // The rules of done() (README.md, "Hooks"): the first done() wins, done() does not stop
  // the script, and an exception after the first done() is logged, not fatal.
  const base64Encode = (s) => host.b64(text(s));
  // A compiled hook is shared by the element's instances: nothing may be stored on it.
  define('__elemental_seal', function (fn) {
    if (fn.prototype !== undefined) O.freeze(fn.prototype);
    return O.freeze(fn);
  });
  define('__elemental_invoke', function (hook, vars, label, tenant) {
    enter(tenant);
    const state = { called: false, result: undefined, returned: undefined, failure: undefined };
    const done = function (result) {
      if (state.called) { host.console('notice', `${label}: done() called again, ignored (the first call wins)`); return; }
      state.called = true;
      state.result = result;
    };
    try {
      // Every hook gets `print` (console.log); the wrapper names `base64Encode` in legacy ones
      // only. `module.exports` is never the result (only done() or a returned object is).
      state.returned = hook(vars, done, console.log, base64Encode);
    } catch (e) {
      if (!state.called) throw e;
      host.console('notice', text(`${label}: exception after done(), ignored: ${format([e])}`));
    }
    return state;
  });

  // require(): embedded modules by name (parsed on first use, cached in this context and
  // frozen whole, as they are shared by every instance of the element) and the element's own
  // files by path, never outside the element's folder, cached per instance: a module's
  // top-level state belongs to one instance (the last TENANTS instances keep theirs).
  const cache = new Map();
  const TENANTS = 64;
  const tenants = new Map();
  let current = null;
  let locals = new Map();
  const enter = (tenant) => {
    if (tenant === current) return;
    let found = tenants.get(tenant);
    if (found === undefined) {
      found = new Map();
      if (tenants.size >= TENANTS) tenants.delete(tenants.keys().next().value);
    } else tenants.delete(tenant);
    tenants.set(tenant, found);
    current = tenant;
    locals = found;
  };
  const notFound = (name) => {
    const e = new Error(`Cannot find module '${name}'`);
    e.code = 'MODULE_NOT_FOUND';
    return e;
  };
  const run = (id, fn, from, into) => {
    const module = { id, exports: {}, loaded: false };
    into.set(id, module);
    try {
      fn.call(module.exports, module, module.exports, makeRequire(from), host.internal);
    } catch (e) {
      into.delete(id);
      throw e;
    }
    module.loaded = true;
    return module.exports;
  };
  const resolveLocal = (from, name) => {
    const parts = from === '' ? [] : from.split('/');
    for (const part of name.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') {
        if (parts.length === 0) throw new Error(`require('${name}'): refused, the path leaves the element's folder`);
        parts.pop();
      } else parts.push(part);
    }
    return parts.join('/');
  };
  const loadLocal = (from, name) => {
    if (name.startsWith('/')) throw new Error(`require('${name}'): refused, only paths relative to the element's folder are allowed`);
    const path = resolveLocal(from, name);
    for (const candidate of [path, `${path}.js`, `${path}.json`, `${path}/index.js`]) {
      const id = `./${candidate}`;
      if (locals.has(id)) return locals.get(id).exports;
      const found = host.local(candidate);
      if (found === undefined) continue;
      if (typeof found === 'string') {
        const module = { id, exports: JSON.parse(found), loaded: true };
        locals.set(id, module);
        return module.exports;
      }
      const dir = candidate.includes('/') ? candidate.slice(0, candidate.lastIndexOf('/')) : '';
      return run(id, found, dir, locals);
    }
    throw notFound(name);
  };
  // Cloud code names its files from the project's root: `require('cloud/name.js')`.
  const cloudCode = host.cloud !== undefined;
  const makeRequire = (from) => function require(name) {
    name = String(name);
    if (cloudCode && name.startsWith('cloud/')) return loadLocal('', name.slice(6));
    if (name.startsWith('./') || name.startsWith('../') || name.startsWith('/')) return loadLocal(from, name);
    const id = name.startsWith('node:') ? name.slice(5) : name;
    if (cache.has(id)) return cache.get(id).exports;
    // Parsing, running and freezing a module warms the context once; it is not charged to the
    // hook's CPU budget (its wall-clock budget still runs).
    host.loading(true);
    try {
      const fn = host.builtin(id);
      if (fn === undefined) throw notFound(name);
      const exports = run(id, fn, '', cache);
      // Shared by every instance of the element: frozen whole, so that nothing one invocation
      // stores on them reaches another (settings hooks do assign, like lodash's
      // templateSettings, live in `internal.state`).
      freezeDeep(exports, true);
      return exports;
    } finally {
      host.loading(false);
    }
  };
  define('require', makeRequire(''));
  // Node's globals that live in modules: loaded on first use only.
  const lazy = (name, load) => Object.defineProperty(globalThis, name, { get: load, enumerable: false, configurable: false });
  lazy('URL', () => globalThis.require('url').URL);
  lazy('URLSearchParams', () => globalThis.require('url').URLSearchParams);
  lazy('Buffer', () => globalThis.require('buffer').Buffer);
  lazy('TextEncoder', () => globalThis.require('encoding').TextEncoder);
  lazy('TextDecoder', () => globalThis.require('encoding').TextDecoder);
  lazy('structuredClone', () => globalThis.require('structured-clone'));
  lazy('fetch', () => globalThis.require('fetch').fetch);
  lazy('Headers', () => globalThis.require('fetch').Headers);
  lazy('Request', () => globalThis.require('fetch').Request);
  lazy('Response', () => globalThis.require('fetch').Response);
  lazy('httpRequest', () => globalThis.require('fetch').httpRequest);

  // Module state a hook may change through a module's API (lodash's templateSettings,
  // EventEmitter.defaultMaxListeners): made on first use in an invocation, forgotten at its
  // end, since the module itself is shared by every instance of the element.
  const forget = [];
  host.internal.state = (make) => {
    let value;
    let made = false;
    forget.push(() => { made = false; value = undefined; });
    return O.freeze({
      get: () => { if (!made) { value = make(); made = true; } return value; },
      set: (v) => { value = v; made = true; },
    });
  };

  // Outbound requests: the engine sends what `host.request` queues and calls back here.
  const inFlight = new Map();
  host.internal.io = Object.freeze({
    request: (spec) => new Promise((resolve, reject) => { inFlight.set(host.request(spec), { resolve, reject }); }),
    // A server service (a web task's kv and elements.call; js-stdlib/task.js): args as JSON text.
    service: (op, args) => new Promise((resolve, reject) => { inFlight.set(host.service(op, args), { resolve, reject }); }),
  });
  define('__elemental_io_complete', function (id, error, response) {
    const waiting = inFlight.get(id);
    if (!waiting) return;
    inFlight.delete(id);
    if (error !== null) {
      const e = new Error(error);
      e.code = /egress refused/.test(error) ? 'EGRESS_REFUSED' : /timed out/.test(error) ? 'ETIMEDOUT' : 'EREQUEST';
      waiting.reject(e);
    } else {
      waiting.resolve(response);
    }
  });

  // Timers run on the worker's event loop: the engine asks for the next due time, waits
  // without blocking the worker, then fires what is due. Times are on the engine's clock.
  const timers = new Map();
  let nextTimer = 1;
  const schedule = (fn, ms, args, repeat) => {
    if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function');
    const delay = Math.max(0, Number(ms) || 0);
    const id = nextTimer++;
    timers.set(id, { fn, args, due: host.now() + delay, every: repeat ? Math.max(1, delay) : 0 });
    return id;
  };
  const cancel = (id) => { timers.delete(typeof id === 'object' && id !== null ? id.id : id); };
  define('setTimeout', (fn, ms, ...args) => schedule(fn, ms, args, false));
  define('setInterval', (fn, ms, ...args) => schedule(fn, ms, args, true));
  define('setImmediate', (fn, ...args) => schedule(fn, 0, args, false));
  define('clearTimeout', cancel);
  define('clearInterval', cancel);
  define('clearImmediate', cancel);
  define('queueMicrotask', (fn) => {
    if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function');
    Promise.resolve().then(() => fn());
  });
  define('__elemental_timers', Object.freeze({
    next() {
      let due = -1;
      for (const t of timers.values()) if (due < 0 || t.due < due) due = t.due;
      return due;
    },
    fire(now, state) {
      const ready = [...timers.entries()].filter(([, t]) => t.due <= now).sort((a, b) => a[1].due - b[1].due || a[0] - b[0]);
      for (const [id, t] of ready) {
        if (!timers.has(id)) continue; // cleared by an earlier callback
        if (t.every) t.due = now + t.every; else timers.delete(id);
        try {
          t.fn(...t.args);
        } catch (e) {
          if (state.called) host.console('notice', text(`exception in a timer after done(), ignored: ${format([e])}`));
          else if (state.failure === undefined) state.failure = e;
        }
      }
    },
  }));

  // Pooled contexts serve many invocations of one instance: after each, timers are dropped,
  // globals a script added are deleted and replaced ones restored, so the next starts clean.
  // The globals a context starts with are made read-only (assigning `JSON = null` throws in
  // strict code and does nothing in sloppy code), so the reset only has to delete what a
  // script added — cheap enough to run after every invocation.
  let baseline = null;
  let prototype = null;
  const setStackTraceLimit = O.getOwnPropertyDescriptor(Error, 'stackTraceLimit').set;
  const setPrepareStackTrace = O.getOwnPropertyDescriptor(Error, 'prepareStackTrace').set;
  // `sweep` is false when the engine counted no more enumerable globals than the context
  // started with; `touched` says whether a script defined one another way. Answers false
  // when the context cannot be made clean again (then the engine drops it).
  define('__elemental_reset', function (sweep) {
    timers.clear();
    inFlight.clear();
    nextTimer = 1;
    for (const f of forget) f();
    // Kept by the context, not by the frozen Error: a hook's settings end with it.
    setStackTraceLimit.call(Error, 10);
    setPrepareStackTrace.call(Error, undefined);
    if (O.getPrototypeOf(G) !== prototype) O.setPrototypeOf(G, prototype);
    if (!sweep && !touched) return true;
    touched = false;
    for (const key of O.ownKeys(G)) {
      if (!baseline.has(key) && !delete G[key]) return false;
    }
    return O.isExtensible(G) && O.getPrototypeOf(G) === prototype;
  });
  // Built-ins are frozen so no hook can change them for a later invocation. Freezing alone
  // would break ordinary code through JavaScript's "override mistake" (assigning `e.name` on
  // an Error, or `o.toString` on an object, fails when the inherited property is read-only),
  // so those commonly overridden properties become accessors whose setter defines an own
  // property on the receiver instead.
  // The properties ordinary code assigns on objects that inherit them. Taming every
  // property would cost ~1.4 MB per context (two closures each); these few cover what
  // hooks and our modules do (`e.name = …`, `o.toString = …`, and statics of subclassed
  // typed arrays such as `Buffer.from`).
  const OVERRIDABLE = ['constructor', 'toString', 'valueOf', 'toLocaleString', 'toJSON', 'name', 'message', 'stack'];
  const typedArray = Object.getPrototypeOf(Uint8Array);
  const tame = (proto) => {
    // Every function and object inherits these two: `fn.bind = …` (lodash's `_.bind`) and
    // `o.hasOwnProperty = …` must work too.
    const all = proto === typedArray || proto === Uint8Array || proto === Function.prototype || proto === Object.prototype;
    // A module class's data (`_events`), not its methods: an accessor in front of every method
    // would make each call go through a getter (lodash's caches call theirs constantly).
    const data = (key) => { const d = Object.getOwnPropertyDescriptor(proto, key); return d && 'value' in d && typeof d.value !== 'function'; };
    const keys = all ? Reflect.ownKeys(proto) : tameAll.has(proto) ? [...new Set([...OVERRIDABLE, ...Reflect.ownKeys(proto).filter(data)])] : OVERRIDABLE;
    for (const key of keys) {
      const d = Object.getOwnPropertyDescriptor(proto, key);
      if (!d || !('value' in d) || !d.configurable) continue;
      const value = d.value;
      const get = function () { return value; };
      const set = function (v) {
        if (this === proto) throw new TypeError(`Cannot assign to read only property '${String(key)}' of a built-in`);
        Object.defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
      };
      accessors.add(Object.freeze(get));
      accessors.add(Object.freeze(set));
      // The original value is still reachable through the getter: freeze it on the way.
      pending.push(value);
      Object.defineProperty(proto, key, { get, set, enumerable: d.enumerable, configurable: false });
    }
  };
  const tameable = new Set([typedArray, Uint8Array, Function.prototype, Object.prototype, typedArray.prototype]);
  for (const name of Object.getOwnPropertyNames(globalThis)) {
    const value = Object.getOwnPropertyDescriptor(globalThis, name).value;
    if (typeof value === 'function' && value.prototype && (typeof value.prototype === 'object' || typeof value.prototype === 'function')) tameable.add(value.prototype);
  }
  const accessors = new WeakSet();
  const pending = [];
  // The prototypes of an embedded module's classes: every data property on them is tamed, as
  // their instances assign what the prototype declares (`this._events = …` in events).
  const tameAll = new WeakSet();
  const freezeDeep = (root, module = false) => {
    const seen = new Set();
    const stack = pending;
    stack.push(root);
    while (stack.length) {
      const value = stack.pop();
      if ((typeof value !== 'object' && typeof value !== 'function') || value === null || value === G || seen.has(value) || accessors.has(value)) continue;
      seen.add(value);
      // Tame before freezing, whichever path reaches the object first.
      // A class's prototype, however it was reached (its `constructor` points back).
      const ctor = module ? O.getOwnPropertyDescriptor(value, 'constructor') : undefined;
      if (ctor && 'value' in ctor && typeof ctor.value === 'function' && ctor.value.prototype === value) {
        tameable.add(value);
        tameAll.add(value);
      }
      if (tameable.has(value)) tame(value);
      for (const key of Reflect.ownKeys(value)) {
        const d = Object.getOwnPropertyDescriptor(value, key);
        if ('value' in d) stack.push(d.value);
        else { stack.push(d.get); stack.push(d.set); }
      }
      stack.push(Object.getPrototypeOf(value));
      O.freeze(value);
    }
  };
  // Every global, methods included: a property stuck on `JSON.parse` would otherwise carry a
  // value from one instance's invocation to the next one's. (Lazy globals are accessors:
  // their getters are frozen here, the modules they load when required.)
  for (const key of Reflect.ownKeys(globalThis)) {
    if (key === '__host') continue;
    const d = Object.getOwnPropertyDescriptor(globalThis, key);
    freezeDeep('value' in d ? d.value : d.get);
  }
  freezeDeep(host.internal);
  // Intrinsics no global names: iterator, generator and async function prototypes.
  freezeDeep(Object.getPrototypeOf([][Symbol.iterator]()));
  freezeDeep(Object.getPrototypeOf(function* () {}));
  freezeDeep(Object.getPrototypeOf(async function () {}));
  freezeDeep(Object.getPrototypeOf(async function* () {}));
  freezeDeep(Object.getPrototypeOf(new Map().entries()));
  freezeDeep(Object.getPrototypeOf(new Set().values()));
  freezeDeep(Object.getPrototypeOf(''[Symbol.iterator]()));
  freezeDeep(Object.getPrototypeOf('a'.matchAll(/a/g)));
  if (typeof Iterator === 'function' && typeof Iterator.from === 'function') {
    freezeDeep(Object.getPrototypeOf([].values().map((x) => x)));
    freezeDeep(Object.getPrototypeOf(Iterator.from({ next: () => ({ done: true }) })));
  }
  freezeDeep(base64Encode);

  for (const key of Reflect.ownKeys(globalThis)) {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, key);
    if (key !== '__host' && descriptor.configurable && 'value' in descriptor) {
      Object.defineProperty(globalThis, key, { value: descriptor.value, writable: false, enumerable: descriptor.enumerable, configurable: false });
    }
  }
  baseline = new Set(Reflect.ownKeys(globalThis).filter((k) => k !== '__host'));
  prototype = O.getPrototypeOf(G);
})(__host);
delete globalThis.__host;
