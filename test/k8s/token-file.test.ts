/**
 * A kubeconfig of the user's own whose user reads its token from `tokenFile` (kubectl's field,
 * relative to the kubeconfig file): the official client reads only `token-file`, so kubetally
 * sent no token and the cluster answered 401 where kubectl worked.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadKubeconfig } from '../../src/k8s/connection.js';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';
import { kubectl } from '../simulator/kubectl-runner.js';

let sim: TestSimulator;
let dir: string;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
  dir = await mkdtemp(join(tmpdir(), 'kubetally-tokenfile-'));
  await writeFile(join(dir, 'sa-token'), `${sim.token}\n`);
  const doc = parse(sim.kubeconfig) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  doc.users[0].user = { tokenFile: 'sa-token' };
  await writeFile(join(dir, 'config'), stringify(doc));
  doc.users[0].user = { tokenFile: 'nope' };
  await writeFile(join(dir, 'missing'), stringify(doc));
  // $KUBECONFIG of two files: the clusters and contexts in one, the user in the other.
  const { users, ...rest } = parse(sim.kubeconfig) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  await writeFile(join(dir, 'a'), stringify(rest));
  await writeFile(
    join(dir, 'b'),
    stringify({ users: [{ name: users[0].name, user: { tokenFile: 'sa-token' } }] }),
  );
});
afterAll(async () => {
  await sim?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('tokenFile in a kubeconfig of your own', () => {
  it('is read relative to the kubeconfig file, as kubectl reads it', async () => {
    const k = await kubectl({ dir: sim.dir, kubeconfigPath: join(dir, 'config') }, [
      'get',
      '--raw',
      '/version',
    ]);
    expect(JSON.parse(k.stdout).minor, k.stderr).toBe('32');
    const conn = await loadKubeconfig({ file: join(dir, 'config') });
    expect((await conn.request<{ minor: string }>('/version')).body.minor).toBe('32');
  });

  it('is read from the file of $KUBECONFIG that defines the user', async () => {
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = `${join(dir, 'a')}:${join(dir, 'b')}`;
    try {
      const conn = await loadKubeconfig();
      expect((await conn.request<{ minor: string }>('/version')).body.minor).toBe('32');
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  });

  it('names a token file that cannot be read', async () => {
    await expect(loadKubeconfig({ file: join(dir, 'missing') })).rejects.toMatchObject({
      code: 'INVALID_KUBECONFIG',
      message: `cannot read the token file of user "kubetally-simulator-user" (${join(dir, 'nope')}): no such file (ENOENT)`,
      hint: 'check the path in users[].user.tokenFile (relative paths start at the kubeconfig file; for kubeconfig text, at the current directory)',
    });
  });

  it('is read for kubeconfig text of your own too (it was ignored: 401)', async () => {
    const doc = parse(sim.kubeconfig) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    doc.users[0].user = { tokenFile: join(dir, 'sa-token') };
    const conn = await loadKubeconfig({ yaml: stringify(doc), trust: 'own' });
    expect((await conn.request<{ minor: string }>('/version')).body.minor).toBe('32');
    // Relative to the current directory, as there is no file.
    doc.users[0].user = { tokenFile: 'no-such-token-file' };
    await expect(loadKubeconfig({ yaml: stringify(doc), trust: 'own' })).rejects.toMatchObject({
      code: 'INVALID_KUBECONFIG',
      message: `cannot read the token file of user "kubetally-simulator-user" (${join(process.cwd(), 'no-such-token-file')}): no such file (ENOENT)`,
    });
    // Uploaded text may not name it at all.
    await expect(loadKubeconfig({ yaml: stringify(doc) })).rejects.toMatchObject({
      code: 'INVALID_KUBECONFIG',
      message: expect.stringMatching(/tokenFile is not allowed in an uploaded kubeconfig/),
    });
  });
});
