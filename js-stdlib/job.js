// The driver of background jobs (README.md, "Background jobs and schedules"): installed on
// task and cloud contexts before js-stdlib/prelude.js. `host.job.drive` runs one job with its
// `status`; `__elemental_job_module` runs a jobs/<name>.js module's `run`.
(function (host) {
  'use strict';
  // A message is kept to this many characters.
  const MAX_MESSAGE = 4096;
  const text = (m) => (m === undefined ? undefined : String(m).slice(0, MAX_MESSAGE));
  const describe = (e) => {
    if (typeof e === 'string') return e;
    if (e instanceof Error) return e.message;
    if (e !== null && typeof e === 'object' && typeof e.message === 'string') return e.message;
    try { const json = JSON.stringify(e); return json === undefined ? String(e) : json; } catch (x) { return String(e); }
  };
  // Start `call(status)`; the state settles with {kind: 'succeeded' | 'failed', message}.
  // `waitsForStatus`: a handler that returned nothing ends by status.success / status.error
  // only (else its time runs out).
  const drive = (call, waitsForStatus) => {
    const state = { called: false, result: undefined, returned: undefined, failure: undefined, message: undefined };
    const end = (kind, message) => {
      if (state.called) return;
      state.called = true;
      state.result = { kind, message: message === undefined ? state.message : text(message) };
    };
    const status = Object.freeze({
      // Seen live (the server keeps the last one while the run goes); ignored once ended.
      message(m) {
        if (state.called) return;
        state.message = text(m);
        host.internal.io.service('job.message', JSON.stringify({ message: state.message })).then(undefined, () => undefined);
      },
      success(m) { end('succeeded', m); },
      error(m) { end('failed', m); },
    });
    let returned;
    try {
      returned = call(status);
    } catch (e) {
      end('failed', describe(e));
      return state;
    }
    if (!(waitsForStatus && returned === undefined)) {
      Promise.resolve(returned).then(() => end('succeeded'), (e) => end('failed', describe(e)));
    }
    return state;
  };
  host.job = Object.freeze({ drive });

  globalThis.__elemental_job_module = function (ns, spec) {
    if (typeof ns.run !== 'function') {
      return { called: true, result: { kind: 'failed', message: 'the job module exports no run function: it must (export async function run({params, status, log}))' } };
    }
    const log = Object.freeze({ info: console.info, warn: console.warn, error: console.error, debug: console.debug, log: console.log });
    return drive((status) => ns.run({ params: spec.params, status, log, jobName: spec.name }), false);
  };
})
