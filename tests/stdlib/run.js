#!/usr/bin/env node
'use strict';
// Differential tests: every case is a JS expression over `m`, evaluated once with
// Node's own module and once with ours (loaded exactly as the engine loads it).
//   node tests/stdlib/run.js [--module NAME] [--seed N] [--verbose] [--dump FILE]
process.noDeprecation = true; // the legacy Buffer() cases would print DEP0005
const fs = require('fs');
const path = require('path');
const { makeLoader } = require('./load');
const { rng } = require('./gen');

const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i === -1 ? undefined : args[i + 1]; };
const seed = Number(opt('--seed') || 20240601);
const only = opt('--module');
const dumpFile = opt('--dump');
const verbose = args.includes('--verbose');

const load = makeLoader();
const MODULES = {
  buffer: { ours: () => load('buffer'), node: () => require('node:buffer') },
  encoding: { ours: () => load('encoding'), node: () => ({ TextEncoder, TextDecoder }) },
  util: { ours: () => load('util'), node: () => require('node:util') },
  events: { ours: () => load('events'), node: () => require('node:events') },
  querystring: { ours: () => load('querystring'), node: () => require('node:querystring') },
  'structured-clone': { ours: () => load('structured-clone'), node: () => structuredClone },
};

const allowed = JSON.parse(fs.readFileSync(path.join(__dirname, 'allowed-differences.json'), 'utf8'));

// A canonical, engine-neutral description of a result, used for comparison.
function canon(v, seen = new Map()) {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'undefined': return 'undefined';
    case 'number': return Object.is(v, -0) ? 'num:-0' : `num:${v}`;
    case 'bigint': return `big:${v}`;
    case 'string': return `str:${JSON.stringify(v)}`;
    case 'boolean': return `bool:${v}`;
    case 'symbol': return `sym:${v.description}`;
    case 'function': return `fn:${v.name}`;
    default: break;
  }
  if (seen.has(v)) return `<cycle ${seen.get(v)}>`;
  seen.set(v, seen.size);
  const proto = Object.getPrototypeOf(v);
  const ctor = proto === null ? 'null' : (proto.constructor && proto.constructor.name) || '?';
  const tag = Object.prototype.toString.call(v);
  if (ArrayBuffer.isView(v)) {
    const bytes = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
    return `${tag}:${ctor === 'FastBuffer' ? 'Buffer' : ctor}(${bytes})`;
  }
  if (v instanceof ArrayBuffer || tag === '[object ArrayBuffer]') return `ArrayBuffer(${Buffer.from(v).toString('hex')})`;
  if (tag === '[object Date]') return `Date(${v.getTime()})`;
  if (tag === '[object RegExp]') return `RegExp(${v.source}/${v.flags}/${v.lastIndex})`;
  if (tag === '[object Error]' || v instanceof Error) return `Error(${ctor}:${v.name}:${v.message}:${canon(v.cause, seen)}:${Object.prototype.hasOwnProperty.call(v, 'cause')})`;
  if (tag === '[object Map]') return `Map{${Array.from(v, ([k, x]) => `${canon(k, seen)}=>${canon(x, seen)}`).join(',')}}`;
  if (tag === '[object Set]') return `Set{${Array.from(v, (x) => canon(x, seen)).join(',')}}`;
  const keys = Reflect.ownKeys(v).filter((k) => Object.prototype.propertyIsEnumerable.call(v, k));
  const body = keys.map((k) => `${typeof k === 'symbol' ? `[${String(k)}]` : JSON.stringify(k)}:${canon(v[k], seen)}`).join(',');
  if (Array.isArray(v)) return `[len=${v.length};${body}]`;
  if (tag === '[object Number]' || tag === '[object String]' || tag === '[object Boolean]') return `${tag}(${canon(v.valueOf())}){${body}}`;
  return `${ctor === 'ParsedQueryString' ? 'null' : ctor}{${body}}`;
}

function describeError(e) {
  if (e === null || typeof e !== 'object') return { thrown: String(e) };
  return { name: e.name, code: e.code === undefined ? null : e.code, message: String(e.message) };
}

async function evaluate(mod, expr, isAsync) {
  try {
    // eslint-disable-next-line no-new-func
    const fn = new Function('m', `'use strict'; return (${expr});`);
    let value = fn(mod);
    if (isAsync) value = await value;
    return { ok: true, value };
  } catch (e) {
    return { ok: false, error: describeError(e) };
  }
}

function sameOutcome(a, b, compareMessages) {
  if (a.ok !== b.ok) return false;
  if (a.ok) return canon(a.value) === canon(b.value);
  return a.error.name === b.error.name && a.error.code === b.error.code && (!compareMessages || a.error.message === b.error.message);
}

function jsonExact(v) {
  try {
    const s = JSON.stringify(v);
    if (s === undefined) return false;
    return canon(JSON.parse(s)) === canon(v);
  } catch (e) {
    return false;
  }
}

async function main() {
  const caseFiles = Object.keys(MODULES).filter((n) => !only || n === only);
  let failed = false;
  const dump = [];
  for (const name of caseFiles) {
    const r = rng(seed + name.length * 7919);
    let cases = require(`./cases/${name}`)(r);
    cases = cases.map((c) => (typeof c === 'string' ? { expr: c } : c));
    const ours = MODULES[name].ours();
    const node = MODULES[name].node();
    const mismatches = [];
    const passing = [];
    for (const c of cases) {
      const expected = await evaluate(node, c.expr, c.async);
      const actual = await evaluate(ours, c.expr, c.async);
      if (sameOutcome(expected, actual, c.messages !== false)) passing.push({ c, expected });
      else mismatches.push({ expr: c.expr, expected, actual });
    }
    const allowedHere = allowed[name] || [];
    const unexpected = mismatches.filter((mm) => !allowedHere.some((a) => a.expr === mm.expr));
    console.log(`${name}: ${cases.length} cases, ${mismatches.length} mismatches${mismatches.length ? ` (${mismatches.length - unexpected.length} allowed)` : ''}`);
    for (const mm of (verbose ? mismatches : unexpected).slice(0, 40)) {
      console.log(`  MISMATCH ${mm.expr.length > 300 ? `${mm.expr.slice(0, 300)}...` : mm.expr}`);
      const show = (o) => (o.ok ? (typeof o.value === 'string' ? JSON.stringify(o.value) : canon(o.value)) : `throws ${JSON.stringify(o.error)}`);
      const [x, y] = [show(mm.expected), show(mm.actual)];
      // Long outputs: show a window around the first difference.
      let at = 0;
      while (at < x.length && x[at] === y[at]) at++;
      const clip = (s) => (s.length > 300 ? `${at > 100 ? '...' : ''}${s.slice(Math.max(0, at - 100), at + 200)}...` : s);
      console.log(`    node: ${clip(x)}`);
      console.log(`    ours: ${clip(y)}`);
    }
    if (unexpected.length > 40) console.log(`  ... ${unexpected.length - 40} more`);
    if (unexpected.length) failed = true;
    if (dumpFile) dump.push(...selectForDump(name, passing));
  }
  if (dumpFile) {
    fs.writeFileSync(dumpFile, `${JSON.stringify(dump, null, 1)}\n`);
    console.log(`wrote ${dump.length} cases to ${dumpFile}`);
  }
  process.exit(failed ? 1 : 0);
}

// ~50 cases per module: evenly spread over the passing ones, preferring short
// expressions, keeping only results JSON can carry exactly.
function selectForDump(name, passing) {
  const PER_MODULE = args.includes('--all') ? Infinity : 50;
  const usable = passing.filter(({ c, expected }) => !c.async && c.expr.length < 600 && (expected.ok ? jsonExact(expected.value) : true));
  const step = PER_MODULE === Infinity ? 1 : Math.max(1, Math.floor(usable.length / PER_MODULE));
  const out = [];
  for (let i = 0; i < usable.length && out.length < PER_MODULE; i += step) {
    const { c, expected } = usable[i];
    if (expected.ok) out.push({ module: name, expr: c.expr, expected: expected.value });
    else {
      out.push({
        module: name,
        expr: `(() => { try { ${c.expr}; return { threw: false }; } catch (e) { return { threw: true, name: e.name, code: e.code === undefined ? null : e.code }; } })()`,
        expected: { threw: true, name: expected.error.name, code: expected.error.code },
      });
    }
  }
  return out;
}

main().catch((e) => { console.error(e); process.exit(2); });
