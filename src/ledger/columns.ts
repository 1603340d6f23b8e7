import { USAGE_FIELDS, type UsageAmounts, type UsageField } from '../domain/usage.js';
import { toBigInt } from './db.js';
import type { Millis } from '../domain/duration.js';

/** `cpuCoreNanos` → `cpu_core_nanos`: the column that holds a usage field. */
export function columnOf(field: UsageField): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export const AMOUNT_COLUMNS: readonly string[] = USAGE_FIELDS.map(columnOf);

/** Reads every usage field from a row whose amount columns are named by `columnOf`. */
export function amountsFromRow(row: Record<string, unknown>): UsageAmounts {
  return Object.fromEntries(USAGE_FIELDS.map((f) => [f, toBigInt(row[columnOf(f)])])) as UsageAmounts;
}

/** A time parameter: ISO text, cast with `::timestamptz` in the SQL so both drivers agree. */
export function ts(ms: Millis): string {
  return new Date(ms).toISOString();
}

/** Collects positional parameters while an SQL text is built: `p(v)` returns `$n`. */
export class Params {
  readonly values: unknown[] = [];
  p(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** JSON text in which bigints are written as decimal strings (JSON has no integers beyond 2^53). */
export function toJson(value: unknown): string {
  // A `toJSON` on BigInt for the length of this synchronous call, not a replacer: a replacer is
  // called for every value, which made raw samples (every pod's readings, every minute) take a
  // third longer to write. Whatever was there before is put back.
  const proto = BigInt.prototype as { toJSON?: unknown };
  const before = Object.getOwnPropertyDescriptor(proto, 'toJSON');
  Object.defineProperty(proto, 'toJSON', { value: bigintText, configurable: true, writable: true });
  try {
    return JSON.stringify(value);
  } finally {
    if (before === undefined) delete proto.toJSON;
    else Object.defineProperty(proto, 'toJSON', before);
  }
}

function bigintText(this: bigint): string {
  return this.toString();
}
