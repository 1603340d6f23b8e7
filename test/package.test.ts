/**
 * The package as users get it: the built library imported by its name (self-import), and the
 * built `kubetally` and `kubectl-tally` bins. Needs `npm run build` first (`npm test` does it).
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { promisify } from 'node:util';
import { startTestSimulator } from './simulator/support.js';

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

  it('runs as the kubectl plugin: kubectl tally top', async () => {
    const sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
    try {
      sim.clock.advance(3_600_000);
      const env = {
        ...process.env,
        PATH: `${process.cwd()}/test/support/bin:${process.env.PATH}`,
        HOME: sim.dir,
      };
      const { stdout } = await run(
        '/usr/bin/kubectl',
        ['tally', 'top', '--kubeconfig', sim.kubeconfigPath, '--by', 'owner'],
        { env },
      );
      expect(stdout.split('\n')[0]).toMatch(/^OWNER\s+PODS\s+CPU\(cores\)/);
      expect(stdout).toContain('alice');
    } finally {
      await sim.stop();
    }
  });
});
