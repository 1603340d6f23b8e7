/**
 * The kubelet Summary API (`/stats/summary`) of one node. Stats are taken at the last whole second
 * (`time` has second precision), and every counter is exact for its `time`: a collector that
 * integrates counter deltas gets the truth back.
 */
import type { Millis } from '../../domain/duration.js';
import { alignDown, rfc3339 } from '../../domain/time.js';
import { cpuCounter, currentSegment, memoryBytes, networkCounters } from './counters.js';
import { runsOnNode } from './metrics.js';
import { kubeletUid } from './lifecycle.js';
import { podIntegral, type Sim } from './usage.js';
import type { NodeModel } from './model.js';
import type { PodRun } from './lifecycle.js';

/** usageNanoCores is averaged over this window (clipped at the container's start). */
const RATE_WINDOW_MS = 10_000;

export function nodeSummary(sim: Sim, node: NodeModel, t: Millis): Record<string, unknown> {
  const ts = alignDown(t, 1000);
  const time = rfc3339(ts);
  const start = sim.model.start;
  const pods = runsOnNode(sim, node, ts, ts + 1).filter((r) => r.running <= ts && ts < r.finish);

  // Node totals: system usage plus every pod that ever ran here, since the node started.
  const ctx = { podStart: 0, segStart: 0, key: 0, walks: sim.walks };
  // A kubelet's counters are uint64 from its start: a clock put before the scenario's start
  // (POST /sim/clock, or `real` mode with a later start) reads them at zero, not negative.
  const sinceStart = Math.max(0, (ts - start) / 1000);
  let cpuSeconds = node.systemCpu.integral(ctx, 0, sinceStart);
  let rateSeconds = node.systemCpu.integral(ctx, Math.max(0, sinceStart - RATE_WINDOW_MS / 1000), sinceStart);
  let tx = 0;
  let rx = 0;
  for (const run of runsOnNode(sim, node, start, ts)) {
    cpuSeconds += podIntegral(sim, run, 'cpu', start, ts);
    rateSeconds += podIntegral(sim, run, 'cpu', ts - RATE_WINDOW_MS, ts);
    tx += podIntegral(sim, run, 'tx', start, ts);
    rx += podIntegral(sim, run, 'rx', start, ts);
  }
  const net = network(time, Math.floor(rx), Math.floor(tx));
  // A pod in the node's network namespace is reported with the node's interfaces, as by a kubelet.
  const renderedPods = pods.map((run) => podStats(sim, run, ts, time, net));
  const workingSet =
    Math.floor(node.systemMemory.value(ctx, sinceStart)) +
    renderedPods.reduce((s, p) => s + (p.memory as { workingSetBytes: number }).workingSetBytes, 0);
  const memoryCapacity = Math.floor(
    Number(node.capacity.memory === undefined ? 0 : parseBytes(node.capacity.memory)),
  );
  return {
    node: {
      nodeName: node.name,
      startTime: rfc3339(start),
      cpu: {
        time,
        usageNanoCores: Math.floor(
          (rateSeconds * 1e9) / Math.min(RATE_WINDOW_MS / 1000, Math.max(sinceStart, 1)),
        ),
        usageCoreNanoSeconds: Math.floor(cpuSeconds * 1e9),
      },
      memory: {
        time,
        availableBytes: Math.max(0, memoryCapacity - workingSet),
        usageBytes: Math.floor(workingSet * 1.2),
        workingSetBytes: workingSet,
        rssBytes: Math.floor(workingSet * 0.8),
        pageFaults: 0,
        majorPageFaults: 0,
      },
      network: net,
      systemContainers: [],
    },
    pods: renderedPods,
  };
}

function parseBytes(text: string): number {
  const m = /^(\d+)(Ki|Mi|Gi|Ti)?$/.exec(text);
  if (m === null) return 0;
  const mult = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 }[m[2] as 'Ki'] ?? 1;
  return Number(m[1]) * mult;
}

function network(time: string, rxBytes: number, txBytes: number) {
  const iface = { name: 'eth0', rxBytes, rxErrors: 0, txBytes, txErrors: 0 };
  return { time, ...iface, interfaces: [iface] };
}

function podStats(
  sim: Sim,
  run: PodRun,
  ts: Millis,
  time: string,
  nodeNetwork: ReturnType<typeof network>,
): Record<string, unknown> {
  const model = sim.model;
  const containers: Record<string, unknown>[] = [];
  let podWorkingSet = 0;
  run.slot.template.containers.forEach((c, i) => {
    const seg = currentSegment(run, i, ts);
    if (seg === undefined) return;
    const cumulative = cpuCounter(sim, run, i, seg, ts);
    const windowStart = Math.max(seg.start, ts - RATE_WINDOW_MS);
    const rate =
      ts > windowStart
        ? ((cumulative - cpuCounter(sim, run, i, seg, windowStart)) * 1000n) / BigInt(ts - windowStart)
        : 0n;
    const ws = memoryBytes(sim, run, i, ts);
    podWorkingSet += ws;
    containers.push({
      name: c.name,
      startTime: rfc3339(seg.start),
      cpu: { time, usageNanoCores: Number(rate), usageCoreNanoSeconds: Number(cumulative) },
      memory: {
        time,
        usageBytes: Math.floor(ws * 1.2),
        workingSetBytes: ws,
        rssBytes: Math.floor(ws * 0.8),
        pageFaults: 0,
        majorPageFaults: 0,
      },
    });
  });
  const net = networkCounters(sim, run, ts);
  const podCpu = podIntegral(sim, run, 'cpu', run.running, ts);
  return {
    podRef: { name: run.name, namespace: run.slot.namespace, uid: kubeletUid(model, run) },
    startTime: rfc3339(run.created),
    containers,
    cpu: { time, usageCoreNanoSeconds: Math.floor(podCpu * 1e9) },
    memory: { time, workingSetBytes: podWorkingSet, usageBytes: Math.floor(podWorkingSet * 1.2) },
    network: run.slot.template.hostNetwork ? nodeNetwork : network(time, net.rxBytes, net.txBytes),
    volume: run.slot.volumes.map((v) => {
      const pvc = model.pvcs[v.claim];
      const capacity = pvc?.capacityBytes ?? 0;
      const used = pvc?.usedBytes ?? 0;
      return {
        time,
        name: v.name,
        capacityBytes: capacity,
        usedBytes: used,
        availableBytes: Math.max(0, capacity - used),
        pvcRef: { name: pvc?.name, namespace: pvc?.namespace },
      };
    }),
  };
}
