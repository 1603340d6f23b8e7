import { KubetallyError, isKubetallyError } from '../domain/errors.js';

/** What an API path asks for, in RBAC terms. */
export interface RbacTarget {
  apiGroup: string;
  resource: string;
  verbs: string[];
}

/** Maps an API path to the RBAC rule that allows it (for the 403 hint). */
export function rbacTargetOf(path: string): RbacTarget {
  const parts = path.split('?')[0]!.split('/').filter(Boolean);
  // /api/v1/... or /apis/GROUP/VERSION/...
  const group = parts[0] === 'apis' ? (parts[1] ?? '') : '';
  let rest = parts[0] === 'apis' ? parts.slice(3) : parts.slice(2);
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  const resource = rest[0] ?? '';
  if (rest.length >= 3 && rest[2] === 'proxy')
    return { apiGroup: group, resource: `${resource}/proxy`, verbs: ['get'] };
  return { apiGroup: group, resource, verbs: rest.length >= 2 ? ['get'] : ['get', 'list'] };
}

export function rbacYaml(target: RbacTarget): string {
  return [
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: ClusterRole',
    'metadata:',
    '  name: kubetally-reader',
    'rules:',
    `  - apiGroups: ["${target.apiGroup}"]`,
    `    resources: ["${target.resource}"]`,
    `    verbs: [${target.verbs.map((v) => `"${v}"`).join(', ')}]`,
    '',
  ].join('\n');
}

const METRICS_HINT =
  'install metrics-server (kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml) and check kubectl get apiservice v1beta1.metrics.k8s.io';

function statusMessage(text: string): string | undefined {
  try {
    const s = JSON.parse(text) as { kind?: string; message?: unknown };
    return s.kind === 'Status' && typeof s.message === 'string' ? s.message : undefined;
  } catch {
    return undefined;
  }
}

const FRESH: Record<string, string> = {
  token:
    'get a fresh token (for a service account: kubectl -n NAMESPACE create token NAME --duration=8760h) and put it in the kubeconfig',
  'client certificate': 'get a fresh client certificate (or a token) for the kubeconfig',
};

/**
 * A typed error for a non-2xx reply of the API server; `expired` names the credential that had
 * expired, when that explains a 401.
 */
export function errorFromStatus(
  status: number,
  text: string,
  path: string,
  expired?: { what: string; at: number },
): KubetallyError {
  const message = statusMessage(text);
  const server = message === undefined ? '' : `: ${message}`;
  const metrics = path.startsWith('/apis/metrics.k8s.io');
  if (status === 401) {
    const why =
      expired === undefined
        ? ''
        : `: the ${expired.what} in the kubeconfig expired at ${new Date(expired.at).toISOString().replace('.000Z', 'Z')}`;
    return new KubetallyError(
      'UNAUTHORIZED',
      `the cluster rejected the credentials (401 Unauthorized)${why}`,
      {
        status,
        hint:
          (expired === undefined ? undefined : FRESH[expired.what]) ??
          'the token or client certificate in the kubeconfig is invalid or expired; get a fresh kubeconfig',
      },
    );
  }
  if (status === 403) {
    const target = rbacTargetOf(path);
    const yaml = rbacYaml(target);
    return new KubetallyError('FORBIDDEN', `the cluster refused access to ${path} (403 Forbidden)${server}`, {
      status,
      hint: `grant the kubeconfig's user "${target.verbs.join(',')}" on "${target.resource}"${target.apiGroup ? ` in API group "${target.apiGroup}"` : ''}, e.g. with this ClusterRole (and a ClusterRoleBinding):\n${yaml}`,
      details: { rbac: yaml, rule: target },
    });
  }
  if (metrics && (status === 404 || status === 503) && !/podmetrics|nodemetrics/.test(message ?? '')) {
    return new KubetallyError(
      'METRICS_API_UNAVAILABLE',
      `the metrics API (metrics.k8s.io) is ${status === 404 ? 'not installed' : 'not available'} on this cluster (${status})`,
      { status, hint: METRICS_HINT },
    );
  }
  // The API server's own 404 for a node it does not have, not the kubelet's: the name is wrong.
  const noNode = status === 404 ? /^nodes "([^"]*)" not found$/.exec(message ?? '') : null;
  if (path.endsWith('/proxy/stats/summary') && noNode !== null) {
    return new KubetallyError('NOT_FOUND', `the cluster has no node named "${noNode[1]}"`, {
      status,
      hint: 'use a node name as kubectl get nodes lists it',
    });
  }
  if (path.endsWith('/proxy/stats/summary') && (status === 404 || status === 502 || status === 503)) {
    return new KubetallyError(
      'SUMMARY_API_UNAVAILABLE',
      `the kubelet Summary API did not answer through the API server (${status})${server}`,
      {
        status,
        hint: 'check that the node is Ready and its kubelet reachable from the API server; CPU then comes from metrics.k8s.io',
      },
    );
  }
  if (status === 404) {
    return new KubetallyError('NOT_FOUND', `not found: ${path}${server}`, {
      status,
      hint: 'check the name and namespace',
    });
  }
  if (status === 410) {
    return new KubetallyError('EXPIRED', `the list expired while paging (410 Gone)${server}`, {
      status,
      hint: 'start the list again',
    });
  }
  if (status === 429) {
    return new KubetallyError('RATE_LIMITED', `the API server is throttling requests (429)`, {
      status,
      hint: 'wait and try again, or collect less often',
    });
  }
  if (status === 400) {
    return new KubetallyError('INVALID_ARGUMENT', `the API server refused the request${server}`, {
      status,
      hint: 'check the label and field selectors',
    });
  }
  return new KubetallyError('SERVER_ERROR', `the API server failed (${status}) on ${path}${server}`, {
    status,
    hint: 'this is usually temporary; try again, and check the API server if it persists',
  });
}

/** TLS failures that a missing CA does not explain: what is wrong, and its fix. */
const TLS_PROBLEMS: Record<string, { what: string; hint: string }> = {
  ERR_TLS_CERT_ALTNAME_INVALID: {
    what: "the server's certificate is not valid for the name asked for",
    hint: "use a server address (or tls-server-name) that the API server's certificate names, as in the kubeconfig kubectl uses",
  },
  CERT_HAS_EXPIRED: {
    what: "the server's certificate has expired",
    hint: "renew the API server's certificate, or check this machine's clock",
  },
  CERT_NOT_YET_VALID: {
    what: "the server's certificate is not valid yet",
    hint: "check this machine's clock",
  },
};

/**
 * The kubeconfig's proxy-url as it may be shown: without a user name or password in it.
 * Undefined when the cluster has none.
 */
export function shownProxy(proxyUrl: string | undefined): string | undefined {
  if (!proxyUrl) return undefined;
  try {
    const u = new URL(proxyUrl);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'the proxy-url';
  }
}

/**
 * A typed error for a failure below HTTP (refused, reset, DNS, TLS). `proxy` (see shownProxy):
 * the connection goes through it, so a refusal is the proxy's to fix, not the server address's.
 */
export function networkError(err: unknown, server: string, proxy?: string): KubetallyError {
  // Already said (a lookup that refused a blocked network): not a reachability problem.
  if (isKubetallyError(err)) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e.code ?? '';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    const known = TLS_PROBLEMS[code];
    return new KubetallyError(
      'UNREACHABLE',
      `TLS verification of ${server} failed (${code})${known === undefined ? '' : `: ${known.what}`}`,
      {
        hint: known?.hint ?? 'the kubeconfig needs the cluster CA in certificate-authority-data',
        cause: err,
      },
    );
  }
  const reset = code === 'ECONNRESET' || /socket hang up/.test(e.message ?? '');
  const via = proxy === undefined ? '' : ` through the proxy ${proxy}`;
  // The proxy agent's words for a CONNECT the proxy refused (403, 407 asking for credentials).
  const refusal = /^Bad response: (\d+)$/.exec(e.message ?? '');
  const why = refusal === null ? code || e.message : `the proxy answered ${refusal[1]}`;
  return new KubetallyError('UNREACHABLE', `cannot reach the API server at ${server}${via} (${why})`, {
    hint: reset
      ? 'the connection was reset; try again, and check proxies between kubetally and the cluster'
      : proxy !== undefined
        ? `check the kubeconfig's proxy-url (${proxy}): that the proxy runs, is reachable from here and lets connections through to the server`
        : 'check that the server address in the kubeconfig is right and reachable from here',
    details: { reset },
    cause: err,
  });
}
