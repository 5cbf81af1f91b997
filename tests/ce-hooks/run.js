// The oracle of tests/ce_hooks.rs: run Cloud Elements hooks in real Node with the hook
// contract elemental implements (README.md, "Hooks"), and print what each gave.
//
// stdin: {names, now, lodash, cases: [{id, kind, legacy, body, vars}]}; stdout: [{id, outcome}]
// with outcome {called, result} or {error: <name>}. `names` are the variables a hook may read
// (bound as consts), `now` the instant Date is frozen at, `lodash` where real lodash is.
//
// The wrapper mirrors src/hooks/contract: the body runs inside a function with the variables
// as consts, Node's module scope (module, exports, this = module.exports), strict unless
// legacy. CE is built on Node's crypto and Buffer; nothing else of elemental is reused.
'use strict';

const crypto = require('crypto');

const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));

// Date frozen at `now`, as elemental's `hook run --now` (js-stdlib/frozen-clock.js).
const RealDate = Date;
function FrozenDate(...args) {
  if (!new.target) return new RealDate(input.now).toString();
  return args.length === 0 ? new RealDate(input.now) : new RealDate(...args);
}
FrozenDate.prototype = RealDate.prototype;
FrozenDate.now = () => input.now;
FrozenDate.parse = RealDate.parse;
FrozenDate.UTC = RealDate.UTC;
Object.defineProperty(RealDate.prototype, 'constructor', { value: FrozenDate, writable: true, configurable: true });
globalThis.Date = FrozenDate;

const lodash = input.lodash ? require(input.lodash) : null;

const hmac = (algo) => (enc) => (secret, str) => crypto.createHmac(algo, secret).update(str).digest(enc);
const CE = {
  md5: (s) => crypto.createHash('md5').update(String(s)).digest('hex'),
  b64: (s) => Buffer.from(String(s)).toString('base64'),
  decode64: (s) => Buffer.from(String(s), 'base64').toString('utf8'),
  hmac,
};
for (const [algoName, algo] of [['Sha1', 'sha1'], ['Sha256', 'sha256'], ['Md5', 'md5']]) {
  for (const [encName, enc] of [['Hex', 'hex'], ['Base64', 'base64'], ['base64', 'base64']]) {
    CE[`hmac${algoName}${encName}`] = hmac(algo)(enc);
  }
}
const getArray = () => {
  const list = [];
  Object.defineProperty(list, 'add', { value: (item) => { list.push(item); return true; }, enumerable: false });
  return list;
};
const hookRequire = (name) => (name === 'lodash' && lodash ? lodash : require(name));

const json = (value) => (value === undefined ? null : JSON.parse(JSON.stringify(value)));
const isPlain = (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Promise);

let rejected = false;
process.on('unhandledRejection', () => { rejected = true; });

async function runOne(c) {
  const bound = input.names.map((n) => `${n}=__v.${n}`).join(',');
  const strict = c.legacy ? '' : '"use strict";';
  // `let`, as elemental binds them: Cloud Elements' hooks assign to their variables.
  const text = `let ${bound};return (function(){${strict}${c.body}\n}).call(exports);`;
  const state = { called: false, result: undefined };
  const done = (result) => { if (!state.called) { state.called = true; state.result = result; } };
  const silent = { log() {}, info() {}, warn() {}, error() {}, debug() {}, trace() {} };
  const module = { id: '.', exports: {}, loaded: false };
  rejected = false;
  let returned;
  try {
    const fn = new Function('__v', 'done', 'print', 'module', 'exports', 'CE', 'getArray', 'require', 'console', text);
    returned = fn(c.vars, done, silent.log, module, module.exports, CE, getArray, hookRequire, silent);
  } catch (e) {
    if (!state.called) return { error: e && e.name ? e.name : 'Error' };
  }
  for (let i = 0; i < 10 && !state.called; i++) await new Promise((resolve) => setImmediate(resolve));
  if (state.called) {
    const r = state.result;
    if (r !== undefined && r !== null && !isPlain(r)) return { error: 'BadResult' };
    return { called: true, result: json(r) };
  }
  if (rejected) return { error: 'UnhandledRejection' };
  return { called: false, result: isPlain(returned) ? json(returned) : null };
}

(async () => {
  const out = [];
  for (const c of input.cases) out.push({ id: c.id, outcome: await runOne(c) });
  process.stdout.write(JSON.stringify(out));
})();
