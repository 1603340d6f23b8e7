/**
 * The live, attributed views against the simulator: getUserMetrics for every owner equals what
 * the metrics API serves, summed here by hand; `kubetally top --by pod` agrees with
 * `kubectl top pods -A` on every pod; `--by owner` totals equal the per-pod sums.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeconfig, type Connection } from '../../src/k8s/connection.js';
import { getProjectMetrics, getUserMetrics } from '../../src/app/live-view.js';
import { cpuToNanocores, memoryToBytes } from '../../src/k8s/quantity.js';
import { readFile } from 'node:fs/promises';
import { KubernetesMetricsClient } from '../../src/index.js';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import {
  columns,
  hasKubectl,
  kubectl,
  startTestSimulator,
  type TestSimulator,
} from '../simulator/support.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sim: TestSimulator;
let conn: Connection;
let now: number;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
  now = sim.clock.advance(26 * 3_600_000 + 7 * 60_000);
  conn = await loadKubeconfig({ file: sim.kubeconfigPath, trust: 'own' });
});
afterAll(() => sim?.stop());

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), isTty: false, env: {} };
  const code = await main(['node', 'kubetally', ...args], io);
  return { code, out, err };
}

/** What the metrics API serves now, per owner label (then user label), summed by hand. */
function handSums(): Map<string, { cpu: bigint; memory: bigint; pods: number }> {
  const sums = new Map<string, { cpu: bigint; memory: bigint; pods: number }>();
  for (const h of sim.world.list('pods', now)) {
    const phase = sim.world.fieldValue(h, 'status.phase', now);
    if (phase !== 'Running' && phase !== 'Pending') continue;
    const owner = h.labels.owner || h.labels.user || '__unowned__';
    const s = sums.get(owner) ?? { cpu: 0n, memory: 0n, pods: 0 };
    s.pods += 1;
    const m = sim.world.podMetrics(h, now) as Obj | undefined;
    for (const c of m?.containers ?? []) {
      s.cpu += cpuToNanocores(c.usage.cpu);
      s.memory += memoryToBytes(c.usage.memory);
    }
    sums.set(owner, s);
  }
  return sums;
}

describe('getUserMetrics and getProjectMetrics', () => {
  it('equal the metrics API summed by hand, for every owner of demo', async () => {
    const sums = handSums();
    expect([...sums.keys()]).toEqual(
      expect.arrayContaining(['__unowned__', 'alice', 'bob', 'dave', 'erin', 'frank']),
    );
    for (const [owner, s] of sums) {
      const m = await getUserMetrics(conn, owner);
      expect(m.userId).toBe(owner);
      expect(m.totals.cpuCores).toBe(Number(s.cpu) / 1e9);
      expect(m.totals.memoryGB).toBe(Number(s.memory) / 2 ** 30);
      expect(m.projects.reduce((n, p) => n + p.pods.length, 0)).toBe(s.pods);
      expect(Date.parse(m.timestamp)).toBe(Math.floor(now / 1000) * 1000);
    }
  });

  it('gives storage of the bound claims mounted, GPUs from requests, and projects by namespace', async () => {
    const erin = await getUserMetrics(conn, 'erin');
    expect(erin.projects.map((p) => [p.namespace, p.projectName, p.projectId])).toEqual([
      ['recsys-erin', 'recsys', '103'],
    ]);
    expect(erin.totals.gpus).toBe(1);
    expect(erin.totals.storageGB).toBe(200);
    const alice = await getUserMetrics(conn, 'alice');
    expect(alice.projects.find((p) => p.namespace === 'fraud-alice')?.resources.storageGB).toBe(20);
    expect(alice.projects.flatMap((p) => p.pods).find((p) => p.name === 'jupyter-alice-0')?.computeType).toBe(
      'notebook',
    );
    const nobody = await getUserMetrics(conn, 'nobody');
    expect(nobody).toMatchObject({
      projects: [],
      totals: { cpuCores: 0, memoryGB: 0, storageGB: 0, gpus: 0 },
    });
  });

  it('getProjectMetrics covers every pod of the namespace and names its owners', async () => {
    const p = await getProjectMetrics(conn, 'recsys-dave');
    expect(p.owners).toEqual(['dave']);
    expect(p.pods.map((x) => x.name).sort()).toEqual(
      sim.world
        .list('pods', now)
        .filter((h) => h.namespace === 'recsys-dave')
        .map((h) => h.name)
        .sort(),
    );
    expect(p.resources.storageGB).toBe(10);
  });

  it('refuses a namespace or owner that is missing or cannot exist, before any request', async () => {
    await expect(getProjectMetrics(conn, '')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'namespace is required',
    });
    await expect(getProjectMetrics(conn, 'BAD')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: '"BAD" is not a namespace name',
    });
    await expect(getUserMetrics(conn, '')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(getUserMetrics(conn, undefined as unknown as string)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});

describe("seed 000's KubernetesMetricsClient", () => {
  it('takes kubeconfig text (isPath false) or a path and answers as the functions do', async () => {
    const yaml = await readFile(sim.kubeconfigPath, 'utf8');
    const fromText = new KubernetesMetricsClient(yaml, false);
    const fromPath = new KubernetesMetricsClient(sim.kubeconfigPath);
    const expected = await getUserMetrics(conn, 'alice');
    expect(await fromText.getUserMetrics('alice')).toEqual(expected);
    expect(await fromPath.getUserMetrics('alice')).toEqual(expected);
    expect(await fromText.getProjectMetrics('recsys-dave')).toEqual(
      await getProjectMetrics(conn, 'recsys-dave'),
    );
  });

  it('treats kubeconfig text as uploaded and refuses a missing kubeconfig', async () => {
    const yaml = await readFile(sim.kubeconfigPath, 'utf8');
    const withExec = yaml.replace(
      /token: \S+/,
      'exec: {apiVersion: client.authentication.k8s.io/v1, command: sh}',
    );
    await expect(new KubernetesMetricsClient(withExec, false).getUserMetrics('alice')).rejects.toMatchObject({
      code: 'INVALID_KUBECONFIG',
    });
    expect(() => new KubernetesMetricsClient('', false)).toThrow(/needs a kubeconfig/);
  });
});

describe('kubetally top', () => {
  it.skipIf(!hasKubectl)('--by pod agrees with kubectl top pods -A on every pod', async () => {
    const ours = await cli(['top', '--kubeconfig', sim.kubeconfigPath, '--by', 'pod', '--sort-by', 'name']);
    expect(ours.code).toBe(0);
    const rows = new Map(
      columns(ours.out)
        .slice(1)
        .map((r) => [`${r[0]}/${r[1]}`, r]),
    );
    const theirs = await kubectl(sim, ['top', 'pods', '-A']);
    expect(theirs.code).toBe(0);
    const kubectlRows = columns(theirs.stdout).slice(1);
    expect(kubectlRows.length).toBeGreaterThan(10);
    for (const [ns, name, cpu, memory] of kubectlRows) {
      const row = rows.get(`${ns}/${name}`);
      expect(row, `${ns}/${name}`).toBeDefined();
      expect([row![5], row![7]]).toEqual([cpu, memory]);
    }
  });

  it('--by owner totals equal the per-pod sums (JSON)', async () => {
    const byPod = JSON.parse(
      (await cli(['top', '--kubeconfig', sim.kubeconfigPath, '--by', 'pod', '-o', 'json'])).out,
    );
    const byOwner = JSON.parse(
      (await cli(['top', '--kubeconfig', sim.kubeconfigPath, '--by', 'owner', '-o', 'json'])).out,
    );
    expect(byOwner.groupBy).toEqual(['owner']);
    for (const row of byOwner.rows) {
      const pods = byPod.rows.filter((p: Obj) => p.owner === row.owner);
      expect(row.pods).toBe(pods.length);
      for (const f of ['cpuCores', 'cpuRequestCores', 'memoryGiB', 'memoryRequestGiB', 'gpus']) {
        expect(row[f]).toBeCloseTo(
          pods.reduce((s: number, p: Obj) => s + p[f], 0),
          9,
        );
      }
    }
    const sums = handSums();
    for (const [owner, s] of sums) {
      expect(byOwner.rows.find((r: Obj) => r.owner === owner).cpuCores).toBe(Number(s.cpu) / 1e9);
    }
  });

  it('filters with -l and writes CSV', async () => {
    const r = await cli([
      'top',
      '--kubeconfig',
      sim.kubeconfigPath,
      '-l',
      'owner=dave',
      '--by',
      'compute-type',
      '-o',
      'csv',
    ]);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe(
      'computeType,pods,cpuCores,cpuRequestCores,memoryGiB,memoryRequestGiB,gpus,storageGiB',
    );
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual(['notebook', 'serving']);
  });

  it('takes -A as kubectl top does: every namespace, the default, and not beside -n', async () => {
    const base = ['top', '--kubeconfig', sim.kubeconfigPath, '--by', 'namespace', '-o', 'json'];
    const all = await cli([...base, '-A']);
    expect(all.code).toBe(0);
    const rows = (r: { out: string }) => (JSON.parse(r.out) as { rows: { namespace: string }[] }).rows;
    expect(rows(all).map((r) => r.namespace)).toEqual(rows(await cli(base)).map((r) => r.namespace));
    expect(new Set(rows(all).map((r) => r.namespace)).size).toBeGreaterThan(3);
    const both = await cli([...base, '-A', '-n', 'fraud-alice']);
    expect(both.code).not.toBe(0);
    expect(both.err).toMatch(/'-A, --all-namespaces' cannot be used with option '-n, --namespace/);
  });

  it('says no resources were found, naming the namespace as kubectl top does', async () => {
    const ns = await cli(['top', '--kubeconfig', sim.kubeconfigPath, '-n', 'nope']);
    expect([ns.code, ns.out]).toEqual([0, 'No resources found in nope namespace.\n']);
    const all = await cli(['top', '--kubeconfig', sim.kubeconfigPath, '-l', 'owner=nobody']);
    expect([all.code, all.out]).toEqual([0, 'No resources found\n']);
  });

  it('shows the rest when claims may not be listed, storage as unknown, and names the rule', async () => {
    const args = ['top', '--kubeconfig', sim.kubeconfigPath, '--by', 'namespace'];
    const allowed = await cli(args);
    expect(allowed.err).toBe('');
    expect(allowed.out).toMatch(/\d\.\dGi\n/); // demo's claims
    sim.faults.set({ forbidden: ['persistentvolumeclaims'] });
    try {
      const table = await cli(args);
      expect(table.code).toBe(0);
      const rows = table.out.trim().split('\n').slice(1);
      expect(rows.length).toBe(allowed.out.trim().split('\n').length - 1);
      for (const row of rows) expect(row).toMatch(/\s-$/);
      expect(table.err).toMatch(
        /^warning: the cluster does not allow list persistentvolumeclaims: storage is unknown\nhint: .*"persistentvolumeclaims"[\s\S]*kind: ClusterRole/,
      );
      const json = await cli([...args, '-o', 'json']);
      expect(json.code).toBe(0);
      const body = JSON.parse(json.out);
      expect(body.rows.length).toBe(rows.length);
      expect(body.rows.every((r: Obj) => r.storageGiB === null && r.cpuCores >= 0)).toBe(true);
      expect(json.err).toMatch(/^warning: .*list persistentvolumeclaims/);
      // The library views: storage unknown (null, not 0), the rest as before, and why.
      const erin = await getUserMetrics(conn, 'erin');
      expect(erin.totals.storageGB).toBeNull();
      expect(erin.projects.map((p) => p.resources.storageGB)).toEqual([null]);
      expect(erin.totals.cpuCores).toBe(Number(handSums().get('erin')!.cpu) / 1e9);
      expect(erin.warnings).toEqual([
        'storage is unknown: the cluster does not allow list persistentvolumeclaims; ' +
          `grant the kubeconfig's user "get,list" on "persistentvolumeclaims"`,
      ]);
      const project = await getProjectMetrics(conn, 'recsys-erin');
      expect(project.resources.storageGB).toBeNull();
      expect(project.warnings).toHaveLength(1);
    } finally {
      sim.faults.clear();
    }
  });

  it('fails with one line, a hint and a distinct exit code', async () => {
    const missing = await cli(['top', '--kubeconfig', '/nonexistent/kubeconfig']);
    expect(missing.code).toBe(3);
    expect(missing.err).toMatch(/^error: cannot load \/nonexistent\/kubec/);
    expect(missing.err).not.toMatch(/\n\s+at /);
    sim.faults.set({ metricsApi: 'missing' });
    try {
      const noMetrics = await cli(['top', '--kubeconfig', sim.kubeconfigPath]);
      expect(noMetrics.code).toBe(8);
      expect(noMetrics.err).toContain('hint: install metrics-server');
    } finally {
      sim.faults.clear();
    }
    const noNamespace = await cli(['top', '--kubeconfig', sim.kubeconfigPath, '-n', '']);
    expect(noNamespace.code).toBe(2);
    expect(noNamespace.err).toMatch(/^error: namespace is required/);
    const badSel = await cli(['top', '--kubeconfig', sim.kubeconfigPath, '-l', 'a in b']);
    expect(badSel.code).toBe(2);
    expect(badSel.err).toContain('unable to parse requirement');
  });
});
