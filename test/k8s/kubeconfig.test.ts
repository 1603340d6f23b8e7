import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { validateUploadedKubeconfig } from '../../src/k8s/kubeconfig-validate.js';
import { loadKubeconfig } from '../../src/k8s/connection.js';
import { checkUsable } from '../../src/k8s/request.js';
import { isKubetallyError } from '../../src/domain/errors.js';
import { generateTls } from '../../src/simulator/server/tls.js';

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SECRET_TOKEN = 'tok-3f9a7c1e-never-print-me';
const CA_DATA = Buffer.from(generateTls().caPem).toString('base64');

function base(): Doc {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'prod', cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority-data': CA_DATA } },
      { name: 'staging', cluster: { server: 'https://10.0.0.2:6443', 'insecure-skip-tls-verify': true } },
    ],
    users: [
      { name: 'reader', user: { token: SECRET_TOKEN } },
      { name: 'cert-user', user: { 'client-certificate-data': 'Y2VydA==', 'client-key-data': 'a2V5' } },
    ],
    contexts: [
      { name: 'prod', context: { cluster: 'prod', user: 'reader', namespace: 'ml' } },
      { name: 'staging', context: { cluster: 'staging', user: 'cert-user' } },
    ],
    'current-context': 'prod',
  };
}

function refused(doc: Doc | string, fragment: string, options = {}) {
  const text = typeof doc === 'string' ? doc : stringify(doc);
  try {
    validateUploadedKubeconfig(text, options);
  } catch (err) {
    expect(isKubetallyError(err, 'INVALID_KUBECONFIG')).toBe(true);
    expect((err as Error).message).toContain(fragment);
    expect((err as Error).message).not.toContain(SECRET_TOKEN);
    expect((err as { hint?: string }).hint).toBeTruthy();
    return (err as { hint: string }).hint;
  }
  throw new Error('accepted a kubeconfig that should be refused');
}

describe('uploaded kubeconfig: refused forms', () => {
  it('refuses exec plugins, naming the field and what to use instead', () => {
    const d = base();
    d.users[1].user = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'aws' } };
    expect(refused(d, 'users[1].user.exec')).toContain('token');
  });

  it('refuses auth providers', () => {
    const d = base();
    d.users[0].user = { 'auth-provider': { name: 'oidc', config: {} } };
    refused(d, 'users[0].user.auth-provider');
  });

  it.each(['tokenFile', 'token-file', 'client-certificate', 'client-key'])(
    'refuses the file path field %s',
    (field) => {
      const d = base();
      d.users[0].user = { [field]: '/etc/passwd' };
      refused(d, `users[0].user.${field}`);
    },
  );

  it('refuses a CA file path', () => {
    const d = base();
    d.clusters[0].cluster['certificate-authority'] = '/etc/ssl/ca.pem';
    expect(refused(d, 'clusters[0].cluster.certificate-authority')).toContain('certificate-authority-data');
  });

  it('refuses http servers unless insecure servers are allowed', () => {
    const d = base();
    d.clusters[0].cluster.server = 'http://10.0.0.1:8080';
    refused(d, 'plain http');
    expect(validateUploadedKubeconfig(stringify(d), { allowInsecureHttp: true }).server).toBe(
      'http://10.0.0.1:8080',
    );
  });

  it('refuses CA data beside insecure-skip-tls-verify, as kubectl does', () => {
    const d = base();
    d.clusters[0].cluster['insecure-skip-tls-verify'] = true;
    refused(d, 'both certificate-authority-data and insecure-skip-tls-verify');
    // Either alone is taken (the staging cluster skips verification without CA data).
    d.clusters[0].cluster['insecure-skip-tls-verify'] = false;
    expect(validateUploadedKubeconfig(stringify(d)).cluster).toBe('prod');
  });

  it('refuses a user name or password in the server URL, never repeating it', () => {
    const d = base();
    d.clusters[0].cluster.server = 'https://admin:s3cretpw@10.0.0.1:6443';
    refused(d, 'user name or password in its server URL');
    try {
      validateUploadedKubeconfig(stringify(d));
    } catch (err) {
      expect(JSON.stringify(err) + String(err)).not.toContain('s3cretpw');
    }
  });

  // The official client reads kubeconfigs with js-yaml, which applies `<<` merge keys (as kubectl
  // does); a check that read `<<` as a plain key let the merged fields through unseen.
  const MERGED = (marker: string) => `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:1
    <<: {certificate-authority: /etc/hostname}
users:
- name: u
  user:
    <<: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: /bin/sh, args: [-c, "touch ${marker}"]}}
contexts:
- name: ctx
  context: {cluster: c, user: u}
current-context: ctx
`;

  it('refuses fields brought in by a YAML merge key (<<), as the official client would apply them', () => {
    refused(MERGED('/nonexistent/marker'), 'users[0].user.exec');
    const d = MERGED('/nonexistent/marker').replace(/^ {4}<<: \{exec.*\n/m, '    token: x\n');
    expect(refused(d, 'clusters[0].cluster.certificate-authority')).toContain('certificate-authority-data');
  });

  it('never runs a command hidden behind a merge key in loadKubeconfig', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubetally-merge-'));
    const marker = join(dir, 'ran');
    try {
      await expect(loadKubeconfig({ yaml: MERGED(marker) })).rejects.toMatchObject({
        code: 'INVALID_KUBECONFIG',
        message: expect.stringContaining('users[0].user.exec'),
      });
      await expect(access(marker)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses two sources at once instead of silently using one', async () => {
    await expect(
      loadKubeconfig({ yaml: 'apiVersion: v1', file: '/nonexistent/kubeconfig' }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'loadKubeconfig was given yaml and file: a connection has one source',
      hint: 'pass one of yaml (kubeconfig text), file (a kubeconfig path) or inCluster: true',
    });
    await expect(loadKubeconfig({ file: '/nonexistent/kubeconfig', inCluster: true })).rejects.toMatchObject({
      message: 'loadKubeconfig was given file and inCluster: a connection has one source',
    });
  });

  it('refuses a path instead of options, and options it does not read, rather than the default kubeconfig', async () => {
    // Each of these fell back to $KUBECONFIG or ~/.kube/config: another cluster than the one named.
    const asLoad = loadKubeconfig as (o: unknown) => Promise<unknown>;
    await expect(asLoad('prod.kubeconfig')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'loadKubeconfig takes an object of options, got "prod.kubeconfig"',
      hint: 'name the source: loadKubeconfig({ file: "prod.kubeconfig", context: "prod" }), { yaml: text }, or { inCluster: true }',
    });
    await expect(asLoad({ kubeconfig: 'prod.kubeconfig' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'loadKubeconfig has no option "kubeconfig"',
    });
    await expect(asLoad({ file: 5 })).rejects.toMatchObject({
      message: 'loadKubeconfig option file must be a string, got 5',
    });
  });

  it('refuses a trust other than own or uploaded instead of trusting the text', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubetally-trust-'));
    const marker = join(dir, 'ran');
    const yaml = stringify({
      apiVersion: 'v1',
      clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
      users: [
        {
          name: 'u',
          user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'touch', args: [marker] } },
        },
      ],
      contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'ctx',
    });
    try {
      // 'upload' loaded the text as the caller's own, exec command and all.
      const typo = { yaml, trust: 'upload' } as unknown as Parameters<typeof loadKubeconfig>[0];
      await expect(loadKubeconfig(typo)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: 'loadKubeconfig option trust must be "own" or "uploaded", got "upload"',
      });
      await expect(loadKubeconfig({ yaml, trust: 'uploaded' })).rejects.toMatchObject({
        code: 'INVALID_KUBECONFIG',
      });
      await expect(access(marker)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a YAML alias bomb', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++)
      lines.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(',')}]`,
      );
    refused(lines.join('\n'), 'not valid YAML');
  });

  it('refuses a 10 MB input before parsing it', () => {
    refused(`a: "${'x'.repeat(10 * 1024 * 1024)}"`, 'larger than 256 KiB');
  });

  it('refuses text that is not YAML, or not a mapping', () => {
    refused('clusters: [unclosed', 'not valid YAML');
    refused('- just\n- a list\n', 'not a YAML mapping');
    refused('', 'empty');
  });

  it('refuses a kubeconfig without a current context', () => {
    const d = base();
    delete d['current-context'];
    refused(d, 'no current-context');
  });

  it('refuses a context naming a missing cluster or user', () => {
    const d = base();
    d.contexts[0].context.cluster = 'nowhere';
    refused(d, 'names cluster "nowhere"');
    const e = base();
    e.contexts[0].context.user = 'nobody';
    refused(e, 'names user "nobody"');
    refused(base(), 'no context named "qa"', { context: 'qa' });
  });
});

describe('uploaded kubeconfig: accepted forms', () => {
  it('accepts a token, CA data and several contexts, and picks the current one', () => {
    expect(validateUploadedKubeconfig(stringify(base()))).toEqual({
      contexts: ['prod', 'staging'],
      currentContext: 'prod',
      cluster: 'prod',
      user: 'reader',
      server: 'https://10.0.0.1:6443',
      namespace: 'ml',
    });
  });

  it('accepts client certificate data through another context', () => {
    expect(validateUploadedKubeconfig(stringify(base()), { context: 'staging' })).toMatchObject({
      currentContext: 'staging',
      user: 'cert-user',
    });
  });

  it('hands an accepted kubeconfig to the official client', async () => {
    const conn = await loadKubeconfig({ yaml: stringify(base()), context: 'staging' });
    expect(conn.server).toBe('https://10.0.0.2:6443');
    expect(conn.context).toBe('staging');
  });

  it('refuses an uploaded exec plugin in loadKubeconfig too, but trusts the user’s own', async () => {
    const d = base();
    d.users[0].user = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'true' } };
    await expect(loadKubeconfig({ yaml: stringify(d) })).rejects.toMatchObject({
      code: 'INVALID_KUBECONFIG',
    });
    const own = await loadKubeconfig({ yaml: stringify(d), trust: 'own' });
    expect(own.server).toBe('https://10.0.0.1:6443');
  });
});

describe('a plain-http kubeconfig, allowed', () => {
  it('makes its requests over http as kubectl does (here to a closed port: UNREACHABLE, named)', async () => {
    const yaml = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:9"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;
    const conn = await loadKubeconfig({ yaml, allowInsecureHttp: true });
    const err = await conn.request('/version').catch((e: unknown) => e);
    expect(isKubetallyError(err, 'UNREACHABLE'), String(err)).toBe(true);
    expect((err as Error).message).toMatch(
      /cannot reach the API server at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/,
    );
  });
});

describe("a kubeconfig of the user's own that cannot serve", () => {
  const load = async (text: string | undefined, opts: { context?: string } = {}) => {
    const dir = await mkdtemp(join(tmpdir(), 'kubetally-kc-'));
    try {
      const file = join(dir, 'config');
      if (text !== undefined) await writeFile(file, text);
      return await loadKubeconfig({ file, trust: 'own', ...opts }).catch((e: unknown) => e as Error);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  it('names an empty file or one that is not a kubeconfig', async () => {
    expect(String(await load(''))).toMatch(/(has no contexts: )?it is not a kubeconfig/);
    expect(String(await load('hello\n'))).toMatch(/(has no contexts: )?it is not a kubeconfig/);
  });

  it('names an unknown context with the ones there are, and a context whose user is missing', async () => {
    const doc = base();
    expect(String(await load(stringify(doc), { context: 'zzz' }))).toMatch(
      /no context named "zzz" \(the kubeconfig has prod, staging\)/,
    );
    doc.contexts[0].context.user = 'missing';
    expect(String(await load(stringify(doc), { context: 'prod' }))).toMatch(
      /context "prod" names user "missing", which the kubeconfig does not define/,
    );
  });

  it('names a missing current-context with the contexts to choose from (it said context "undefined")', async () => {
    const d = base();
    delete d['current-context'];
    const err = await load(stringify(d));
    expect(isKubetallyError(err, 'INVALID_KUBECONFIG'), String(err)).toBe(true);
    expect((err as Error).message).toBe('the kubeconfig has no current-context');
    expect((err as { hint?: string }).hint).toBe(
      'choose a context with --context (prod, staging), or set one with kubectl config use-context',
    );
    expect(await load(stringify(d), { context: 'staging' })).toMatchObject({ context: 'staging' });
  });

  it('names a credential plugin that fails, and says to run it (the hint spoke of the server address)', async () => {
    const d = base();
    d.users[0].user = {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: '/bin/sh',
        args: ['-c', 'exit 1'],
        interactiveMode: 'Never',
      },
    };
    const missing = structuredClone(d);
    missing.users[0].user.exec.command = '/nonexistent/aws';
    for (const [doc, command] of [
      [d, '/bin/sh'],
      [missing, '/nonexistent/aws'],
    ] as const) {
      const conn = await loadKubeconfig({ yaml: stringify(doc), trust: 'own' });
      const err = await conn.request('/version', { retries: 0 }).catch((e: unknown) => e);
      expect(isKubetallyError(err, 'INVALID_KUBECONFIG'), String(err)).toBe(true);
      expect((err as Error).message).toMatch(
        new RegExp(`^the kubeconfig's credential plugin \\(exec: ${command}\\) failed: .+`),
      );
      expect((err as { hint?: string }).hint).toBe(
        `run ${command} yourself (kubectl runs it too with this kubeconfig): check that it is installed and on the PATH, and sign in again if its session has expired`,
      );
    }
  });

  it('says when there is no kubeconfig at all, and when in-cluster is asked for outside a pod', async () => {
    const saved = { HOME: process.env.HOME, KUBECONFIG: process.env.KUBECONFIG };
    const home = await mkdtemp(join(tmpdir(), 'kubetally-home-'));
    try {
      process.env.HOME = home;
      delete process.env.KUBECONFIG;
      expect(String(await loadKubeconfig({ trust: 'own' }).catch((e: unknown) => e))).toMatch(
        /no kubeconfig found: KUBECONFIG is not set and .*\.kube\/config does not exist/,
      );
      expect(String(await loadKubeconfig({ inCluster: true }).catch((e: unknown) => e))).toMatch(
        /not running inside a Kubernetes pod/,
      );
    } finally {
      Object.assign(process.env, saved);
      if (saved.KUBECONFIG === undefined) delete process.env.KUBECONFIG;
      await rm(home, { recursive: true, force: true });
    }
  });

  // In a pod without a mounted service account it blamed a "tokenFile auth provider" (to be
  // installed on the PATH), or, with no kubeconfig, tried http://localhost:8080.
  it.skipIf(existsSync(SERVICE_ACCOUNT))('says when a pod has no service account mounted', async () => {
    const saved = { ...process.env };
    const home = await mkdtemp(join(tmpdir(), 'kubetally-home-'));
    try {
      Object.assign(process.env, {
        HOME: home,
        KUBERNETES_SERVICE_HOST: '127.0.0.1',
        KUBERNETES_SERVICE_PORT: '6443',
      });
      delete process.env.KUBECONFIG;
      for (const options of [{ inCluster: true }, { trust: 'own' as const }]) {
        await expect(loadKubeconfig(options)).rejects.toMatchObject({
          code: 'INVALID_KUBECONFIG',
          message: `this pod has no service account credentials to use in-cluster: ${SERVICE_ACCOUNT}/token does not exist`,
          hint: 'mount the service account token into the pod (automountServiceAccountToken: true), or pass a kubeconfig',
        });
      }
    } finally {
      for (const key of ['KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT']) delete process.env[key];
      Object.assign(process.env, saved);
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('a CA that is not a certificate', () => {
  // kubectl refuses it ("unable to load root certificates: unable to parse bytes as PEM
  // block"); it was registered, and every request then failed TLS verification with the hint
  // "needs the cluster CA in certificate-authority-data", which it had.
  it.each([
    ['text that is not PEM', Buffer.from('not a cert').toString('base64')],
    [
      'a PEM block that is not a certificate',
      Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64'),
    ],
  ])('%s: refused at registration, naming the field', async (_, ca) => {
    const d = base();
    d.clusters[0].cluster['certificate-authority-data'] = ca;
    const err = await checkUsable(await loadKubeconfig({ yaml: stringify(d) })).catch((e: unknown) => e);
    expect(isKubetallyError(err, 'INVALID_KUBECONFIG'), String(err)).toBe(true);
    expect((err as Error).message).toBe(
      'the kubeconfig cannot be used: its certificate-authority-data is not a PEM certificate',
    );
    expect((err as { hint?: string }).hint).toBe(
      "give the cluster's CA certificate, base64-encoded, as kubectl config view --minify --flatten writes it",
    );
  });

  it('accepts a bundle of several CA certificates', async () => {
    const d = base();
    const two = generateTls().caPem + generateTls().caPem;
    d.clusters[0].cluster['certificate-authority-data'] = Buffer.from(two).toString('base64');
    await expect(checkUsable(await loadKubeconfig({ yaml: stringify(d) }))).resolves.toBeUndefined();
  });
});

describe('credentials that Node cannot send', () => {
  // Node reads a client certificate and key, and checks a header, only as it sends: without a
  // check of its own, such a kubeconfig was registered and every request then failed with a
  // raw OpenSSL or header error (`INTERNAL` in `cluster test`, no hint).
  const KEY_TEXT = 'c2VjcmV0LWtleS1tYXRlcmlhbA';
  const withUser = (user: Doc) => {
    const d = base();
    d.users[0].user = user;
    return stringify(d);
  };
  const certNotACert = withUser({
    'client-certificate-data': Buffer.from(
      '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    ).toString('base64'),
    'client-key-data': Buffer.from(
      `-----BEGIN PRIVATE KEY-----\n${KEY_TEXT}\n-----END PRIVATE KEY-----\n`,
    ).toString('base64'),
  });
  const tokenWithNewline = withUser({ token: `${SECRET_TOKEN}\n` });

  it.each([
    [
      'a client certificate and key that are not PEM',
      certNotACert,
      'client-certificate-data, client-key-data',
    ],
    ['a token ending in a line break', tokenWithNewline, 'users[].user.token'],
  ])('%s: refused at registration, each request a typed error naming the field', async (_, yaml, field) => {
    const conn = await loadKubeconfig({ yaml });
    for (const err of [
      await checkUsable(conn).catch((e: unknown) => e),
      await conn.request('/version').catch((e: unknown) => e),
    ]) {
      expect(isKubetallyError(err, 'INVALID_KUBECONFIG'), String(err)).toBe(true);
      expect((err as Error).message).toContain(field);
      expect((err as { hint?: string }).hint).toBeTruthy();
      expect(JSON.stringify(err) + String(err)).not.toContain(SECRET_TOKEN);
      expect(JSON.stringify(err) + String(err)).not.toContain(KEY_TEXT);
    }
  });
});
