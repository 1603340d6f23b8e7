/**
 * The seed's arithmetic, kept only to compare against in benchmarks: at the moment an interval
 * closes, take each pod's instant values and multiply them by the interval's length ("current
 * cores × 0.25 h"). Short jobs between two closes vanish, bursty ones are billed at whatever
 * rate they had at that instant. Do not use it for the ledger.
 */
import type { Millis } from '../domain/duration.js';
import { zeroUsage } from '../domain/usage.js';
import type { IntegrationInput, UsageRow } from './integrate-interval.js';
import type { CpuRateSample, InventorySnapshot, MemorySample } from './observations.js';
import { effectiveRequest } from './requests.js';

/** Rows of [start, end) by the seed's method: the last inventory and metrics at or before `end`. */
export function seedMethodInterval(input: IntegrationInput): UsageRow[] {
  const { start, end, observations: obs } = input;
  const ms = BigInt(end - start);
  const inv = latest(obs.inventories.filter((s) => s.time <= end));
  if (inv === undefined) return [];
  const cpu = latestBy(obs.cpuRates, end, (r: CpuRateSample) => `${r.podUid}/${r.container}`);
  const mem = latestBy(obs.memory, end, (m: MemorySample) => `${m.podUid}/${m.container}`);
  const rows: UsageRow[] = [];
  for (const pod of inv.pods) {
    if (pod.phase !== 'Running') continue;
    const usage = zeroUsage();
    for (const c of pod.containers) {
      const key = `${pod.uid}/${c.name}`;
      usage.cpuCoreNanos += ((cpu.get(key)?.nanoCores ?? 0n) * ms) / 1000n;
      usage.memoryByteSeconds += ((mem.get(key)?.workingSetBytes ?? 0n) * ms) / 1000n;
    }
    const req = effectiveRequest(pod);
    usage.cpuRequestCoreNanos = (req.cpuNanoCores * ms) / 1000n;
    usage.memoryRequestByteSeconds = (req.memoryBytes * ms) / 1000n;
    usage.gpuMillis = req.gpus * ms;
    usage.podMillis = ms;
    const { uid, namespace, name, labels, node, claims } = pod;
    rows.push({ namespace, pod: { uid, namespace, name, labels, node, claims }, usage });
  }
  for (const c of inv.claims) {
    const usage = zeroUsage();
    usage.storageByteSeconds = (c.capacityBytes * ms) / 1000n;
    rows.push({ namespace: c.namespace, claim: c.name, usage });
  }
  return rows;
}

function latest(snaps: InventorySnapshot[]): InventorySnapshot | undefined {
  return snaps.reduce<InventorySnapshot | undefined>(
    (m, s) => (m === undefined || s.time > m.time ? s : m),
    undefined,
  );
}

function latestBy<T extends { time: Millis }>(
  items: readonly T[],
  end: Millis,
  key: (t: T) => string,
): Map<string, T> {
  const out = new Map<string, T>();
  for (const it of items) {
    if (it.time > end) continue;
    const k = key(it);
    const cur = out.get(k);
    if (cur === undefined || it.time > cur.time) out.set(k, it);
  }
  return out;
}
