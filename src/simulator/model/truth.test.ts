/**
 * `/sim/truth` against an independent computation: every second of 24 h of `demo` is sampled at
 * its midpoint — which pods the API lists and in which phase, the requests in their rendered
 * specs, the usage value functions — and summed (midpoint rule at 1 s steps). The closed-form
 * integrals must agree within 1e-6 relative for every field and every grouping.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryToBytes, cpuToNanocores } from '../../k8s/quantity.js';
import type { TruthGroup, TruthGroupBy, World } from '../world.js';
import { compileScenario } from './compile.js';
import { runsListedAt, podUid } from './lifecycle.js';
import { WalkCache } from './profiles.js';
import { containerValue, type Sim } from './usage.js';
import { createWorld, loadScenario, parseScenario } from './index.js';

type Amounts = Omit<TruthGroup, 'key'>;
const FIELDS: (keyof Amounts)[] = [
  'cpuCoreSeconds',
  'cpuRequestCoreSeconds',
  'memoryByteSeconds',
  'memoryRequestByteSeconds',
  'gpuSeconds',
  'storageByteSeconds',
  'networkTxBytes',
  'networkRxBytes',
  'podSeconds',
];
const GROUPINGS: TruthGroupBy[] = ['pod', 'namespace', 'label:owner', 'label:project'];
const HOURS = 24;

interface Spec {
  containers: { resources?: { requests?: Record<string, string> } }[];
  initContainers?: { resources?: { requests?: Record<string, string> } }[];
  overhead?: Record<string, string>;
}

/** The scheduler's effective request, computed here from the rendered spec. */
function effectiveRequest(spec: Spec, resource: string, parse: (q: string) => number): number {
  const of = (c: { resources?: { requests?: Record<string, string> } }) => {
    const q = c.resources?.requests?.[resource];
    return q === undefined ? 0 : parse(q);
  };
  const apps = spec.containers.reduce((s, c) => s + of(c), 0);
  const init = Math.max(0, ...(spec.initContainers ?? []).map(of));
  const overhead = spec.overhead?.[resource] === undefined ? 0 : parse(spec.overhead[resource] as string);
  return Math.max(apps, init) + overhead;
}

describe('/sim/truth for demo over 24 h', () => {
  let world: World;
  const expected = new Map<TruthGroupBy, Map<string, Amounts>>(GROUPINGS.map((g) => [g, new Map()]));
  let from = 0;
  let to = 0;

  beforeAll(async () => {
    const scenario = await loadScenario('demo');
    world = createWorld(scenario);
    const model = compileScenario(scenario);
    const sim: Sim = { model, walks: new WalkCache() };
    from = model.start;
    to = from + HOURS * 3_600_000;
    const add = (grouping: TruthGroupBy, key: string, field: keyof Amounts, v: number) => {
      const groups = expected.get(grouping) as Map<string, Amounts>;
      let g = groups.get(key);
      if (g === undefined) {
        g = Object.fromEntries(FIELDS.map((f) => [f, 0])) as unknown as Amounts;
        groups.set(key, g);
      }
      g[field] += v;
    };
    const specCache = new Map<string, { cpu: number; memory: number; gpu: number }>();
    for (let t = from + 500; t < to; t += 1000) {
      for (const slot of model.slots) {
        for (const run of runsListedAt(model, slot, t)) {
          const handle = world.get('pods', slot.namespace, run.name, t);
          if (handle === undefined) continue;
          const phase = world.fieldValue(handle, 'status.phase', t);
          // A pod holds its requests while it runs, and while its init containers run (Pending).
          const initRunning = phase === 'Pending' && slot.template.initContainers.length > 0;
          if (phase !== 'Running' && !initRunning) continue;
          const uid = podUid(model, run);
          let req = specCache.get(uid);
          if (req === undefined) {
            const spec = world.render(handle, t).spec as Spec;
            req = {
              cpu: effectiveRequest(spec, 'cpu', (q) => Number(cpuToNanocores(q)) / 1e9),
              memory: effectiveRequest(spec, 'memory', (q) => Number(memoryToBytes(q))),
              gpu: effectiveRequest(spec, 'nvidia.com/gpu', (q) => Number(memoryToBytes(q))),
            };
            specCache.set(uid, req);
          }
          const values: Partial<Amounts> = {
            cpuRequestCoreSeconds: req.cpu,
            memoryRequestByteSeconds: req.memory,
            gpuSeconds: req.gpu,
            podSeconds: 1,
            cpuCoreSeconds: 0,
            memoryByteSeconds: 0,
            networkTxBytes: 0,
            networkRxBytes: 0,
          };
          for (let c = 0; c < slot.template.containers.length; c++) {
            values.cpuCoreSeconds! += containerValue(sim, run, c, 'cpu', t);
            values.memoryByteSeconds! += containerValue(sim, run, c, 'memory', t);
            values.networkTxBytes! += containerValue(sim, run, c, 'tx', t);
            values.networkRxBytes! += containerValue(sim, run, c, 'rx', t);
          }
          const keys: [TruthGroupBy, string][] = [
            ['pod', `${slot.namespace}/${run.name}`],
            ['namespace', slot.namespace],
            ['label:owner', handle.labels.owner ?? ''],
            ['label:project', handle.labels.project ?? ''],
          ];
          for (const [grouping, key] of keys) {
            for (const [f, v] of Object.entries(values)) add(grouping, key, f as keyof Amounts, v);
          }
        }
      }
      for (const pvc of world.list('persistentvolumeclaims', t)) {
        const obj = world.render(pvc, t) as { status: { capacity: { storage: string } } };
        const bytes = Number(memoryToBytes(obj.status.capacity.storage));
        add('namespace', pvc.namespace, 'storageByteSeconds', bytes);
        add('label:owner', pvc.labels.owner ?? '', 'storageByteSeconds', bytes);
        add('label:project', pvc.labels.project ?? '', 'storageByteSeconds', bytes);
      }
    }
  }, 300_000);

  it.each(GROUPINGS)('agrees for groupBy=%s, every field, within 1e-6', (grouping) => {
    const reply = world.truth(from, to, grouping);
    const want = expected.get(grouping) as Map<string, Amounts>;
    expect(reply.groups.map((g) => g.key).sort()).toEqual([...want.keys()].sort());
    for (const group of reply.groups) {
      const w = want.get(group.key) as Amounts;
      for (const f of FIELDS) {
        const got = group[f];
        const exp = w[f];
        const scale = Math.max(Math.abs(exp), 1e-9);
        expect(Math.abs(got - exp) / scale, `${grouping} ${group.key} ${f}: ${got} vs ${exp}`).toBeLessThan(
          1e-6,
        );
      }
    }
  });

  it('covers what the scenario plants', () => {
    const owners = world.truth(from, to, 'label:owner').groups;
    const keys = owners.map((g) => g.key);
    expect(keys).toEqual(expect.arrayContaining(['', 'alice', 'bob', 'carol', 'dave', 'erin', 'frank']));
    const erin = owners.find((g) => g.key === 'erin') as TruthGroup;
    expect(erin.gpuSeconds).toBeGreaterThan(0);
    expect(owners.every((g) => g.podSeconds > 0)).toBe(true);
  });
});

describe('/sim/truth amounts', () => {
  it('read as the exact decimals they stand for', () => {
    // 0.1 core for 7 s and a square wave of 50m/400m: doubles alone would give 0.7000000000000001.
    const w = createWorld(
      parseScenario(
        `
name: decimals
seed: 1
start: 2026-01-05T00:00:00Z
nodes: [{ name: n1, capacity: { cpu: '4', memory: 8Gi } }]
pods:
  - name: flat
    namespace: a
    containers: [{ name: c, requests: { cpu: 100m }, usage: { cpu: 100m } }]
  - name: wave
    namespace: b
    containers:
      - name: c
        usage: { cpu: { kind: square, low: 50m, high: 400m, period: 40s, duty: 0.5 } }
`,
        'decimals',
      ),
    );
    const t0 = Date.parse('2026-01-05T01:00:00Z');
    const [a, b] = w.truth(t0, t0 + 7_000, 'namespace').groups;
    expect(a).toMatchObject({ key: 'a', cpuCoreSeconds: 0.7, cpuRequestCoreSeconds: 0.7, podSeconds: 7 });
    expect(b).toMatchObject({ key: 'b', cpuCoreSeconds: 2.8 });
    const hour = w.truth(t0, t0 + 3_600_000 + 300, 'namespace').groups;
    expect(hour.map((g) => g.cpuCoreSeconds)).toEqual([360.03, 810.12]);
  });
});
