/**
 * The package as users get it: the built library imported by its name (self-import), and the
 * built `kubetally` and `kubectl-tally` bins. Needs `npm run build` first (`npm test` does it).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('has types that compile in a strict TypeScript project that checks its libraries', async () => {
    // A new project's `tsc --strict` (skipLibCheck off) compiles every declaration the package
    // reaches: Connection exposed the official client's KubeConfig, whose declarations need
    // @types/ws, which nothing installs ("Could not find a declaration file for module 'ws'").
    // The consumer's node_modules/kubetally is this package, as npm install links a local one.
    const dir = await mkdtemp(join(tmpdir(), 'kubetally-consumer-'));
    try {
      await mkdir(join(dir, 'node_modules'));
      await symlink(process.cwd(), join(dir, 'node_modules', 'kubetally'), 'dir');
      await writeFile(
        join(dir, 'consumer.ts'),
        `import { getPodsMetricsInAllNamespaces, getUserMetrics, loadKubeconfig, parseQuantity,
  KubetallyError, type ErrorCode, type NamespaceMetrics, type UserMetrics } from 'kubetally';
export async function use(): Promise<[UserMetrics, string, ErrorCode | undefined]> {
  const conn = await loadKubeconfig({ file: 'kubeconfig' });
  const all: Record<string, NamespaceMetrics> = await getPodsMetricsInAllNamespaces(conn, ['a']);
  const first = all['a'];
  const code = first?.kind === 'Error' ? first.code : undefined;
  const err = new KubetallyError('INVALID_ARGUMENT', 'x');
  return [await getUserMetrics(conn, 'alice'), String(parseQuantity('1.5Gi').value()) + err.code, code];
}
`,
      );
      const tsc = join(process.cwd(), 'node_modules', 'typescript', 'bin', 'tsc');
      const args = ['--noEmit', '--strict', '--module', 'nodenext', '--target', 'es2022'];
      const result = await run(process.execPath, [tsc, ...args, join(dir, 'consumer.ts')]).catch(
        (e: { stdout: string }) => ({ stdout: e.stdout }),
      );
      expect(result.stdout).toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("runs seed 002's complete example (examples/metrics-example.mjs) against a cluster", async () => {
    const sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
    try {
      sim.clock.advance(3_600_000);
      const env = { ...process.env, KUBECONFIG: sim.kubeconfigPath };
      const example = ['examples/metrics-example.mjs', 'fraud-alice', 'recsys-dave'];
      const { stdout } = await run(process.execPath, example, { env });
      expect(stdout).toMatch(/^Nodes:\n {2}Node cpu-1: CPU=\d+n, Memory=\d+\w*$/m);
      expect(stdout).toMatch(/^Namespace fraud-alice: 1 pods, CPU [\d.]+ cores, Memory [\d.]+ GiB$/m);
      expect(stdout).toMatch(/^ {2}compute-type=notebook: 1 pods/m);
      expect(stdout).toMatch(/^recsys-dave: \d+ pods, \d+ containers$/m);
      sim.faults.set({ metricsApi: 'missing' });
      const failed = await run(process.execPath, example, { env }).catch(
        (e: { code: number; stderr: string }) => e,
      );
      expect(failed).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/^METRICS_API_UNAVAILABLE: .*metrics-server/s),
      });
    } finally {
      await sim.stop();
    }
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
