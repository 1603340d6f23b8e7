/**
 * `kubetally collect` when a source fails: besides the table's SOURCES column, stderr says what
 * failed and how to fix it, with the hints `top` and `cluster test` give (a fresh kubeconfig for
 * 401, the RBAC rule for 403), and the exit status is the first failure's, as every command exits
 * for its code (docs/cli.md). A cluster that did not answer has no known time: the table does not
 * show this machine's clock as the cluster's.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';
import { cliDataDir, type CliDataDir } from '../support/cli.js';

let sim: TestSimulator;
let cli: CliDataDir;
const run = (...args: string[]) => cli.run(...args);

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
  cli = await cliDataDir('kubetally-collect-');
  expect((await run('cluster', 'add', 'sim', '--kubeconfig', sim.kubeconfigPath)).code).toBe(0);
  // The same credentials, pointed at a port where nothing listens.
  const down = join(cli.dir, 'down.kubeconfig');
  const yaml = await readFile(sim.kubeconfigPath, 'utf8');
  await writeFile(down, yaml.replace(/server: https:\/\/[^\s]+/, 'server: https://127.0.0.1:9'));
  expect((await run('cluster', 'add', 'down', '--kubeconfig', down)).code).toBe(0);
}, 60_000);

afterAll(async () => {
  await sim?.stop();
  await cli?.remove();
});

describe('collect with failing sources', () => {
  it('prints error and hint on stderr for rejected credentials (401), exit 6', async () => {
    sim.faults.set({ unauthorized: true });
    try {
      const r = await run('collect', '--cluster', 'sim');
      expect(r.code).toBe(6);
      expect(r.out).toMatch(/inventory FAILED/);
      expect(r.err).toMatch(/^error: cluster sim: inventory: .+\nhint: .*fresh kubeconfig/m);
    } finally {
      sim.faults.clear();
    }
  });

  it('prints the RBAC rule for a refused list (403, exit 7), and warns of a refused optional one', async () => {
    sim.faults.set({ forbidden: ['pods', 'persistentvolumeclaims'] });
    try {
      const r = await run('collect', '--cluster', 'sim');
      expect(r.code).toBe(7);
      expect(r.err).toMatch(
        /^error: cluster sim: inventory: .*403.*\nhint: .*"pods"[\s\S]*kind: ClusterRole/m,
      );
    } finally {
      sim.faults.clear();
    }
    sim.faults.set({ forbidden: ['persistentvolumeclaims'] });
    try {
      const r = await run('collect', '--cluster', 'sim');
      expect(r.code).toBe(0);
      expect(r.err).toMatch(/^warning: cluster sim: inventory: persistentvolumeclaims refused/m);
      expect(r.err).not.toMatch(/^error:/m);
    } finally {
      sim.faults.clear();
    }
  });

  it.each([
    ['missing', 'not installed on this cluster (404)'],
    ['unavailable', 'not available on this cluster (503)'],
  ] as const)(
    'says the metrics API is %s and how to install it, exit 8 as cluster test',
    async (fault, why) => {
      sim.faults.set({ metricsApi: fault });
      try {
        const r = await run('collect', '--cluster', 'sim');
        expect(r.code).toBe(8);
        expect(r.err).toBe(
          `error: cluster sim: metrics: the metrics API (metrics.k8s.io) is ${why}\n` +
            'hint: install metrics-server (kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml) and check kubectl get apiservice v1beta1.metrics.k8s.io\n',
        );
        const json = await run('collect', '--cluster', 'sim', '-o', 'json');
        expect(json.code).toBe(8);
        expect(JSON.parse(json.out).sources[1]).toMatchObject({
          source: 'metrics',
          ok: false,
          code: 'METRICS_API_UNAVAILABLE',
        });
      } finally {
        sim.faults.clear();
      }
    },
  );

  it('says an API server answered 500 (not that it is unreachable), exit 12 as documented', async () => {
    sim.faults.set({ errorRate: 1 });
    try {
      const r = await run('collect', '--cluster', 'sim');
      expect([r.code, r.err]).toEqual([
        12,
        'error: cluster sim: inventory: the API server failed (500) on /api/v1/pods: Internal error occurred: simulated fault: etcdserver: request timed out\n' +
          'hint: this is usually temporary; try again, and check the API server if it persists\n',
      ]);
    } finally {
      sim.faults.clear();
    }
  });

  it("exits with the first failing cluster's status when collecting several", async () => {
    sim.faults.set({ metricsApi: 'missing' });
    try {
      // `down` is unreachable (4) and listed first (by name), `sim` lacks the metrics API (8).
      const r = await run('collect');
      expect(r.code).toBe(4);
      expect(r.err).toMatch(/^error: cluster down: inventory: [\s\S]*^error: cluster sim: metrics: /m);
    } finally {
      sim.faults.clear();
    }
  });

  it("shows a cluster that did not answer with an unknown time, not this machine's", async () => {
    const r = await run('collect', '--cluster', 'down');
    expect(r.code).toBe(4);
    const row = r.out.split('\n').find((l) => /^default\s+down\s/.test(l));
    expect(row).toMatch(/^default\s+down\s+unknown \(no reply\)\s+inventory FAILED/);
    expect(r.err).toMatch(/^error: cluster down: inventory: .*\nhint: .*server address/m);
    const json = JSON.parse((await run('collect', '--cluster', 'down', '-o', 'json')).out);
    expect(json.clusterTimeEstimated).toBe(true);
    const ok = JSON.parse((await run('collect', '--cluster', 'sim', '-o', 'json')).out);
    expect(ok.clusterTimeEstimated).toBeUndefined();
  });

  it("stores nothing while the cluster's clock is behind its newest sample, and says so (exit 1)", async () => {
    const newest = JSON.parse((await run('collect', '--cluster', 'sim', '-o', 'json')).out);
    sim.clock.advance(-5 * 60_000);
    try {
      const r = await run('collect', '--cluster', 'sim', '-o', 'json');
      expect(r.code).toBe(1);
      const behind = JSON.parse(r.out);
      expect(behind.clockBehind).toBe(newest.clusterTime);
      expect(behind.observations).toBe(0);
      expect(Date.parse(behind.clusterTime)).toBe(Date.parse(newest.clusterTime) - 5 * 60_000);
      expect(r.err).toContain(
        `error: cluster sim: its time (${behind.clusterTime}) is before the newest sample stored (${newest.clusterTime}): its clock went back, and nothing was stored\n`,
      );
      const table = await run('collect', '--cluster', 'sim');
      expect(table.out).toMatch(/^default\s+sim\s+\S+\s+not stored: clock behind the newest sample/m);
    } finally {
      sim.clock.advance(5 * 60_000);
    }
    const again = await run('collect', '--cluster', 'sim', '-o', 'json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out).observations).toBeGreaterThan(0);
  });

  it('does not take a failure stored at its own estimate of the cluster time for a clock gone back', async () => {
    // Connections reset: no Date from the cluster, the failure is stored at this machine's
    // estimate, which runs ahead of a manual clock that does not move.
    sim.faults.set({ resetRate: 1 });
    try {
      const failed = JSON.parse((await run('collect', '--cluster', 'sim', '-o', 'json')).out);
      expect(failed.clusterTimeEstimated).toBe(true);
    } finally {
      sim.faults.clear();
    }
    const r = await run('collect', '--cluster', 'sim', '-o', 'json');
    expect(r.code, r.err).toBe(0);
    const ok = JSON.parse(r.out);
    expect(ok.clockBehind).toBeUndefined();
    expect(ok.observations).toBeGreaterThan(0);
  });
});
