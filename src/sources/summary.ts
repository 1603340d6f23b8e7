/**
 * The kubelet Summary API source, one node at a time through the API server's node proxy:
 * cumulative container CPU counters, container working sets, pod network counters and the used
 * bytes of PVC-backed volumes. Numbers are read as exact integers.
 */
import type { Connection } from '../k8s/connection.js';
import { getNodeSummary } from '../k8s/metrics-api.js';
import type {
  CpuCounterSample,
  MemorySample,
  NetworkSample,
  VolumeSample,
} from '../metering/observations.js';

export interface SummarySamples {
  cpuCounters: CpuCounterSample[];
  memory: MemorySample[];
  network: NetworkSample[];
  volumes: VolumeSample[];
}

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The API server's UID of the pod the kubelet reports as `podRef`. They differ for static pods:
 * the kubelet knows one by its manifest's hash, the API by its mirror pod's UID.
 */
export type PodUidOf = (ref: { uid: string; namespace: string; name: string }) => string;

export async function readNodeSummary(
  conn: Connection,
  node: string,
  uidOf?: PodUidOf,
): Promise<SummarySamples> {
  const { body } = await getNodeSummary(conn, node);
  return parseSummary(body, uidOf);
}

export function parseSummary(body: Raw, uidOf?: PodUidOf): SummarySamples {
  const out: SummarySamples = { cpuCounters: [], memory: [], network: [], volumes: [] };
  // One summary repeats a handful of timestamps thousands of times: parse each once. Readings
  // of one pod mostly share the time just seen, which is compared before hashing it for the map.
  const times = new Map<unknown, number | undefined>();
  let lastText: unknown;
  let lastTime: number | undefined;
  const time = (v: unknown) => {
    if (v === lastText) return lastTime;
    let t = times.get(v);
    if (t === undefined && !times.has(v)) times.set(v, (t = parseTime(v)));
    lastText = v;
    lastTime = t;
    return t;
  };
  for (const pod of Array.isArray(body.pods) ? (body.pods as Raw[]) : []) {
    const ref = pod.podRef;
    if (typeof ref?.uid !== 'string' || ref.uid === '') continue;
    const podUid =
      uidOf === undefined ? ref.uid : uidOf({ uid: ref.uid, namespace: ref.namespace, name: ref.name });
    for (const c of Array.isArray(pod.containers) ? (pod.containers as Raw[]) : []) {
      const containerStart = time(c.startTime);
      const cpuTime = time(c.cpu?.time);
      const coreNanos = int(c.cpu?.usageCoreNanoSeconds);
      if (containerStart !== undefined && cpuTime !== undefined && coreNanos !== undefined) {
        out.cpuCounters.push({ podUid, container: String(c.name), time: cpuTime, containerStart, coreNanos });
      }
      const memTime = time(c.memory?.time);
      const ws = int(c.memory?.workingSetBytes);
      if (memTime !== undefined && ws !== undefined) {
        out.memory.push({ podUid, container: String(c.name), time: memTime, workingSetBytes: ws });
      }
    }
    const net = pod.network;
    const netTime = time(net?.time);
    const podStart = time(pod.startTime);
    const rx = int(net?.rxBytes);
    const tx = int(net?.txBytes);
    if (netTime !== undefined && podStart !== undefined && rx !== undefined && tx !== undefined) {
      out.network.push({ podUid, time: netTime, podStart, rxBytes: rx, txBytes: tx });
    }
    for (const v of Array.isArray(pod.volume) ? (pod.volume as Raw[]) : []) {
      const ref = v.pvcRef;
      const t = time(v.time);
      const used = int(v.usedBytes);
      if (typeof ref?.name !== 'string' || t === undefined || used === undefined) continue;
      out.volumes.push({
        namespace: String(ref.namespace ?? pod.podRef?.namespace ?? ''),
        claim: ref.name,
        time: t,
        usedBytes: used,
      });
    }
  }
  return out;
}

function parseTime(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

/** Summary numbers are JSON integers (uint64); anything else is not a reading. */
function int(v: unknown): bigint | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  return undefined;
}
