/**
 * metrics.k8s.io/v1beta1 as metrics-server serves it: node and pod lists (all or one namespace),
 * single objects, label and metadata field selectors, no paging, items sorted by namespace/name;
 * JSON, or Kubernetes protobuf when the client prefers it (as `kubectl top` does).
 */
import type { Millis } from '../../domain/duration.js';
import { envelope, listBytes, messageBytes } from '../../k8s/protobuf/codec.js';
import type { SimHandle, World } from '../world.js';
import { podMetricsListBytes, type PodMetricsObject } from './metrics-protobuf.js';
import { isStatus, metadataSelection } from './selection.js';
import { notFound, type Status } from './status.js';

const API_VERSION = 'metrics.k8s.io/v1beta1';

export interface MetricsRequest {
  world: World;
  now: Millis;
  query: URLSearchParams;
  /** The client prefers Kubernetes protobuf. */
  protobuf?: boolean;
}

type Metrics = Record<string, unknown>;

export function nodeMetricsList(req: MetricsRequest): Status | Iterable<string> | Buffer {
  const selection = metadataSelection(req.query);
  if (isStatus(selection)) return selection;
  const handles = req.world.list('nodes', req.now).filter((h) => selection.matches(h));
  const metricsOf = (h: SimHandle) => req.world.nodeMetrics(h, req.now);
  return req.protobuf === true
    ? nodeMetricsListBytes(handles, metricsOf)
    : listParts('NodeMetricsList', handles, metricsOf);
}

export function podMetricsList(
  req: MetricsRequest & { namespace?: string },
): Status | Iterable<string> | Buffer {
  const selection = metadataSelection(req.query);
  if (isStatus(selection)) return selection;
  const ns = req.namespace;
  const handles = req.world
    .list('pods', req.now)
    .filter((h) => (ns === undefined || h.namespace === ns) && selection.matches(h));
  const metricsOf = (h: SimHandle) => req.world.podMetrics(h, req.now);
  return req.protobuf === true
    ? podMetricsListBytes(API_VERSION, present(handles, metricsOf) as Iterable<PodMetricsObject>)
    : listParts('PodMetricsList', handles, metricsOf);
}

export function nodeMetrics(req: MetricsRequest & { name: string }): { code: number; body: unknown } {
  const h = req.world.get('nodes', '', req.name, req.now);
  const m = h === undefined ? undefined : req.world.nodeMetrics(h, req.now);
  return m === undefined
    ? { code: 404, body: notFound('nodemetrics.metrics.k8s.io', req.name) }
    : { code: 200, body: single(req, m, 'NodeMetrics') };
}

export function podMetrics(req: MetricsRequest & { namespace: string; name: string }): {
  code: number;
  body: unknown;
} {
  const h = req.world.get('pods', req.namespace, req.name, req.now);
  const m = h === undefined ? undefined : req.world.podMetrics(h, req.now);
  return m === undefined
    ? { code: 404, body: notFound('podmetrics.metrics.k8s.io', req.name) }
    : { code: 200, body: single(req, m, 'PodMetrics') };
}

function single(req: MetricsRequest, m: Metrics, kind: 'PodMetrics' | 'NodeMetrics'): Metrics | Buffer {
  return req.protobuf === true
    ? envelope(API_VERSION, kind, messageBytes(kind, untyped(m)))
    : { kind, apiVersion: API_VERSION, ...m };
}

/** In protobuf the type is the envelope's, not the message's. */
function untyped(m: Metrics): Metrics {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = m;
  return rest;
}

function* present(handles: readonly SimHandle[], metricsOf: (h: SimHandle) => Metrics | undefined) {
  for (const h of handles) {
    const m = metricsOf(h);
    if (m !== undefined) yield m;
  }
}

function nodeMetricsListBytes(
  handles: readonly SimHandle[],
  metricsOf: (h: SimHandle) => Metrics | undefined,
) {
  const items = [...present(handles, metricsOf)].map((m) => messageBytes('NodeMetrics', untyped(m)));
  return envelope(API_VERSION, 'NodeMetricsList', listBytes({}, items));
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
