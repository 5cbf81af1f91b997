// require('http') / require('https'): Node's client API as hooks use it, over the engine's
// outbound requests (egress policy, concurrency limit and time budget apply). The response
// body arrives whole and is emitted as Buffer chunks ('data'), then 'end'.
'use strict';
const EventEmitter = require('events');
const { Buffer } = require('buffer');
const io = internal.io;

const STATUS = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
const later = (fn) => setImmediate(fn);

class IncomingMessage extends EventEmitter {
  constructor(response) {
    super();
    this.statusCode = response.status;
    this.statusMessage = STATUS[response.status] || '';
    this.headers = {};
    this.rawHeaders = [];
    for (const [name, value] of response.headers) {
      this.rawHeaders.push(name, value);
      if (name === 'set-cookie') (this.headers[name] = this.headers[name] || []).push(value);
      else this.headers[name] = this.headers[name] === undefined ? value : `${this.headers[name]}, ${value}`;
    }
    this.httpVersion = '1.1';
    this.complete = false;
    this._body = Buffer.from(response.body.buffer, response.body.byteOffset, response.body.byteLength);
    this._encoding = null;
  }
  setEncoding(encoding) { this._encoding = encoding; return this; }
  resume() { return this; }
  _flow() {
    if (this._body.length > 0) this.emit('data', this._encoding ? this._body.toString(this._encoding) : this._body);
    this.complete = true;
    this.emit('end');
    this.emit('close');
  }
}

class ClientRequest extends EventEmitter {
  constructor(defaults, url, options, callback) {
    super();
    if (typeof url === 'string' || url instanceof URL) {
      const parsed = new URL(String(url));
      options = { protocol: parsed.protocol, hostname: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port: parsed.port, path: parsed.pathname + parsed.search, auth: parsed.username ? `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}` : undefined, ...(options || {}) };
    } else {
      callback = options;
      options = url || {};
    }
    if (typeof options === 'function') { callback = options; options = {}; }
    this.method = String(options.method || 'GET').toUpperCase();
    this.protocol = options.protocol || defaults.protocol;
    const host = options.hostname || (options.host ? String(options.host).replace(/:\d+$/, '') : 'localhost');
    const hostPort = options.host ? /:(\d+)$/.exec(String(options.host)) : null;
    const port = options.port || (hostPort ? hostPort[1] : '');
    this.host = host;
    this.path = options.path || '/';
    this._url = `${this.protocol}//${host.includes(':') ? `[${host}]` : host}${port ? `:${port}` : ''}${this.path}`;
    this._headers = [];
    for (const name of Object.keys(options.headers || {})) {
      const value = options.headers[name];
      for (const v of Array.isArray(value) ? value : [value]) this._headers.push([String(name), String(v)]);
    }
    if (options.auth && !this._headers.some(([n]) => n.toLowerCase() === 'authorization')) {
      this._headers.push(['Authorization', `Basic ${Buffer.from(String(options.auth)).toString('base64')}`]);
    }
    this._chunks = [];
    this._timeout = options.timeout;
    this._ended = false;
    this._aborted = false;
    if (typeof callback === 'function') this.once('response', callback);
  }
  setHeader(name, value) { this.removeHeader(name); this._headers.push([String(name), String(value)]); return this; }
  getHeader(name) { const found = this._headers.find(([n]) => n.toLowerCase() === String(name).toLowerCase()); return found ? found[1] : undefined; }
  removeHeader(name) { this._headers = this._headers.filter(([n]) => n.toLowerCase() !== String(name).toLowerCase()); }
  setTimeout(ms, callback) { this._timeout = ms; if (callback) this.once('timeout', callback); return this; }
  write(chunk, encoding, callback) {
    if (typeof encoding === 'function') { callback = encoding; encoding = undefined; }
    this._chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding));
    if (callback) later(callback);
    return true;
  }
  end(chunk, encoding, callback) {
    if (typeof chunk === 'function') { callback = chunk; chunk = undefined; }
    if (typeof encoding === 'function') { callback = encoding; encoding = undefined; }
    if (chunk !== undefined && chunk !== null) this.write(chunk, encoding);
    if (this._ended) return this;
    this._ended = true;
    if (callback) this.once('finish', callback);
    const spec = { url: this._url, method: this.method, headers: this._headers, followRedirects: false };
    if (this._chunks.length) spec.body = new Uint8Array(Buffer.concat(this._chunks));
    if (this._timeout) spec.timeoutMs = Number(this._timeout);
    later(() => this.emit('finish'));
    io.request(spec).then(
      (response) => {
        if (this._aborted) return;
        const message = new IncomingMessage(response);
        this.res = message;
        this.emit('response', message);
        later(() => message._flow());
      },
      (error) => {
        if (this._aborted) return;
        if (error.code === 'ETIMEDOUT' && this.listenerCount('timeout') > 0) this.emit('timeout');
        this.emit('error', error);
      },
    );
    return this;
  }
  abort() { this._aborted = true; later(() => this.emit('abort')); }
  destroy(error) { this._aborted = true; if (error) later(() => this.emit('error', error)); later(() => this.emit('close')); return this; }
}

module.exports = function (protocol) {
  const defaults = { protocol };
  const request = (url, options, callback) => new ClientRequest(defaults, url, options, callback);
  const get = (url, options, callback) => { const req = request(url, options, callback); req.end(); return req; };
  return { request, get, ClientRequest, IncomingMessage, STATUS_CODES: { ...STATUS }, METHODS: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] };
};
