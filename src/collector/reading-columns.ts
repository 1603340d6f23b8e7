/**
 * Readings (metrics.k8s.io and Summary API samples) in a compact binary form for the
 * raw-observation store. Every pod's readings are written each minute and all of an interval's
 * are read back when it closes; as JSON objects that was a third of a collection round's CPU
 * (field names and UIDs repeated thousands of times, then gzipped and parsed again). Here each
 * text (UID, container, namespace, claim) is written once, and the columns are 8-byte numbers:
 * texts by index, times as offsets from the first, amounts as they are (a bigint beyond 2^53 is
 * written as text beside them). Nothing is compressed or parsed on the way.
 *
 *   "KTR1" · header length (u32 LE) · header JSON {texts, t0, rows, big} · pad to 8 ·
 *   float64 LE values, series by series (READING_SERIES order), column by column (PUT's order)
 */
import type {
  CpuCounterSample,
  CpuRateSample,
  MemorySample,
  NetworkSample,
  VolumeSample,
} from '../metering/observations.js';
import { endianness } from 'node:os';
import { reviveObservations } from '../metering/observation-json.js';

export interface Readings {
  cpuRates?: CpuRateSample[];
  cpuCounters?: CpuCounterSample[];
  memory?: MemorySample[];
  network?: NetworkSample[];
  volumes?: VolumeSample[];
}

/** What the header holds beside the texts: rows per series, and the amounts beyond 2^53. */
interface Header {
  texts: string[];
  /** What the time columns are offsets from. */
  t0: number;
  rows: Partial<Record<keyof Readings, number>>;
  /** [index among all values, decimal text] of each amount a float64 cannot hold exactly. */
  big: [number, string][];
}

const MAGIC = Buffer.from('KTR1');
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Values per row of each series: its columns, in the order PUT writes and ROW reads them. */
const WIDTH: { [K in keyof Readings]-?: number } = {
  cpuRates: 5,
  cpuCounters: 5,
  memory: 4,
  network: 5,
  volumes: 4,
};

export const READING_SERIES = Object.keys(WIDTH) as readonly (keyof Readings)[];

/** A stored `metrics` or `summary` payload: binary as written now, or objects (earlier versions). */
export function storedReadings(payload: unknown): Readings {
  return payload instanceof Uint8Array ? unpackReadings(payload) : reviveObservations<Readings>(payload);
}

export function packReadings(readings: Readings): Buffer {
  const first = READING_SERIES.map((name) => readings[name]?.[0]?.time).find((t) => t !== undefined);
  // Offsets stay exact only for whole milliseconds; otherwise times are written as they are.
  return pack(readings, first ?? 0) ?? (pack(readings, 0) as Buffer);
}

/** The record with times as offsets from `t0`; undefined when an offset would not be exact. */
function pack(readings: Readings, t0: number): Buffer | undefined {
  const texts: string[] = [];
  const index = new Map<string, number>();
  const big: [number, string][] = [];
  // A pod's readings come together: most lookups are the text just seen.
  let last: string | undefined;
  let lastIndex = -1;
  let exact = true;
  const sink: Sink = {
    text(s) {
      if (s === last) return lastIndex;
      let i = index.get(s);
      if (i === undefined) index.set(s, (i = texts.push(s) - 1));
      last = s;
      lastIndex = i;
      return i;
    },
    time(t) {
      if (t0 !== 0 && !Number.isSafeInteger(t)) exact = false;
      return t - t0;
    },
    amount(v, at) {
      if (v <= SAFE && v >= -SAFE) return Number(v);
      big.push([at, v.toString()]);
      return NaN;
    },
  };
  const rows: Header['rows'] = {};
  let count = 0;
  for (const name of READING_SERIES) {
    const n = readings[name]?.length;
    if (n === undefined) continue;
    rows[name] = n;
    count += n * WIDTH[name];
  }
  const values = new Float64Array(count);
  let offset = 0;
  for (const name of READING_SERIES) {
    const list = readings[name];
    if (list === undefined) continue;
    const put = PUT[name] as (r: unknown, i: number, n: number, o: number, v: Float64Array, s: Sink) => void;
    for (let i = 0; i < list.length; i++) put(list[i], i, list.length, offset, values, sink);
    offset += list.length * WIDTH[name];
  }
  if (!exact) return undefined;
  const header = Buffer.from(JSON.stringify({ texts, t0, rows, big } satisfies Header));
  const start = align8(MAGIC.length + 4 + header.length);
  const out = Buffer.alloc(start + values.byteLength);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(header.length, MAGIC.length);
  header.copy(out, MAGIC.length + 4);
  if (LITTLE_ENDIAN) out.set(new Uint8Array(values.buffer), start);
  else {
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    for (let i = 0; i < values.length; i++) view.setFloat64(start + 8 * i, values[i]!, true);
  }
  return out;
}

interface Sink {
  text(s: string): number;
  time(t: number): number;
  /** A bigint as a float64, or NaN with its text kept aside (`at`: its index among all values). */
  amount(v: bigint, at: number): number;
}

/**
 * Each series' row `i` of `n` into the values from `o`, column by column (column f of row i at
 * o + f·n + i). Written out per series: one shape each, no field looked up by name. ROW reads
 * the same columns back.
 */
const PUT: {
  [K in keyof Readings]-?: (r: Row<K>, i: number, n: number, o: number, v: Float64Array, s: Sink) => void;
} = {
  cpuRates: (r, i, n, o, v, s) => {
    v[o + i] = s.text(r.podUid);
    v[o + n + i] = s.text(r.container);
    v[o + 2 * n + i] = s.time(r.time);
    v[o + 3 * n + i] = r.windowMs;
    v[o + 4 * n + i] = s.amount(r.nanoCores, o + 4 * n + i);
  },
  cpuCounters: (r, i, n, o, v, s) => {
    v[o + i] = s.text(r.podUid);
    v[o + n + i] = s.text(r.container);
    v[o + 2 * n + i] = s.time(r.time);
    v[o + 3 * n + i] = s.time(r.containerStart);
    v[o + 4 * n + i] = s.amount(r.coreNanos, o + 4 * n + i);
  },
  memory: (r, i, n, o, v, s) => {
    v[o + i] = s.text(r.podUid);
    v[o + n + i] = s.text(r.container);
    v[o + 2 * n + i] = s.time(r.time);
    v[o + 3 * n + i] = s.amount(r.workingSetBytes, o + 3 * n + i);
  },
  network: (r, i, n, o, v, s) => {
    v[o + i] = s.text(r.podUid);
    v[o + n + i] = s.time(r.time);
    v[o + 2 * n + i] = s.time(r.podStart);
    v[o + 3 * n + i] = s.amount(r.rxBytes, o + 3 * n + i);
    v[o + 4 * n + i] = s.amount(r.txBytes, o + 4 * n + i);
  },
  volumes: (r, i, n, o, v, s) => {
    v[o + i] = s.text(r.namespace);
    v[o + n + i] = s.text(r.claim);
    v[o + 2 * n + i] = s.time(r.time);
    v[o + 3 * n + i] = s.amount(r.usedBytes, o + 3 * n + i);
  },
};

export function unpackReadings(bytes: Uint8Array): Readings {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new Error('not a readings record (KTR1)');
  }
  const length = buf.readUInt32LE(MAGIC.length);
  const header = JSON.parse(buf.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + length)) as Header;
  const start = align8(MAGIC.length + 4 + length);
  const big = new Map(header.big);
  const value = valuesOf(buf, start);
  const source: Source = {
    text: (at) => header.texts[value(at)]!,
    time: (at) => value(at) + header.t0,
    number: value,
    amount: big.size === 0 ? (at) => BigInt(value(at)) : (at) => BigInt(big.get(at) ?? value(at)),
  };
  const out: Record<string, unknown[]> = {};
  let offset = 0;
  for (const name of READING_SERIES) {
    const n = header.rows[name];
    if (n === undefined) continue;
    const row = ROW[name] as (i: number, n: number, o: number, s: Source) => unknown;
    const rows = new Array<unknown>(n);
    for (let i = 0; i < n; i++) rows[i] = row(i, n, offset, source);
    out[name] = rows;
    offset += n * WIDTH[name];
  }
  return out as Readings;
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** The values are little-endian float64s, which this machine's Float64Array reads as they are. */
const LITTLE_ENDIAN = endianness() === 'LE';

/** Value `i` of the float64s from byte `start` of `buf`. */
function valuesOf(buf: Buffer, start: number): (i: number) => number {
  const from = buf.byteOffset + start;
  const count = Math.floor((buf.length - start) / 8);
  if (LITTLE_ENDIAN) {
    // A view where the bytes are aligned, else a copy (a database driver's buffer may start anywhere).
    const values =
      from % 8 === 0
        ? new Float64Array(buf.buffer, from, count)
        : new Float64Array(buf.buffer.slice(from, from + 8 * count));
    return (i) => values[i]!;
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return (i) => view.getFloat64(start + 8 * i, true);
}

type Row<K extends keyof Readings> = NonNullable<Readings[K]>[number];

/** Value `at` (its index among all values) read back as what PUT wrote there. */
interface Source {
  text(at: number): string;
  time(at: number): number;
  number(at: number): number;
  amount(at: number): bigint;
}

/** Each series' row `i` of `n` from the values from `o`, as PUT laid it out; one literal shape each. */
const ROW: { [K in keyof Readings]-?: (i: number, n: number, o: number, s: Source) => Row<K> } = {
  cpuRates: (i, n, o, s) => ({
    podUid: s.text(o + i),
    container: s.text(o + n + i),
    time: s.time(o + 2 * n + i),
    windowMs: s.number(o + 3 * n + i),
    nanoCores: s.amount(o + 4 * n + i),
  }),
  cpuCounters: (i, n, o, s) => ({
    podUid: s.text(o + i),
    container: s.text(o + n + i),
    time: s.time(o + 2 * n + i),
    containerStart: s.time(o + 3 * n + i),
    coreNanos: s.amount(o + 4 * n + i),
  }),
  memory: (i, n, o, s) => ({
    podUid: s.text(o + i),
    container: s.text(o + n + i),
    time: s.time(o + 2 * n + i),
    workingSetBytes: s.amount(o + 3 * n + i),
  }),
  network: (i, n, o, s) => ({
    podUid: s.text(o + i),
    time: s.time(o + n + i),
    podStart: s.time(o + 2 * n + i),
    rxBytes: s.amount(o + 3 * n + i),
    txBytes: s.amount(o + 4 * n + i),
  }),
  volumes: (i, n, o, s) => ({
    namespace: s.text(o + i),
    claim: s.text(o + n + i),
    time: s.time(o + 2 * n + i),
    usedBytes: s.amount(o + 3 * n + i),
  }),
};
