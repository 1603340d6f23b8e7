/**
 * metrics.k8s.io/v1beta1 as metrics-server serves it: node and pod lists (all or one namespace),
 * single objects, label and metadata field selectors, no paging, items sorted by namespace/name.
 */
import type { Millis } from '../../domain/duration.js';
import type { SimHandle, World } from '../world.js';
import { isStatus, metadataSelection } from './selection.js';
import { notFound, type Status } from './status.js';

const API_VERSION = 'metrics.k8s.io/v1beta1';

export interface MetricsRequest {
  world: World;
  now: Millis;
  query: URLSearchParams;
}

export function nodeMetricsList(req: MetricsRequest): Status | Iterable<string> {
  const selection = metadataSelection(req.query);
  if (isStatus(selection)) return selection;
  const handles = req.world.list('nodes', req.now).filter((h) => selection.matches(h));
  return listParts('NodeMetricsList', handles, (h) => req.world.nodeMetrics(h, req.now));
}

export function podMetricsList(req: MetricsRequest & { namespace?: string }): Status | Iterable<string> {
  const selection = metadataSelection(req.query);
  if (isStatus(selection)) return selection;
  const ns = req.namespace;
  const handles = req.world
    .list('pods', req.now)
    .filter((h) => (ns === undefined || h.namespace === ns) && selection.matches(h));
  return listParts('PodMetricsList', handles, (h) => req.world.podMetrics(h, req.now));
}

export function nodeMetrics(req: MetricsRequest & { name: string }): { code: number; body: unknown } {
  const h = req.world.get('nodes', '', req.name, req.now);
  const m = h === undefined ? undefined : req.world.nodeMetrics(h, req.now);
  return m === undefined
    ? { code: 404, body: notFound('nodemetrics.metrics.k8s.io', req.name) }
    : { code: 200, body: withType(m, 'NodeMetrics') };
}

export function podMetrics(req: MetricsRequest & { namespace: string; name: string }): {
  code: number;
  body: unknown;
} {
  const h = req.world.get('pods', req.namespace, req.name, req.now);
  const m = h === undefined ? undefined : req.world.podMetrics(h, req.now);
  return m === undefined
    ? { code: 404, body: notFound('podmetrics.metrics.k8s.io', req.name) }
    : { code: 200, body: withType(m, 'PodMetrics') };
}

function withType(m: Record<string, unknown>, kind: string): Record<string, unknown> {
  return { kind, apiVersion: API_VERSION, ...m };
}

function* listParts(
  kind: string,
  handles: readonly SimHandle[],
  metricsOf: (h: SimHandle) => Record<string, unknown> | undefined,
): Generator<string> {
  yield `{"kind":"${kind}","apiVersion":"${API_VERSION}","metadata":{},"items":[`;
  let n = 0;
  for (const h of handles) {
    const m = metricsOf(h);
    if (m === undefined) continue;
    yield (n++ > 0 ? ',' : '') + JSON.stringify(m);
  }
  yield ']}';
}
