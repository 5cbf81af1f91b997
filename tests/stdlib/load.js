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
    new Function('module', 'exports', 'require', src)(module, module.exports, load);
    return module.exports;
  }
  return load;
}

module.exports = { makeLoader, FILES, DIR };
