/**
 * Credentials that load but cannot serve: a credential plugin that fails, and what Node only
 * finds as it sends (a token a header cannot carry, a key or CA that is not one). Each is named
 * by its field, never by its value.
 */
import { X509Certificate } from 'node:crypto';
import { validateHeaderValue } from 'node:http';
import type { RequestOptions } from 'node:https';
import { createSecureContext } from 'node:tls';
import { KubetallyError } from '../domain/errors.js';
import type { KubeConfig } from './official-client.js';
import { isInCluster } from './in-cluster.js';

/** The current user's credential plugin: how to name it, and what the user runs to sign in. */
function pluginOf(kc: KubeConfig): { what: string; run: string } | undefined {
  // The in-cluster token is read by kubetally (in-cluster.ts), not by a plugin to sign in with.
  if (isInCluster(kc)) return undefined;
  const user = kc.getCurrentUser();
  const exec = (user?.exec as { command?: unknown } | undefined)?.command;
  const provider = (user?.authProvider as { name?: unknown } | undefined)?.name;
  if (typeof exec === 'string') return { what: `exec: ${exec}`, run: exec };
  if (typeof provider === 'string')
    return { what: `auth-provider: ${provider}`, run: `the ${provider} auth provider` };
  return undefined;
}

/** A credential plugin of the user's own kubeconfig (exec, auth-provider) that failed, named. */
export function pluginFailed(kc: KubeConfig, err: unknown): KubetallyError | undefined {
  const plugin = pluginOf(kc);
  if (plugin === undefined) return undefined;
  // The client's message is the plugin's stderr (empty when it printed nothing).
  const reason =
    ((err as Error).message ?? '').trim().split('\n')[0] || 'it exited with an error and printed nothing';
  return new KubetallyError(
    'INVALID_KUBECONFIG',
    `the kubeconfig's credential plugin (${plugin.what}) failed: ${reason}`,
    {
      hint: `run ${plugin.run} yourself (kubectl runs it too with this kubeconfig): check that it is installed and on the PATH, and sign in again if its session has expired`,
    },
  );
}

/**
 * A 401 to the credentials a plugin gave: signing in again with it is the fix, not a fresh
 * kubeconfig (the kubeconfig holds no credential to renew).
 */
export function pluginRefused(kc: KubeConfig): KubetallyError | undefined {
  const plugin = pluginOf(kc);
  if (plugin === undefined) return undefined;
  return new KubetallyError(
    'UNAUTHORIZED',
    `the cluster rejected the credentials of the kubeconfig's credential plugin (${plugin.what}) (401 Unauthorized)`,
    {
      status: 401,
      hint: `sign in again with ${plugin.run} (kubectl uses it too with this kubeconfig), and check that it signs in to this cluster`,
    },
  );
}

/** Throws, naming the field, when Node would not send with these request options. */
export function checkSendable(opts: RequestOptions, http: boolean, kc?: KubeConfig): void {
  // Node checks these only as it sends: done here, a registration is refused up front.
  try {
    for (const [name, value] of Object.entries(opts.headers ?? {})) {
      for (const v of [value ?? []].flat()) validateHeaderValue(name, String(v));
    }
    if (!http) {
      createSecureContext({ ca: opts.ca, cert: opts.cert, key: opts.key, passphrase: opts.passphrase });
    }
  } catch (err) {
    throw unsendable(err, kc);
  }
  const problem = credentialProblem(opts);
  if (problem !== undefined) throw problem;
}

/**
 * What kubectl refuses up front and Node takes without a word: CA data that holds no certificate
 * (Node then checks the server against its own roots), a client certificate without its key or
 * a key without its certificate (Node then sends none, and the server answers 401). Asked of
 * an uploaded kubeconfig before it is stored, and of any request that failed, to say why.
 */
export function credentialProblem(opts: RequestOptions): KubetallyError | undefined {
  if (opts.ca !== undefined && !allCertificates([opts.ca].flat())) {
    return new KubetallyError(
      'INVALID_KUBECONFIG',
      'the kubeconfig cannot be used: its certificate-authority-data is not a PEM certificate',
      {
        hint: "give the cluster's CA certificate, base64-encoded, as kubectl config view --minify --flatten writes it",
      },
    );
  }
  if ((opts.cert === undefined) !== (opts.key === undefined)) {
    const [has, lacks] = opts.cert === undefined ? ['key', 'certificate'] : ['certificate', 'key'];
    return new KubetallyError(
      'INVALID_KUBECONFIG',
      `the kubeconfig cannot be used: its user has a client ${has} but no client ${lacks} (client-certificate-data and client-key-data, or the files, go together)`,
      {
        hint: 'give both, each base64-encoded, as kubectl config view --minify --flatten writes them',
      },
    );
  }
  return undefined;
}

/** Whether the PEM text holds at least one certificate, and only readable ones. */
function allCertificates(pems: readonly (string | Buffer)[]): boolean {
  const blocks = pems.flatMap(
    (p) => String(p).match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [],
  );
  return (
    blocks.length > 0 &&
    blocks.every((b) => {
      try {
        new X509Certificate(b);
        return true;
      } catch {
        return false;
      }
    })
  );
}

/**
 * Why Node would not send a request with these credentials (it throws as it sends): a token an
 * HTTP header cannot carry, or a client certificate or key it cannot read. Names the field,
 * never its value.
 */
export function unsendable(err: unknown, kc?: KubeConfig): KubetallyError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (code === 'ERR_INVALID_CHAR') {
    return new KubetallyError(
      'INVALID_KUBECONFIG',
      'the kubeconfig cannot be used: its token (users[].user.token) has a character an HTTP header cannot carry',
      {
        hint: 'remove the line break or spaces around the token (a YAML block scalar, written with |, keeps the line break at its end)',
      },
    );
  }
  // A kubeconfig of one's own may name files: the fields named are the ones it uses.
  const user = kc?.getCurrentUser();
  const files = Boolean(user?.certFile) || Boolean(user?.keyFile);
  const fields = files ? 'client-certificate, client-key' : 'client-certificate-data, client-key-data';
  const why =
    code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH'
      ? 'the key does not belong to the certificate'
      : `they cannot be read (${code || 'invalid'})`;
  return new KubetallyError(
    'INVALID_KUBECONFIG',
    `the kubeconfig cannot be used: its client certificate or key (${fields}): ${why}`,
    {
      hint: files
        ? 'give the PEM certificate file and the private key file that belongs to it'
        : 'give the PEM certificate and its private key, each base64-encoded, as kubectl config view --minify --flatten writes them',
    },
  );
}

/**
 * A 401 to a request that carried no credentials at all (the kubeconfig's user has no token,
 * client certificate, password or plugin): the fix is to add one, not to renew one.
 */
export function noCredentials(kc: KubeConfig, opts: RequestOptions): KubetallyError | undefined {
  const headers = (opts.headers ?? {}) as Record<string, unknown>;
  const sent = Object.keys(headers).some((h) => h.toLowerCase() === 'authorization');
  if (sent || opts.auth !== undefined || opts.cert !== undefined) return undefined;
  return new KubetallyError(
    'UNAUTHORIZED',
    `the cluster rejected a request without credentials (401 Unauthorized): user "${kc.getCurrentUser()?.name ?? ''}" of the kubeconfig has no token, client certificate or credential plugin`,
    {
      status: 401,
      hint: 'add a token (e.g. a ServiceAccount token) or a client certificate and key to that user, as kubectl config view --minify --flatten writes them',
    },
  );
}
