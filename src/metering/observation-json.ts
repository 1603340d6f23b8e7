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
