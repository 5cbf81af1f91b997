// The globals of a web task (README.md, "Script endpoints: web tasks"): `kv`, `elements` and
// the task driver, installed on a task's context before js-stdlib/prelude.js freezes it.
// `host.internal.io` is the prelude's, read when a call is made.
(function (host) {
  'use strict';
  const service = (op, args) => host.internal.io.service(op, JSON.stringify(args));
  const checkKey = (key) => {
    if (typeof key !== 'string' || key === '') throw new TypeError('kv: a key is a non-empty string');
    return key;
  };
  // The project's key-value store: values are JSON, kept sealed in the server's store.
  const kv = {
    get: (key) => service('kv.get', { key: checkKey(key) }),
    put: (key, value) => {
      checkKey(key);
      if (value === undefined) throw new TypeError('kv.put: a value is required (use kv.delete to remove a key)');
      return service('kv.put', { key, value }).then(() => undefined);
    },
    delete: (key) => service('kv.delete', { key: checkKey(key) }),
    list: (prefix) => service('kv.list', { prefix: prefix === undefined ? '' : String(prefix) }),
  };
  // A request through an instance's element, hooks and all, as if a caller had sent it.
  const elements = {
    call: (instance, method, path, options) => {
      const o = options || {};
      return service('elements.call', {
        instance, method: String(method || 'GET'), path: String(path || '/'),
        query: o.query || {}, headers: o.headers || {}, body: o.body === undefined ? null : o.body,
      });
    },
  };
  globalThis.kv = kv;
  globalThis.elements = elements;

  const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
  const TEXT = /^\s*text\/(plain|html)\b/i;
  // The response body: a string under a text content type as it is, anything else as JSON.
  const render = (kind, status, type, value) => {
    if (value === undefined) return { kind, status, contentType: type, text: null };
    if (typeof value === 'string' && (type ? TEXT.test(type) : kind === 'unauthorized')) {
      return { kind, status, contentType: type || 'text/plain; charset=utf-8', text: value };
    }
    const text = JSON.stringify(value);
    return { kind, status, contentType: type || 'application/json', text: text === undefined ? 'null' : text };
  };
  const checkStatus = (code) => {
    const n = Number(code);
    if (!Number.isInteger(n) || n < 100 || n > 599) throw new RangeError(`response.status: ${code} is not an HTTP status`);
    return n;
  };
  const makeRequest = (spec) => {
    const url = new URL(spec.url);
    const headers = new Headers(spec.headers);
    const text = spec.method === 'GET' || spec.method === 'HEAD' ? null : (spec.body === null ? '' : spec.body);
    return {
      method: spec.method, url, headers, hostname: spec.hostname, subdomain: spec.subdomain,
      searchParams: url.searchParams, path: spec.path,
      json() { return text === null || text === '' ? null : JSON.parse(text); },
      text() { return text; },
      header(key) { return headers.get(key); },
    };
  };
  // Query parameters, then a JSON object body's fields over them.
  const makeParams = (request) => {
    const params = {};
    for (const [key, value] of request.searchParams) params[key] = value;
    let body = null;
    try { body = request.json(); } catch (e) { body = null; }
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) Object.assign(params, body);
    return params;
  };
  const describe = (value) => (value === undefined ? 'undefined' : value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`);

  globalThis.__elemental_task = function (ns, spec, label) {
    const state = { called: false, result: undefined, returned: undefined, failure: undefined };
    const end = (result) => { if (!state.called) { state.called = true; state.result = result; } };
    const method = String(spec.method).toLowerCase();
    const handler = METHODS.includes(method) ? ns[method] : undefined;
    if (typeof handler !== 'function') {
      end({ kind: 'method', allow: METHODS.filter((m) => typeof ns[m] === 'function').map((m) => m.toUpperCase()) });
      return state;
    }
    if (typeof ns.authenticate !== 'function') {
      end({ kind: 'error', message: 'the task exports no authenticate function: it must, and return access.authorized() or access.unauthorized()' });
      return state;
    }
    // Only what these two made is a decision; anything else authenticate returns fails.
    const decisions = new WeakMap();
    const decide = (decision) => { const token = Object.freeze({}); decisions.set(token, decision); return token; };
    const access = Object.freeze({
      authorized: (context) => decide({ authorized: true, context }),
      unauthorized: (options) => decide({ authorized: false, options: options || {} }),
    });
    const request = makeRequest(spec);
    const params = makeParams(request);
    const run = async () => {
      const returned = await ns.authenticate({ request, access, params });
      const decision = (typeof returned === 'object' || typeof returned === 'function') && returned !== null ? decisions.get(returned) : undefined;
      if (decision === undefined) {
        return { kind: 'error', message: `authenticate must return access.authorized() or access.unauthorized(), not ${describe(returned)}` };
      }
      if (!decision.authorized) {
        const o = decision.options;
        return render('unauthorized', o.status === undefined ? 401 : checkStatus(o.status), null, o.body);
      }
      let status = 200;
      let type = null;
      let body;
      const response = {
        contentType(t) { type = String(t); return response; },
        status(code) { status = checkStatus(code); return response; },
        body(b) { body = b; return response; },
      };
      const value = await handler({ params, request, response, authContext: decision.context });
      return render('response', status, type, value === undefined ? body : value);
    };
    run().then(end, (e) => { if (!state.called && state.failure === undefined) state.failure = e === undefined ? new Error(`${label} failed`) : e; });
    return state;
  };
})
