// Outbound HTTP for hooks: WHATWG fetch (Headers, Request, Response) and Parse's
// httpRequest. Both send through the engine (`internal.io`), which applies the element's
// egress policy, the per-invocation concurrency limit and the time budget.
'use strict';
const { TextEncoder, TextDecoder } = require('encoding');
const io = internal.io;

const REASONS = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 410: 'Gone', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
const utf8 = (text) => new TextEncoder().encode(String(text));
const fromUtf8 = (bytes) => new TextDecoder().decode(bytes);
const bytesOf = (body) => {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return utf8(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  return utf8(String(body));
};

class Headers {
  constructor(init) {
    this._map = new Map(); // lower-case name -> [name, [values]]
    if (init instanceof Headers) init.forEach((value, name) => this.append(name, value));
    else if (Array.isArray(init)) for (const [name, value] of init) this.append(name, value);
    else if (init && typeof init === 'object') for (const name of Object.keys(init)) this.append(name, init[name]);
  }
  append(name, value) {
    const key = String(name).toLowerCase();
    const entry = this._map.get(key);
    if (entry) entry[1].push(String(value)); else this._map.set(key, [key, [String(value)]]);
  }
  set(name, value) { const key = String(name).toLowerCase(); this._map.set(key, [key, [String(value)]]); }
  get(name) {
    const entry = this._map.get(String(name).toLowerCase());
    if (!entry) return null;
    return entry[0] === 'set-cookie' ? entry[1].join(', ') : entry[1].join(', ');
  }
  getSetCookie() { const entry = this._map.get('set-cookie'); return entry ? entry[1].slice() : []; }
  has(name) { return this._map.has(String(name).toLowerCase()); }
  delete(name) { this._map.delete(String(name).toLowerCase()); }
  forEach(callback, thisArg) { for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this); }
  *entries() { for (const key of [...this._map.keys()].sort()) yield [key, this.get(key)]; }
  keys() { return [...this.entries()].map(([k]) => k)[Symbol.iterator](); }
  values() { return [...this.entries()].map(([, v]) => v)[Symbol.iterator](); }
  [Symbol.iterator]() { return this.entries(); }
  _pairs() { const out = []; for (const [, [name, values]] of this._map) for (const v of values) out.push([name, v]); return out; }
}

class Body {
  _consume() {
    if (this.bodyUsed) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
    this.bodyUsed = true;
    return Promise.resolve(this._bytes || new Uint8Array(0));
  }
  text() { return this._consume().then(fromUtf8); }
  json() { return this.text().then((t) => JSON.parse(t)); }
  arrayBuffer() { return this._consume().then((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)); }
  bytes() { return this._consume().then((b) => new Uint8Array(b)); }
}

class Request extends Body {
  constructor(input, init = {}) {
    super();
    const from = input instanceof Request ? input : null;
    this.url = from ? from.url : new URL(String(input)).href;
    this.method = String(init.method || (from && from.method) || 'GET').toUpperCase();
    this.headers = new Headers(init.headers || (from && from.headers));
    this.redirect = init.redirect || (from && from.redirect) || 'follow';
    this._bytes = init.body !== undefined ? bytesOf(init.body) : from ? from._bytes : undefined;
    if (typeof init.body === 'string' && !this.headers.has('content-type')) this.headers.set('content-type', 'text/plain;charset=UTF-8');
    if (init.body instanceof URLSearchParams && !this.headers.has('content-type')) {
      this._bytes = utf8(init.body.toString());
      this.headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    }
    this.timeout = init.timeout;
    this.bodyUsed = false;
  }
}

class Response extends Body {
  constructor(body, init = {}) {
    super();
    this._bytes = bytesOf(body);
    this.status = init.status === undefined ? 200 : init.status;
    this.statusText = init.statusText !== undefined ? init.statusText : (REASONS[this.status] || '');
    this.headers = new Headers(init.headers);
    this.ok = this.status >= 200 && this.status <= 299;
    this.url = init.url || '';
    this.redirected = !!init.redirected;
    this.type = 'basic';
    this.bodyUsed = false;
  }
  static json(data, init = {}) {
    const headers = new Headers(init.headers);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return new Response(JSON.stringify(data), { ...init, headers });
  }
  clone() {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
    return new Response(this._bytes, this);
  }
}

function fetch(input, init) {
  let request;
  try { request = new Request(input, init); } catch (e) { return Promise.reject(e); }
  if (request.redirect === 'error') return Promise.reject(new TypeError('fetch failed: redirect mode "error" is not supported'));
  const spec = { url: request.url, method: request.method, headers: request.headers._pairs(), body: request._bytes, followRedirects: request.redirect === 'follow' };
  if (request.timeout !== undefined) spec.timeoutMs = Number(request.timeout);
  return io.request(spec).then(
    (r) => new Response(r.body, { status: r.status, headers: r.headers, url: r.url, redirected: r.redirected }),
    (e) => { const error = new TypeError('fetch failed'); error.cause = e; error.message = `fetch failed: ${e.message}`; throw error; },
  );
}

// Parse.Cloud.Cookie: one cookie a server set (name, value, path, domain, expires, maxAge,
// httpOnly, secure).
class Cookie {
  constructor(name, value) { this.name = name; this.value = value; }
}

// Parse's HTTPResponse: status, headers, buffer, text, data (parsed JSON when it parses), cookies.
function parseCookies(values) {
  const cookies = {};
  for (const line of values) {
    const [pair, ...attributes] = line.split(';');
    const at = pair.indexOf('=');
    if (at < 0) continue;
    const cookie = new Cookie(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    for (const attribute of attributes) {
      const [key, ...rest] = attribute.split('=');
      const name = key.trim().toLowerCase();
      const value = rest.join('=').trim();
      if (name === 'path') cookie.path = value;
      else if (name === 'domain') cookie.domain = value;
      else if (name === 'expires') cookie.expires = new Date(value);
      else if (name === 'max-age') cookie.maxAge = Number(value);
      else if (name === 'httponly') cookie.httpOnly = true;
      else if (name === 'secure') cookie.secure = true;
    }
    cookies[cookie.name] = cookie;
  }
  return cookies;
}

function httpRequest(options) {
  options = options || {};
  const run = () => {
    if (!options.url) throw new TypeError('httpRequest: options.url is required');
    const url = new URL(String(options.url));
    if (typeof options.params === 'string') url.search = options.params.replace(/^\?/, '');
    else if (options.params && typeof options.params === 'object') {
      for (const key of Object.keys(options.params)) url.searchParams.append(key, String(options.params[key]));
    }
    const headers = new Headers(options.headers);
    let body = options.body;
    if (body !== undefined && body !== null && typeof body === 'object' && !ArrayBuffer.isView(body) && !(body instanceof ArrayBuffer)) {
      const type = headers.get('content-type') || '';
      if (/json/i.test(type)) body = JSON.stringify(body);
      else {
        body = new URLSearchParams(Object.entries(body).map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)])).toString();
        if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded');
      }
    }
    const spec = { url: url.href, method: String(options.method || 'GET').toUpperCase(), headers: headers._pairs(), body: bytesOf(body), followRedirects: !!options.followRedirects };
    if (options.timeout !== undefined) spec.timeoutMs = Number(options.timeout);
    return io.request(spec).then((r) => {
      const { Buffer } = require('buffer');
      const buffer = Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength);
      const text = buffer.toString('utf8');
      const response = { status: r.status, headers: {}, buffer, text, data: undefined, cookies: undefined, url: r.url };
      for (const [name, value] of r.headers) {
        response.headers[name] = response.headers[name] === undefined ? value : `${response.headers[name]}, ${value}`;
      }
      try { response.data = JSON.parse(text); } catch (e) { /* not JSON: data stays undefined */ }
      const setCookies = r.headers.filter(([name]) => name === 'set-cookie').map(([, value]) => value);
      if (setCookies.length) response.cookies = parseCookies(setCookies);
      if (r.status < 200 || r.status > 299) throw response;
      return response;
    });
  };
  let promise;
  try { promise = run(); } catch (e) { promise = Promise.reject(e); }
  // Parse's callback form: success / error in the options.
  if (typeof options.success === 'function' || typeof options.error === 'function') {
    promise.then((r) => options.success && options.success(r), (e) => options.error && options.error(e));
  }
  return promise;
}

module.exports = { fetch, Headers, Request, Response, httpRequest, Cookie };
