// Extract every hook from Cloud Elements' public element exports into hooks.json, the test
// data of tests/ce_hooks.rs (committed, so the test runs offline without the exports).
//
//     node tests/ce-hooks/extract.js /path/to/elements > tests/ce-hooks/hooks.json
//
// Deterministic: elements by name, hooks in file order; each element's configuration keys
// with their default values (the variables a hook reads), nothing else.
'use strict';

const fs = require('fs');
const path = require('path');

const root = process.argv[2];
if (!root) throw new Error('usage: node extract.js <folder of <name>/element.json>');

const elements = {};
const hooks = [];
for (const name of fs.readdirSync(root).sort()) {
  const file = path.join(root, name, 'element.json');
  if (!fs.existsSync(file)) continue;
  const element = JSON.parse(fs.readFileSync(file, 'utf8'));
  const configuration = {};
  for (const c of element.configuration || []) {
    if (typeof c.key === 'string') configuration[c.key] = c.defaultValue === undefined ? null : c.defaultValue;
  }
  elements[name] = { configuration };
  const seen = new Map();
  const take = (hook, scope) => {
    const base = `${name} ${scope} ${hook.type}`;
    const n = (seen.get(base) || 0) + 1;
    seen.set(base, n);
    hooks.push({
      id: n === 1 ? base : `${base} #${n}`,
      element: name,
      kind: hook.type,
      legacy: hook.isLegacy === true || hook.isLegacy === 'true',
      body: typeof hook.body === 'string' ? hook.body : '',
    });
  };
  for (const hook of element.hooks || []) take(hook, 'global');
  for (const resource of element.resources || []) {
    for (const hook of resource.hooks || []) take(hook, `${resource.method} ${resource.path}`);
  }
}

process.stdout.write(JSON.stringify({
  about: 'Every hook of the Cloud Elements element exports (MIT, see LICENSE and SOURCE.txt), extracted by extract.js; do not edit by hand.',
  elements,
  hooks,
}, null, 1) + '\n');
