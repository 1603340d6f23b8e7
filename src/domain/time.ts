import { invalidArgument } from './errors.js';
import { parseDuration, type Millis } from './duration.js';

/** Formats epoch milliseconds as RFC 3339 in UTC, without fractional seconds when they are zero. */
export function rfc3339(ms: Millis): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/**
 * Parses a point in time: RFC 3339, `now`, or a span relative to `now` such as `-7d` or `-90m`.
 * `now` is passed in so that the function stays pure.
 */
export function parseTime(text: string, now: Millis): Millis {
  const t = text.trim();
  if (t === 'now') return now;
  if (/^[+-]/.test(t)) return now + parseDuration(t);
  if (/^\d{4}-\d{2}-\d{2}(T|$)/.test(t)) {
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00Z` : t);
    if (Number.isFinite(ms)) return ms;
  }
  throw invalidArgument(
    `invalid time "${text}"`,
    'use RFC 3339 (2026-01-31T00:00:00Z), a date (2026-01-31), now, or a relative span such as -7d',
  );
}

/** Start of the interval of length `stepMs` that contains `t`, aligned to the epoch (so :00 :15 :30 :45). */
export function alignDown(t: Millis, stepMs: Millis): Millis {
  return Math.floor(t / stepMs) * stepMs;
}
