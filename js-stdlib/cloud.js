// The driver of Parse Cloud Code (README.md, "Script endpoints: Parse Cloud Code"): installed on
// a cloud context before js-stdlib/prelude.js, which hands `host.cloud.define` to scripts as
// `Parse.Cloud.define` and resolves `require('cloud/x.js')` inside the cloud folder.
(function (host) {
  'use strict';
  // Functions by name. Defined while cloud/main.js loads (once per context) and fixed after,
  // so that no request can change the functions the next one runs.
  const functions = new Map();
  // Background jobs by name (`Parse.Cloud.job`), fixed after loading as functions are.
  const jobs = new Map();
  let loading = false;
  let loaded = false;
  host.cloud = Object.freeze({
    define(name, handler, validator) {
      if (!loading) throw new Error('Parse.Cloud.define: functions are defined when cloud/main.js loads, not while one runs');
      if (typeof name !== 'string' || name === '') throw new TypeError('Parse.Cloud.define: a function name is a non-empty string');
      if (typeof handler !== 'function') throw new TypeError(`Parse.Cloud.define(${JSON.stringify(name)}): the handler is a function`);
      const requireMaster = !!(validator && typeof validator === 'object' && validator.requireMaster);
      functions.set(name, { handler, requireMaster });
    },
    job(name, handler, options) {
      if (!loading) throw new Error('Parse.Cloud.job: jobs are defined when cloud/main.js loads, not while one runs');
      if (typeof name !== 'string' || name === '') throw new TypeError('Parse.Cloud.job: a job name is a non-empty string');
      if (typeof handler !== 'function') throw new TypeError(`Parse.Cloud.job(${JSON.stringify(name)}): the handler is a function`);
      const ms = options !== null && typeof options === 'object' ? Number(options.timeoutMs) : NaN;
      jobs.set(name, { handler, timeoutMs: Number.isFinite(ms) && ms >= 1 ? ms : undefined });
    },
  });
  // What a thrown value or a rejection says, as Parse answers it in `error`.
  const describe = (e) => {
    if (typeof e === 'string') return e;
    if (e instanceof Error) return e.message;
    if (e !== null && typeof e === 'object' && typeof e.message === 'string') return e.message;
    try { const json = JSON.stringify(e); return json === undefined ? String(e) : json; } catch (x) { return String(e); }
  };
  const codeOf = (e) => (e !== null && typeof e === 'object' && Number.isInteger(e.code) && e instanceof globalThis.Parse.Error ? e.code : 141);
  const load = () => {
    loading = true;
    try {
      globalThis.require('./main.js');
      loaded = true;
    } catch (e) {
      functions.clear();
      jobs.clear();
      throw e;
    } finally {
      loading = false;
    }
  };

  // The names of the jobs cloud/main.js defines (loading it first).
  globalThis.__elemental_cloud_jobs = function () {
    if (!loaded) load();
    return [...jobs.keys()];
  };

  // Run the job `spec.name` with `spec.params` (js-stdlib/job.js settles the state). A
  // handler of two parameters that returns nothing ends by `status.success` / `status.error`
  // (Parse's form); any other ends when what it returns settles. The driver reads the state's
  // `timeoutMs` once started.
  globalThis.__elemental_cloud_job = function (spec) {
    if (!loaded) {
      try { load(); } catch (e) { return { called: false, failure: e === undefined ? new Error('cloud/main.js failed to load') : e }; }
    }
    const entry = jobs.get(spec.name);
    if (entry === undefined) return { called: true, result: { kind: 'unknown', message: `no job named ${JSON.stringify(spec.name)}` } };
    const handler = entry.handler;
    const log = Object.freeze({ info: console.info, warn: console.warn, error: console.error, debug: console.debug, log: console.log });
    const request = { params: spec.params, master: true, jobName: spec.name, headers: {}, log };
    const state = host.job.drive((status) => handler(request, status), handler.length >= 2);
    // `Parse.Cloud.job(name, handler, {timeoutMs})`: the job's own time limit.
    state.timeoutMs = entry.timeoutMs;
    return state;
  };

  // Run the function `spec.name` for one call; the state settles with
  // {kind: 'result', body} (the JSON answer) or {kind: 'error', code, message}.
  globalThis.__elemental_cloud = function (spec) {
    const state = { called: false, result: undefined, returned: undefined, failure: undefined };
    const end = (result) => { if (!state.called) { state.called = true; state.result = result; } };
    const fail = (e, code) => end({ kind: 'error', code: code === undefined ? codeOf(e) : code, message: describe(e) });
    const succeed = (value) => {
      try { end({ kind: 'result', body: JSON.stringify({ result: value }) }); } catch (e) { fail(e); }
    };
    if (!loaded) {
      try { load(); } catch (e) { state.failure = e === undefined ? new Error('cloud/main.js failed to load') : e; return state; }
    }
    const entry = functions.get(spec.name);
    if (entry === undefined) {
      end({ kind: 'unknown', code: 141, message: `Invalid function: "${spec.name}"` });
      return state;
    }
    if (entry.requireMaster && !spec.master) {
      end({ kind: 'error', code: 142, message: 'Validation failed. Master key is required to complete this request.' });
      return state;
    }
    const log = Object.freeze({ info: console.info, warn: console.warn, error: console.error, debug: console.debug, log: console.log });
    const request = {
      params: spec.params, master: spec.master, headers: spec.headers, ip: spec.ip, functionName: spec.name,
      installationId: spec.installationId === null ? undefined : spec.installationId, user: undefined, log,
    };
    // Parse's old form: handler(request, response) answering with response.success / error.
    const response = Object.freeze({
      success: (value) => succeed(value),
      error: (code, message) => (message === undefined ? fail(code, 141) : fail(message, Number.isInteger(code) ? code : 141)),
    });
    let returned;
    try {
      returned = entry.handler(request, response);
    } catch (e) {
      fail(e);
      return state;
    }
    const waits = entry.handler.length >= 2 && returned === undefined;
    if (!waits) Promise.resolve(returned).then(succeed, (e) => fail(e));
    return state;
  };
})
