import type { Millis } from '../../domain/duration.js';
import { isKubetallyError } from '../../domain/errors.js';
import { parseFieldSelector, parseLabelSelector } from '../../k8s/selectors.js';
import type { ListKind, SimHandle, World } from '../world.js';
import { badRequest, type Status } from './status.js';

/** Field-selector fields each kind supports (wire notes §4.3); anything else is a 400. */
const FIELDS: Record<ListKind, readonly string[]> = {
  pods: [
    'metadata.name',
    'metadata.namespace',
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  nodes: ['metadata.name', 'spec.unschedulable'],
  namespaces: ['metadata.name', 'status.phase'],
  persistentvolumes: ['metadata.name'],
  persistentvolumeclaims: ['metadata.name', 'metadata.namespace'],
  services: ['metadata.name', 'metadata.namespace'],
};

/** metrics-server applies field selectors to the object's metadata only. */
export const METRICS_FIELDS: readonly string[] = ['metadata.name', 'metadata.namespace'];

export interface Selection {
  /** True when neither selector restricts anything (then `remainingItemCount` is reported). */
  readonly all: boolean;
  /** Whether the object matches, with its fields as at `t` (default: the time of the request). */
  matches(handle: SimHandle, t?: Millis): boolean;
}

/**
 * Parses `labelSelector` and `fieldSelector` from the query. Returns a 400 Status for a syntax
 * error or a field the kind does not support.
 */
export function parseSelection(
  query: URLSearchParams,
  fields: readonly string[],
  value: (h: SimHandle, field: string, t?: Millis) => string,
): Selection | Status {
  try {
    const labels = parseLabelSelector(query.get('labelSelector') ?? '');
    const fieldSel = parseFieldSelector(query.get('fieldSelector') ?? '');
    for (const term of fieldSel.terms) {
      if (!fields.includes(term.field)) return badRequest(`field label not supported: ${term.field}`);
    }
    const noLabels = labels.isEmpty();
    const noFields = fieldSel.isEmpty();
    return {
      all: noLabels && noFields,
      matches: (h, t) =>
        (noLabels || labels.matches(h.labels)) && (noFields || fieldSel.matches((f) => value(h, f, t))),
    };
  } catch (err) {
    if (isKubetallyError(err, 'INVALID_ARGUMENT')) return badRequest(err.message);
    throw err;
  }
}

/** The selection for a core v1 list of `kind` at `t` (field values from the model). */
export function coreSelection(
  world: World,
  kind: ListKind,
  t: Millis,
  query: URLSearchParams,
): Selection | Status {
  return parseSelection(query, FIELDS[kind], (h, f, at) => {
    if (f === 'metadata.name') return h.name;
    if (f === 'metadata.namespace') return h.namespace;
    return world.fieldValue(h, f, at ?? t) ?? '';
  });
}

export function metadataSelection(query: URLSearchParams): Selection | Status {
  return parseSelection(query, METRICS_FIELDS, (h, f) => (f === 'metadata.name' ? h.name : h.namespace));
}

export function isStatus(x: unknown): x is Status {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'Status';
}
