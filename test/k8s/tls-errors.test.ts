/**
 * TLS failures name what is wrong: a certificate for another name, an expired certificate, a CA
 * that is not the cluster's, each with its own fix (it said "needs the cluster CA" for all).
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { isKubetallyError } from '../../src/domain/errors.js';
import { loadKubeconfig } from '../../src/k8s/connection.js';
import { generateTls } from '../../src/simulator/server/tls.js';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sim: TestSimulator;
let expired: Server;
let expiredUrl: string;
const TWO_YEARS_MS = 2 * 365 * 86_400_000;
const expiredTls = generateTls(new Date(Date.now() - TWO_YEARS_MS));

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
  expired = createServer({ cert: expiredTls.certPem, key: expiredTls.keyPem }, (_, res) => res.end('{}'));
  await new Promise<void>((resolve) => expired.listen(0, '127.0.0.1', resolve));
  expiredUrl = `https://127.0.0.1:${(expired.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sim?.stop();
  await new Promise((resolve) => expired?.close(resolve));
});

async function failure(edit: (cluster: Doc) => void) {
  const doc = parse(sim.kubeconfig) as Doc;
  edit(doc.clusters[0].cluster);
  const conn = await loadKubeconfig({ yaml: stringify(doc) });
  const err = await conn.request('/version', { retries: 0 }).catch((e: unknown) => e);
  expect(isKubetallyError(err, 'UNREACHABLE'), String(err)).toBe(true);
  return { message: (err as Error).message, hint: (err as { hint?: string }).hint };
}

describe('TLS failures', () => {
  it('a certificate that does not name the server: says so, and how to match it', async () => {
    const f = await failure((c) => (c['tls-server-name'] = 'api.other.example'));
    expect(f.message).toBe(
      `TLS verification of ${sim.url} failed (ERR_TLS_CERT_ALTNAME_INVALID): the server's certificate is not valid for the name asked for`,
    );
    expect(f.hint).toBe(
      "use a server address (or tls-server-name) that the API server's certificate names, as in the kubeconfig kubectl uses",
    );
  });

  it('an expired certificate: says so, and to renew it or check the clock', async () => {
    const f = await failure((c) => {
      c.server = expiredUrl;
      c['certificate-authority-data'] = Buffer.from(expiredTls.caPem).toString('base64');
    });
    expect(f.message).toBe(
      `TLS verification of ${expiredUrl} failed (CERT_HAS_EXPIRED): the server's certificate has expired`,
    );
    expect(f.hint).toBe("renew the API server's certificate, or check this machine's clock");
  });

  it('a CA that did not sign the certificate: asks for the cluster CA', async () => {
    const f = await failure((c) => {
      c['certificate-authority-data'] = Buffer.from(expiredTls.caPem).toString('base64');
    });
    expect(f.message).toBe(`TLS verification of ${sim.url} failed (CERT_SIGNATURE_FAILURE)`);
    expect(f.hint).toBe('the kubeconfig needs the cluster CA in certificate-authority-data');
  });
});
