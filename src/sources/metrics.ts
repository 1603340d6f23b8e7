/**
 * The metrics.k8s.io source: per container CPU rates (mean over the PodMetrics `window` ending at
 * its `timestamp`) and memory working sets. PodMetrics carry no UID, so they are matched by
 * namespace and name to the pods of the inventory taken in the same round.
 */
import type { Connection } from '../k8s/connection.js';
import { listPodMetricsLite } from '../k8s/pod-metrics.js';
import { cpuToNanocores, memoryToBytes } from '../k8s/quantity.js';
import type { CpuRateSample, MemorySample } from '../metering/observations.js';

export interface MetricsSamples {
  cpuRates: CpuRateSample[];
  memory: MemorySample[];
}

/** `uidOf`: the UID of the inventory's pod of this namespace and name, undefined for none. */
export async function readPodMetrics(
  conn: Connection,
  uidOf: (namespace: string, name: string) => string | undefined,
): Promise<MetricsSamples> {
  const items = await listPodMetricsLite(conn);
  const out: MetricsSamples = { cpuRates: [], memory: [] };
  for (const item of items) {
    const podUid = uidOf(item.namespace, item.name);
    const { time, windowMs } = item;
    if (podUid === undefined || !Number.isFinite(time)) continue;
    for (const c of item.containers) {
      const cpu = quantity(c.cpu, cpuToNanocores);
      const memory = quantity(c.memory, memoryToBytes);
      if (cpu !== undefined && windowMs > 0) {
        out.cpuRates.push({ podUid, container: c.name, time, windowMs, nanoCores: cpu });
      }
      if (memory !== undefined) out.memory.push({ podUid, container: c.name, time, workingSetBytes: memory });
    }
  }
  return out;
}

/** A broken quantity drops that reading (a gap in its series), never a zero. */
function quantity(text: string | undefined, parse: (q: string) => bigint): bigint | undefined {
  if (text === undefined) return undefined;
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}
