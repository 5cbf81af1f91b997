#!/usr/bin/env node
// The Node 20 peer of the gateway benchmark: runs an element's own hook files (the preRequest
// and postRequest hooks of its first resource) around a call to the vendor, in one process.
//   node node-gateway.js --port P --vendor http://127.0.0.1:V --element DIR --mode shared|fresh
//        --config '{"api.key": ...}'
// Hooks get their variables the way elemental gives them (README, "Hooks"): the script is the
// body of a strict function whose parameters are the variables; done(result) (first call
// wins) or a returned object is the result; request_vendor_headers/parameters are merged (null
// removes). --mode shared: the hooks compiled once (vm.Script) and run in one vm context;
// --mode fresh: a new vm context for every request (the scripts compiled once still).
'use strict';
const http = require('http');
const vm = require('vm');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const opts = {};
for (let i = 2; i < process.argv.length; i += 2) opts[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const vendor = new URL(opts.vendor);
const config = JSON.parse(opts.config || '{}');
const mode = opts.mode || 'shared';

// The first resource with hooks, read from element.yaml without a YAML library: the vendorPath
// prefix and the hook files (`file: hooks/x.js` under `type: preRequest|postRequest`).
const yaml = fs.readFileSync(path.join(opts.element, 'element.yaml'), 'utf8');
const resource = yaml.split(/\n  - method: /)[1];
const [, callerPath, vendorPath] = resource.match(/path: (\S+)\n\s+vendorPath: (\S+)/);
const prefix = vendorPath.slice(0, vendorPath.length - callerPath.length);
const files = {};
for (const m of resource.matchAll(/type: (preRequest|postRequest)\n\s+file: (\S+)/g)) files[m[1]] = path.join(opts.element, m[2]);

const hmac = (algo, enc) => (secret, data) => {
  if (secret == null || data == null) throw new TypeError('The "key" and "data" arguments must be strings');
  return crypto.createHmac(algo, secret).update(data).digest(enc);
};
const CE = Object.freeze({
  hmac: algo => enc => hmac(algo, enc),
  hmacSha256Base64: hmac('sha256', 'base64'), hmacSha256base64: hmac('sha256', 'base64'), hmacSha256Hex: hmac('sha256', 'hex'),
  hmacSha1Base64: hmac('sha1', 'base64'), hmacSha1base64: hmac('sha1', 'base64'), hmacSha1Hex: hmac('sha1', 'hex'),
  b64: s => Buffer.from(String(s)).toString('base64'),
  decode64: s => Buffer.from(String(s), 'base64').toString(),
  md5: s => crypto.createHash('md5').update(String(s)).digest('hex'),
});
const VARS = ['request_headers', 'request_method', 'request_path', 'request_parameters', 'request_vendor_method',
  'request_vendor_path', 'request_vendor_url', 'request_vendor_headers', 'request_vendor_parameters', 'configuration',
  'response_body', 'response_headers', 'response_status_code', 'response_iserror', 'done', 'CE', 'console'];
const compile = file => new vm.Script(`(function (${VARS.join(', ')}) {'use strict';\n${fs.readFileSync(file, 'utf8')}\n})`,
  { filename: file, lineOffset: -1 });
const scripts = { pre: files.preRequest && compile(files.preRequest), post: files.postRequest && compile(files.postRequest) };

function hooksIn(context) {
  return { pre: scripts.pre && scripts.pre.runInContext(context), post: scripts.post && scripts.post.runInContext(context) };
}
// --mode main (not a benchmark contender; a reference): the hooks in Node's own context.
const shared = mode === 'shared' ? hooksIn(vm.createContext({}))
  : mode === 'main' ? { pre: scripts.pre && scripts.pre.runInThisContext(), post: scripts.post && scripts.post.runInThisContext() } : null;

function invoke(fn, vars) {
  if (!fn) return {};
  let result;
  vars.done = r => { if (result === undefined) result = r === undefined ? {} : r; };
  vars.CE = CE;
  vars.console = console;
  const returned = fn(...VARS.map(n => vars[n]));
  if (result === undefined && returned && typeof returned === 'object') result = returned;
  return result || {};
}

function merge(into, from) {
  for (const [k, v] of Object.entries(from || {})) {
    const key = Object.keys(into).find(x => x.toLowerCase() === k.toLowerCase()) || k;
    if (v === null) delete into[key]; else into[key] = String(v);
  }
  return into;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function answer(res, status, body) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  try {
    const url = new URL(req.url, 'http://caller');
    const hooks = shared || hooksIn(vm.createContext({}));
    const parameters = Object.fromEntries(url.searchParams);
    const vendorPath = prefix + url.pathname;
    const common = {
      request_headers: req.headers, request_method: req.method, request_path: url.pathname, request_parameters: parameters,
      request_vendor_method: req.method, request_vendor_path: vendorPath, request_vendor_url: vendor.origin + vendorPath,
      configuration: config,
    };
    const vendorHeaders = { Accept: 'application/json', 'Content-Type': 'application/json' };
    const pre = invoke(hooks.pre, { ...common, request_vendor_headers: { ...vendorHeaders }, request_vendor_parameters: { ...parameters } });
    if (pre.continue === false) return answer(res, pre.response_status_code || 200, pre.response_body || {});
    const headers = merge(vendorHeaders, pre.request_vendor_headers);
    const query = new URLSearchParams(merge({ ...parameters }, pre.request_vendor_parameters)).toString();
    const outbound = http.request({ agent, host: vendor.hostname, port: vendor.port, method: req.method,
                                    path: vendorPath + (query ? '?' + query : ''), headers }, vres => {
      const chunks = [];
      vres.on('data', c => chunks.push(c));
      vres.on('end', () => {
        try {
          const raw = Buffer.concat(chunks).toString();
          let body;
          try { body = JSON.parse(raw); } catch { body = raw; }
          const post = invoke(hooks.post, { ...common, request_vendor_headers: headers, request_vendor_parameters: {},
            response_body: body, response_headers: vres.headers, response_status_code: vres.statusCode,
            response_iserror: vres.statusCode < 200 || vres.statusCode > 207 });
          answer(res, post.response_status_code || vres.statusCode, post.response_body !== undefined ? post.response_body : body);
        } catch (e) { answer(res, 500, { message: String(e) }); }
      });
    });
    outbound.on('error', e => answer(res, 502, { message: String(e) }));
    outbound.end();
  } catch (e) {
    answer(res, 500, { message: String(e) });
  }
});
server.keepAliveTimeout = 120000;
server.headersTimeout = 121000;
server.listen(Number(opts.port), '127.0.0.1');
