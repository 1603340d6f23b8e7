/**
 * Readings (metrics.k8s.io and Summary API samples) as columns for the raw-observation store.
 * Every pod's readings are written each minute and all of an interval's are read back when it
 * closes; as one object per reading, the JSON repeated each field name and pod UID thousands of
 * times, and writing and reading it was a third of a collection round's CPU. As columns, each
 * text (UID, container, namespace, claim) is written once, times as offsets from the first, and
 * amounts as plain numbers where they fit (bigints beyond 2^53 as decimal strings).
 */
import type {
  CpuCounterSample,
  CpuRateSample,
  MemorySample,
  NetworkSample,
  VolumeSample,
} from '../metering/observations.js';
import { reviveObservations } from '../metering/observation-json.js';

export interface Readings {
  cpuRates?: CpuRateSample[];
  cpuCounters?: CpuCounterSample[];
  memory?: MemorySample[];
  network?: NetworkSample[];
  volumes?: VolumeSample[];
}

/** The stored form: `columns` marks it (older records hold the readings as objects). */
export interface ReadingColumns {
  columns: 1;
  /** Every text the columns refer to, by index. */
  texts: string[];
  /** What the time columns are offsets from. */
  t0: number;
  series: Partial<Record<keyof Readings, (number | string)[][]>>;
}

type Codec = 'text' | 'time' | 'number' | 'bigint';

/** Each series' fields in column order, with how each is written. */
const FIELDS: { [K in keyof Readings]-?: readonly (readonly [string, Codec])[] } = {
  cpuRates: [
    ['podUid', 'text'],
    ['container', 'text'],
    ['time', 'time'],
    ['windowMs', 'number'],
    ['nanoCores', 'bigint'],
  ],
  cpuCounters: [
    ['podUid', 'text'],
    ['container', 'text'],
    ['time', 'time'],
    ['containerStart', 'time'],
    ['coreNanos', 'bigint'],
  ],
  memory: [
    ['podUid', 'text'],
    ['container', 'text'],
    ['time', 'time'],
    ['workingSetBytes', 'bigint'],
  ],
  network: [
    ['podUid', 'text'],
    ['time', 'time'],
    ['podStart', 'time'],
    ['rxBytes', 'bigint'],
    ['txBytes', 'bigint'],
  ],
  volumes: [
    ['namespace', 'text'],
    ['claim', 'text'],
    ['time', 'time'],
    ['usedBytes', 'bigint'],
  ],
};

export const READING_SERIES = Object.keys(FIELDS) as readonly (keyof Readings)[];

/** A stored `metrics` or `summary` payload, in columns or as written by earlier versions. */
export function storedReadings(payload: unknown): Readings {
  const columns =
    typeof payload === 'object' && payload !== null && (payload as { columns?: unknown }).columns === 1;
  return columns ? unpackReadings(payload as ReadingColumns) : reviveObservations<Readings>(payload);
}

export function packReadings(readings: Readings): ReadingColumns {
  const texts: string[] = [];
  const index = new Map<string, number>();
  // A pod's readings come together: most lookups are the text just seen.
  let last: string | undefined;
  let lastIndex = -1;
  const text = (s: string) => {
    if (s === last) return lastIndex;
    let i = index.get(s);
    if (i === undefined) index.set(s, (i = texts.push(s) - 1));
    last = s;
    lastIndex = i;
    return i;
  };
  const series: ReadingColumns['series'] = {};
  const times: number[][] = [];
  for (const name of READING_SERIES) {
    const rows = readings[name] as unknown as Record<string, unknown>[] | undefined;
    if (rows === undefined) continue;
    series[name] = FIELDS[name].map(([field, codec]) => {
      const out = new Array<number | string>(rows.length);
      const n = rows.length;
      if (codec === 'text') for (let i = 0; i < n; i++) out[i] = text(rows[i]![field] as string);
      else if (codec === 'bigint')
        for (let i = 0; i < n; i++) out[i] = bigintValue(rows[i]![field] as bigint);
      else for (let i = 0; i < n; i++) out[i] = rows[i]![field] as number;
      if (codec === 'time') times.push(out as number[]);
      return out;
    });
  }
  // Offsets stay exact only for whole milliseconds; otherwise times are written as they are.
  const t0 = times.find((c) => c.length > 0)?.[0] ?? 0;
  const exact = times.every((c) => c.every((t) => Number.isSafeInteger(t)));
  if (exact && t0 !== 0) for (const c of times) for (let i = 0; i < c.length; i++) c[i] = c[i]! - t0;
  return { columns: 1, texts, t0: exact ? t0 : 0, series };
}

export function unpackReadings(packed: ReadingColumns): Readings {
  const { texts, t0 } = packed;
  const out: Record<string, unknown[]> = {};
  for (const name of READING_SERIES) {
    const columns = packed.series[name];
    if (columns === undefined) continue;
    const row = ROW[name];
    const n = columns[0]?.length ?? 0;
    const rows = new Array<unknown>(n);
    for (let i = 0; i < n; i++) rows[i] = row(columns, i, texts, t0);
    out[name] = rows;
  }
  return out as Readings;
}

type Columns = (number | string)[][];
type Row<K extends keyof Readings> = NonNullable<Readings[K]>[number];

/** Each series' row from its columns (in FIELDS order), as a literal: one shape per series. */
const ROW: { [K in keyof Readings]-?: (c: Columns, i: number, texts: string[], t0: number) => Row<K> } = {
  cpuRates: (c, i, x, t0) => ({
    podUid: x[c[0]![i] as number]!,
    container: x[c[1]![i] as number]!,
    time: (c[2]![i] as number) + t0,
    windowMs: c[3]![i] as number,
    nanoCores: BigInt(c[4]![i]!),
  }),
  cpuCounters: (c, i, x, t0) => ({
    podUid: x[c[0]![i] as number]!,
    container: x[c[1]![i] as number]!,
    time: (c[2]![i] as number) + t0,
    containerStart: (c[3]![i] as number) + t0,
    coreNanos: BigInt(c[4]![i]!),
  }),
  memory: (c, i, x, t0) => ({
    podUid: x[c[0]![i] as number]!,
    container: x[c[1]![i] as number]!,
    time: (c[2]![i] as number) + t0,
    workingSetBytes: BigInt(c[3]![i]!),
  }),
  network: (c, i, x, t0) => ({
    podUid: x[c[0]![i] as number]!,
    time: (c[1]![i] as number) + t0,
    podStart: (c[2]![i] as number) + t0,
    rxBytes: BigInt(c[3]![i]!),
    txBytes: BigInt(c[4]![i]!),
  }),
  volumes: (c, i, x, t0) => ({
    namespace: x[c[0]![i] as number]!,
    claim: x[c[1]![i] as number]!,
    time: (c[2]![i] as number) + t0,
    usedBytes: BigInt(c[3]![i]!),
  }),
};

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function bigintValue(v: bigint): number | string {
  return v <= SAFE && v >= -SAFE ? Number(v) : v.toString();
}
