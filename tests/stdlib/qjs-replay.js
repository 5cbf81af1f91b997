// Replays a `run.js --dump` file inside a QuickJS shell, loading js-stdlib the
// way the engine does. Usage (quickjs-ng `qjs` built with std/os modules):
//   qjs --std tests/stdlib/qjs-replay.js js-stdlib /tmp/cases.json
// Prints per-module pass counts and each failure; exits 1 on any failure.
const [dir, file] = scriptArgs.slice(1);
const FILES = { buffer: 'buffer.js', util: 'util.js', events: 'events.js', encoding: 'encoding.js', querystring: 'querystring.js', 'structured-clone': 'structured-clone.js' };
const cache = {};
// The engine's `internal.state` (js-stdlib/prelude.js), as a plain cell: one invocation here.
const internal = { state(make) { let v; let made = false; return { get: () => (made ? v : (made = true, v = make())), set: (x) => { v = x; made = true; } }; } };
function load(name) {
  if (cache[name]) return cache[name].exports;
  const src = std.loadFile(`${dir}/${FILES[name]}`);
  if (src === null) throw new Error(`cannot read ${name}`);
  const module = { exports: {} };
  cache[name] = module;
  (0, eval)(`(function (module, exports, require, internal) {${src}\n})`)(module, module.exports, load, internal);
  return module.exports;
}
const cases = JSON.parse(std.loadFile(file));
const stats = {};
let failures = 0;
for (const c of cases) {
  const s = stats[c.module] || (stats[c.module] = { pass: 0, fail: 0 });
  let got;
  try {
    got = JSON.stringify(new Function('m', `'use strict'; return (${c.expr});`)(load(c.module)));
  } catch (e) {
    got = `THROWS ${e && e.name}: ${e && e.message}`;
  }
  const want = JSON.stringify(c.expected);
  if (got === want) s.pass++;
  else {
    s.fail++;
    failures++;
    print(`FAIL [${c.module}] ${c.expr.slice(0, 300)}\n  want ${want.slice(0, 300)}\n  got  ${String(got).slice(0, 300)}`);
  }
}
for (const [name, s] of Object.entries(stats)) print(`${name}: ${s.pass} passed, ${s.fail} failed`);
std.exit(failures ? 1 : 0);
