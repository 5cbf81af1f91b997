// The studio's pages: a small script over the admin API, no framework and no build step
// (docs/decisions.md). Every value from the server reaches the page as text (textContent),
// never as HTML, so a hook's source or a vendor's answer cannot inject markup.
'use strict';

let csrf = '';

// ---- DOM and HTTP helpers -------------------------------------------------------------

/** An element `tag` with attributes and children (strings become text nodes). */
function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === 'onclick' || key === 'onsubmit' || key === 'onchange') node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Call the admin API: JSON in and out, the CSRF token on every change. */
async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) { location.reload(); throw new Error('logged out'); }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = text; }
  if (!response.ok) throw new Error((json && json.message) || `${response.status} ${text}`);
  return json;
}

function show(...nodes) {
  const main = document.getElementById('main');
  main.replaceChildren(...nodes.flat(Infinity).filter((n) => n !== null && n !== undefined && n !== false));
}

function failed(error) {
  show(h('p', { class: 'error' }, String(error.message || error)));
}

function json(value) {
  return h('pre', { class: 'json' }, JSON.stringify(value, null, 2));
}

function table(columns, rows, id) {
  return h('table', { id },
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', {}, c)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((c) => h('td', {}, c))))));
}

function when(ms) {
  return ms ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
}

// ---- JavaScript highlighting -----------------------------------------------------------

const KEYWORDS = new Set(('break case catch class const continue debugger default delete do else export extends ' +
  'finally for function if import in instanceof let new return super switch this throw try typeof var void ' +
  'while with yield async await of true false null undefined').split(' '));
const TOKENS = /(\/\/[^\n]*|\/\*[\s\S]*?\*\/)|("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_$][\w$]*)/g;

/** A script as a code block: comments, strings, numbers and keywords in their own spans. */
function code(source) {
  const block = h('pre', { class: 'code' });
  let last = 0;
  for (const match of source.matchAll(TOKENS)) {
    const [text, comment, string, number, word] = match;
    if (match.index > last) block.append(source.slice(last, match.index));
    const kind = comment ? 'c' : string ? 's' : number ? 'n' : KEYWORDS.has(word) ? 'k' : null;
    block.append(kind ? h('span', { class: `t-${kind}` }, text) : text);
    last = match.index + text.length;
  }
  block.append(source.slice(last));
  return block;
}

// ---- Elements ----------------------------------------------------------------------------

async function elementsPage() {
  const [elements, diagnostics] = await Promise.all([api('GET', '/admin/elements'), api('GET', '/admin/diagnostics')]);
  show(
    h('h1', {}, 'Elements'),
    table(['Key', 'Name', 'Authentication', 'Resources', 'Instances', 'File'], elements.map((e) => [
      h('a', { href: `#/elements/${encodeURIComponent(e.key)}` }, e.key), e.name, e.authentication,
      e.resources, e.instances, e.file])
    , 'elements'),
    h('h2', {}, 'Diagnostics from the last load'),
    diagnostics.length === 0 ? h('p', { id: 'diagnostics' }, 'None: everything loaded cleanly.') :
      h('ul', { id: 'diagnostics' }, diagnostics.map((d) => h('li', { class: d.warning ? 'warning' : 'error' },
        `${d.file}:${d.line}:${d.column}: ${d.warning ? 'warning: ' : ''}${d.message}`))),
  );
}

function hookBlocks(hooks) {
  return Object.entries(hooks).map(([kind, hook]) => h('details', { class: 'hook', open: true },
    h('summary', {}, `${hook.label} — ${hook.file}:${hook.line}:${hook.column}`),
    hook.webhook ? h('p', {}, `Served by the webhook ${hook.webhook.url} (${hook.webhook.timeoutMs} ms)`) : null,
    hook.source ? code(hook.source) : null));
}

async function elementPage(key) {
  const e = await api('GET', `/admin/elements/${encodeURIComponent(key)}`);
  show(
    h('h1', {}, `${e.name} `, h('small', {}, e.key)),
    h('p', {}, `Hub ${e.hub} · authentication ${e.authentication} · ${e.file}`),
    h('h2', {}, 'Configuration'),
    table(['Key', 'Name', 'Type', 'Required', 'Default'], e.configuration.map((c) => [
      c.key, c.name, c.type + (c.secret ? ' (secret)' : ''), c.required ? 'yes' : '', JSON.stringify(c.default)])),
    e.parameters.length ? [h('h2', {}, 'Element parameters'), parameters(e.parameters)] : [],
    Object.keys(e.hooks).length ? [h('h2', {}, 'Global hooks'), hookBlocks(e.hooks)] : [],
    h('h2', {}, 'Resources'),
    e.resources.map((r, i) => resourceBlock(e, r, i)),
  );
}

function parameters(list) {
  return table(['Name', 'Vendor name', 'Type', 'Vendor type', 'Required'], list.map((p) => [
    p.name, p.vendorName, p.type, p.vendorType, p.required ? 'yes' : '']));
}

function resourceBlock(e, r, i) {
  return h('details', { class: 'resource', id: `resource-${i}` },
    h('summary', {}, h('span', { class: `method m-${r.method}` }, r.method), ` ${r.path} `,
      h('small', {}, `→ ${r.vendorMethod} ${r.vendorPath}${r.type !== 'api' ? ` (${r.type})` : ''}`)),
    r.parameters.length ? parameters(r.parameters) : null,
    hookBlocks(r.hooks),
    r.type === 'api' ? tryForm(e, r, i) : null);
}

/** "Try it": a real request through one of the element's instances, with its trace. */
function tryForm(e, r, i) {
  const out = h('div', { class: 'try-result' });
  if (e.instances.length === 0) return h('p', {}, 'No instance of this element: connect one to try it.');
  const instance = h('select', { name: 'instance' }, e.instances.map((n) => h('option', { value: n.id }, `${n.name} (#${n.id})`)));
  const path = h('input', { name: 'path', value: r.path, size: 50 });
  const query = h('input', { name: 'query', placeholder: 'pageSize=5', size: 30 });
  const body = h('textarea', { name: 'body', rows: 4, cols: 60, placeholder: '{"json": "body"}' });
  const send = async (event) => {
    event.preventDefault();
    out.replaceChildren(h('p', {}, 'Sending…'));
    try {
      const answer = await api('POST', `/admin/instances/${instance.value}/try`,
        { method: r.method, path: path.value, query: query.value, body: body.value });
      let shownBody = answer.body;
      try { shownBody = JSON.stringify(JSON.parse(answer.body), null, 2); } catch (x) { /* not JSON */ }
      out.replaceChildren(
        h('p', { class: 'status' }, `${answer.status} · request ${answer.requestId}`),
        h('pre', { class: 'json answer' }, shownBody),
        h('h3', {}, 'Trace'), traceView(answer.trace));
    } catch (error) {
      out.replaceChildren(h('p', { class: 'error' }, error.message));
    }
  };
  return h('form', { class: 'try', onsubmit: send },
    h('h3', {}, 'Try it'),
    h('label', {}, 'Instance ', instance), h('label', {}, `${r.method} `, path), h('label', {}, '? ', query),
    ['POST', 'PUT', 'PATCH'].includes(r.method) ? h('label', {}, 'Body ', body) : null,
    h('button', { type: 'submit', class: 'send' }, 'Send'), out);
}

// ---- Traces and the hook playground --------------------------------------------------------

function traceView(trace) {
  return h('div', { class: 'trace' },
    h('p', {}, `${trace.method} ${trace.path} → ${trace.status} in ${(trace.micros / 1000).toFixed(1)} ms`,
      trace.element ? ` · element ${trace.element}` : '', trace.instance ? ` · instance ${trace.instance.name}` : ''),
    (trace.phases || []).map((phase) => phaseView(trace, phase)));
}

function phaseView(trace, phase) {
  const took = phase.micros !== undefined ? ` (${(phase.micros / 1000).toFixed(1)} ms)` : '';
  if (phase.phase === 'vendor') {
    return h('details', { class: 'phase vendor' }, h('summary', {}, `vendor call${took}`),
      h('h4', {}, 'Request'), json(phase.request), h('h4', {}, 'Response'), json(phase.response));
  }
  const isHook = phase.input !== undefined;
  return h('details', { class: `phase${phase.error ? ' failed' : ''}` },
    h('summary', {}, `${phase.phase}${took}${phase.error ? ' — failed' : ''}`),
    isHook ? [h('h4', {}, 'Input variables'), json(phase.input), h('h4', {}, 'done()'), json(phase.done)] : json(phase),
    phase.console && phase.console.length ? [h('h4', {}, 'Console'), json(phase.console)] : null,
    phase.outbound && phase.outbound.length ? [h('h4', {}, 'Outbound calls'), json(phase.outbound)] : null,
    phase.error ? h('p', { class: 'error' }, String(phase.error)) : null,
    isHook && trace.element ? playground(trace.element, trace.instance && trace.instance.id, phase) : null);
}

/** Run the hook again with an edited script or variables; show how its done() changed. */
function playground(element, instance, phase) {
  const source = h('textarea', { class: 'source', rows: 8, cols: 80, placeholder: 'Leave empty to run the hook as loaded' });
  const variables = h('textarea', { class: 'variables', rows: 8, cols: 80 }, JSON.stringify(phase.input, null, 2));
  const out = h('div', { class: 'playground-result' });
  const run = async (event) => {
    event.preventDefault();
    let given;
    try { given = JSON.parse(variables.value); } catch (e) { out.replaceChildren(h('p', { class: 'error' }, `Variables: ${e.message}`)); return; }
    try {
      const result = await api('POST', '/admin/playground',
        { element, instance, hook: phase.phase, source: source.value.trim() ? source.value : undefined, variables: given });
      out.replaceChildren(h('h4', {}, 'done() now'), json(result.done),
        h('h4', {}, 'Changed from the trace'), diffView(phase.done, result.done),
        result.console.length ? [h('h4', {}, 'Console'), json(result.console)] : null,
        result.error ? h('p', { class: 'error' }, `${result.error.name}: ${result.error.message}`) : null);
    } catch (error) {
      out.replaceChildren(h('p', { class: 'error' }, error.message));
    }
  };
  return h('form', { class: 'playground', onsubmit: run }, h('h4', {}, 'Playground'),
    h('label', {}, 'Script ', source), h('label', {}, 'Variables ', variables),
    h('button', { type: 'submit', class: 'replay' }, 'Run again'), out);
}

/** Each top-level key whose value differs: before → after. */
function diffView(before, after) {
  const a = before && typeof before === 'object' ? before : { value: before };
  const b = after && typeof after === 'object' ? after : { value: after };
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const changed = keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  if (changed.length === 0) return h('p', { class: 'diff' }, 'No change.');
  return h('ul', { class: 'diff' }, changed.map((k) => h('li', {}, h('code', {}, k), ': ',
    h('del', {}, JSON.stringify(a[k]) ?? 'absent'), ' → ', h('ins', {}, JSON.stringify(b[k]) ?? 'absent'))));
}

async function tracesPage() {
  const traces = await api('GET', '/admin/traces');
  show(h('h1', {}, 'Traces'),
    h('p', {}, 'Requests sent with Elements-Debug: true and the admin token, and every "try it", newest first.'),
    table(['Request', 'Method', 'Path', 'Status', 'ms'], traces.map((t) => [
      h('a', { href: `#/traces/${encodeURIComponent(t.requestId)}` }, t.requestId), t.method, t.path, t.status,
      t.micros !== undefined ? (t.micros / 1000).toFixed(1) : '']), 'traces'));
}

async function tracePage(id) {
  const trace = await api('GET', `/admin/traces/${encodeURIComponent(id)}`);
  show(h('h1', {}, `Trace ${id}`), traceView(trace));
}

// ---- Instances, events, deliveries, scripts, metrics -----------------------------------------

async function instancesPage() {
  const [instances, elements] = await Promise.all([api('GET', '/elements/api-v2/instances'), api('GET', '/admin/elements')]);
  show(h('h1', {}, 'Instances'),
    table(['Id', 'Name', 'Element', 'Valid', 'Configuration'], instances.map((i) => [
      String(i.id), i.name, i.element && i.element.key, i.valid === false ? `no: ${i.invalidReason || ''}` : 'yes',
      h('details', {}, h('summary', {}, 'show'), json(i.configuration))]), 'instances'),
    connectForm(elements));
}

// ---- Connecting an account (the instances API; OAuth 2 through the vendor's consent page) ----

const PENDING = 'elemental.connect.pending';
const RETURNED = 'elemental.connect.returned';

/** Configuration the engine writes itself: never asked of the user. */
function written(key) {
  return key.startsWith('oauth.user.') || key === 'oauth.callback.url';
}

function connectForm(elements) {
  const fields = h('div', { class: 'fields' });
  const out = h('div', { class: 'connect-result' });
  const element = h('select', { name: 'element' }, h('option', { value: '' }, 'Choose an element'),
    elements.map((e) => h('option', { value: e.key }, `${e.name} (${e.key}, ${e.authentication})`)));
  const name = h('input', { name: 'name', required: true, placeholder: 'acme-prod' });
  let detail = null;
  element.addEventListener('change', async () => {
    detail = element.value ? await api('GET', `/admin/elements/${encodeURIComponent(element.value)}`) : null;
    fields.replaceChildren(...(detail ? detail.configuration.filter((c) => !written(c.key)).map((c) =>
      h('label', {}, `${c.name || c.key}${c.required ? ' *' : ''} `,
        h('input', { 'data-key': c.key, type: c.secret ? 'password' : 'text', autocomplete: 'off',
          placeholder: c.default === null || c.secret ? '' : String(c.default) }))) : []));
  });
  const connect = async (event) => {
    event.preventDefault();
    if (!detail) return;
    const configuration = {};
    for (const input of fields.querySelectorAll('input')) {
      if (input.value !== '') configuration[input.dataset.key] = input.value;
    }
    try {
      if (detail.authentication === 'oauth2') await startOAuth(detail.key, name.value, configuration);
      else out.replaceChildren(connected(await createInstance(detail.key, name.value, configuration, undefined)));
    } catch (error) {
      out.replaceChildren(h('p', { class: 'error' }, error.message));
    }
  };
  return h('form', { id: 'connect', onsubmit: connect }, h('h2', {}, 'Connect an account'),
    h('label', {}, 'Element ', element), h('label', {}, 'Name ', name), fields,
    h('button', { type: 'submit', class: 'connect' }, 'Connect'), out);
}

function createInstance(key, name, configuration, providerData) {
  return api('POST', '/elements/api-v2/instances', { element: { key }, name, configuration, providerData });
}

/** OAuth 2: ask the server for the vendor's consent URL, remember the form, go there. */
async function startOAuth(key, name, configuration) {
  const callbackUrl = `${location.origin}/studio/callback`;
  const state = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  const query = new URLSearchParams({ callbackUrl, state });
  if (configuration['oauth.api.key']) query.set('apiKey', configuration['oauth.api.key']);
  if (configuration['oauth.api.secret']) query.set('apiSecret', configuration['oauth.api.secret']);
  const answer = await api('GET', `/elements/api-v2/elements/${encodeURIComponent(key)}/oauth/url?${query}`);
  sessionStorage.setItem(PENDING, JSON.stringify({
    key, name, state, codeVerifier: answer.codeVerifier,
    configuration: { ...configuration, 'oauth.callback.url': callbackUrl },
  }));
  location.assign(answer.oauthUrl);
}

/** Back from the vendor: check the state, turn the code into an instance. */
async function connectPage() {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  const returned = JSON.parse(sessionStorage.getItem(RETURNED) || 'null');
  sessionStorage.removeItem(PENDING);
  sessionStorage.removeItem(RETURNED);
  if (!pending || !returned) { show(h('h1', {}, 'Connect'), h('p', {}, 'No connection in progress.')); return; }
  if (returned.error || returned.state !== pending.state) {
    show(h('h1', {}, 'Connect'), h('p', { class: 'error', id: 'connect-failed' },
      returned.error ? `The vendor refused: ${returned.error}` : 'The state the vendor sent back is not ours: not connected.'));
    return;
  }
  const providerData = { code: returned.code };
  if (pending.codeVerifier) providerData.code_verifier = pending.codeVerifier;
  try {
    show(h('h1', {}, 'Connect'), connected(await createInstance(pending.key, pending.name, pending.configuration, providerData)));
  } catch (error) {
    show(h('h1', {}, 'Connect'), h('p', { class: 'error', id: 'connect-failed' }, error.message));
  }
}

function connected(instance) {
  return h('div', { id: 'connected' },
    h('p', {}, `Connected: instance #${instance.id} ${instance.name} of ${instance.element.key}.`),
    h('p', {}, 'Its element token, shown this once (callers send Authorization: Element <token>):'),
    h('pre', { class: 'token' }, instance.token),
    json(instance.configuration));
}

/** /studio/callback: the vendor's redirect. This page has no session yet (a cookie that is
 * SameSite=Strict does not come along on another site's redirect), so it only keeps what came
 * back and moves to the studio, a navigation of our own that does carry the cookie. */
function returnFromVendor() {
  const query = new URLSearchParams(location.search);
  sessionStorage.setItem(RETURNED, JSON.stringify({
    code: query.get('code'), state: query.get('state'), error: query.get('error_description') || query.get('error'),
  }));
  location.replace('/studio/#/connect');
}

async function eventsPage() {
  const events = await api('GET', '/admin/events');
  const replay = (id) => async () => {
    await api('POST', `/admin/events/${id}/replay`);
    await eventsPage();
  };
  show(h('h1', {}, 'Events'),
    table(['Id', 'Element', 'Instance', 'Received', 'Status', 'Error', ''], events.map((e) => [
      String(e.id), e.element, String(e.instanceId), when(e.receivedAt), e.status, e.error || '',
      h('button', { class: 'replay', 'data-id': e.id, onclick: replay(e.id) }, 'Replay')]), 'events'));
}

async function deliveriesPage() {
  const deliveries = await api('GET', '/admin/deliveries');
  const again = (id) => async () => {
    await api('POST', `/admin/deliveries/${encodeURIComponent(id)}/redeliver`);
    await deliveriesPage();
  };
  show(h('h1', {}, 'Deliveries'),
    table(['Id', 'Event', 'URL', 'Status', 'Attempts', 'Last', ''], deliveries.map((d) => [
      d.id, String(d.eventId), d.url, d.status, String(d.attempts), d.lastError || String(d.lastStatus ?? ''),
      h('button', { class: 'redeliver', onclick: again(d.id) }, 'Redeliver')]), 'deliveries'));
}

async function scriptsPage() {
  const scripts = await api('GET', '/admin/scripts');
  show(h('h1', {}, 'Web tasks'),
    scripts.tasks.length === 0 ? h('p', {}, 'No tasks.') : scripts.tasks.map((t) => h('details', { class: 'task' },
      h('summary', {}, `/tasks/${t.name} — ${t.file}`), code(t.source))),
    h('h1', {}, 'Cloud code'),
    scripts.cloud ? [h('details', {}, h('summary', {}, scripts.cloud.file), code(scripts.cloud.source)),
      scripts.cloud.webhooks.length ? table(['Function', 'Webhook'], scripts.cloud.webhooks.map((w) => [w.name, w.url])) : null]
      : h('p', {}, 'No cloud code.'));
}

/** The Prometheus text, summed by metric name and by the labels a reader scans for. */
async function metricsPage() {
  const text = await (await fetch('/metrics')).text();
  const totals = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = line.match(/^([a-z_]+)(\{[^}]*\})?\s+([0-9.eE+-]+)$/);
    if (!match) continue;
    const key = match[1] + (match[1].endsWith('_bucket') ? '' : (match[2] || ''));
    if (match[1].endsWith('_bucket')) continue;
    totals.set(key, (totals.get(key) || 0) + Number(match[3]));
  }
  show(h('h1', {}, 'Metrics'), h('p', {}, 'This node\'s /metrics, without histogram buckets.'),
    table(['Series', 'Value'], [...totals].map(([k, v]) => [k, String(v)]), 'metrics'));
}

// ---- Jobs, runs and schedules ----------------------------------------------------------------

async function jobsPage() {
  const [jobs, schedules] = await Promise.all([api('GET', '/admin/jobs'), api('GET', '/admin/schedules')]);
  const params = h('textarea', { class: 'params', rows: 3, cols: 60 }, '{}');
  const out = h('div', { class: 'run-result' });
  const start = (name) => async () => {
    let given;
    try { given = JSON.parse(params.value || '{}'); } catch (e) { out.replaceChildren(h('p', { class: 'error' }, `Params: ${e.message}`)); return; }
    try {
      const run = await api('POST', `/admin/jobs/${encodeURIComponent(name)}/runs`, given);
      location.hash = `#/runs/${run.id}`;
    } catch (error) {
      out.replaceChildren(h('p', { class: 'error' }, error.message));
    }
  };
  const runNow = (name) => async () => {
    try {
      const run = await api('POST', `/admin/schedules/${encodeURIComponent(name)}/run`);
      location.hash = `#/runs/${run.id}`;
    } catch (error) {
      out.replaceChildren(h('p', { class: 'error' }, error.message));
    }
  };
  show(h('h1', {}, 'Jobs'),
    h('label', {}, 'Params for a run (JSON) ', params), out,
    table(['Job', 'Kind', 'File', 'Last run', ''], jobs.map((j) => [
      j.name, j.kind, j.file,
      j.lastRun ? h('a', { href: `#/runs/${j.lastRun.id}` }, `${j.lastRun.state} · ${j.lastRun.startedAt}`) : '',
      h('span', {}, h('button', { class: 'run', 'data-job': j.name, onclick: start(j.name) }, 'Run'), ' ',
        h('a', { href: `#/jobs/${encodeURIComponent(j.name)}` }, 'runs'))]), 'jobs'),
    h('h2', {}, 'Schedules'),
    schedules.length === 0 ? h('p', {}, 'No schedules (schedules.yaml, or POST /admin/schedules).') :
      table(['Name', 'Job', 'Repeat', 'Next run', 'Last run', 'Skipped', ''], schedules.map((s) => [
        s.name, s.job, JSON.stringify(s.repeat), s.nextRun || '', s.lastRun || '', String(s.skipped),
        h('button', { class: 'run-now', onclick: runNow(s.name) }, 'Run now')]), 'schedules'));
}

async function runsPage(job) {
  const runs = await api('GET', `/admin/jobs/${encodeURIComponent(job)}/runs`);
  show(h('h1', {}, `Runs of ${job}`),
    table(['Run', 'State', 'Started', 'Finished', 'Message'], runs.map((r) => [
      h('a', { href: `#/runs/${r.id}` }, String(r.id)), r.state, r.startedAt || '', r.finishedAt || '', r.message || '']), 'runs'));
}

/** One run; while it is running the page looks again every second (the live last message). */
async function runPage(id) {
  const run = await api('GET', `/admin/runs/${encodeURIComponent(id)}`);
  show(h('h1', {}, `Run ${run.id} of `, h('a', { href: `#/jobs/${encodeURIComponent(run.job)}` }, run.job)),
    h('p', { id: 'run-state', class: `state-${run.state}` }, `${run.state}${run.durationMs !== null && run.durationMs !== undefined ? ` in ${run.durationMs} ms` : ''}`),
    h('p', {}, 'Last message: ', h('strong', { id: 'run-message' }, run.message || '—')),
    h('p', {}, `Started ${run.startedAt}${run.finishedAt ? `, finished ${run.finishedAt}` : ''}${run.node ? ` on ${run.node}` : ''}${run.schedule ? `, by schedule ${run.schedule}` : ''}`),
    h('h2', {}, 'Params'), json(run.params),
    h('h2', {}, 'Console'), json(run.console || []));
  if (run.state === 'running') {
    setTimeout(() => { if (location.hash === `#/runs/${id}`) runPage(id).catch(failed); }, 1000);
  }
}

// ---- Routing -----------------------------------------------------------------------------------

const ROUTES = [
  [/^#\/elements\/(.+)$/, (m) => elementPage(decodeURIComponent(m[1]))],
  [/^#\/instances$/, instancesPage],
  [/^#\/connect$/, connectPage],
  [/^#\/traces\/(.+)$/, (m) => tracePage(decodeURIComponent(m[1]))],
  [/^#\/traces$/, tracesPage],
  [/^#\/events$/, eventsPage],
  [/^#\/deliveries$/, deliveriesPage],
  [/^#\/scripts$/, scriptsPage],
  [/^#\/metrics$/, metricsPage],
  [/^#\/jobs\/(.+)$/, (m) => runsPage(decodeURIComponent(m[1]))],
  [/^#\/jobs$/, jobsPage],
  [/^#\/runs\/(.+)$/, (m) => runPage(decodeURIComponent(m[1]))],
  [/^.*$/, elementsPage],
];

async function route() {
  const hash = location.hash || '#/elements';
  for (const link of document.querySelectorAll('#nav a')) {
    link.classList.toggle('here', hash.startsWith(link.getAttribute('href')));
  }
  for (const [pattern, page] of ROUTES) {
    const match = hash.match(pattern);
    if (match) {
      try { await page(match); } catch (error) { failed(error); }
      return;
    }
  }
}

async function start() {
  const session = await fetch('/studio/session', { credentials: 'same-origin' });
  if (!session.ok) { location.reload(); return; }
  csrf = (await session.json()).csrf;
  window.addEventListener('hashchange', route);
  await route();
}

if (location.pathname === '/studio/callback') returnFromVendor();
else start();
