/** Runs the machine's kubectl (the gcloud dispatcher, /usr/bin/kubectl) against a simulator. */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';

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
      '/usr/bin/kubectl',
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
