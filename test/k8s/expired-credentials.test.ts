/**
 * A 401 caused by an expired credential says which one expired and when (the token's `exp`, the
 * client certificate's notAfter): it only said "invalid or expired". Credentials read from files
 * (a kubeconfig of one's own naming `client-certificate` or `tokenFile`, the in-cluster token)
 * were not judged at all: only the inline `-data` and `token` fields were.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { isKubetallyError } from '../../src/domain/errors.js';
import { loadKubeconfig } from '../../src/k8s/connection.js';
import { generateTls } from '../../src/simulator/server/tls.js';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
});
afterAll(() => sim?.stop());

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (exp: number) =>
  `${b64url({ alg: 'RS256' })}.${b64url({ sub: 'system:serviceaccount:x:y', exp })}.c2ln`;

async function unauthorized(user: Record<string, unknown>) {
  const doc = parse(sim.kubeconfig) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  doc.users[0].user = user;
  const conn = await loadKubeconfig({ yaml: stringify(doc) });
  const err = await conn.request('/version').catch((e: unknown) => e);
  expect(isKubetallyError(err, 'UNAUTHORIZED'), String(err)).toBe(true);
  return err as Error & { hint?: string };
}

describe('a 401 from an expired credential', () => {
  it('names an expired service account token (a JWT) and when it expired', async () => {
    const err = await unauthorized({ token: jwt(Date.parse('2025-03-01T12:00:00Z') / 1000) });
    expect(err.message).toBe(
      'the cluster rejected the credentials (401 Unauthorized): the token in the kubeconfig expired at 2025-03-01T12:00:00Z',
    );
    expect(err.hint).toBe(
      'get a fresh token (for a service account: kubectl -n NAMESPACE create token NAME --duration=8760h) and put it in the kubeconfig',
    );
  });

  it('names an expired client certificate and when it expired', async () => {
    const old = generateTls(new Date(Date.now() - 2 * 365 * 86_400_000));
    const notAfter = new Date(Date.now() - 365 * 86_400_000);
    const err = await unauthorized({
      'client-certificate-data': Buffer.from(old.certPem).toString('base64'),
      'client-key-data': Buffer.from(old.keyPem).toString('base64'),
    });
    expect(err.message).toMatch(
      /^the cluster rejected the credentials \(401 Unauthorized\): the client certificate in the kubeconfig expired at (\S+)$/,
    );
    const at = Date.parse(/expired at (\S+)$/.exec(err.message)![1]!);
    expect(Math.abs(at - notAfter.getTime())).toBeLessThan(120_000);
    expect(err.hint).toBe('get a fresh client certificate (or a token) for the kubeconfig');
  });

  it('names them when they are read from files of a kubeconfig of your own', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubetally-expired-files-'));
    try {
      const old = generateTls(new Date(Date.now() - 2 * 365 * 86_400_000));
      await writeFile(join(dir, 'client.crt'), old.certPem);
      await writeFile(join(dir, 'client.key'), old.keyPem);
      await writeFile(join(dir, 'token'), jwt(Date.parse('2025-03-01T12:00:00Z') / 1000));
      const doc = parse(sim.kubeconfig) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const refusal = async (user: Record<string, unknown>) => {
        doc.users[0].user = user;
        await writeFile(join(dir, 'config'), stringify(doc));
        const conn = await loadKubeconfig({ file: join(dir, 'config') });
        return String(await conn.request('/version').catch((e: unknown) => e));
      };
      expect(await refusal({ 'client-certificate': 'client.crt', 'client-key': 'client.key' })).toMatch(
        /: the client certificate in the kubeconfig expired at \S+$/,
      );
      expect(await refusal({ tokenFile: 'token' })).toMatch(
        /: the token in the kubeconfig expired at 2025-03-01T12:00:00Z$/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says what it said before for a token that has not expired', async () => {
    const err = await unauthorized({ token: jwt(Date.now() / 1000 + 3600) });
    expect(err.message).toBe('the cluster rejected the credentials (401 Unauthorized)');
    expect(err.hint).toBe(
      'the token or client certificate in the kubeconfig is invalid or expired; get a fresh kubeconfig',
    );
  });
});
