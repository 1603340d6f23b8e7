import type { CliIo } from './io.js';

/**
 * A status line that says what a long operation is doing and for how long, refreshed twice a
 * second; `done()` clears it. Costs nothing where the CLI's output is not a terminal.
 */
export function startProgress(io: CliIo, what: () => string): { done(): void } {
  const progress = io.progress;
  if (progress === undefined) return { done: () => undefined };
  const started = Date.now();
  const show = () => progress(`${what()} (${Math.floor((Date.now() - started) / 1000)} s)`);
  show();
  const timer = setInterval(show, 500);
  timer.unref();
  return {
    done() {
      clearInterval(timer);
      progress('');
    },
  };
}
