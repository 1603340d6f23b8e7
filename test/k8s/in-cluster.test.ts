/**
 * In-cluster, against the simulator: the service account directory is mounted where a pod has
 * it (/var/run/secrets/kubernetes.io/serviceaccount) in a mount namespace of the command's own,
 * so nothing of the machine changes. A token file ending in a line break (client-go trims it)
 * failed every request as "its token has a character an HTTP header cannot carry", and a 401
 * blamed a "credential plugin (auth-provider: tokenFile)" to sign in with again. Runs where
 * `unshare` may make mount namespaces (root); skipped, saying so, elsewhere.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';

const MOUNT = [
  'mount -t tmpfs tmpfs /run',
  'mkdir -p /var/run/secrets/kubernetes.io/serviceaccount',
  'mount --bind "$SA" /var/run/secrets/kubernetes.io/serviceaccount',
  'exec node bin/kubetally.js top',
].join(' && ');
const canUnshare =
  spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs tmpfs /run']).status ===
  0;
if (!canUnshare) console.warn('unshare -m is not allowed here: the in-cluster tests are skipped');

let sim: TestSimulator;
let sa: string;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
  sa = await mkdtemp(join(tmpdir(), 'kubetally-sa-'));
  await writeFile(join(sa, 'ca.crt'), sim.caPem ?? '');
  await writeFile(join(sa, 'namespace'), 'kubetally');
});
afterAll(async () => {
  await sim?.stop();
  await rm(sa, { recursive: true, force: true });
});

function topInPod(): Promise<{ code: number; stdout: string; stderr: string }> {
  const url = new URL(sim.url);
  const env = {
    ...process.env,
    SA: sa,
    KUBECONFIG: '',
    HOME: sa,
    KUBERNETES_SERVICE_HOST: url.hostname,
    KUBERNETES_SERVICE_PORT: url.port,
  };
  return new Promise((resolve) => {
    execFile(
      'unshare',
      ['-m', '--propagation', 'private', 'sh', '-c', MOUNT],
      { env },
      (err, stdout, stderr) => {
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
      },
    );
  });
}

describe.runIf(canUnshare)('kubetally top in a pod (in-cluster)', () => {
  it('reads a token file that ends in a line break, as client-go does', async () => {
    await writeFile(join(sa, 'token'), `${sim.token}\n`);
    const r = await topInPod();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OWNER +PODS/);
  });

  it('says that the service account token was refused, not a credential plugin', async () => {
    await writeFile(join(sa, 'token'), 'not-the-token');
    expect(await topInPod()).toEqual({
      code: 6,
      stdout: '',
      stderr: [
        "error: the cluster rejected the pod's service account token (/var/run/secrets/kubernetes.io/serviceaccount/token) (401 Unauthorized)",
        'hint: check that the pod runs as an existing service account with a mounted token (automountServiceAccountToken), and that kubetally runs in the cluster it collects',
        '',
      ].join('\n'),
    });
  });
});
