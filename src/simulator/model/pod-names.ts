/**
 * The API server holds one pod of a name in a namespace. Replicas (`web-{i}`), generator slots
 * (`NAME-i`), StatefulSet ordinals and static pods expand to names that another entry may make
 * too: such pods were listed twice under one name, and `/sim/truth` summed them as one pod.
 */
import { invalidArgument } from '../../domain/errors.js';
import type { Slot } from './model.js';
import type { Scenario } from './schema.js';

/** Controllers whose pods keep one name (the others add a seeded random suffix to each). */
const FIXED_NAMES: ReadonlySet<string> = new Set(['none', 'StatefulSet', 'Node']);

/** Throws INVALID_ARGUMENT naming both entries when two slots make a pod of the same name. */
export function assertUniquePodNames(s: Scenario, slots: readonly Slot[]): void {
  const seen = new Map<string, Slot>();
  for (const slot of slots) {
    // A series (every > 0) names each pod by its creation minute, as a CronJob does.
    if (slot.every !== 0 || !FIXED_NAMES.has(slot.controller)) continue;
    const key = `${slot.namespace}/${slot.sortKey}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, slot);
      continue;
    }
    throw invalidArgument(
      `${origin(s, slot)}: pod "${slot.sortKey}" in namespace "${slot.namespace}" is also made by ${origin(s, first)}`,
      'a namespace holds one pod of a name: rename one of the entries',
    );
  }
}

/** `pods[1]`, `pods[0] (replica 1)` or `generators[0] (pod 3)`, from the slot's key. */
function origin(s: Scenario, slot: Slot): string {
  const pod = s.pods.findIndex((p) => slot.key === `pod:${p.namespace}/${p.name}:${slot.replica}`);
  if (pod >= 0)
    return (s.pods[pod]?.replicas ?? 1) > 1 ? `pods[${pod}] (replica ${slot.replica})` : `pods[${pod}]`;
  const gen = s.generators.findIndex((g) => slot.key === `gen:${g.name}:${slot.replica}`);
  return gen >= 0 ? `generators[${gen}] (pod ${slot.replica})` : slot.key;
}
