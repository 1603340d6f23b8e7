import { z } from 'zod';
import { parseDuration, type Millis } from '../../domain/duration.js';
import { invalidArgument } from '../../domain/errors.js';
import { LIST_KINDS } from '../world.js';

/** The faults of SPEC §8, as `POST /sim/faults` sets them. */
export interface FaultState {
  metricsApi: 'ok' | 'missing' | 'unavailable';
  summaryApi: 'ok' | 'forbidden' | 'unavailable';
  /** Share of API requests answered 500. */
  errorRate: number;
  latencyMs: Millis;
  unauthorized: boolean;
  /** RBAC-style resources denied: `pods`, `nodes/proxy`, `pods.metrics.k8s.io`, ... */
  forbidden: string[];
  expireContinue: boolean;
  /** Share of API responses whose JSON body is cut short. */
  malformedRate: number;
  /** Share of API requests whose connection is destroyed without an answer. */
  resetRate: number;
}

const rate = z.number().min(0).max(1);
const PATCH = z.strictObject({
  metricsApi: z.enum(['ok', 'missing', 'unavailable']).optional(),
  summaryApi: z.enum(['ok', 'forbidden', 'unavailable']).optional(),
  errorRate: rate.optional(),
  latency: z.union([z.string(), z.number().int().min(0)]).optional(),
  unauthorized: z.boolean().optional(),
  forbidden: z.array(z.string().min(1).max(253)).max(100).optional(),
  expireContinue: z.boolean().optional(),
  malformedRate: rate.optional(),
  resetRate: rate.optional(),
});

/**
 * What a `forbidden` entry may name, in RBAC notation: each resource the simulator serves (and the
 * node proxy, the kubelet Lease), optionally after a verb. An entry naming anything else (`pod`,
 * `node/proxy`, `pods.metrics`) denied nothing, so a test of a 403 passed on a cluster that
 * never refused.
 */
const DENIABLE: readonly string[] = [
  ...LIST_KINDS,
  'nodes/proxy',
  'pods.metrics.k8s.io',
  'nodes.metrics.k8s.io',
  'leases.coordination.k8s.io',
];
const VERBS = ['get', 'list', 'watch'];

function checkForbidden(entries: readonly string[]): void {
  entries.forEach((entry, i) => {
    const words = entry.split(' ');
    const [verb, resource] = words.length === 2 ? words : [undefined, entry];
    if (
      words.length <= 2 &&
      (verb === undefined || VERBS.includes(verb)) &&
      DENIABLE.includes(resource ?? '')
    )
      return;
    throw invalidArgument(
      `invalid faults (forbidden.${i}): "${entry}" is not a resource the simulator serves`,
      `name one of ${DENIABLE.join(', ')}; optionally after a verb (${VERBS.join(', ')}), as "watch pods"`,
    );
  });
}

function healthy(): FaultState {
  return {
    metricsApi: 'ok',
    summaryApi: 'ok',
    errorRate: 0,
    latencyMs: 0,
    unauthorized: false,
    forbidden: [],
    expireContinue: false,
    malformedRate: 0,
    resetRate: 0,
  };
}

/** What happens to one API request, decided before it is served. */
export type RequestFate = 'reset' | 'error' | 'malformed' | 'ok';

/**
 * The fault switchboard. Random faults draw from a PRNG seeded by the scenario seed, so the
 * same scenario and the same sequence of requests meet the same faults.
 */
export class Faults {
  private current: FaultState = healthy();
  private random: () => number;

  constructor(private readonly seed: number) {
    this.random = mulberry32(seed);
  }

  get state(): Readonly<FaultState> {
    return this.current;
  }

  /** Applies a partial update (fields left out keep their value); throws INVALID_ARGUMENT on bad input. */
  set(patch: unknown): FaultState {
    const parsed = PATCH.safeParse(patch);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue === undefined || issue.path.length === 0 ? 'body' : issue.path.join('.');
      throw invalidArgument(
        `invalid faults (${where}): ${issue?.message ?? 'not an object'}`,
        'send a JSON object with metricsApi, summaryApi, errorRate, latency, unauthorized, forbidden, expireContinue, malformedRate, resetRate',
      );
    }
    const { latency, ...rest } = parsed.data;
    if (rest.forbidden !== undefined) checkForbidden(rest.forbidden);
    const next: FaultState = { ...this.current };
    for (const [k, v] of Object.entries(rest))
      if (v !== undefined) (next as unknown as Record<string, unknown>)[k] = v;
    if (latency !== undefined) {
      const ms = typeof latency === 'number' ? latency : parseDuration(latency);
      if (ms < 0 || ms > 600_000)
        throw invalidArgument(`invalid latency "${latency}"`, 'use 0 to 10m, e.g. "2s"');
      next.latencyMs = ms;
    }
    this.current = next;
    return next;
  }

  clear(): FaultState {
    this.current = healthy();
    this.random = mulberry32(this.seed);
    return this.current;
  }

  /**
   * Whether `verb` on the resource is denied: an entry `pods` denies every verb, `watch pods`
   * only that one.
   */
  isForbidden(resource: string, group = '', subresource?: string, verb?: string): boolean {
    const base = group === '' ? resource : `${resource}.${group}`;
    const name = subresource === undefined ? base : `${base}/${subresource}`;
    const list = this.current.forbidden;
    return list.includes(name) || (verb !== undefined && list.includes(`${verb} ${name}`));
  }

  /** Draws the fate of one API request (never called for `/sim/*`). */
  fate(): RequestFate {
    const s = this.current;
    if (s.resetRate > 0 && this.random() < s.resetRate) return 'reset';
    if (s.errorRate > 0 && this.random() < s.errorRate) return 'error';
    if (s.malformedRate > 0 && this.random() < s.malformedRate) return 'malformed';
    return 'ok';
  }

  toJSON(): Record<string, unknown> {
    const { latencyMs, ...rest } = this.current;
    return { ...rest, latency: `${latencyMs}ms` };
  }
}

/** A small, fast, seedable PRNG (mulberry32); uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
