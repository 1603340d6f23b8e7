import { invalidArgument } from './errors.js';

/** Milliseconds since the Unix epoch, or a span of milliseconds. Always an integer. */
export type Millis = number;

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;

/**
 * Parses a duration such as `90m`, `1h30m`, `2.5s`, `500ms`, `7d` or `-7d` into milliseconds.
 * Go duration strings (`1m0s`, `20.05s`) are accepted too. A bare `0` is zero.
 */
export function parseDuration(text: string): Millis {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  let sign = 1;
  let body = trimmed;
  if (body.startsWith('-') || body.startsWith('+')) {
    sign = body.startsWith('-') ? -1 : 1;
    body = body.slice(1);
  }
  if (body === '') throw badDuration(text);
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let m = PART.exec(body); m !== null; m = PART.exec(body)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    consumed = PART.lastIndex;
  }
  if (consumed !== body.length) throw badDuration(text);
  return sign * Math.round(total);
}

function badDuration(text: string) {
  return invalidArgument(
    `invalid duration "${text}"`,
    'write a number followed by a unit (ms, s, m, h, d, w), e.g. 90s, 15m, 1h30m or 7d',
  );
}

/** Formats milliseconds as a Go duration string (`15s`, `1m0s`, `20.05s`), as metrics-server's `window`. */
export function formatGoDuration(ms: Millis): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = (rest / 1000).toString();
  if (h > 0) return `${sign}${h}h${m}m${s}s`;
  if (m > 0) return `${sign}${m}m${s}s`;
  return `${sign}${s}s`;
}
