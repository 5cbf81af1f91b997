'use strict';

// Each random case replays a sequence of emitter operations and returns the
// log of what listeners saw plus the emitter's observable state.
const OPS = ['on', 'once', 'prependListener', 'prependOnceListener', 'off', 'removeAllListeners', 'emit', 'emit', 'emit', 'emitRemoveSelf', 'emitAddDuring'];

module.exports = function eventsCases(r) {
  const c = [];
  for (let i = 0; i < 600; i++) {
    const steps = [];
    const n = r.int(1, 14);
    for (let j = 0; j < n; j++) {
      const op = r.pick(OPS);
      const ev = r.pick(['a', 'b', 'a']);
      const l = r.int(0, 3);
      switch (op) {
        case 'off': steps.push(`e.off(${JSON.stringify(ev)}, L[${l}]);`); break;
        case 'removeAllListeners': steps.push(r.bool(0.3) ? 'e.removeAllListeners();' : `e.removeAllListeners(${JSON.stringify(ev)});`); break;
        case 'emit': steps.push(`log.push(['emit', ${JSON.stringify(ev)}, e.emit(${JSON.stringify(ev)}, ${j})]);`); break;
        case 'emitRemoveSelf': steps.push(`e.on('c', function self() { log.push('self'); e.off('c', self); e.off('c', L[0]); }); e.on('c', L[0]); log.push(e.emit('c', 'x'), e.emit('c', 'y'));`); break;
        case 'emitAddDuring': steps.push(`e.once('d', () => { e.on('d', L[1]); log.push('added'); }); log.push(e.emit('d', 1), e.emit('d', 2));`); break;
        default: steps.push(`e.${op}(${JSON.stringify(ev)}, L[${l}]);`);
      }
    }
    const watch = r.bool(0.4) ? `e.on('newListener', (n, f) => log.push(['new', String(n), L.indexOf(f)])); e.on('removeListener', (n, f) => log.push(['rm', String(n), L.indexOf(f)]));` : '';
    c.push(`(() => { const e = new m(); const log = []; const L = [0, 1, 2, 3].map((k) => function (...a) { log.push(['L' + k, ...a]); }); ${watch} ${steps.join(' ')} return { log, names: e.eventNames().map(String), a: e.listenerCount('a'), b: e.listenerCount('b'), la: e.listeners('a').map((f) => L.indexOf(f)), raw: e.rawListeners('a').map((f) => L.indexOf(f)) }; })()`);
  }
  const edge = [
    `typeof m`, `m.EventEmitter === m`, `m.defaultMaxListeners`, `new m().getMaxListeners()`, `new m().setMaxListeners(3).getMaxListeners()`, `new m().setMaxListeners(-1)`,
    `new m().setMaxListeners('x')`, `new m().on('x', 1)`, `new m().emit('error', new TypeError('boom'))`, `new m().emit('error', 'str')`, `new m().emit('error')`,
    `new m().emit('error', { a: 1 })`, `(() => { const e = new m(); e.on('error', (x) => x); return e.emit('error', 1); })()`, `new m().emit('nothing')`,
    `(() => { const e = new m(); try { e.emit('error', 'x'); } catch (err) { return [err.context, err.code, err.message]; } })()`,
    `(() => { const e = new m(); e.on(m.errorMonitor, (x) => { e.seen = x; }); try { e.emit('error', new Error('z')); } catch (err) { return [e.seen.message, err.message]; } })()`,
    `(() => { const e = new m(); const s = Symbol('sym'); e.on(s, () => {}); e.on('x', () => {}); return e.eventNames().map(String); })()`,
    `(() => { const e = new m(); const f = () => {}; e.once('x', f); return [e.listeners('x')[0] === f, e.rawListeners('x')[0] === f, e.rawListeners('x')[0].listener === f]; })()`,
    `(() => { const e = new m(); const f = () => {}; e.once('x', f); e.off('x', f); return e.listenerCount('x'); })()`,
    `(() => { const e = new m(); const f = () => {}; e.on('x', f); e.on('x', f); e.on('x', () => {}); return [e.listenerCount('x'), e.listenerCount('x', f)]; })()`,
    `(() => { const e = new m(); let t; e.on('x', function () { t = this === e; }); e.emit('x'); return t; })()`,
    `(() => { const e = new m(); const out = []; e.on('x', (...a) => out.push(a)); e.emit('x', 1, 2, 3); e.emit('x'); return out; })()`,
    `(() => { function My() { m.call(this); } Object.setPrototypeOf(My.prototype, m.prototype); const e = new My(); let got; e.on('x', (v) => { got = v; }); e.emit('x', 5); return [got, e instanceof m]; })()`,
    `(() => { class My extends m {} const e = new My(); e.on('x', () => {}); return [e.listenerCount('x'), Object.keys(e).sort()]; })()`,
    `(() => { const e = new m(); const warn = console.warn; let warned = 0; console.warn = () => { warned++; }; try { e.setMaxListeners(1); e.on('x', () => {}); e.on('x', () => {}); e.on('x', () => {}); } finally { console.warn = warn; } return e.listenerCount('x'); })()`,
    `m.listenerCount(new m(), 'x')`, `(() => { const e = new m(); e.on('x', () => {}); return m.getEventListeners(e, 'x').length; })()`,
    `(() => { const e = new m(); const order = []; e.on('x', () => order.push(1)); e.prependListener('x', () => order.push(0)); e.prependOnceListener('x', () => order.push(-1)); e.emit('x'); e.emit('x'); return order; })()`,
    `(() => { const e = new m(); const log = []; e.on('removeListener', (n) => log.push(n)); e.on('a', () => {}); e.on('b', () => {}); e.removeAllListeners(); return [log, e.eventNames()]; })()`,
    `(() => { const e = new m(); e.on('a', () => {}); e.removeAllListeners('a'); return [e.eventNames(), e._eventsCount]; })()`,
    `(() => { const e = new m(); e.on('x', () => {}); return [typeof e._events, e._eventsCount, typeof e._events.x]; })()`,
    { expr: `(() => { const e = new m(); const p = m.once(e, 'go'); e.emit('go', 1, 2); return p; })()`, async: true },
    { expr: `(() => { const e = new m(); const p = m.once(e, 'go').catch((err) => 'rejected ' + err.message); e.emit('error', new Error('bad')); return p; })()`, async: true },
    { expr: `(() => { const e = new m(); const p = m.once(e, 'go'); e.emit('go'); return p.then((v) => [v, e.listenerCount('error'), e.listenerCount('go')]); })()`, async: true },
    { expr: `(async () => { const e = new m(); const it = m.on(e, 'tick'); e.emit('tick', 1); e.emit('tick', 2); const out = []; for await (const v of it) { out.push(v); if (out.length === 2) break; } return [out, e.listenerCount('tick')]; })()`, async: true },
  ];
  return c.concat(edge);
};
