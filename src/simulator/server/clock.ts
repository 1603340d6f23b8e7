import type { Millis } from '../../domain/duration.js';
import { invalidArgument } from '../../domain/errors.js';

export type ClockMode = 'real' | 'manual' | `speed:${number}`;

/** The simulator's clock. All times are integer epoch milliseconds. */
export interface SimClock {
  readonly mode: ClockMode;
  now(): Millis;
  /** Moves the clock by `ms` (in any mode: real and speed modes keep running from there). */
  advance(ms: Millis): Millis;
  /** Puts the clock at `t` (in any mode). */
  set(t: Millis): Millis;
  /** Calls `listener` after each `advance` or `set`; returns the function that stops it. */
  onChange(listener: () => void): () => void;
}

export function parseClockMode(text: string): ClockMode {
  if (text === 'real' || text === 'manual') return text;
  const m = /^speed:(\d+(?:\.\d+)?)$/.exec(text);
  if (m !== null && Number(m[1]) > 0) return `speed:${Number(m[1])}`;
  throw invalidArgument(
    `invalid clock mode "${text}"`,
    'use real, manual or speed:N with N > 0 (e.g. speed:60 runs an hour a minute)',
  );
}

/**
 * `manual` starts at `start` and moves only when told; `speed:N` starts at `start` and runs N times
 * faster than the wall clock; `real` follows the wall clock (`start` only anchors the scenario).
 */
export function createClock(mode: ClockMode, start: Millis, wall: () => Millis = Date.now): SimClock {
  const speed = mode === 'manual' ? 0 : mode === 'real' ? 1 : Number(mode.slice('speed:'.length));
  let anchor = mode === 'real' ? wall() : start;
  let wallAnchor = wall();
  const now = () => anchor + Math.floor((wall() - wallAnchor) * speed);
  const listeners = new Set<() => void>();
  const set = (t: Millis) => {
    if (!Number.isSafeInteger(t))
      throw invalidArgument(`invalid clock time ${t}`, 'pass integer epoch milliseconds');
    anchor = t;
    wallAnchor = wall();
    for (const l of listeners) l();
    return t;
  };
  const onChange = (listener: () => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  return { mode, now, set, advance: (ms) => set(now() + Math.round(ms)), onChange };
}
