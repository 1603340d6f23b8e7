/**
 * Each pod's usage now (the sum of its containers in metrics.k8s.io), by namespace and name:
 * what the live views join to pods.
 */
import { KubetallyError } from '../domain/errors.js';
import type { Connection } from './connection.js';
import { podMetricsPath, type PodMetricsList } from './metrics-api.js';
import { cpuToNanocores, memoryToBytes } from './quantity.js';

export interface PodUsage {
  cpuNanoCores: bigint;
  memoryBytes: bigint;
}

/** namespace → pod name → usage. */
export type UsageByPod = Map<string, Map<string, PodUsage>>;

export async function readPodsUsage(
  conn: Connection,
  options: { namespace?: string; labelSelector?: string } = {},
): Promise<UsageByPod> {
  const path = podMetricsPath(options.namespace, options.labelSelector);
  // Only the text is kept while it is parsed (a 100k-pod list is ~45 MB).
  const usage = parseUsage((await conn.request<Buffer>(path, { raw: true })).body.toString('utf8'));
  if (usage instanceof Error) {
    throw new KubetallyError(
      'MALFORMED_RESPONSE',
      `the metrics API sent an unreadable PodMetricsList (${usage.message})`,
      {
        hint: 'check the metrics-server installation (kubectl get apiservice v1beta1.metrics.k8s.io)',
      },
    );
  }
  return usage;
}

/** A PodMetricsList's JSON → usage by pod; an Error when it is not one. */
export function parseUsage(text: string): UsageByPod | Error {
  let list: PodMetricsList;
  try {
    list = JSON.parse(text);
  } catch {
    return new Error('not JSON');
  }
  if (list === null || typeof list !== 'object' || !Array.isArray(list.items)) return new Error('no items');
  const out: UsageByPod = new Map();
  for (const item of list.items) {
    let cpu = 0n;
    let memory = 0n;
    for (const c of item.containers ?? []) {
      cpu += cpuToNanocores(c.usage?.cpu ?? '0');
      memory += memoryToBytes(c.usage?.memory ?? '0');
    }
    const ns = item.metadata?.namespace ?? '';
    let byName = out.get(ns);
    if (byName === undefined) out.set(ns, (byName = new Map()));
    byName.set(item.metadata?.name ?? '', { cpuNanoCores: cpu, memoryBytes: memory });
  }
  return out;
}
