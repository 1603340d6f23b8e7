/**
 * The package as users get it: the built library imported by its name (self-import), and the
 * built `kubetally` and `kubectl-tally` bins. Needs `npm run build` first (`npm test` does it).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { promisify } from 'node:util';
import { hasKubectl, KUBECTL, startTestSimulator } from './simulator/support.js';

const run = promisify(execFile);

describe('the built package', () => {
  it('can be imported as "kubetally" with the SPEC §3 library API', async () => {
    const script = `import('kubetally').then((k) => console.log(JSON.stringify({
      q: String(k.parseQuantity('100m')),
      fns: ['loadKubeconfig','getNodesMetrics','getPodsMetrics','getPodsMetricsInAllNamespaces','getUserMetrics','getProjectMetrics'].map((n) => typeof k[n]),
    })))`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: process.cwd(),
    });
    expect(JSON.parse(stdout)).toEqual({ q: '0.1', fns: Array(6).fill('function') });
  });

  it.skipIf(!hasKubectl)('runs as the kubectl plugin: kubectl tally top', async () => {
    const sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
    try {
      sim.clock.advance(3_600_000);
      const env = {
        ...process.env,
        PATH: `${process.cwd()}/test/support/bin:${process.env.PATH}`,
        HOME: sim.dir,
      };
      const { stdout } = await run(
        KUBECTL,
        ['tally', 'top', '--kubeconfig', sim.kubeconfigPath, '--by', 'owner'],
        { env },
      );
      expect(stdout.split('\n')[0]).toMatch(/^OWNER\s+PODS\s+CPU\(cores\)/);
      expect(stdout).toContain('alice');
    } finally {
      await sim.stop();
    }
  });

  it('authenticates with an exec credential plugin through the bundled official client', async () => {
    const sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
    try {
      sim.clock.advance(3_600_000);
      // The user's own kubeconfig, its token from an exec plugin (as EKS and GKE configure).
      const credential = JSON.stringify({
        apiVersion: 'client.authentication.k8s.io/v1',
        kind: 'ExecCredential',
        status: { token: sim.token },
      });
      const own = (await readFile(sim.kubeconfigPath, 'utf8')).replace(
        /token: \S+/,
        `exec: {apiVersion: client.authentication.k8s.io/v1, command: sh, args: ["-c", ${JSON.stringify(`echo '${credential}'`)}], interactiveMode: Never}`,
      );
      const script = `import('kubetally').then(async (k) => {
        const conn = await k.loadKubeconfig({ yaml: process.env.KC, trust: 'own' });
        const nodes = await k.getNodesMetrics(conn);
        console.log(JSON.stringify({ kind: nodes.kind, nodes: nodes.items.length }));
      })`;
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
        cwd: process.cwd(),
        env: { ...process.env, KC: own, NODE_TLS_REJECT_UNAUTHORIZED: undefined },
      });
      expect(own).not.toMatch(/^\s*token:/m);
      expect(JSON.parse(stdout)).toMatchObject({ kind: 'NodeMetricsList' });
      expect(JSON.parse(stdout).nodes).toBeGreaterThan(0);
    } finally {
      await sim.stop();
    }
  });
});
