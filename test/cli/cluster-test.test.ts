/**
 * `kubetally cluster test` against a real simulator: permissions asked with
 * SelfSubjectAccessReview (every one allowed; with the forbidden fault, the one refused named
 * with its RBAC rule), the metrics API missing, bad credentials and a server that is down, each
 * reported as a result that names the problem and the fix, with a distinct exit status. Then the
 * cluster commands on the machine's PostgreSQL, and `--in-cluster`.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPermissions } from '../../src/app/cluster-permissions.js';
import { testClusterConnection } from '../../src/app/cluster-test.js';
import { loadKubeconfig, type Connection } from '../../src/k8s/connection.js';
import { errorFromStatus } from '../../src/k8s/k8s-errors.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';
import { runCli } from '../support/cli.js';

let sim: TestSimulator;
let dataDir: string;
let env: NodeJS.ProcessEnv;
let pg: TestDatabase;

const run = (...args: string[]) => runCli(env, ...args);

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
  sim.clock.advance(2 * 3_600_000);
  dataDir = await mkdtemp(join(tmpdir(), 'kubetally-cluster-'));
  pg = await freshDatabase('postgres');
  env = { KUBETALLY_DATA_DIR: dataDir, KUBETALLY_ENCRYPTION_KEY: 'ef'.repeat(32) };
  expect((await run('cluster', 'add', 'sim', '--kubeconfig', sim.kubeconfigPath)).code).toBe(0);
}, 60_000);

afterAll(async () => {
  await sim?.stop();
  await pg?.dispose();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const testJson = async () => {
  const r = await run('cluster', 'test', 'sim', '-o', 'json');
  return { code: r.code, result: JSON.parse(r.out) };
};

describe('cluster test', () => {
  it('reports every needed permission allowed, the version and a live sample', async () => {
    const { code, result } = await testJson();
    expect(code).toBe(0);
    expect(result).toMatchObject({
      reachable: true,
      serverVersion: 'v1.32.4',
      metricsApi: { available: true },
    });
    expect(Object.keys(result.permissions)).toEqual([
      'list pods',
      'list nodes',
      'list namespaces',
      'list persistentvolumeclaims',
      'list persistentvolumes',
      'list services',
      'list pods.metrics.k8s.io',
      'list nodes.metrics.k8s.io',
      'get nodes/proxy',
      'watch pods',
      'watch persistentvolumeclaims',
      'watch services',
    ]);
    expect(Object.values(result.permissions)).toEqual(Array(12).fill({ allowed: true }));
    const now = sim.clock.now();
    expect(result.sample).toMatchObject({
      pods: sim.world.list('pods', now).length,
      nodes: sim.world.list('nodes', now).length,
    });
    expect(result.sample.cpuCores).toBeGreaterThan(0);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('names a refused permission, the rule to add, and exits 7', async () => {
    sim.faults.set({ forbidden: ['pods.metrics.k8s.io'] });
    try {
      const { code, result } = await testJson();
      expect(code).toBe(7);
      const refused = Object.entries(result.permissions).filter(
        ([, p]) => !(p as { allowed: boolean }).allowed,
      );
      expect(refused.map(([name]) => name)).toEqual(['list pods.metrics.k8s.io']);
      expect(refused[0]![1]).toMatchObject({
        reason: 'the cluster does not allow list pods.metrics.k8s.io',
        rbac: expect.stringContaining(
          'apiGroups: ["metrics.k8s.io"]\n    resources: ["pods"]\n    verbs: ["get", "list"]',
        ),
      });
      const text = await run('cluster', 'test', 'sim');
      expect(text.out).toMatch(/REFUSED list pods\.metrics\.k8s\.io/);
      expect(text.out).toMatch(/kind: ClusterRole/);
    } finally {
      sim.faults.clear();
    }
  });

  it('does not fail on namespaces or persistentvolumes, which collection does not read', async () => {
    sim.faults.set({ forbidden: ['namespaces', 'persistentvolumes'] });
    try {
      const { code, result } = await testJson();
      expect(code).toBe(0);
      for (const perm of ['list namespaces', 'list persistentvolumes'])
        expect(result.permissions[perm]).toMatchObject({
          allowed: false,
          optional: true,
          reason: `the cluster does not allow ${perm}; optional: collection does not read it today (it is in the recommended ClusterRole)`,
        });
      const text = await run('cluster', 'test', 'sim');
      expect(text.code).toBe(0);
      expect(text.out).toMatch(/missing list namespaces: /);
      expect(text.out).not.toMatch(/REFUSED/);
    } finally {
      sim.faults.clear();
    }
  });

  it('reports a refused watch of pods as optional: what collection loses, the rule, exit 0', async () => {
    sim.faults.set({ forbidden: ['watch pods'] });
    try {
      const { code, result } = await testJson();
      expect(code).toBe(0);
      expect(result.permissions['list pods']).toEqual({ allowed: true });
      expect(result.permissions['watch pods']).toMatchObject({
        allowed: false,
        optional: true,
        reason: expect.stringMatching(
          /^the cluster does not allow watch pods; optional: without it, .*halfway/,
        ),
        rbac: expect.stringContaining('resources: ["pods"]\n    verbs: ["watch"]'),
      });
      const text = await run('cluster', 'test', 'sim');
      expect(text.code).toBe(0);
      expect(text.out).toMatch(/missing watch pods: the cluster does not allow watch pods; optional/);
      expect(text.out).toMatch(/ok {6}list pods\n/);
      // The rule is indented under its line and followed by the next permission, no blank padding.
      expect(text.out).toContain('          verbs: ["watch"]\n  ok      watch persistentvolumeclaims\n');
    } finally {
      sim.faults.clear();
    }
  });

  it('probes with the smallest real reads where reviews are not served: the same answers', async () => {
    const real = await loadKubeconfig({ file: sim.kubeconfigPath });
    // A server without authorization.k8s.io: every review is a 404.
    const noReviews: Connection = {
      ...real,
      request: (path, options) =>
        path.startsWith('/apis/authorization.k8s.io')
          ? Promise.reject(errorFromStatus(404, '', path))
          : real.request(path, options),
    };
    const node = sim.world.list('nodes', sim.clock.now())[0]?.name;
    const started = Date.now();
    expect(Object.values(await checkPermissions(noReviews, node))).toEqual(Array(12).fill({ allowed: true }));
    expect(Date.now() - started).toBeLessThan(10_000); // the watch probe ends after a second
    sim.faults.set({ forbidden: ['watch pods', 'nodes/proxy'] });
    try {
      const got = await checkPermissions(noReviews, node);
      expect(got['list pods']).toEqual({ allowed: true });
      expect(got['watch pods']).toMatchObject({ allowed: false, optional: true });
      expect(got['get nodes/proxy']).toMatchObject({
        allowed: false,
        rbac: expect.stringContaining('nodes/proxy'),
      });
    } finally {
      sim.faults.clear();
    }
  });

  it('says the metrics API is missing and how to install it, and exits 8', async () => {
    sim.faults.set({ metricsApi: 'missing' });
    try {
      const { code, result } = await testJson();
      // Collection cannot run without it: the test must not pass (it exited 0).
      expect(code).toBe(8);
      expect(result.metricsApi).toEqual({
        available: false,
        code: 'METRICS_API_UNAVAILABLE',
        reason: 'the metrics API (metrics.k8s.io) is not installed on this cluster (404)',
        hint: expect.stringMatching(/^install metrics-server/),
      });
      // RBAC still allows it: the permission is there, the API is not.
      expect(result.permissions['list pods.metrics.k8s.io']).toEqual({ allowed: true });
      expect(result.sampleError.code).toBe('METRICS_API_UNAVAILABLE');
      sim.faults.set({ metricsApi: 'unavailable' });
      const text = await run('cluster', 'test', 'sim');
      expect([text.code, text.out]).toEqual([
        8,
        expect.stringContaining(
          'metrics API: missing: the metrics API (metrics.k8s.io) is not available on this cluster (503)\n    fix: install metrics-server',
        ),
      ]);
    } finally {
      sim.faults.clear();
    }
  });

  it('reports rejected credentials (exit 6) and an unreachable server (exit 4) as results', async () => {
    sim.faults.set({ unauthorized: true });
    try {
      const { code, result } = await testJson();
      expect(code).toBe(6);
      expect(result).toMatchObject({
        reachable: false,
        permissions: {},
        error: { code: 'UNAUTHORIZED', hint: expect.stringMatching(/fresh kubeconfig/) },
      });
    } finally {
      sim.faults.clear();
    }
    const yaml = (await readFile(sim.kubeconfigPath, 'utf8')).replace(
      /server: https:\/\/[^\s]+/,
      'server: https://127.0.0.1:9',
    );
    const conn = await loadKubeconfig({ yaml });
    const down = await testClusterConnection(conn);
    expect(down).toMatchObject({
      reachable: false,
      error: { code: 'UNREACHABLE', hint: expect.stringMatching(/server address/) },
    });
    const file = join(dataDir, '..', `down-${process.pid}.kubeconfig`);
    await writeFile(file, yaml);
    try {
      expect((await run('cluster', 'add', 'down', '--kubeconfig', file)).code).toBe(0);
      const r = await run('cluster', 'test', 'down');
      expect([r.code, r.out]).toEqual([
        4,
        expect.stringMatching(/NOT reachable[\s\S]*cannot reach the API server/),
      ]);
      expect((await run('cluster', 'remove', 'down')).code).toBe(0);
    } finally {
      await rm(file, { force: true });
    }
  });
});

describe('cluster set-kubeconfig', () => {
  // Seed 000's "upload kubeconfig" for a cluster already registered (expired certificates, a
  // rotated token): the credentials are replaced, the cluster and its ledger stay.
  it('replaces the stored kubeconfig of a registered cluster, validated as at registration', async () => {
    const good = await readFile(sim.kubeconfigPath, 'utf8');
    const before = JSON.parse((await run('cluster', 'list', '-o', 'json')).out).clusters;
    const stale = join(dataDir, 'stale.kubeconfig');
    await writeFile(stale, good.replace(/token: \S+/, 'token: not-the-token'));
    const replaced = await run('cluster', 'set-kubeconfig', 'sim', '--kubeconfig', stale);
    expect([replaced.code, replaced.out]).toEqual([
      0,
      expect.stringMatching(/^replaced the kubeconfig of cluster sim/),
    ]);
    expect((await testJson()).code).toBe(6);
    expect((await run('cluster', 'update-kubeconfig', 'sim', '--kubeconfig', sim.kubeconfigPath)).code).toBe(
      0,
    );
    expect((await testJson()).code).toBe(0);
    expect(JSON.parse((await run('cluster', 'list', '-o', 'json')).out).clusters).toEqual(before);

    const exec = join(dataDir, 'exec.kubeconfig');
    await writeFile(
      exec,
      good.replace(/token: \S+/, 'exec: {apiVersion: client.authentication.k8s.io/v1, command: sh}'),
    );
    const refused = await run('cluster', 'set-kubeconfig', 'sim', '--kubeconfig', exec);
    expect([refused.code, refused.err]).toEqual([3, expect.stringMatching(/exec/)]);
    expect((await testJson()).code).toBe(0);
    expect(
      (await run('cluster', 'set-kubeconfig', 'nosuch', '--kubeconfig', sim.kubeconfigPath)).err,
    ).toMatch(/no cluster named nosuch/);
    const again = await run('cluster', 'add', 'sim', '--kubeconfig', sim.kubeconfigPath);
    expect(again.err).toMatch(/kubetally cluster set-kubeconfig sim --kubeconfig FILE/);
  });
});

describe('cluster commands on PostgreSQL', () => {
  it('adds, tests, lists and removes; in-cluster needs no kubeconfig', async () => {
    const db = ['--database', pg.url as string];
    expect((await run('migrate', ...db)).out).toMatch(/^schema version \d+ \(postgres:/);
    expect(
      (await run('cluster', 'add', 'pgsim', '--kubeconfig', sim.kubeconfigPath, '--tenant', 'acme', ...db))
        .code,
    ).toBe(0);
    expect((await run('cluster', 'add', 'inside', '--in-cluster', '--tenant', 'acme', ...db)).code).toBe(0);
    const both = await run('cluster', 'add', 'x', '--in-cluster', '--kubeconfig', sim.kubeconfigPath, ...db);
    expect([both.code, both.err]).toEqual([
      2,
      expect.stringMatching(/either --kubeconfig FILE or --in-cluster/),
    ]);
    const list = JSON.parse((await run('cluster', 'list', '-o', 'json', ...db)).out).clusters;
    expect(
      list.map(
        (c: { tenant: string; name: string; connection: string }) => `${c.tenant}/${c.name}/${c.connection}`,
      ),
    ).toEqual(['acme/inside/in-cluster', 'acme/pgsim/kubeconfig']);
    const t = await run('cluster', 'test', 'pgsim', '--tenant', 'acme', '-o', 'json', ...db);
    expect([t.code, JSON.parse(t.out).reachable]).toEqual([0, true]);
    expect((await run('cluster', 'test', 'pgsim', ...db)).code).toBe(9); // tenant default has none
    // The sealed kubeconfig in PostgreSQL does not hold the token.
    const rows = await pg.db.query<{ row: string; sealed: Buffer | null }>(
      'SELECT c::text AS row, kubeconfig_ciphertext AS sealed FROM clusters c',
    );
    expect(rows.length).toBe(2);
    for (const r of rows) {
      expect(r.row).not.toContain(sim.token);
      if (r.sealed !== null) expect(Buffer.from(r.sealed).includes(Buffer.from(sim.token))).toBe(false);
    }
    expect(rows.filter((r) => r.sealed !== null)).toHaveLength(1);
    expect((await run('cluster', 'remove', 'pgsim', '--tenant', 'acme', ...db)).code).toBe(0);
    expect((await run('cluster', 'remove', 'pgsim', '--tenant', 'acme', ...db)).code).toBe(9);
  });
});
