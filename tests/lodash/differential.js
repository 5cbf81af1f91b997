#!/usr/bin/env node
/*
 * Differential test: js-stdlib/lodash.js (ours) against real lodash 4.17.21.
 *
 *   node tests/lodash/differential.js [--seed N] [--calls N] [--dump FILE] [--verbose]
 *
 * Every call is made twice from identically generated arguments (one copy per
 * implementation, so mutation by one side cannot leak into the other), with
 * Math.random reseeded identically before each side. Results, thrown-ness and
 * the post-call state of the arguments are compared with a strict structural
 * comparison (see `diff`). Exit status 1 on any mismatch not listed in
 * allowed-differences.json.
 */
'use strict';

const fs = require('fs');
const path = require('path');
const util = require('util');
const { targetedCases, scriptCases, timerCases, fpCases } = require('./cases');
const { buildSpecs } = require('./specs');

/* ---------------------------------------------------------------------- */
/* Options                                                                 */
/* ---------------------------------------------------------------------- */

function parseArgs(argv) {
  const opts = { seed: 1, calls: 6000, dump: null, verbose: false, only: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seed') opts.seed = Number(argv[++i]);
    else if (a === '--calls') opts.calls = Number(argv[++i]);
    else if (a === '--dump') opts.dump = argv[++i];
    else if (a === '--verbose') opts.verbose = true;
    else if (a === '--only') opts.only = argv[++i].split(',');
    else throw new Error('unknown option ' + a);
  }
  return opts;
}

/* ---------------------------------------------------------------------- */
/* Loading both implementations                                            */
/* ---------------------------------------------------------------------- */

// lodash captures Math.random when its context is created, so give it a Math
// whose random() follows the same per-call seeded sequence as ours.
let currentRandom = Math.random;
const seededMath = Object.create(Math, { random: { value: () => currentRandom() } });
const real = require('lodash').runInContext({ Math: seededMath });

// A fake clock shared by lodash (through its context) and ours (through the
// globals it looks up at call time), so timer behaviour compares exactly.
const clock = { now: 0, seq: 0, timers: new Map() };
function fakeSetTimeout(fn, ms) {
  const id = ++clock.seq;
  clock.timers.set(id, { at: clock.now + (Number(ms) || 0), fn });
  return id;
}
function fakeClearTimeout(id) {
  clock.timers.delete(id);
}
function advanceClock(ms) {
  const end = clock.now + ms;
  for (;;) {
    let nextId = null, next = null;
    for (const [id, t] of clock.timers) {
      if (t.at <= end && (!next || t.at < next.at || (t.at === next.at && id < nextId))) { next = t; nextId = id; }
    }
    if (!next) break;
    clock.timers.delete(nextId);
    clock.now = Math.max(clock.now, next.at);
    next.fn();
  }
  clock.now = end;
}
class FakeDate extends Date {
  static now() { return clock.now; }
}
const realTimed = require('lodash').runInContext({ Date: FakeDate, setTimeout: fakeSetTimeout, clearTimeout: fakeClearTimeout });
const ourPath = path.join(__dirname, '..', '..', 'js-stdlib', 'lodash.js');
const ourSource = fs.readFileSync(ourPath, 'utf8');

// The engine's `internal.state` (js-stdlib/prelude.js): module state kept per invocation; one
// invocation here, so a plain cell.
const internal = {
  state(make) {
    let value;
    let made = false;
    return { get: () => { if (!made) { value = make(); made = true; } return value; }, set: (v) => { value = v; made = true; } };
  },
};

// Load ours the way the engine does: as a strict function body with only
// `module`, `exports` and `internal` in scope (no require, no Node globals needed).
function loadOurs() {
  const module = { exports: {} };
  // eslint-disable-next-line no-new-func
  new Function('module', 'exports', 'internal', '"use strict";\n' + ourSource)(module, module.exports, internal);
  return module.exports;
}
const ours = loadOurs();
const realFp = require('lodash/fp');
const oursFp = (function () {
  const module = { exports: {} };
  const src = fs.readFileSync(path.join(__dirname, '..', '..', 'js-stdlib', 'lodash-fp.js'), 'utf8');
  // eslint-disable-next-line no-new-func
  new Function('module', 'exports', '"use strict";\n' + src)(module, module.exports);
  return module.exports(ours);
}());
if (loadOurs().VERSION !== '4.17.21') throw new Error('load failed');

/* ---------------------------------------------------------------------- */
/* Seeded randomness                                                       */
/* ---------------------------------------------------------------------- */

function mulberry32(seed) {
  let a = seed >>> 0;
  const next = function () {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  next.pick = (list) => list[Math.floor(next() * list.length)];
  next.chance = (p) => next() < p;
  return next;
}

const nativeRandom = Math.random;
function withSeededRandom(seed, fn) {
  currentRandom = Math.random = mulberry32(seed);
  try {
    return fn();
  } finally {
    currentRandom = Math.random = nativeRandom;
  }
}

/* ---------------------------------------------------------------------- */
/* Strict structural comparison                                            */
/* ---------------------------------------------------------------------- */

function isWrapper(v) {
  return v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, '__wrapped__') &&
    typeof v.value === 'function';
}

// Returns null when equal, otherwise a short description of the first
// difference. Distinguishes -0/0, treats NaN as equal to NaN, distinguishes
// holes from undefined, compares own enumerable key order, prototypes
// (plain vs null-prototype vs array), boxed primitives, Dates, RegExps,
// Maps/Sets (in insertion order) and typed arrays.
function diff(a, b, where, seen) {
  where = where || '$';
  seen = seen || new Map();
  if (isWrapper(a) && isWrapper(b)) return diff(a.value(), b.value(), where + '.value()', seen);
  if (typeof a !== typeof b) return `${where}: type ${typeof a} vs ${typeof b}`;
  if (typeof a === 'number') return Object.is(a, b) ? null : `${where}: ${fmtNum(a)} vs ${fmtNum(b)}`;
  if (typeof a === 'function') return null;
  if (typeof a === 'symbol') return a.toString() === b.toString() ? null : `${where}: ${String(a)} vs ${String(b)}`;
  if (a === null || b === null || typeof a !== 'object') return a === b ? null : `${where}: ${short(a)} vs ${short(b)}`;
  if (seen.get(a) === b) return null;
  seen.set(a, b);
  const ta = Object.prototype.toString.call(a), tb = Object.prototype.toString.call(b);
  if (ta !== tb) return `${where}: tag ${ta} vs ${tb}`;
  const pa = protoKind(a), pb = protoKind(b);
  if (pa !== pb) return `${where}: prototype ${pa} vs ${pb}`;
  switch (ta) {
    case '[object Number]': case '[object String]': case '[object Boolean]':
      if (!Object.is(a.valueOf(), b.valueOf())) return `${where}: boxed ${a.valueOf()} vs ${b.valueOf()}`;
      break;
    case '[object Date]':
      if (!Object.is(a.getTime(), b.getTime())) return `${where}: date ${a.getTime()} vs ${b.getTime()}`;
      break;
    case '[object RegExp]':
      if (String(a) !== String(b) || a.lastIndex !== b.lastIndex) return `${where}: regexp ${a} vs ${b}`;
      break;
    case '[object Error]':
      if (a.name !== b.name || a.message !== b.message) return `${where}: error ${a} vs ${b}`;
      break;
    case '[object Map]': {
      const ea = [...a], eb = [...b];
      return diff(ea, eb, where + '<map>', seen);
    }
    case '[object Set]':
      return diff([...a], [...b], where + '<set>', seen);
    default:
  }
  if (ArrayBuffer.isView(a) && !(a instanceof DataView)) {
    return diff(Array.from(a), Array.from(b), where + '<typed>', seen);
  }
  if (Array.isArray(a)) {
    if (a.length !== b.length) return `${where}: length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const ha = i in a, hb = i in b;
      if (ha !== hb) return `${where}[${i}]: ${ha ? 'value' : 'hole'} vs ${hb ? 'value' : 'hole'}`;
      const d = diff(a[i], b[i], `${where}[${i}]`, seen);
      if (d) return d;
    }
  }
  const ka = Object.keys(a).filter((k) => !(Array.isArray(a) && isIndexKey(k)));
  const kb = Object.keys(b).filter((k) => !(Array.isArray(b) && isIndexKey(k)));
  if (ka.join('\u0000') !== kb.join('\u0000')) return `${where}: keys [${ka}] vs [${kb}]`;
  for (const k of ka) {
    const d = diff(a[k], b[k], `${where}.${k}`, seen);
    if (d) return d;
  }
  const sa = Object.getOwnPropertySymbols(a).length, sb = Object.getOwnPropertySymbols(b).length;
  if (sa !== sb) return `${where}: ${sa} vs ${sb} symbol keys`;
  return null;
}
function isIndexKey(k) {
  return /^(?:0|[1-9]\d*)$/.test(k);
}
function protoKind(v) {
  const p = Object.getPrototypeOf(v);
  if (p === null) return 'null';
  if (p === Object.prototype) return 'Object';
  if (p === Array.prototype) return 'Array';
  if (p === real.prototype || p === ours.prototype) return 'lodash-wrapper';
  return (p.constructor && p.constructor.name) || 'other';
}
function fmtNum(n) {
  return Object.is(n, -0) ? '-0' : String(n);
}
function short(v) {
  return util.inspect(v, { depth: 4, breakLength: Infinity, maxArrayLength: 20, maxStringLength: 80 });
}

/* ---------------------------------------------------------------------- */
/* Tagged JSON encoding for --dump                                         */
/* ---------------------------------------------------------------------- */

class NotJson extends Error {}
// Values JSON cannot hold are tagged; anything else non-plain makes the
// call unrepresentable. See README.md for the format.
function encode(v, depth) {
  depth = depth || 0;
  if (depth > 20) throw new NotJson();
  if (v === undefined) return { $undefined: true };
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { $nan: true };
    if (Object.is(v, -0)) return { $negzero: true };
    if (v === Infinity) return { $infinity: 1 };
    if (v === -Infinity) return { $infinity: -1 };
    return v;
  }
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v !== 'object') throw new NotJson();
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) throw new NotJson();
    if (Object.keys(v).length !== v.filter(() => true).length) throw new NotJson();
    const out = [];
    for (let i = 0; i < v.length; i++) out.push(i in v ? encode(v[i], depth + 1) : { $hole: true });
    return out;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype || Object.getOwnPropertySymbols(v).length) throw new NotJson();
  const keys = Object.keys(v);
  const entries = keys.map((k) => [k, encode(v[k], depth + 1)]);
  // Integer-like keys are reordered by JSON parsers' object semantics, and `$`
  // keys would collide with tags: both use the explicit entry-list form.
  if (keys.some((k) => k.charAt(0) === '$') || keys.some(isIndexKey)) return { $object: entries };
  const out = {};
  for (const [k, e] of entries) out[k] = e;
  return out;
}
function tryEncode(v) {
  try {
    return { ok: true, value: encode(v) };
  } catch (e) {
    if (e instanceof NotJson || e instanceof RangeError) return { ok: false };
    throw e;
  }
}

/* ---------------------------------------------------------------------- */
/* Running calls                                                           */
/* ---------------------------------------------------------------------- */

function run(lib, fnName, args, randomSeed) {
  return withSeededRandom(randomSeed, () => {
    try {
      const fn = lib[fnName];
      const value = fn.apply(lib, args);
      return { threw: false, value };
    } catch (error) {
      return { threw: true, error };
    }
  });
}

// Function-valued results (negate, curry, memoize, over, ...) are compared by
// calling both with the same probe arguments.
function probeFunctions(ra, rb, probes) {
  if (typeof ra.value !== 'function' || typeof rb.value !== 'function') return null;
  for (let i = 0; i < probes.length; i++) {
    const pa = probes[i].a, pb = probes[i].b;
    let oa, ob;
    try { oa = { threw: false, value: ra.value.apply(undefined, pa) }; } catch (e) { oa = { threw: true }; }
    try { ob = { threw: false, value: rb.value.apply(undefined, pb) }; } catch (e) { ob = { threw: true }; }
    if (oa.threw !== ob.threw) return `probe ${i}: ${oa.threw ? 'threw' : 'returned'} vs ${ob.threw ? 'threw' : 'returned'}`;
    if (!oa.threw) {
      const d = diff(oa.value, ob.value, `probe${i}()`);
      if (d) return d;
    }
  }
  return null;
}

function compareOutcome(ra, rb, argsA, argsB, probes) {
  if (ra.threw !== rb.threw) {
    return `lodash ${ra.threw ? 'threw ' + ra.error : 'returned'} / ours ${rb.threw ? 'threw ' + rb.error : 'returned'}`;
  }
  if (!ra.threw) {
    const d = diff(ra.value, rb.value, 'result');
    if (d) return d;
    if (probes) {
      const p = probeFunctions(ra, rb, probes);
      if (p) return p;
    }
  }
  // Mutating functions (set, merge, pull, remove, fill, ...) must mutate alike.
  const d = diff(argsA, argsB, 'args-after');
  return d;
}

/* ---------------------------------------------------------------------- */
/* Allowed differences                                                     */
/* ---------------------------------------------------------------------- */

const allowed = JSON.parse(fs.readFileSync(path.join(__dirname, 'allowed-differences.json'), 'utf8'));
function findAllowance(fnName, argsText) {
  for (const entry of allowed) {
    if (entry.fn !== fnName) continue;
    if (entry.argsPattern && !new RegExp(entry.argsPattern).test(argsText)) continue;
    return entry;
  }
  return null;
}

/* ---------------------------------------------------------------------- */
/* Main                                                                    */
/* ---------------------------------------------------------------------- */

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const specs = buildSpecs();
  let specNames = Object.keys(specs).sort();
  if (opts.only) specNames = specNames.filter((n) => opts.only.includes(n));
  for (const name of specNames) {
    if (typeof real[name] !== 'function') throw new Error(`spec for unknown lodash function ${name}`);
  }

  const mismatches = [];
  const functionsSeen = new Set();
  const dumpCandidates = [];
  let calls = 0;

  function record(kind, fnName, argsText, detail, ra, rb) {
    const allowance = findAllowance(fnName, argsText);
    mismatches.push({ kind, fnName, argsText, detail, ra, rb, allowance });
  }

  // 1. Hand-written targeted cases: [fnName, argsFactory] pairs.
  for (const [fnName, makeArgs] of targetedCases) {
    if (opts.only && !opts.only.includes(fnName)) continue;
    const argsA = makeArgs(), argsB = makeArgs();
    const argsText = short(makeArgs());
    const ra = run(real, fnName, argsA, 7);
    const rb = run(ours, fnName, argsB, 7);
    calls++;
    functionsSeen.add(fnName);
    const d = compareOutcome(ra, rb, argsA, argsB, null);
    if (d) record('targeted', fnName, argsText, d, ra, rb);
  }
  // 2. Hand-written scripts exercising chaining, templates, wrappers.
  for (const [label, script] of scriptCases) {
    if (opts.only) break;
    const ra = withSeededRandom(7, () => { try { return { threw: false, value: script(real) }; } catch (e) { return { threw: true, error: e }; } });
    const rb = withSeededRandom(7, () => { try { return { threw: false, value: script(ours) }; } catch (e) { return { threw: true, error: e }; } });
    calls++;
    const d = compareOutcome(ra, rb, [], [], null);
    if (d) record('script', label, '(script)', d, ra, rb);
  }

  // 2b. lodash/fp scripts.
  for (const [label, script] of fpCases) {
    if (opts.only) break;
    const ra = withSeededRandom(7, () => { try { return { threw: false, value: script(realFp) }; } catch (e) { return { threw: true, error: e }; } });
    const rb = withSeededRandom(7, () => { try { return { threw: false, value: script(oursFp) }; } catch (e) { return { threw: true, error: e }; } });
    calls++;
    const d = compareOutcome(ra, rb, [], [], null);
    if (d) record('fp', 'fp: ' + label, '(fp script)', d, ra, rb);
  }

  // 3. Timer scenarios on the fake clock.
  for (const [label, make, steps] of timerCases) {
    if (opts.only) break;
    const outcome = (lib, isOurs) => {
      clock.now = 1000;
      clock.seq = 0;
      clock.timers.clear();
      const saved = { st: globalThis.setTimeout, ct: globalThis.clearTimeout, now: Date.now };
      if (isOurs) {
        globalThis.setTimeout = fakeSetTimeout;
        globalThis.clearTimeout = fakeClearTimeout;
        Date.now = () => clock.now;
      }
      try {
        const log = [];
        const fn = make(lib, (...a) => { log.push([clock.now, a]); return a[0]; });
        const returned = [];
        for (const step of steps) {
          if (step[0] === 'call') returned.push(fn(...step[1]));
          else if (step[0] === 'advance') advanceClock(step[1]);
          else returned.push(fn[step[0]]());
        }
        return { threw: false, value: { log, returned } };
      } catch (error) {
        return { threw: true, error };
      } finally {
        globalThis.setTimeout = saved.st;
        globalThis.clearTimeout = saved.ct;
        Date.now = saved.now;
      }
    };
    const ra = outcome(realTimed, false), rb = outcome(ours, true);
    calls++;
    const d = compareOutcome(ra, rb, [], [], null);
    if (d) record('timer', label, '(timer scenario)', d, ra, rb);
  }

  // 4. Generated calls, round-robin over functions with random signatures.
  const master = mulberry32(opts.seed);
  for (let i = 0; i < opts.calls; i++) {
    const fnName = specNames[i % specNames.length];
    const spec = specs[fnName];
    const callSeed = Math.floor(master() * 0x7fffffff);
    const sigIndex = mulberry32(callSeed).int(spec.sigs.length);
    const sig = spec.sigs[sigIndex];
    // Three identical argument sets: one per implementation and one pristine
    // copy for reporting and dumping.
    const argsA = sig(mulberry32(callSeed + 1));
    const argsB = sig(mulberry32(callSeed + 1));
    const argsC = sig(mulberry32(callSeed + 1));
    let probes = null;
    if (spec.probes) {
      probes = [];
      for (let p = 0; p < 3; p++) {
        probes.push({ a: spec.probes(mulberry32(callSeed + 10 + p)), b: spec.probes(mulberry32(callSeed + 10 + p)) });
      }
    }
    const argsText = short(argsC);
    if (process.env.LODASH_DIFF_TRACE) fs.writeFileSync(process.env.LODASH_DIFF_TRACE, `${i} ${fnName} ${argsText}\n`);
    const t0 = Date.now();
    const ra = run(real, fnName, argsA, callSeed);
    const t1 = Date.now();
    const rb = run(ours, fnName, argsB, callSeed);
    const t2 = Date.now();
    if (opts.verbose && (t2 - t0) > 200) console.log(`slow: ${fnName} lodash ${t1 - t0}ms ours ${t2 - t1}ms ${argsText.slice(0, 200)}`);
    calls++;
    functionsSeen.add(fnName);
    const d = compareOutcome(ra, rb, argsA, argsB, probes);
    if (d) {
      record('generated', fnName, argsText, d, ra, rb);
    } else if (opts.dump && !ra.threw && !spec.noDump && typeof ra.value !== 'function') {
      const ea = tryEncode(argsC), er = tryEncode(ra.value);
      if (ea.ok && er.ok) dumpCandidates.push({ fn: fnName, args: ea.value, expected: er.value });
    }
  }

  const failures = mismatches.filter((m) => !m.allowance);
  const allowedHits = mismatches.filter((m) => m.allowance);
  for (const m of mismatches) {
    const tag = m.allowance ? 'ALLOWED' : 'MISMATCH';
    console.log(`${tag} [${m.kind}] ${m.fnName}(${m.argsText})`);
    console.log(`    ${m.detail}`);
    console.log(`    lodash: ${m.ra.threw ? 'threw ' + m.ra.error : short(m.ra.value)}`);
    console.log(`    ours:   ${m.rb.threw ? 'threw ' + m.rb.error : short(m.rb.value)}`);
    if (m.allowance) console.log(`    reason: ${m.allowance.reason}`);
  }

  if (opts.dump) {
    // A spread sample: round-robin over functions so every function that has
    // JSON-representable calls is present.
    const byFn = new Map();
    for (const c of dumpCandidates) {
      if (!byFn.has(c.fn)) byFn.set(c.fn, []);
      byFn.get(c.fn).push(c);
    }
    const sample = [];
    const lists = [...byFn.values()];
    for (let round = 0; sample.length < 500 && lists.some((l) => l.length > round); round++) {
      for (const l of lists) if (l.length > round && sample.length < 500) sample.push(l[round]);
    }
    fs.writeFileSync(opts.dump, JSON.stringify(sample, null, 0).replace(/\},\{"fn"/g, '},\n{"fn"') + '\n');
    console.log(`dumped ${sample.length} calls over ${new Set(sample.map((s) => s.fn)).size} functions to ${opts.dump}`);
  }

  const ourCount = Object.keys(ours).filter((k) => typeof ours[k] === 'function').length;
  console.log(`ours exports ${ourCount} functions`);
  console.log(`lodash differential: ${calls} calls, ${functionsSeen.size} functions, ${failures.length} mismatches` +
    (allowedHits.length ? ` (+${allowedHits.length} allowed differences)` : ''));
  process.exitCode = failures.length ? 1 : 0;
}

main();
