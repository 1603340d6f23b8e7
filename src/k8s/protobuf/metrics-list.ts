/**
 * A PodMetricsList in Kubernetes protobuf (metrics-server serves it; `kubectl top` asks for it)
 * → the few fields kubetally reads of each item, decoded straight from the bytes: a list holds
 * tens of thousands of small items, and labels and creation times are skipped unread.
 */
import type protobuf from 'protobufjs/minimal.js';
import type { PodMetricsLite } from '../pod-metrics.js';
import { decodeList, durationMs, mapEntry, timeMs } from './codec.js';

type Reader = protobuf.Reader;

export function decodePodMetricsList(body: Buffer): { items: PodMetricsLite[]; compact: true } {
  return { items: decodeList(body, 'PodMetricsList', podMetrics).items, compact: true };
}

/** PodMetrics { metadata = 1, timestamp = 2, window = 3, containers = 4 }. */
function podMetrics(r: Reader, end: number): PodMetricsLite {
  const out: PodMetricsLite = { namespace: '', name: '', time: NaN, windowMs: 0, containers: [] };
  while (r.pos < end) {
    const key = r.uint32();
    if (key === 10) objectMeta(r, r.uint32() + r.pos, out);
    else if (key === 18) out.time = timeMs(r);
    else if (key === 26) out.windowMs = durationMs(r);
    else if (key === 34) out.containers.push(container(r, r.uint32() + r.pos));
    else r.skipType(key & 7);
  }
  return out;
}

/** ObjectMeta { name = 1, namespace = 3, ... }. */
function objectMeta(r: Reader, end: number, out: PodMetricsLite): void {
  while (r.pos < end) {
    const key = r.uint32();
    if (key === 10) out.name = r.string();
    else if (key === 26) out.namespace = r.string();
    else r.skipType(key & 7);
  }
}

/** ContainerMetrics { name = 1, usage = 2 (map entries { key = 1, value = Quantity { string = 1 } }) }. */
function container(r: Reader, end: number): PodMetricsLite['containers'][number] {
  const out: PodMetricsLite['containers'][number] = { name: '', cpu: undefined, memory: undefined };
  while (r.pos < end) {
    const key = r.uint32();
    if (key === 10) out.name = r.string();
    else if (key === 18) {
      const [resource, value] = mapEntry(r, true);
      if (resource === 'cpu') out.cpu = value;
      else if (resource === 'memory') out.memory = value;
    } else r.skipType(key & 7);
  }
  return out;
}
