/**
 * Observations as JSON for the raw-observation store: bigints are written as decimal strings and
 * read back by field name, so the stored text stays plain JSON.
 */
import type { ObservationBatch } from './observations.js';

/** Every bigint field of the observation types. */
const BIGINT_FIELDS = new Set([
  'coreNanos',
  'nanoCores',
  'workingSetBytes',
  'rxBytes',
  'txBytes',
  'usedBytes',
  'capacityBytes',
  'cpuNanoCores',
  'memoryBytes',
  'gpus',
]);

export function observationsToJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

export function observationsFromJson<T = ObservationBatch>(text: string): T {
  return JSON.parse(text, (key, v: unknown) =>
    BIGINT_FIELDS.has(key) && (typeof v === 'string' || typeof v === 'number') ? BigInt(v) : v,
  ) as T;
}

/** The same revival on a value already parsed as plain JSON (bigint fields arrive as strings). */
export function reviveObservations<T>(value: unknown): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = walk(v[i]);
      return v;
    }
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const key of Object.keys(o)) {
        const x = o[key];
        if (key === 'labels') continue; // user text: a label may be named like a field
        o[key] =
          BIGINT_FIELDS.has(key) && (typeof x === 'string' || typeof x === 'number') ? BigInt(x) : walk(x);
      }
    }
    return v;
  };
  return walk(value) as T;
}
