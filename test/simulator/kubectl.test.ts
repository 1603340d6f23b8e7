/**
 * The real kubectl (the machine's /usr/bin/kubectl, which runs kubectl 1.32 for a minor-32
 * server) against the simulator over HTTPS with the written kubeconfig. Values must equal the
 * model's, with kubectl's rounding: CPU MilliValue() rounded up as `%dm`, memory Value()/2^20
 * rounded down as `Mi`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuantity } from '../../src/k8s/quantity.js';
import type { SimHandle } from '../../src/simulator/world.js';
import { columns, hasKubectl, KUBECTL, kubectl, startTestSimulator, type TestSimulator } from './support.js';

let sim: TestSimulator;
let now: number;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
  // Two hours in: notebooks, serving and jobs are running and have metrics.
  now = sim.clock.advance(2 * 3_600_000);
});
afterAll(() => sim?.stop());

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const nanos = (q: string) => parseQuantity(q).nanoValue() as bigint;
const milli = (q: bigint) => `${(q + 999_999n) / 1_000_000n}m`; // MilliValue() rounds up
const mebi = (bytes: bigint) => `${bytes / 1_000_000_000n / 1_048_576n}Mi`; // Value()/2^20 rounds down
const pods = () => sim.world.list('pods', now);

function podUsage(h: SimHandle): { cpu: string; memory: string } | undefined {
  const m = sim.world.podMetrics(h, now) as Obj | undefined;
  if (m === undefined) return undefined;
  let cpu = 0n;
  let mem = 0n;
  for (const c of m.containers as Obj[]) {
    cpu += nanos(c.usage.cpu);
    mem += nanos(c.usage.memory);
  }
  return { cpu: milli(cpu), memory: mebi(mem) };
}

describe.skipIf(!hasKubectl)('kubectl 1.32 against the simulator (HTTPS, demo scenario)', () => {
  it('get pods -A lists every pod with its phase', async () => {
    const r = await kubectl(sim, ['get', 'pods', '-A']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [head, ...rows] = columns(r.stdout);
    expect(head).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(rows.map((c) => `${c[0]}/${c[1]}`)).toEqual(pods().map((h) => `${h.namespace}/${h.name}`));
    for (const row of rows) {
      const obj = sim.world.render(sim.world.get('pods', row[0]!, row[1]!, now)!, now) as Obj;
      const containers = obj.status.containerStatuses ?? [];
      expect(row[2]).toBe(`${containers.filter((c: Obj) => c.ready).length}/${obj.spec.containers.length}`);
      if (obj.status.phase === 'Running' && containers.every((c: Obj) => c.state?.running))
        expect(row[3]).toBe('Running');
      if (obj.status.phase === 'Succeeded') expect(row[3]).toBe('Completed');
    }
    expect(rows.some((c) => c[3] === 'Running')).toBe(true);
  });

  it('get nodes shows status, roles and version', async () => {
    const r = await kubectl(sim, ['get', 'nodes']);
    expect(r.code).toBe(0);
    const [head, ...rows] = columns(r.stdout);
    expect(head).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    const nodes = sim.world.list('nodes', now);
    expect(nodes.length).toBeGreaterThanOrEqual(4);
    expect(rows.map((c) => c[0])).toEqual(nodes.map((h) => h.name));
    for (const row of rows) {
      const obj = sim.world.render(sim.world.get('nodes', '', row[0]!, now)!, now) as Obj;
      expect(row[1]).toBe('Ready');
      expect(row[4]).toBe(obj.status.nodeInfo.kubeletVersion);
    }
  });

  it('get pvc -A shows every claim with its capacity and class', async () => {
    const r = await kubectl(sim, ['get', 'pvc', '-A']);
    expect(r.code).toBe(0);
    const [head, ...rows] = columns(r.stdout);
    expect(head?.slice(0, 8)).toEqual([
      'NAMESPACE',
      'NAME',
      'STATUS',
      'VOLUME',
      'CAPACITY',
      'ACCESS MODES',
      'STORAGECLASS',
      'VOLUMEATTRIBUTESCLASS',
    ]);
    const claims = sim.world.list('persistentvolumeclaims', now);
    expect(claims.length).toBeGreaterThan(0);
    expect(rows.map((c) => `${c[0]}/${c[1]}`)).toEqual(claims.map((h) => `${h.namespace}/${h.name}`));
    for (const row of rows) {
      const obj = sim.world.render(
        sim.world.get('persistentvolumeclaims', row[0]!, row[1]!, now)!,
        now,
      ) as Obj;
      expect(row[2]).toBe('Bound');
      expect(row[4]).toBe(obj.status.capacity.storage);
      expect(row[6]).toBe(obj.spec.storageClassName);
    }
  });

  it('top pods -A shows every running pod with the model usage', async () => {
    const r = await kubectl(sim, ['top', 'pods', '-A']);
    expect(r.code).toBe(0);
    const [head, ...rows] = columns(r.stdout);
    expect(head).toEqual(['NAMESPACE', 'NAME', 'CPU(cores)', 'MEMORY(bytes)']);
    const expected = pods()
      .map((h) => [h, podUsage(h)] as const)
      .filter(([, u]) => u !== undefined)
      .map(([h, u]) => [h.namespace, h.name, u!.cpu, u!.memory]);
    expect(expected.length).toBeGreaterThan(5);
    expect(rows).toEqual(expected);
  });

  it('top nodes shows usage and percentages of allocatable', async () => {
    const r = await kubectl(sim, ['top', 'nodes']);
    expect(r.code).toBe(0);
    const [head, ...rows] = columns(r.stdout);
    expect(head).toEqual(['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
    const expected = sim.world.list('nodes', now).map((h) => {
      const m = sim.world.nodeMetrics(h, now) as Obj;
      const alloc = (sim.world.render(h, now) as Obj).status.allocatable;
      const cpuMilli = (nanos(m.usage.cpu) + 999_999n) / 1_000_000n;
      const memBytes = (nanos(m.usage.memory) + 999_999_999n) / 1_000_000_000n;
      const allocMilli = (nanos(alloc.cpu) + 999_999n) / 1_000_000n;
      const allocBytes = (nanos(alloc.memory) + 999_999_999n) / 1_000_000_000n;
      // kubectl: int64(float64(usage.MilliValue()) / float64(allocatable.MilliValue()) * 100)
      const pct = (a: bigint, b: bigint) => `${Math.trunc((Number(a) / Number(b)) * 100)}%`;
      return [
        h.name,
        `${cpuMilli}m`,
        pct(cpuMilli, allocMilli),
        `${memBytes / 1_048_576n}Mi`,
        pct(memBytes * 1000n, allocBytes * 1000n),
      ];
    });
    expect(rows).toEqual(expected);
  });

  it('top pods -n NS -l owner=X shows only that owner in that namespace', async () => {
    const target = pods().find((h) => h.labels.owner !== undefined && podUsage(h) !== undefined);
    expect(target).toBeDefined();
    const { namespace, labels } = target!;
    const r = await kubectl(sim, ['top', 'pods', '-n', namespace, '-l', `owner=${labels.owner}`]);
    expect(r.code).toBe(0);
    const [, ...rows] = columns(r.stdout);
    const expected = pods()
      .filter((h) => h.namespace === namespace && h.labels.owner === labels.owner)
      .map((h) => [h.name, podUsage(h)] as const)
      .filter(([, u]) => u !== undefined)
      .map(([name, u]) => [name, u!.cpu, u!.memory]);
    expect(rows).toEqual(expected);
  });

  it('get pods -A --chunk-size=50 -o name pages through every pod', async () => {
    const r = await kubectl(sim, ['get', 'pods', '-A', '--chunk-size=50', '-o', 'name', '-v=6']);
    expect(r.code).toBe(0);
    const names = r.stdout.trim().split('\n');
    expect(names).toEqual(pods().map((h) => `pod/${h.name}`));
    const requests = r.stderr.split('\n').filter((l) => /GET https:\S+\/api\/v1\/pods\?/.test(l));
    expect(requests.length).toBe(Math.max(1, Math.ceil(pods().length / 50)));
    expect(requests.slice(1).every((l) => l.includes('continue='))).toBe(true);
  });

  it('drain --dry-run reads the pods of a node in protobuf (kubectl decodes the simulator protobuf)', async () => {
    const node = 'gpu-0';
    const r = await kubectl(sim, [
      'drain',
      node,
      '--dry-run=client',
      '--force',
      '--ignore-daemonsets',
      '--delete-emptydir-data',
      '-v=8',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Content-Type: application\/vnd\.kubernetes\.protobuf/);
    const evicted = [...r.stdout.matchAll(/evicting pod (\S+) \(dry run\)/g)].map((m) => m[1]).sort();
    const onNode = pods()
      .filter((h) => sim.world.fieldValue(h, 'spec.nodeName', now) === node)
      .map((h) => `${h.namespace}/${h.name}`)
      .sort();
    expect(onNode.length).toBeGreaterThan(0);
    expect(evicted).toEqual(onNode);
  });
});

describe.skipIf(!hasKubectl)('kubectl get -w against the simulator', () => {
  it('lists, then prints each change as a row with every column (Tables in watch events)', async () => {
    const own = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
    const child = spawn(
      KUBECTL,
      ['--kubeconfig', own.kubeconfigPath, '--cache-dir', join(own.dir, 'cache'), 'get', 'pods', '-A', '-w'],
      { env: { ...process.env, HOME: own.dir, KUBECONFIG: '' } },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
      return done();
    };
    try {
      own.clock.advance(2 * 3_600_000);
      const listed = own.world.list('pods', own.clock.now()).length;
      // The list first (header and one line a pod); the watch follows from the list's version.
      expect(await until(() => out.trim().split('\n').length >= listed + 1)).toBe(true);
      const before = out.trim().split('\n').length;
      own.clock.advance(30 * 60_000);
      expect(await until(() => out.trim().split('\n').length > before)).toBe(true);
      const [head, ...rows] = columns(out);
      expect(head).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
      // Every change printed with all six columns, e.g. `0/1 Completed 0 31m`.
      for (const row of rows.slice(listed)) expect(row).toHaveLength(6);
    } finally {
      child.kill();
      await own.stop();
    }
  });
});
