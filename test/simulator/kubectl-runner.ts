/** Runs the machine's kubectl (the gcloud dispatcher, /usr/bin/kubectl) against a simulator. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';

/** The machine's kubectl; the suites that run it are skipped, saying so, where it is not installed. */
export const KUBECTL = '/usr/bin/kubectl';
export const hasKubectl = existsSync(KUBECTL);
if (!hasKubectl) console.warn(`${KUBECTL} not found: the tests that run the real kubectl are skipped`);

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the machine's kubectl against the simulator, with a fresh discovery cache each run. */
export async function kubectl(
  sim: { dir: string; kubeconfigPath: string },
  args: string[],
): Promise<KubectlResult> {
  const cacheDir = await mkdtemp(join(sim.dir, 'cache-'));
  return new Promise((resolve) => {
    execFile(
      KUBECTL,
      ['--kubeconfig', sim.kubeconfigPath, '--cache-dir', cacheDir, ...args],
      { maxBuffer: 256 * 1024 * 1024, env: { ...process.env, HOME: sim.dir, KUBECONFIG: '' } },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Splits kubectl's column output into rows of cells. */
export function columns(stdout: string): string[][] {
  return stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.trim().split(/\s{3,}/)); // kubectl's tabwriter pads with at least 3 spaces
}
