/**
 * Every field name of the scenario format, read from the schema itself, so that an unknown field
 * (a typo: `contaners`, `reqests`) can be answered with the field that was meant.
 */
import type { z } from 'zod';
import { scenarioSchema } from './schema.js';

let known: readonly string[] | undefined;

/**
 * The field name closest to `name` (case aside, at most 2 edits and under half of it), if any,
 * among `among` or else every field of the scenario format.
 */
export function closestField(name: string, among?: readonly string[]): string | undefined {
  known ??= [...fieldNames(scenarioSchema)];
  const lower = name.toLowerCase();
  let best: { field: string; d: number } | undefined;
  for (const field of among ?? known) {
    const d = editDistance(lower, field.toLowerCase());
    if (d <= 2 && d * 2 < field.length && (best === undefined || d < best.d)) best = { field, d };
  }
  return best?.field;
}

/** Object keys anywhere in a zod schema (objects, and what wraps or holds them). */
function fieldNames(root: z.ZodType): Set<string> {
  const names = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (schema: unknown): void => {
    if (schema === undefined || seen.has(schema)) return;
    seen.add(schema);
    const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (def === undefined) return;
    if (def.type === 'object') {
      for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) {
        names.add(k);
        walk(v);
      }
    }
    for (const inner of [def.innerType, def.in, def.out, def.element, def.valueType]) walk(inner);
    if (Array.isArray(def.options)) def.options.forEach(walk);
  };
  walk(root);
  return names;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = row;
  }
  return prev[b.length]!;
}
