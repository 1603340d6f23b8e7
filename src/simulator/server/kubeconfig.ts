import { stringify } from 'yaml';

export interface KubeconfigOptions {
  server: string;
  token: string;
  /** PEM of the CA; absent for plain HTTP. */
  caPem?: string;
  name?: string;
}

/**
 * A kubeconfig for the simulator: one cluster, one token user, one context. Plain HTTP needs
 * `insecure-skip-tls-verify: true`, or @kubernetes/client-node ≥1.1.2 refuses the http:// server.
 */
export function buildKubeconfig(opts: KubeconfigOptions): string {
  const name = opts.name ?? 'kubetally-simulator';
  const cluster: Record<string, unknown> = { server: opts.server };
  if (opts.caPem === undefined) cluster['insecure-skip-tls-verify'] = true;
  else cluster['certificate-authority-data'] = Buffer.from(opts.caPem).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name: `${name}-user`, user: { token: opts.token } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-user`, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}
