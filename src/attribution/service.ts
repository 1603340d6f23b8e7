import { attributePod, type Attribution } from './attribute.js';
import type { CompiledRules } from './rules.js';

/** What attribution needs to know of a Service (a LoadBalancer). */
export interface ServiceIdentity {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** `spec.selector`: the pods it sends traffic to (same namespace). */
  readonly selector?: Readonly<Record<string, string>>;
}

/** A pod the service may select: its labels and how it was attributed. */
export interface AttributedPod {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly attribution: Attribution;
}

/**
 * A Service pays as its own labels say. One whose labels say nothing of who pays (most are created
 * without any) pays as the pods it selects, when they all have one attribution: it serves them
 * alone. Pods of several owners or projects behind one service, or none, leave it to its namespace
 * and the defaults. `pods` may hold other namespaces' pods: only the service's own are selected. Pure.
 */
export function attributeService(
  service: ServiceIdentity,
  pods: readonly AttributedPod[],
  compiled: CompiledRules,
): Attribution {
  const own = attributePod({ namespace: service.namespace, name: '', labels: service.labels }, compiled);
  const selector = Object.entries(service.selector ?? {});
  if (selector.length === 0) return own;
  const bare = attributePod({ namespace: service.namespace, name: '', labels: {} }, compiled);
  if (FIELDS.some((f) => own[f] !== bare[f])) return own; // its labels named someone
  const selected = pods.filter(
    (p) => p.namespace === service.namespace && selector.every(([k, v]) => p.labels[k] === v),
  );
  const keys = new Set(selected.map((p) => FIELDS.map((f) => p.attribution[f]).join('\0')));
  return keys.size === 1 ? { ...selected[0]!.attribution } : own;
}

const FIELDS = [
  'owner',
  'project',
  'projectId',
  'computeType',
] as const satisfies readonly (keyof Attribution)[];
