/**
 * The control endpoints (SPEC §8): `/sim/clock`, `/sim/truth`, `/sim/faults`. Same server and
 * token as the API; never faulted.
 */
import { parseDuration } from '../../domain/duration.js';
import { invalidArgument, isKubetallyError } from '../../domain/errors.js';
import { parseTime, rfc3339 } from '../../domain/time.js';
import type { TruthGroupBy, World } from '../world.js';
import type { SimClock } from './clock.js';
import type { Faults } from './faults.js';
import { badRequest, methodNotAllowed, unknownPath } from './status.js';

export interface ControlContext {
  world: World;
  clock: SimClock;
  faults: Faults;
}

export interface ControlRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The parsed JSON body (`undefined` when there was none). */
  body: unknown;
}

export function handleControl(ctx: ControlContext, req: ControlRequest): { code: number; body: unknown } {
  try {
    return route(ctx, req);
  } catch (err) {
    if (isKubetallyError(err, 'INVALID_ARGUMENT')) {
      const message = err.hint === undefined ? err.message : `${err.message}: ${err.hint}`;
      return { code: 400, body: badRequest(message) };
    }
    throw err;
  }
}

function route(ctx: ControlContext, req: ControlRequest): { code: number; body: unknown } {
  const { clock, faults } = ctx;
  const ok = (body: unknown) => ({ code: 200, body });
  switch (req.path) {
    case '/sim/clock':
      if (req.method === 'GET') return ok({ now: rfc3339(clock.now()), mode: clock.mode });
      if (req.method === 'POST') return ok({ now: rfc3339(moveClock(ctx, req.body)) });
      return { code: 405, body: methodNotAllowed() };
    case '/sim/truth':
      if (req.method !== 'GET') return { code: 405, body: methodNotAllowed() };
      return ok(truth(ctx, req.query));
    case '/sim/faults':
      if (req.method === 'GET') return ok(faults.toJSON());
      if (req.method === 'POST') {
        faults.set(req.body ?? {});
        return ok(faults.toJSON());
      }
      if (req.method === 'DELETE') {
        faults.clear();
        return ok(faults.toJSON());
      }
      return { code: 405, body: methodNotAllowed() };
    default:
      return { code: 404, body: unknownPath() };
  }
}

/**
 * How far past the scenario's start the clock may be put. Usage profiles (random walks, spikes)
 * are integrated exactly from the start, so the simulator's memory grows with the span it covers
 * (about 2 MB a year for the demo): a clock put thousands of years ahead took gigabytes, then the
 * process. A century covers any test; a scenario whose start is later covers later times.
 */
const MAX_SPAN_YEARS = 100;

function moveClock(ctx: ControlContext, body: unknown): number {
  const { clock } = ctx;
  const b = clockRequest(body);
  let target: number;
  if (typeof b.advance === 'string') {
    const ms = parseDuration(b.advance);
    if (ms < 0) throw badClock('advance moves the clock forward; use {"to": T} to go back');
    target = clock.now() + Math.round(ms);
  } else {
    target = parseTime(b.to as string, clock.now());
  }
  const limit = spanLimit(ctx);
  if (target > limit) {
    throw invalidArgument(
      `the clock may not go past ${rfc3339(limit)}, ${MAX_SPAN_YEARS} years after the scenario's start (${rfc3339(ctx.world.scenario.start)})`,
      'the simulator models the time from its start on; move it less far, or give the scenario a later start',
    );
  }
  return clock.set(target);
}

/** The latest time the simulator models: MAX_SPAN_YEARS calendar years (leap days included) past the start. */
function spanLimit(ctx: ControlContext): number {
  const end = new Date(ctx.world.scenario.start);
  end.setUTCFullYear(end.getUTCFullYear() + MAX_SPAN_YEARS);
  return end.getTime();
}

function badClock(hint: string) {
  return invalidArgument('invalid clock request', hint);
}

/** A scalar as sent (60, true, null); anything larger by its kind only. */
const shown = (v: unknown) =>
  v === null || typeof v === 'number' || typeof v === 'boolean'
    ? String(v)
    : Array.isArray(v)
      ? 'an array'
      : `an ${typeof v}`;

const ONE_OF = 'send exactly one of {"advance": "60s"} or {"to": "2026-01-01T00:00:00Z"}';

/** The body's one field, checked; each mistake is named (a number, an unknown field, both). */
function clockRequest(body: unknown): { advance?: string; to?: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badClock(ONE_OF);
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => k !== 'advance' && k !== 'to');
  if (unknown.length > 0) throw badClock(`unknown field "${String(unknown[0]).slice(0, 60)}": ${ONE_OF}`);
  if ('advance' in b && 'to' in b) throw badClock(`advance and to were both sent: ${ONE_OF}`);
  if (!('advance' in b) && !('to' in b)) throw badClock(ONE_OF);
  if ('advance' in b && typeof b.advance !== 'string')
    throw badClock(
      `advance must be a duration in a string, such as "60s" or "1h30m" (got ${shown(b.advance)})`,
    );
  if ('to' in b && typeof b.to !== 'string')
    throw badClock(
      `to must be a time in a string, such as "2026-01-01T00:00:00Z", "now" or "+2h" (got ${shown(b.to)})`,
    );
  return b as { advance?: string; to?: string };
}

function truth(ctx: ControlContext, query: URLSearchParams) {
  const now = ctx.clock.now();
  const fromText = query.get('from');
  const toText = query.get('to');
  if (fromText === null || toText === null)
    throw invalidArgument(
      'from and to are required',
      'e.g. /sim/truth?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z',
    );
  const from = parseTime(fromText, now);
  const to = parseTime(toText, now);
  if (from === to)
    throw invalidArgument(
      `from and to are the same instant (${rfc3339(from)}): the span [from, to) is empty`,
      'give a to after from',
    );
  if (from > to) throw invalidArgument(`from (${fromText}) must be before to (${toText})`, 'swap them');
  // Profiles are integrated from the start (random walks step by step): a far `to` took the
  // memory a far clock takes, and to=9999-12-31 failed with a 500 (array buffer allocation).
  const limit = spanLimit(ctx);
  if (to > limit)
    throw invalidArgument(
      `to (${toText}) is past ${rfc3339(limit)}, ${MAX_SPAN_YEARS} years after the scenario's start (${rfc3339(ctx.world.scenario.start)})`,
      'the simulator models the time from its start on; ask for a span that ends by then',
    );
  const groupBy = query.get('groupBy') ?? 'pod';
  if (!isGroupBy(groupBy))
    throw invalidArgument(
      `invalid groupBy "${groupBy}"`,
      'use pod, namespace or label:KEY (e.g. label:owner)',
    );
  return ctx.world.truth(from, to, groupBy);
}

function isGroupBy(text: string): text is TruthGroupBy {
  return text === 'pod' || text === 'namespace' || /^label:[A-Za-z0-9./_-]{1,316}$/.test(text);
}
