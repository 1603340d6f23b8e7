/**
 * `/sim/truth`: exact integrals over [from, to), from the closed forms of the usage profiles.
 * Requests, GPUs and pod time count from the pod's first container start (its init containers',
 * while it is still Pending, when it has any) to its end, as the scheduler holds them; storage is PVC capacity × lifetime, counted for the PVC's namespace
 * (for `label:KEY`, under the PVC's own label; `pod` leaves storage out).
 */
import type { Millis } from '../../domain/duration.js';
import { rfc3339 } from '../../domain/time.js';
import type { TruthGroup, TruthGroupBy, TruthReply } from '../world.js';
import { runsOccupyingIn } from './lifecycle.js';
import { podLabels } from './render-pod.js';
import { occupiedMs, podIntegral, type Sim } from './usage.js';

type Amounts = Omit<TruthGroup, 'key'>;

function emptyAmounts(): Amounts {
  return {
    cpuCoreSeconds: 0,
    cpuRequestCoreSeconds: 0,
    memoryByteSeconds: 0,
    memoryRequestByteSeconds: 0,
    gpuSeconds: 0,
    storageByteSeconds: 0,
    networkTxBytes: 0,
    networkRxBytes: 0,
    podSeconds: 0,
  };
}

export function truth(sim: Sim, from: Millis, to: Millis, groupBy: TruthGroupBy): TruthReply {
  const { model } = sim;
  const groups = new Map<string, Amounts>();
  const at = (key: string) => {
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = emptyAmounts()));
    return g;
  };
  const label = groupBy.startsWith('label:') ? groupBy.slice('label:'.length) : undefined;

  for (const slot of model.slots) {
    for (const run of runsOccupyingIn(model, slot, from, to)) {
      const key =
        groupBy === 'pod'
          ? `${slot.namespace}/${run.name}`
          : groupBy === 'namespace'
            ? slot.namespace
            : (podLabels(model, run)[label as string] ?? '');
      const seconds = occupiedMs(run, from, to) / 1000;
      const g = at(key);
      const t = slot.template;
      g.cpuCoreSeconds += podIntegral(sim, run, 'cpu', from, to);
      g.memoryByteSeconds += podIntegral(sim, run, 'memory', from, to);
      g.networkTxBytes += podIntegral(sim, run, 'tx', from, to);
      g.networkRxBytes += podIntegral(sim, run, 'rx', from, to);
      g.cpuRequestCoreSeconds += t.cpuRequestCores * seconds;
      g.memoryRequestByteSeconds += t.memoryRequestBytes * seconds;
      g.gpuSeconds += t.gpus * seconds;
      g.podSeconds += seconds;
    }
  }
  if (groupBy !== 'pod') {
    for (const pvc of model.pvcs) {
      const ms = Math.max(0, Math.min(to, pvc.end ?? Infinity) - Math.max(from, pvc.start));
      if (ms === 0) continue;
      const key = groupBy === 'namespace' ? pvc.namespace : (pvc.labels[label as string] ?? '');
      at(key).storageByteSeconds += (pvc.capacityBytes * ms) / 1000;
    }
  }
  return {
    from: rfc3339(from),
    to: rfc3339(to),
    groupBy,
    groups: [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, amounts]) => ({ key, ...rounded(amounts) })),
  };
}

/**
 * The closed forms are evaluated in doubles and summed over runs and containers, which leaves
 * noise in the last bits (207.4000000000001 for 207.4 core-seconds): 9 decimals of each unit
 * are far finer than anything measured, and read as the exact values they stand for.
 */
function rounded(a: Amounts): Amounts {
  const out = { ...a };
  for (const k of Object.keys(out) as (keyof Amounts)[]) out[k] = Number(out[k].toFixed(9));
  return out;
}
