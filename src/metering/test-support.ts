/** Small builders for the metering tests (kept beside them; not part of the public API). */
import type {
  ContainerObservation,
  InventorySnapshot,
  ObservationBatch,
  PodObservation,
  ResourceAmounts,
} from './observations.js';
import { emptyBatch } from './observations.js';

export const S = 1_000;
export const MIN = 60_000;
export const T0 = Date.UTC(2026, 0, 1);

export function amounts(cpuMilli: number, memoryMiB: number, gpus = 0): ResourceAmounts {
  return {
    cpuNanoCores: BigInt(cpuMilli) * 1_000_000n,
    memoryBytes: BigInt(memoryMiB) << 20n,
    gpus: BigInt(gpus),
  };
}

export function container(name: string, over: Partial<ContainerObservation> = {}): ContainerObservation {
  return { name, kind: 'app', requests: amounts(0, 0), limits: amounts(0, 0), restartCount: 0, ...over };
}

export function pod(uid: string, over: Partial<PodObservation> = {}): PodObservation {
  return {
    uid,
    namespace: 'ns',
    name: `pod-${uid}`,
    labels: {},
    node: 'n1',
    phase: 'Running',
    createdAt: T0,
    overhead: amounts(0, 0),
    containers: [],
    claims: [],
    ...over,
  };
}

export function inventory(
  time: number,
  pods: PodObservation[],
  rest: Partial<InventorySnapshot> = {},
): InventorySnapshot {
  return { time, pods, claims: [], loadBalancers: [], ...rest };
}

export function batch(over: Partial<ObservationBatch>): ObservationBatch {
  return { ...emptyBatch(), ...over };
}

/** Successful scrapes of `source` every `period` ms over [from, to]. */
export function scrapesEvery(
  source: 'inventory' | 'metrics' | 'summary',
  from: number,
  to: number,
  period = MIN,
) {
  const out = [];
  for (let t = from; t <= to; t += period) out.push({ source, time: t });
  return out;
}
