// k6 provides `console` in every context; @types/k6 leaves it out and the DOM/Node libs
// would bring in far more than k6 has (fetch, timers, process), so declare just this.
declare const console: {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
};
