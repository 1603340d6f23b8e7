/**
 * A kubeconfig of the user's own (`kubetally top`, `loadKubeconfig({ file })`) with credentials
 * that kubectl refuses up front and Node takes without a word: CA data that holds no certificate,
 * a client certificate without its key (or a key without its certificate). The request failed as
 * "TLS verification failed: the kubeconfig needs the cluster CA" (it had one) or as "401: the
 * token or client certificate is invalid or expired" (the key was missing, or the user had no
 * credentials at all); uploads were already refused with the field named.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadKubeconfig } from '../../src/k8s/connection.js';
import { getNodesMetrics } from '../../src/k8s/metrics-api.js';
import { generateTls } from '../../src/simulator/server/tls.js';
import { runCli } from '../support/cli.js';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sim: TestSimulator;
let dir: string;
const client = generateTls(new Date());
const b64 = (pem: string) => Buffer.from(pem).toString('base64');

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
  dir = await mkdtemp(join(tmpdir(), 'kubetally-own-credentials-'));
});
afterAll(async () => {
  await sim?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The simulator's kubeconfig, edited, written as a file of the user's own. */
async function kubeconfigFile(name: string, edit: (doc: Doc) => void): Promise<string> {
  const doc = parse(sim.kubeconfig) as Doc;
  edit(doc);
  const file = join(dir, `${name}.kubeconfig`);
  await writeFile(file, stringify(doc));
  return file;
}

const CA_ERROR = [
  'error: the kubeconfig cannot be used: its certificate-authority-data is not a PEM certificate',
  "hint: give the cluster's CA certificate, base64-encoded, as kubectl config view --minify --flatten writes it",
  '',
].join('\n');
const halfPair = (has: string, lacks: string) =>
  [
    `error: the kubeconfig cannot be used: its user has a client ${has} but no client ${lacks} (client-certificate-data and client-key-data, or the files, go together)`,
    'hint: give both, each base64-encoded, as kubectl config view --minify --flatten writes them',
    '',
  ].join('\n');

describe("credentials of the user's own kubeconfig that cannot work", () => {
  it('CA data that is no certificate: named, exit 3 (not a TLS failure asking for the CA)', async () => {
    const file = await kubeconfigFile('bad-ca', (d) => {
      d.clusters[0].cluster['certificate-authority-data'] = b64('not a certificate');
    });
    expect(await runCli({}, 'top', '--kubeconfig', file)).toEqual({ code: 3, out: '', err: CA_ERROR });
    const conn = await loadKubeconfig({ file });
    await expect(getNodesMetrics(conn)).rejects.toMatchObject({
      code: 'INVALID_KUBECONFIG',
      message: 'the kubeconfig cannot be used: its certificate-authority-data is not a PEM certificate',
    });
  });

  it('a client certificate without its key, or a key without its certificate: named, exit 3 (not 401)', async () => {
    const certOnly = await kubeconfigFile('cert-only', (d) => {
      d.users[0].user = { 'client-certificate-data': b64(client.certPem) };
    });
    expect(await runCli({}, 'top', '--kubeconfig', certOnly)).toEqual({
      code: 3,
      out: '',
      err: halfPair('certificate', 'key'),
    });
    const keyOnly = await kubeconfigFile('key-only', (d) => {
      d.users[0].user = { 'client-key-data': b64(client.keyPem) };
    });
    const conn = await loadKubeconfig({ file: keyOnly });
    await expect(getNodesMetrics(conn)).rejects.toMatchObject({
      code: 'INVALID_KUBECONFIG',
      message: expect.stringContaining('has a client key but no client certificate'),
    });
  });

  it('a client key file that does not belong to the certificate file: the files named, and why (exit 3)', async () => {
    // It named client-certificate-data and client-key-data, which the file does not have.
    await writeFile(join(dir, 'client.crt'), client.certPem);
    await writeFile(join(dir, 'other.key'), generateTls(new Date()).keyPem);
    const file = await kubeconfigFile('mismatch', (d) => {
      d.users[0].user = { 'client-certificate': 'client.crt', 'client-key': 'other.key' };
    });
    expect(await runCli({}, 'top', '--kubeconfig', file)).toEqual({
      code: 3,
      out: '',
      err: [
        'error: the kubeconfig cannot be used: its client certificate or key (client-certificate, client-key): the key does not belong to the certificate',
        'hint: give the PEM certificate file and the private key file that belongs to it',
        '',
      ].join('\n'),
    });
  });

  it('a user with no credentials at all: the 401 says to add some, not that they expired', async () => {
    const file = await kubeconfigFile('no-credentials', (d) => {
      d.users[0].user = {};
    });
    expect(await runCli({}, 'top', '--kubeconfig', file)).toEqual({
      code: 6,
      out: '',
      err: [
        `error: the cluster rejected a request without credentials (401 Unauthorized): user "${(parse(sim.kubeconfig) as Doc).users[0].name}" of the kubeconfig has no token, client certificate or credential plugin`,
        'hint: add a token (e.g. a ServiceAccount token) or a client certificate and key to that user, as kubectl config view --minify --flatten writes them',
        '',
      ].join('\n'),
    });
  });

  it("a token from the user's credential plugin that is refused: sign in again with it (exit 6)", async () => {
    // It said to get a fresh kubeconfig, which holds no credential to renew.
    const plugin = join(dir, 'stale-login');
    await writeFile(
      plugin,
      `#!/bin/sh\nprintf '%s' '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"stale"}}'\n`,
    );
    await chmod(plugin, 0o755);
    const file = await kubeconfigFile('stale-plugin', (d) => {
      d.users[0].user = {
        exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' },
      };
    });
    expect(await runCli({}, 'top', '--kubeconfig', file)).toEqual({
      code: 6,
      out: '',
      err: [
        `error: the cluster rejected the credentials of the kubeconfig's credential plugin (exec: ${plugin}) (401 Unauthorized)`,
        `hint: sign in again with ${plugin} (kubectl uses it too with this kubeconfig), and check that it signs in to this cluster`,
        '',
      ].join('\n'),
    });
  });

  it('a user with a whole certificate pair the server does not accept is still a 401 (exit 6)', async () => {
    const file = await kubeconfigFile('unknown-cert', (d) => {
      d.users[0].user = {
        'client-certificate-data': b64(client.certPem),
        'client-key-data': b64(client.keyPem),
      };
    });
    const r = await runCli({}, 'top', '--kubeconfig', file);
    expect([r.code, r.err]).toEqual([
      6,
      expect.stringMatching(/^error: the cluster rejected the credentials/),
    ]);
  });
});
