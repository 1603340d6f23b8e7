/**
 * Every pod's metrics as the collector and the live views read them: asked for in Kubernetes
 * protobuf (what metrics-server serves to `kubectl top`: a fraction of the JSON's bytes, and only
 * names, times and usage are decoded), read as JSON where the server sends that instead.
 */
import { parseDuration } from '../domain/duration.js';
import { KubetallyError } from '../domain/errors.js';
import type { Connection } from './connection.js';
import { podMetricsPath, type PodMetricsList } from './metrics-api.js';
import { decodePodMetricsList } from './protobuf/metrics-list.js';

export interface PodMetricsLite {
  namespace: string;
  name: string;
  /** The metrics' timestamp, epoch ms (NaN when unreadable). */
  time: number;
  /** The window the CPU rate is the mean of, ms (0 when unreadable). */
  windowMs: number;
  /** Usage as quantity text, as served (undefined when absent). */
  containers: { name: string; cpu: string | undefined; memory: string | undefined }[];
}

export async function listPodMetricsLite(
  conn: Connection,
  options: { namespace?: string; labelSelector?: string } = {},
): Promise<PodMetricsLite[]> {
  const path = podMetricsPath(options.namespace, options.labelSelector);
  const { body } = await conn.request<{ items?: unknown }>(path, { protobuf: decodePodMetricsList });
  if (body === null || typeof body !== 'object' || !Array.isArray(body.items)) {
    throw new KubetallyError('MALFORMED_RESPONSE', 'the metrics API sent a PodMetricsList without items', {
      hint: 'check the metrics-server installation (kubectl get apiservice v1beta1.metrics.k8s.io)',
    });
  }
  if ((body as { compact?: boolean }).compact === true) return body.items as PodMetricsLite[];
  return (body as PodMetricsList).items.map(fromJson);
}

function fromJson(item: PodMetricsList['items'][number]): PodMetricsLite {
  return {
    namespace: item?.metadata?.namespace ?? '',
    name: item?.metadata?.name ?? '',
    time: Date.parse(item?.timestamp),
    windowMs: windowOf(item?.window),
    containers: (Array.isArray(item?.containers) ? item.containers : []).map((c) => ({
      name: c?.name ?? '',
      cpu: c?.usage?.cpu,
      memory: c?.usage?.memory,
    })),
  };
}

function windowOf(text: unknown): number {
  try {
    return typeof text === 'string' ? parseDuration(text) : 0;
  } catch {
    return 0;
  }
}
