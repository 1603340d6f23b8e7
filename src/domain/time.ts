import { invalidArgument } from './errors.js';
import { parseDuration, type Millis } from './duration.js';

/** Formats epoch milliseconds as RFC 3339 in UTC, without fractional seconds when they are zero. */
export function rfc3339(ms: Millis): string {
  // Rendering an object formats the same instant several times in a row (created, started…).
  if (ms === last.ms) return last.text;
  const iso = new Date(ms).toISOString();
  last.text = iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
  last.ms = ms;
  return last.text;
}
const last = { ms: NaN, text: '' };

/**
 * Parses a point in time: RFC 3339, `now`, or a span relative to `now` such as `-7d` or `-90m`.
 * `now` is passed in so that the function stays pure.
 */
export function parseTime(text: string, now: Millis): Millis {
  const t = text.trim();
  if (t === 'now') return now;
  if (/^[+-]/.test(t)) {
    let ms: number;
    try {
      ms = now + parseDuration(t);
    } catch {
      throw badTime(text);
    }
    return inRange(ms, text);
  }
  // A date alone is midnight UTC. A date-time needs its offset (RFC 3339): without one, the
  // platform would read it in the local zone and the same command would mean different hours.
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(t)
    ? Date.parse(`${t}T00:00:00Z`)
    : RFC3339.test(t)
      ? Date.parse(t) + pastMillisecond(t)
      : NaN;
  if (!Number.isFinite(ms) || !realDate(t)) throw badTime(text);
  return inRange(ms, text);
}

/**
 * 1 when the time has digits past the millisecond that are not zero (`10:00:00.0001Z`, as
 * Python's and Go's clocks print), which Date.parse drops. Ranges are [from, to) over whole
 * milliseconds, so such an instant counts from the next millisecond: dropping them would count
 * an interval that starts at 10:00:00 in a range from 10:00:00.0001, and leave one out of a range
 * to 10:40:00.0004 that it starts in.
 */
function pastMillisecond(t: string): number {
  const fraction = /\.(\d+)/.exec(t)?.[1] ?? '';
  return /[1-9]/.test(fraction.slice(3)) ? 1 : 0;
}

/** The date part names a day that exists (Date.parse rolls 02-30 over to 03-02). */
function realDate(t: string): boolean {
  const [y, m, d] = t.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

const MIN_TIME = Date.UTC(1970, 0, 1);
const MAX_TIME = Date.UTC(9999, 11, 31);

function inRange(ms: number, text: string): Millis {
  if (ms >= MIN_TIME && ms <= MAX_TIME) return ms;
  throw invalidArgument(
    `time "${text}" is out of range`,
    'use a time from 1970-01-01 to 9999-12-31T00:00:00Z, such as -30d or 2026-01-31',
  );
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function badTime(text: string) {
  // `+02:00` sent unencoded in a URL query arrives as ` 02:00`: a + there means a space.
  if (/\d{2}:\d{2}(:\d{2})?(\.\d+)? \d{2}:\d{2}$/.test(text)) {
    return invalidArgument(
      `invalid time "${text}": its zone lost its +`,
      'in a URL query write + as %2B (2026-01-31T10:00:00%2B02:00), or use Z',
    );
  }
  return invalidArgument(
    `invalid time "${text}"`,
    'use RFC 3339 with a zone (2026-01-31T00:00:00Z), a date (2026-01-31, midnight UTC), now, or a span relative to now such as -7d, -2h or -90m',
  );
}

/** Start of the interval of length `stepMs` that contains `t`, aligned to the epoch (so :00 :15 :30 :45). */
export function alignDown(t: Millis, stepMs: Millis): Millis {
  return Math.floor(t / stepMs) * stepMs;
}
