import { describe, expect, it } from 'vitest';
import { messageBytes } from '../../k8s/protobuf/codec.js';
import { cpuToNanocores } from '../../k8s/quantity.js';
import { isKubetallyError } from '../../domain/errors.js';
import type { World } from '../world.js';
import { createWorld, loadScenario, parseScenario } from './index.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const H = 3_600_000;
const M = 60_000;

const tiny = `
name: tiny
seed: 3
start: 2026-01-05T00:00:00Z
nodes: [{ name: n1, capacity: { cpu: '4', memory: 8Gi } }]
pods:
  - name: job
    namespace: batch
    every: 1h
    duration: 10m
    pending: 5s
    labels: { owner: ann }
    containers: [{ name: main, requests: { cpu: 500m }, usage: { cpu: 300m, memory: 100Mi } }]
  - name: svc
    namespace: web
    controller: Deployment
    labels: { owner: ben }
    containers:
      - name: app
        requests: { cpu: 250m, memory: 256Mi }
        restarts: [30m]
        restartReason: OOMKilled
        usage: { cpu: { kind: sine, base: 200m, amplitude: 100m, period: 10m }, memory: 200Mi }
  - name: gone
    namespace: web
    end: 20m
    exit: deleted
    containers: [{ name: c, usage: { cpu: 10m } }]
`;

const world = (): World => createWorld(parseScenario(tiny, 'tiny'));
const podsAt = (w: World, t: number) => w.list('pods', t).map((h) => `${h.namespace}/${h.name}`);

describe('pod lifecycles', () => {
  it('goes Pending → Running → Succeeded with container state times, then leaves after 1 h', () => {
    const w = world();
    const t0 = w.scenario.start;
    const job = (t: number) => w.list('pods', t).find((h) => h.name.startsWith('job-'));
    const at = (t: number) => w.render(job(t)!, t) as Obj;

    expect(at(t0 + 2000).status.phase).toBe('Pending');
    const running = at(t0 + M);
    expect(running.status.phase).toBe('Running');
    expect(running.status.containerStatuses[0].state.running.startedAt).toBe('2026-01-05T00:00:05Z');

    const done = at(t0 + 20 * M);
    expect(done.status.phase).toBe('Succeeded');
    expect(done.status.containerStatuses[0].state.terminated).toMatchObject({
      startedAt: '2026-01-05T00:00:05Z',
      finishedAt: '2026-01-05T00:10:05Z',
      exitCode: 0,
    });
    // Still listed 59 min after it finished, gone after an hour (the next run has started by then).
    const first = job(t0 + M)!.name;
    expect(podsAt(w, t0 + 10 * M + 5000 + 59 * M)).toContain(`batch/${first}`);
    expect(podsAt(w, t0 + 10 * M + 5000 + 61 * M)).not.toContain(`batch/${first}`);
  });

  it('restarts a crashed container: restartCount, lastState and a counter that starts again', () => {
    const w = world();
    const t0 = w.scenario.start;
    const svc = (t: number) => w.list('pods', t).find((h) => h.name.startsWith('svc-'))!;
    const status = (t: number) => (w.render(svc(t), t) as Obj).status.containerStatuses[0];
    expect(status(t0 + 29 * M).restartCount).toBe(0);
    const after = status(t0 + 31 * M);
    expect(after.restartCount).toBe(1);
    expect(after.lastState.terminated).toMatchObject({
      reason: 'OOMKilled',
      finishedAt: '2026-01-05T00:30:00Z',
    });
    expect(after.state.running.startedAt).toBe('2026-01-05T00:30:10Z');
    const summary = (t: number) =>
      (w.nodeSummary('n1', t) as Obj).pods.find((p: Obj) => p.podRef.name === svc(t).name).containers[0];
    expect(summary(t0 + 31 * M).startTime).toBe('2026-01-05T00:30:10Z');
    expect(summary(t0 + 31 * M).cpu.usageCoreNanoSeconds).toBeLessThan(
      summary(t0 + 29 * M).cpu.usageCoreNanoSeconds,
    );
  });

  it('removes a deleted pod at its end', () => {
    const w = world();
    const t0 = w.scenario.start;
    expect(podsAt(w, t0 + 19 * M)).toContain('web/gone');
    expect(podsAt(w, t0 + 20 * M)).not.toContain('web/gone');
  });

  it('names replicas of a controller as the controller does, whatever {i} the name holds', () => {
    const text = tiny.replace('  - name: svc\n', '  - name: svc-{i}\n    replicas: 2\n');
    const w = createWorld(parseScenario(text, 'tiny'));
    const names = podsAt(w, w.scenario.start + H).filter((n) => n.startsWith('web/svc'));
    expect(names).toHaveLength(2);
    for (const n of names) expect(n).toMatch(/^web\/svc-[a-z0-9]{6,10}-[a-z0-9]{5}$/);
  });

  it('lists pods sorted by namespace, then name', () => {
    const w = createWorld(parseScenario(tiny, 'tiny'));
    const names = podsAt(w, w.scenario.start + 5 * H);
    expect(names).toEqual([...names].sort());
  });
});

describe('metrics-server semantics', () => {
  it('reports the CPU rate over the 15 s window ending at the last scrape tick', () => {
    const w = world();
    const t = w.scenario.start + 2 * H + 7_300; // 7.3 s past a tick
    const h = w.list('pods', t).find((p) => p.name.startsWith('svc-'))!;
    const m = w.podMetrics(h, t) as Obj;
    const tick = w.scenario.start + 2 * H;
    expect(Date.parse(m.timestamp)).toBe(tick);
    expect(m.window).toBe('15s');
    const counter = (at: number) =>
      BigInt(
        (w.nodeSummary('n1', at) as Obj).pods.find((p: Obj) => p.podRef.name === h.name).containers[0].cpu
          .usageCoreNanoSeconds,
      );
    const rate = ((counter(tick) - counter(tick - 15_000)) * 1000n) / 15_000n;
    const reported = cpuToNanocores(m.containers[0].usage.cpu);
    // The Summary counter is floored to whole nanoseconds; the rate may differ by that rounding.
    expect(Number(reported - rate)).toBeLessThanOrEqual(1);
    expect(Number(rate - reported)).toBeLessThanOrEqual(1);
  });

  it('leaves out pods whose containers have not run for two scrapes', () => {
    const w = world();
    const t0 = w.scenario.start;
    const job = (t: number) => w.list('pods', t).find((h) => h.name.startsWith('job-'))!;
    expect(w.podMetrics(job(t0 + 10_000), t0 + 10_000)).toBeUndefined();
    expect(w.podMetrics(job(t0 + M), t0 + M)).toBeDefined();
  });
});

describe('determinism', () => {
  it('answers the same whatever was asked before, for the same scenario and seed', async () => {
    const scenario = await loadScenario('demo');
    const a = createWorld(scenario);
    const b = createWorld(scenario);
    const times = [5, 1, 30, 12].map((h) => a.scenario.start + h * H + 1234);
    const answer = (w: World, t: number) =>
      JSON.stringify({
        pods: w.list('pods', t).map((h) => [h.uid, w.render(h, t), w.podMetrics(h, t)]),
        summary: w.nodeSummary('cpu-1', t),
      });
    const first = times.map((t) => answer(a, t));
    const second = [...times]
      .reverse()
      .map((t) => answer(b, t))
      .reverse();
    expect(second).toEqual(first);
  });

  it('writes each pod in protobuf as its fresh rendering, whatever it wrote before (the cache never goes stale)', async () => {
    const w = createWorld(await loadScenario('churn'));
    const t0 = w.scenario.start;
    // Forward in uneven steps across starts, restarts and ends, then back in time.
    const times = [0, 7, 7, 61, 62, 181, 182, 600, 601, 1440, 95, 5].map((m) => t0 + m * M + (m % 7) * 1000);
    let compared = 0;
    let changed = 0;
    const last = new Map<string, string>();
    for (const t of times) {
      for (const h of w.list('pods', t)) {
        const text = Buffer.from(w.renderBytes(h, t)!).toString('base64');
        const { apiVersion: _v, kind: _k, ...fresh } = w.render(h, t);
        expect(text).toBe(messageBytes('Pod', fresh).toString('base64'));
        if (last.has(h.uid) && last.get(h.uid) !== text) changed++;
        last.set(h.uid, text);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(changed).toBeGreaterThan(10);
  });

  it('changes with the seed', async () => {
    const scenario = await loadScenario('demo');
    const t = scenario.start! + 3 * H;
    const uids = (seed: number) =>
      createWorld({ ...scenario, seed })
        .list('pods', t)
        .map((h) => h.uid);
    expect(uids(1)).not.toEqual(uids(2));
  });
});

describe('scenario validation', () => {
  it.each([
    ['nodes: []', 'nodes'],
    ['nodes: [{ name: n, capacity: { cpu: lots } }]', 'nodes[0].capacity.cpu'],
    [
      "nodes: [{ name: n, capacity: { cpu: '1' } }]\npods: [{ name: p, node: x, containers: [{ name: c }] }]",
      'pods[0].node',
    ],
    [
      "nodes: [{ name: n, capacity: { cpu: '1' } }]\npods: [{ name: p, start: 1.5s, containers: [{ name: c }] }]",
      'pods[0].start',
    ],
    // A profile object that misses a field is explained as a profile, not as "not a quantity".
    [
      "nodes: [{ name: n, capacity: { cpu: '1' } }]\npods: [{ name: p, containers: [{ name: c, usage: { cpu: { kind: sine, base: 1 } } }] }]",
      'pods[0].containers[0].usage.cpu.amplitude: missing',
    ],
    [
      "nodes: [{ name: n, capacity: { cpu: '1' } }]\npods: [{ name: p, containers: [{ name: c, usage: { cpu: [1] } }] }]",
      'pods[0].containers[0].usage.cpu: invalid (expected string or number or object)',
    ],
    // What the API server or the truth could not hold: negative usage, names it refuses, twins.
    [
      "nodes: [{ name: n, capacity: { cpu: '1' } }]\npods: [{ name: p, containers: [{ name: c, usage: { cpu: '-1' } }] }]",
      'pods[0].containers[0].usage.cpu: must not be negative',
    ],
    [
      "nodes: [{ name: n, capacity: { cpu: '1' } }]\npods: [{ name: p, containers: [{ name: c, usage: { cpu: { kind: sine, base: 1, amplitude: 2, period: 1h } } }] }]",
      'amplitude must not exceed base',
    ],
    [
      "nodes: [{ name: n, capacity: { cpu: '1' } }]\npods: [{ name: Upper_Case, containers: [{ name: c }] }]",
      'pods[0].name: must be lower-case letters',
    ],
    [
      "nodes: [{ name: n, capacity: { cpu: '1' } }]\npods: [{ name: p, namespace: NotDNS, containers: [{ name: c }] }]",
      'pods[0].namespace: must be lower-case letters',
    ],
    [
      "nodes: [{ name: n, capacity: { cpu: '1' } }]\npods: [{ name: p, containers: [{ name: c }] }, { name: p, containers: [{ name: d }] }]",
      'pods[1].name: "p" in namespace "default" is also pods[0]',
    ],
    [
      "nodes: [{ name: n, capacity: { cpu: '1' } }]\npersistentVolumeClaims: [{ name: d, capacity: 1Gi, used: 5Gi }]",
      'persistentVolumeClaims[0].used: 5Gi is more than its capacity 1Gi',
    ],
    [
      "nodes: [{ name: n, capacity: { cpu: '1' } }]\npods: [{ name: p, labels: { owner: 'a b' }, containers: [{ name: c }] }]",
      'pods[0].labels.owner: is not a label value',
    ],
    [
      "nodes: [{ name: n, capacity: { cpu: '1' } }]\npods: [{ name: p, labels: { 'a/b/c': x }, containers: [{ name: c }] }]",
      'is not a label key',
    ],
    [
      "nodes: [{ name: n, capacity: { cpu: '1' } }]\npods: [{ name: p, containers: [{ name: c }, { name: c }] }]",
      'pods[0].containers: container names must be unique in a pod',
    ],
    [
      'pods: [{ name: p, containers: [{ name: c }] }]',
      'invalid scenario bad.yaml: nodes: missing (expected array)',
    ],
    ['nodes: [{ name: n }]', 'nodes[0].capacity: missing (expected record)'],
  ])('names the field: %s', (body, field) => {
    try {
      parseScenario(`name: bad\n${body}`, 'bad.yaml');
      expect.unreachable();
    } catch (err) {
      expect(isKubetallyError(err, 'INVALID_ARGUMENT')).toBe(true);
      expect((err as Error).message).toContain(field);
    }
  });

  it('refuses GPU pods that no node could run, as a scheduler would leave them Pending', () => {
    const gpuPod = "pods: [{ name: p, containers: [{ name: c, requests: { nvidia.com/gpu: '1' } }] }]";
    const at = (nodes: string) => () =>
      createWorld(
        parseScenario(`name: g\nstart: 2026-01-01T00:00:00Z\nnodes: ${nodes}\n${gpuPod}`, 'g.yaml'),
      );
    expect(at("[{ name: n, capacity: { cpu: '1' } }]")).toThrow(
      'pods[0]: requests 1 nvidia.com/gpu, but no node has that many',
    );
    expect(at("[{ name: n, capacity: { cpu: '1', nvidia.com/gpu: '1' } }]")).not.toThrow();
  });
});
