// `Date.now()` and `new Date()` fixed at one instant, for reproducible hook runs and tests.
// Dates built from explicit arguments behave as usual.
(function (now) {
  'use strict';
  const RealDate = Date;
  function FrozenDate(...args) {
    if (!new.target) return new RealDate(now).toString();
    return args.length === 0 ? new RealDate(now) : new RealDate(...args);
  }
  FrozenDate.prototype = RealDate.prototype;
  FrozenDate.now = () => now;
  FrozenDate.parse = RealDate.parse;
  FrozenDate.UTC = RealDate.UTC;
  Object.defineProperty(RealDate.prototype, 'constructor', { value: FrozenDate, writable: true, configurable: true });
  globalThis.Date = FrozenDate;
})
