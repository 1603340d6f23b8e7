/**
 * metrics.k8s.io v1beta1 as metrics-server serves it: a scrape every 15 s (ticks aligned to the
 * epoch); CPU is the counter delta over the last window divided by 15 s, memory the working set
 * at the tick; a pod appears only when all its containers have run for two scrapes.
 */
import type { Millis } from '../../domain/duration.js';
import { alignDown, rfc3339 } from '../../domain/time.js';
import { formatBytes, formatCpuNanocores } from '../../k8s/quantity.js';
import { runsRunningIn, type PodRun } from './lifecycle.js';
import { cpuCounter, currentSegment, memoryBytes } from './counters.js';
import { podLabels } from './render-pod.js';
import { containerValue, podIntegral, type Sim } from './usage.js';
import type { NodeModel } from './model.js';

export const RESOLUTION_MS = 15_000;

export function podMetrics(sim: Sim, run: PodRun, t: Millis): Record<string, unknown> | undefined {
  const tick = alignDown(t, RESOLUTION_MS);
  const prev = tick - RESOLUTION_MS;
  const containers: { name: string; usage: { cpu: string; memory: string } }[] = [];
  const list = run.slot.template.containers;
  for (let c = 0; c < list.length; c++) {
    const seg = currentSegment(run, c, tick);
    if (seg === undefined || seg.start > prev) return undefined;
    const delta = cpuCounter(sim, run, c, seg, tick) - cpuCounter(sim, run, c, seg, prev);
    containers.push({
      name: (list[c] as { name: string }).name,
      usage: {
        cpu: formatCpuNanocores((delta * 1000n) / BigInt(RESOLUTION_MS)),
        memory: formatBytes(BigInt(memoryBytes(sim, run, c, tick))),
      },
    });
  }
  return {
    kind: 'PodMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {
      name: run.name,
      namespace: run.slot.namespace,
      creationTimestamp: rfc3339(Math.floor(t / 1000) * 1000), // metav1.Time: whole seconds
      labels: podLabels(sim.model, run),
    },
    timestamp: rfc3339(tick),
    window: '15s',
    containers,
  };
}

/** Runs on a node that are Running at some time in [from, to). */
export function runsOnNode(sim: Sim, node: NodeModel, from: Millis, to: Millis): PodRun[] {
  const out: PodRun[] = [];
  for (const i of sim.model.slotsByNode[node.index] ?? []) {
    const slot = sim.model.slots[i];
    if (slot !== undefined) out.push(...runsRunningIn(sim.model, slot, from, to));
  }
  return out;
}

export function nodeMetrics(sim: Sim, node: NodeModel, t: Millis): Record<string, unknown> | undefined {
  const tick = alignDown(t, RESOLUTION_MS);
  const prev = tick - RESOLUTION_MS;
  const start = sim.model.start;
  if (prev < start) return undefined;
  const ctx = { podStart: 0, segStart: 0, key: 0, walks: sim.walks };
  let cpuCoreSeconds = node.systemCpu.integral(ctx, (prev - start) / 1000, (tick - start) / 1000);
  let memory = node.systemMemory.value(ctx, (tick - start) / 1000);
  for (const run of runsOnNode(sim, node, prev, tick + 1)) {
    cpuCoreSeconds += podIntegral(sim, run, 'cpu', prev, tick);
    for (let c = 0; c < run.slot.template.containers.length; c++)
      memory += containerValue(sim, run, c, 'memory', tick);
  }
  return {
    kind: 'NodeMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {
      name: node.name,
      creationTimestamp: rfc3339(Math.floor(t / 1000) * 1000),
      labels: node.labels,
    },
    timestamp: rfc3339(tick),
    window: '15s',
    usage: {
      cpu: formatCpuNanocores(BigInt(Math.floor((cpuCoreSeconds * 1e9) / (RESOLUTION_MS / 1000)))),
      memory: formatBytes(BigInt(Math.floor(memory))),
    },
  };
}
