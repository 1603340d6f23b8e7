/**
 * A watch the cluster answers with 401 says why as a list does: an expired token with the time it
 * expired, a user without credentials, a credential plugin's refused token. It only said "invalid
 * or expired: get a fresh kubeconfig".
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadKubeconfig } from '../../src/k8s/connection.js';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sim: TestSimulator;
let dir: string;
beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
  dir = await mkdtemp(join(tmpdir(), 'kubetally-watch-refusals-'));
});
afterAll(async () => {
  await sim?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const expiredJwt = `${b64url({ alg: 'RS256' })}.${b64url({ sub: 'system:serviceaccount:x:y', exp: Date.parse('2025-03-01T12:00:00Z') / 1000 })}.c2ln`;

/** What a list and a watch of pods are refused with, by the simulator's kubeconfig with this user. */
async function refusals(user: Record<string, unknown>) {
  const doc = parse(sim.kubeconfig) as Doc;
  doc.users[0].user = user;
  // A file of the user's own: it may run a credential plugin.
  const file = join(dir, 'kubeconfig');
  await writeFile(file, stringify(doc));
  const conn = await loadKubeconfig({ file });
  const list = await conn.request('/api/v1/pods').catch((e: unknown) => e);
  const watch = await conn
    .stream('/api/v1/pods?watch=1&resourceVersion=0', () => undefined, new AbortController().signal)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  const shown = (e: unknown) => {
    const { code, message, hint } = e as { code: string; message: string; hint: string };
    return { code, message, hint };
  };
  return { list: shown(list), watch: shown(watch) };
}

describe('a watch refused with 401', () => {
  it('names an expired token and when it expired, as a list does', async () => {
    const { list, watch } = await refusals({ token: expiredJwt });
    expect(watch).toEqual({
      code: 'UNAUTHORIZED',
      message:
        'the cluster rejected the credentials (401 Unauthorized): the token in the kubeconfig expired at 2025-03-01T12:00:00Z',
      hint: 'get a fresh token (for a service account: kubectl -n NAMESPACE create token NAME --duration=8760h) and put it in the kubeconfig',
    });
    expect(watch).toEqual(list);
  });

  it('says that the user has no credentials, as a list does', async () => {
    const { list, watch } = await refusals({});
    expect(watch).toEqual({
      code: 'UNAUTHORIZED',
      message: `the cluster rejected a request without credentials (401 Unauthorized): user "${(parse(sim.kubeconfig) as Doc).users[0].name}" of the kubeconfig has no token, client certificate or credential plugin`,
      hint: 'add a token (e.g. a ServiceAccount token) or a client certificate and key to that user, as kubectl config view --minify --flatten writes them',
    });
    expect(watch).toEqual(list);
  });

  it('says to sign in again with the credential plugin whose token was refused, as a list does', async () => {
    const plugin = join(dir, 'stale-login');
    await writeFile(
      plugin,
      `#!/bin/sh\nprintf '%s' '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"stale"}}'\n`,
    );
    await chmod(plugin, 0o755);
    const { list, watch } = await refusals({
      exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' },
    });
    expect(watch).toEqual({
      code: 'UNAUTHORIZED',
      message: `the cluster rejected the credentials of the kubeconfig's credential plugin (exec: ${plugin}) (401 Unauthorized)`,
      hint: `sign in again with ${plugin} (kubectl uses it too with this kubeconfig), and check that it signs in to this cluster`,
    });
    expect(watch).toEqual(list);
  });
});
