// require('url') and the URL / URLSearchParams globals: WHATWG URL parsing and setters done
// by the Rust `url` crate (`internal.url`), the search-params list kept here.
'use strict';
const host = internal.url;
const PARTS = ['href', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash', 'origin'];

// application/x-www-form-urlencoded, as the URL standard defines it.
const decode = (text) => {
  const bytes = [];
  const plain = text.replace(/\+/g, ' ');
  for (let i = 0; i < plain.length; i++) {
    const c = plain[i];
    if (c === '%' && /^[0-9a-fA-F]{2}$/.test(plain.slice(i + 1, i + 3))) {
      bytes.push(parseInt(plain.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const b of unescape(encodeURIComponent(c.isWellFormed() ? c : '\ufffd'))) bytes.push(b.charCodeAt(0));
    }
  }
  return host.utf8(bytes);
};
const encode = (text) => {
  let out = '';
  const utf8 = unescape(encodeURIComponent(String(text).toWellFormed()));
  for (let i = 0; i < utf8.length; i++) {
    const code = utf8.charCodeAt(i);
    const c = utf8[i];
    if (/[A-Za-z0-9*\-._]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + code.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
};

class URLSearchParams {
  constructor(init) {
    this._list = [];
    this._url = null;
    if (init === undefined || init === null) return;
    if (typeof init === 'object' && typeof init[Symbol.iterator] === 'function') {
      for (const pair of init) {
        const items = [...pair];
        if (items.length !== 2) throw new TypeError('Each query pair must be an iterable [name, value] tuple');
        this._list.push([String(items[0]), String(items[1])]);
      }
    } else if (typeof init === 'object') {
      for (const key of Object.keys(init)) this._list.push([key, String(init[key])]);
    } else {
      this._parse(String(init));
    }
  }
  _parse(text) {
    this._list = [];
    const query = text.startsWith('?') ? text.slice(1) : text;
    for (const piece of query.split('&')) {
      if (piece === '') continue;
      const at = piece.indexOf('=');
      const name = at < 0 ? piece : piece.slice(0, at);
      const value = at < 0 ? '' : piece.slice(at + 1);
      this._list.push([decode(name), decode(value)]);
    }
  }
  _update() {
    if (this._url) this._url._setSearch(this.toString());
  }
  get size() { return this._list.length; }
  append(name, value) { this._list.push([String(name), String(value)]); this._update(); }
  delete(name, value) {
    name = String(name);
    this._list = this._list.filter(([n, v]) => !(n === name && (value === undefined || v === String(value))));
    this._update();
  }
  get(name) { const found = this._list.find(([n]) => n === String(name)); return found ? found[1] : null; }
  getAll(name) { return this._list.filter(([n]) => n === String(name)).map(([, v]) => v); }
  has(name, value) { return this._list.some(([n, v]) => n === String(name) && (value === undefined || v === String(value))); }
  set(name, value) {
    name = String(name);
    const at = this._list.findIndex(([n]) => n === name);
    if (at < 0) this._list.push([name, String(value)]);
    else this._list = this._list.filter(([n], i) => n !== name || i === at).map((p, i) => (p[0] === name ? [name, String(value)] : p));
    this._update();
  }
  sort() {
    // Stable sort by UTF-16 code units, as the standard says.
    this._list = this._list.map((p, i) => [p, i]).sort((a, b) => (a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : a[1] - b[1])).map(([p]) => p);
    this._update();
  }
  forEach(callback, thisArg) { for (const [n, v] of this._list) callback.call(thisArg, v, n, this); }
  keys() { return this._list.map(([n]) => n)[Symbol.iterator](); }
  values() { return this._list.map(([, v]) => v)[Symbol.iterator](); }
  entries() { return this._list.map(([n, v]) => [n, v])[Symbol.iterator](); }
  [Symbol.iterator]() { return this.entries(); }
  toString() { return this._list.map(([n, v]) => `${encode(n)}=${encode(v)}`).join('&'); }
  get [Symbol.toStringTag]() { return 'URLSearchParams'; }
}

class URL {
  constructor(input, base) {
    this._parts = (base === undefined ? host.parse(String(input)) : host.parse(String(input), String(base)));
    this._params = new URLSearchParams(this._parts.search);
    this._params._url = this;
  }
  static canParse(input, base) {
    try { (base === undefined ? host.parse(String(input)) : host.parse(String(input), String(base))); return true; } catch (e) { return false; }
  }
  static parse(input, base) {
    try { return new URL(input, base); } catch (e) { return null; }
  }
  _set(part, value) {
    this._parts = host.set(this._parts.href, part, String(value));
    if (part === 'search' || part === 'href') this._params._parse(this._parts.search);
  }
  _setSearch(text) {
    this._parts = host.set(this._parts.href, 'search', text);
  }
  get searchParams() { return this._params; }
  toString() { return this._parts.href; }
  toJSON() { return this._parts.href; }
  get [Symbol.toStringTag]() { return 'URL'; }
}
for (const part of PARTS) {
  Object.defineProperty(URL.prototype, part, {
    get() { return this._parts[part]; },
    set: part === 'origin' ? undefined : function (value) { this._set(part, value); },
    enumerable: true,
    configurable: true,
  });
}

// The legacy API some hooks still use.
const parse = (text, parseQueryString) => {
  let parsed;
  try { parsed = new URL(text); } catch (e) { parsed = null; }
  if (!parsed) {
    const [pathPart, hashPart] = String(text).split('#');
    const [pathname, query] = pathPart.split('?');
    return { protocol: null, slashes: null, auth: null, host: null, port: null, hostname: null,
      hash: hashPart === undefined ? null : `#${hashPart}`, search: query === undefined ? null : `?${query}`,
      query: parseQueryString ? Object.fromEntries(new URLSearchParams(query || '')) : (query === undefined ? null : query),
      pathname: pathname || null, path: pathPart || null, href: String(text) };
  }
  const query = parsed.search.slice(1);
  return {
    protocol: parsed.protocol, slashes: true,
    auth: parsed.username ? (parsed.password ? `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}` : decodeURIComponent(parsed.username)) : null,
    host: parsed.host, port: parsed.port || null, hostname: parsed.hostname,
    hash: parsed.hash || null, search: parsed.search || null,
    query: parseQueryString ? Object.fromEntries(parsed.searchParams) : (parsed.search ? query : null),
    pathname: parsed.pathname, path: parsed.pathname + parsed.search, href: parsed.href,
  };
};
const format = (value) => {
  if (value instanceof URL) return value.href;
  if (typeof value === 'string') return value;
  const auth = value.auth ? `${value.auth}@` : '';
  const host = value.host || `${value.hostname || ''}${value.port ? `:${value.port}` : ''}`;
  const protocol = value.protocol ? (value.protocol.endsWith(':') ? value.protocol : `${value.protocol}:`) : '';
  const search = value.search || (value.query && typeof value.query === 'object' ? `?${new URLSearchParams(value.query)}` : '');
  const hash = value.hash || '';
  return `${protocol}${host || protocol ? '//' : ''}${auth}${host}${value.pathname || ''}${search}${hash}`;
};
const resolve = (from, to) => new URL(to, new URL(from, 'resolve://')).href.replace(/^resolve:\/\//, '');

module.exports = { URL, URLSearchParams, parse, format, resolve, fileURLToPath: undefined };
