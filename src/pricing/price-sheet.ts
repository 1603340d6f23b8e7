/**
 * Price sheets: what one unit of each resource costs on a cluster, from a point in time on.
 *
 * Units are in the field names: per core-hour, per GiB-hour (GiB = 2^30 bytes), per GPU-hour, per
 * GiB-month of PV capacity (a month is 730 hours), per GiB of egress (network tx), per hour of a
 * LoadBalancer service, per hour of cluster management. Prices are exact decimals stored as
 * pico-currency (`Picos`), at most 12 decimal places.
 *
 * Node prices: `nodes[instanceType].hour` (and `.spotHour` for spot nodes) replace the resource
 * prices for nodes of that instance type when computing what the nodes cost (see
 * cluster-costs.ts). Unknown instance types, and spot nodes of a type with no `spotHour`, fall
 * back to the resource prices (spot resource prices for spot nodes) × their allocatable capacity;
 * cluster-costs reports them in `unpricedInstanceTypes`.
 */
import { z } from 'zod';
import type { Millis } from '../domain/duration.js';
import { KubetallyError, invalidArgument } from '../domain/errors.js';
import { rfc3339 } from '../domain/time.js';
import { currencyProblem } from './currency.js';
import { PICOS_PER_UNIT, PRICE_DECIMALS, formatPicos, parseScaledDecimal, type Picos } from './decimal.js';

/**
 * What CPU and memory are billed on (SPEC §7): `usage` (used), `request` (requested × running
 * time) or `max` (the default: Σ per container and sample period of max(used, requested), as
 * OpenCost does). GPUs are always billed on GPUs requested × time.
 */
export type Basis = 'usage' | 'request' | 'max';
export const BASES: readonly Basis[] = ['usage', 'request', 'max'];
export const DEFAULT_BASIS: Basis = 'max';

export interface ComputePrices {
  /** Per core-hour. */
  cpu: Picos;
  /** Per GiB-hour. */
  memory: Picos;
  /** Per GPU-hour. */
  gpu: Picos;
}

export interface NodePrice {
  /** Per node-hour, on-demand. */
  hour: Picos;
  /** Per node-hour when the node is spot; absent: spot nodes of this type use resource prices. */
  spotHour?: Picos;
}

export interface PriceSheet {
  /** ISO 4217 code, e.g. `USD`. */
  currency: string;
  /** The cluster's billing basis while this sheet is in force. */
  basis: Basis;
  /** The sheet applies to intervals starting at or after this time (epoch ms). */
  effectiveFrom: Millis;
  onDemand: ComputePrices;
  spot: ComputePrices;
  /** Per GiB-month (730 h) of PV capacity, for classes not in `storageClasses`. */
  storageGiBMonth: Picos;
  /** Per GiB-month by storage class name. */
  storageClasses: Record<string, Picos>;
  /** Per GiB sent (egress). */
  networkEgressGiB: Picos;
  /** Per hour of a LoadBalancer service. */
  loadBalancerHour: Picos;
  /** Per hour of the cluster's management fee. */
  managementHour: Picos;
  /** Node-hour prices by instance type (`node.kubernetes.io/instance-type`). */
  nodes: Record<string, NodePrice>;
}

/** SPEC §7 defaults, as decimal text (USD). */
export const DEFAULT_PRICES = {
  cpuCoreHour: '0.031611',
  memoryGiBHour: '0.004237',
  gpuHour: '0.95',
  spotCpuCoreHour: '0.006655',
  spotMemoryGiBHour: '0.000892',
  spotGpuHour: '0.308',
  storageGiBMonth: '0.04',
  networkEgressGiB: '0.01',
  loadBalancerHour: '0.025',
  managementHour: '0.10',
} as const;

/**
 * Highest accepted price per field, in currency units. Anything above is surely a unit mistake
 * (a monthly price typed as hourly, cents typed as dollars) and is refused.
 */
export const PRICE_LIMITS: Record<keyof typeof DEFAULT_PRICES | 'storageClass' | 'nodeHour', number> = {
  cpuCoreHour: 1000,
  memoryGiBHour: 100,
  gpuHour: 1000,
  spotCpuCoreHour: 1000,
  spotMemoryGiBHour: 100,
  spotGpuHour: 1000,
  storageGiBMonth: 100,
  storageClass: 100,
  networkEgressGiB: 100,
  loadBalancerHour: 1000,
  managementHour: 1000,
  nodeHour: 10_000,
};

const UNIT_OF: Record<keyof typeof PRICE_LIMITS, string> = {
  cpuCoreHour: 'per core-hour',
  memoryGiBHour: 'per GiB-hour',
  gpuHour: 'per GPU-hour',
  spotCpuCoreHour: 'per core-hour',
  spotMemoryGiBHour: 'per GiB-hour',
  spotGpuHour: 'per GPU-hour',
  storageGiBMonth: 'per GiB-month',
  storageClass: 'per GiB-month',
  networkEgressGiB: 'per GiB',
  loadBalancerHour: 'per hour',
  managementHour: 'per hour',
  nodeHour: 'per node-hour',
};

function price(limit: keyof typeof PRICE_LIMITS) {
  return z.unknown().transform((value, ctx): Picos => {
    try {
      if (value === undefined) throw invalidArgument('is required (a price)');
      if (typeof value !== 'number' && typeof value !== 'string') {
        throw invalidArgument(
          `must be a decimal number or string (got ${JSON.stringify(value) ?? typeof value})`,
        );
      }
      const p = parseScaledDecimal(value, PRICE_DECIMALS, 'price');
      if (p < 0n) throw invalidArgument(`must not be negative (got ${String(value)})`);
      if (p > BigInt(PRICE_LIMITS[limit]) * PICOS_PER_UNIT) {
        throw invalidArgument(
          `${String(value)} is absurd: more than ${PRICE_LIMITS[limit]} ${UNIT_OF[limit]}; check the unit`,
        );
      }
      return p;
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message.replace(/^price: /, ''), input: value });
      return z.NEVER;
    }
  });
}

const effectiveFrom = z
  .union([z.number().int().nonnegative(), z.string()])
  .transform((value, ctx): Millis => {
    if (typeof value === 'number') return value;
    // A date alone is midnight UTC, as in every other time kubetally reads.
    const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
    const ok = day || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value);
    const ms = ok ? Date.parse(day ? `${value}T00:00:00Z` : value) : NaN;
    const real = !day || (Number.isFinite(ms) && new Date(ms).toISOString().startsWith(value));
    if (!Number.isFinite(ms) || !real) {
      ctx.addIssue({
        code: 'custom',
        message: `"${value}" is not an RFC 3339 time or a date (2026-03-01)`,
        input: value,
      });
      return z.NEVER;
    }
    return ms;
  });

const d = DEFAULT_PRICES;

/** The JSON form of a price sheet (API, configuration, storage). Every field is optional. */
export const priceSheetSchema = z
  .object({
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as USD')
      .default('USD'),
    effectiveFrom: effectiveFrom.default(0),
    basis: z.enum(BASES, { message: 'must be one of usage, request, max' }).default(DEFAULT_BASIS),
    cpuCoreHour: price('cpuCoreHour').prefault(d.cpuCoreHour),
    memoryGiBHour: price('memoryGiBHour').prefault(d.memoryGiBHour),
    gpuHour: price('gpuHour').prefault(d.gpuHour),
    spotCpuCoreHour: price('spotCpuCoreHour').prefault(d.spotCpuCoreHour),
    spotMemoryGiBHour: price('spotMemoryGiBHour').prefault(d.spotMemoryGiBHour),
    spotGpuHour: price('spotGpuHour').prefault(d.spotGpuHour),
    storageGiBMonth: price('storageGiBMonth').prefault(d.storageGiBMonth),
    storageClasses: z.record(z.string().min(1), price('storageClass')).default({}),
    networkEgressGiB: price('networkEgressGiB').prefault(d.networkEgressGiB),
    loadBalancerHour: price('loadBalancerHour').prefault(d.loadBalancerHour),
    managementHour: price('managementHour').prefault(d.managementHour),
    nodes: z
      .record(
        z.string().min(1),
        z.strictObject({ hour: price('nodeHour'), spotHour: price('nodeHour').optional() }),
      )
      .default({}),
  })
  .strict();

export type PriceSheetInput = z.input<typeof priceSheetSchema>;

/** Unknown fields of the sheet (depth 0) or of a node price, and what they may have meant. */
function unknownFields(keys: readonly string[], depth: number): string {
  const known = depth === 0 ? Object.keys(priceSheetSchema.shape) : ['hour', 'spotHour'];
  return keys
    .map((k) => {
      const meant = known.find((f) => f.toLowerCase() === k.toLowerCase());
      return `unknown field "${k}" (${meant === undefined ? `the fields are ${known.join(', ')}` : `did you mean ${meant}?`})`;
    })
    .join('; ');
}

/**
 * Validates a price sheet and returns it in exact units. All problems are reported at once, each
 * naming its field: `price sheet: cpuCoreHour: must not be negative (got -1)`.
 */
export function parsePriceSheet(input: unknown = {}): PriceSheet {
  return parseSheet(input, undefined);
}

/**
 * As `parsePriceSheet`, for a sheet being set now: the currency of `given` (the fields being set,
 * by default the whole input) must moreover be an ISO 4217 code this runtime knows (currency.ts).
 */
export function parseNewPriceSheet(input: unknown = {}, given: unknown = input): PriceSheet {
  const currency = (given as { currency?: unknown } | null | undefined)?.currency;
  return parseSheet(input, currencyProblem(currency));
}

function parseSheet(input: unknown, currencyIssue: string | undefined): PriceSheet {
  const r = priceSheetSchema.safeParse(input ?? {});
  if (!r.success || currencyIssue !== undefined) {
    // The specific currency problem replaces the schema's generic one about the same field.
    const issues = (r.error?.issues ?? []).filter(
      (i) => currencyIssue === undefined || i.path.join('.') !== 'currency',
    );
    const problems = issues.map((i) => {
      const where = i.path.length > 0 ? `${i.path.join('.')}: ` : '';
      if (i.code === 'unrecognized_keys') return `${where}${unknownFields(i.keys, i.path.length)}`;
      return `${where || '(sheet): '}${i.message}`;
    });
    if (currencyIssue !== undefined) problems.unshift(`currency: ${currencyIssue}`);
    throw new KubetallyError('INVALID_ARGUMENT', `invalid price sheet: ${problems.join('; ')}`, {
      hint: 'prices are non-negative decimals in the unit named by the field (e.g. cpuCoreHour: 0.031611)',
      details: { problems },
    });
  }
  const v = r.data!;
  const nodes: Record<string, NodePrice> = {};
  for (const [type, p] of Object.entries(v.nodes)) {
    nodes[type] = p.spotHour === undefined ? { hour: p.hour } : { hour: p.hour, spotHour: p.spotHour };
  }
  return {
    currency: v.currency,
    basis: v.basis,
    effectiveFrom: v.effectiveFrom,
    onDemand: { cpu: v.cpuCoreHour, memory: v.memoryGiBHour, gpu: v.gpuHour },
    spot: { cpu: v.spotCpuCoreHour, memory: v.spotMemoryGiBHour, gpu: v.spotGpuHour },
    storageGiBMonth: v.storageGiBMonth,
    storageClasses: { ...v.storageClasses },
    networkEgressGiB: v.networkEgressGiB,
    loadBalancerHour: v.loadBalancerHour,
    managementHour: v.managementHour,
    nodes,
  };
}

/** The SPEC §7 default sheet (USD), in force since the epoch. */
export const defaultPriceSheet = (): PriceSheet => parsePriceSheet({});

/** The JSON form of a sheet, prices as exact decimal strings; `parsePriceSheet` reads it back. */
export function priceSheetToJson(s: PriceSheet): Record<string, unknown> {
  const nodes: Record<string, { hour: string; spotHour?: string }> = {};
  for (const [type, p] of Object.entries(s.nodes)) {
    nodes[type] = {
      hour: formatPicos(p.hour),
      ...(p.spotHour === undefined ? {} : { spotHour: formatPicos(p.spotHour) }),
    };
  }
  return {
    currency: s.currency,
    basis: s.basis,
    effectiveFrom: rfc3339(s.effectiveFrom),
    cpuCoreHour: formatPicos(s.onDemand.cpu),
    memoryGiBHour: formatPicos(s.onDemand.memory),
    gpuHour: formatPicos(s.onDemand.gpu),
    spotCpuCoreHour: formatPicos(s.spot.cpu),
    spotMemoryGiBHour: formatPicos(s.spot.memory),
    spotGpuHour: formatPicos(s.spot.gpu),
    storageGiBMonth: formatPicos(s.storageGiBMonth),
    storageClasses: Object.fromEntries(Object.entries(s.storageClasses).map(([k, p]) => [k, formatPicos(p)])),
    networkEgressGiB: formatPicos(s.networkEgressGiB),
    loadBalancerHour: formatPicos(s.loadBalancerHour),
    managementHour: formatPicos(s.managementHour),
    nodes,
  };
}
