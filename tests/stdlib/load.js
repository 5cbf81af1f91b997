'use strict';
// Loads js-stdlib modules exactly as the engine does: the file is the body of
// `function (module, exports, require)`, and `require` only knows the siblings.
const fs = require('fs');
const path = require('path');

const DIR = path.join(__dirname, '..', '..', 'js-stdlib');
const FILES = {
  buffer: 'buffer.js',
  util: 'util.js',
  events: 'events.js',
  encoding: 'encoding.js',
  querystring: 'querystring.js',
  'structured-clone': 'structured-clone.js',
};

// The engine's `internal.state` (js-stdlib/prelude.js): module state kept per invocation; one
// invocation here, so a plain cell.
const internal = {
  state(make) {
    let value;
    let made = false;
    return { get: () => { if (!made) { value = make(); made = true; } return value; }, set: (v) => { value = v; made = true; } };
  },
};

function makeLoader() {
  const cache = {};
  function load(name) {
    if (Object.prototype.hasOwnProperty.call(cache, name)) return cache[name].exports;
    const file = FILES[name];
    if (!file) throw new Error(`stdlib require: unknown module ${name}`);
    const src = fs.readFileSync(path.join(DIR, file), 'utf8');
    const module = { exports: {} };
    cache[name] = module;
    // eslint-disable-next-line no-new-func
    new Function('module', 'exports', 'require', 'internal', src)(module, module.exports, load, internal);
    return module.exports;
  }
  return load;
}

module.exports = { makeLoader, FILES, DIR };
