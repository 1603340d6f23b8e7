/**
 * Each pod's usage now (the sum of its containers in metrics.k8s.io), by namespace and name:
 * what the live views join to pods.
 */
import type { Connection } from './connection.js';
import { listPodMetricsLite, type PodMetricsLite } from './pod-metrics.js';
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
  return sumUsage(await listPodMetricsLite(conn, options));
}

/** Each pod's containers summed; a quantity that does not parse throws, naming it. */
export function sumUsage(items: readonly PodMetricsLite[]): UsageByPod {
  const out: UsageByPod = new Map();
  for (const item of items) {
    let cpu = 0n;
    let memory = 0n;
    for (const c of item.containers) {
      cpu += cpuToNanocores(c.cpu ?? '0');
      memory += memoryToBytes(c.memory ?? '0');
    }
    let byName = out.get(item.namespace);
    if (byName === undefined) out.set(item.namespace, (byName = new Map()));
    byName.set(item.name, { cpuNanoCores: cpu, memoryBytes: memory });
  }
  return out;
}
