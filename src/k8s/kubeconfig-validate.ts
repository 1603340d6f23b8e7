import { Lexer, parse as parseYaml } from 'yaml';
import { KubetallyError } from '../domain/errors.js';
import { yamlProblem } from './yaml-problem.js';

/**
 * Validation of kubeconfigs that were uploaded to the service. Such a file comes from someone
 * else's machine and is run inside ours, so it may only carry inline credentials: anything that
 * runs a command (`exec`, `auth-provider`) or reads a local file (`*-file` paths, `tokenFile`)
 * is refused, with the field named and what to supply instead. The user's own kubeconfig
 * (`kubetally top`, `$KUBECONFIG`) does not go through here.
 */
export const MAX_KUBECONFIG_BYTES = 256 * 1024;
const MAX_ALIASES = 50;
/**
 * Flow collections (`[`, `{`) open inside one another. kubectl writes none; a hand-written file a
 * few. The parser takes seconds on a text of 256 KiB of `[` (and the thread it blocks serves every
 * tenant), while its lexer reads one in milliseconds: the depth is counted there first.
 */
const MAX_FLOW_DEPTH = 32;

function flowDeeperThan(yaml: string, limit: number): boolean {
  let depth = 0;
  for (const token of new Lexer().lex(yaml)) {
    if (token === '[' || token === '{') {
      if (++depth > limit) return true;
    } else if (token === ']' || token === '}') depth--;
  }
  return false;
}

export interface UploadedKubeconfigOptions {
  /** The context to use instead of `current-context`. */
  context?: string;
  /** Allows `http://` servers (the simulator's `--plain-http`); never for production clusters. */
  allowInsecureHttp?: boolean;
  /**
   * Checks only the chosen context, its cluster and its user, and gives back a document of them
   * alone (as `kubectl config view --minify`): for a kubeconfig of the operator's own handed to
   * `kubetally cluster add`, whose other contexts (an EKS one that runs `aws`) are none of
   * kubetally's business, and whose other credentials are not to be stored.
   */
  chosenOnly?: boolean;
}

export interface KubeconfigSummary {
  contexts: string[];
  currentContext: string;
  cluster: string;
  user: string;
  server: string;
  namespace?: string;
}

/** Fields that would read a local file or run a command, and what to use instead. */
const USER_REFUSED: Record<string, string> = {
  exec: 'a static `token` or `client-certificate-data` and `client-key-data` (e.g. a ServiceAccount token)',
  'auth-provider': 'a static `token` (e.g. a ServiceAccount token)',
  tokenFile: 'the token itself in `token`',
  'token-file': 'the token itself in `token`',
  'client-certificate': 'the certificate inline, base64-encoded, in `client-certificate-data`',
  'client-key': 'the key inline, base64-encoded, in `client-key-data`',
};
const CLUSTER_REFUSED: Record<string, string> = {
  'certificate-authority': 'the CA inline, base64-encoded, in `certificate-authority-data`',
};

function invalid(message: string, hint: string): KubetallyError {
  return new KubetallyError('INVALID_KUBECONFIG', message, { hint });
}

type Named = { name?: unknown; [k: string]: unknown };

function entries(doc: Record<string, unknown>, key: 'clusters' | 'users' | 'contexts'): Named[] {
  const list = doc[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list))
    throw invalid(`kubeconfig field "${key}" is not a list`, `write ${key} as a YAML list`);
  return list.map((e, i) => {
    if (e === null || typeof e !== 'object' || typeof (e as Named).name !== 'string') {
      throw invalid(`kubeconfig ${key}[${i}] has no name`, `give every entry of ${key} a name`);
    }
    return e as Named;
  });
}

function body(entry: Named, key: string): Record<string, unknown> {
  const b = entry[key];
  return b !== null && typeof b === 'object' ? (b as Record<string, unknown>) : {};
}

/** Parses and checks an uploaded kubeconfig; throws INVALID_KUBECONFIG naming the field and the fix. */
export function validateUploadedKubeconfig(
  yaml: string,
  options: UploadedKubeconfigOptions = {},
): KubeconfigSummary {
  return readUploadedKubeconfig(yaml, options).summary;
}

/**
 * Checks an uploaded kubeconfig and returns the document that was checked, for the client to
 * load (as JSON) instead of the text: its YAML parser might read the text differently.
 */
export function readUploadedKubeconfig(
  yaml: string,
  options: UploadedKubeconfigOptions = {},
): { summary: KubeconfigSummary; document: Record<string, unknown> } {
  if (typeof yaml !== 'string' || yaml.trim() === '') {
    throw invalid('the kubeconfig is empty', 'upload the YAML text of a kubeconfig file');
  }
  if (Buffer.byteLength(yaml, 'utf8') > MAX_KUBECONFIG_BYTES) {
    throw invalid(
      `the kubeconfig is larger than ${MAX_KUBECONFIG_BYTES / 1024} KiB`,
      'upload a kubeconfig with only the context kubetally needs (kubectl config view --minify --flatten)',
    );
  }
  if (flowDeeperThan(yaml, MAX_FLOW_DEPTH)) {
    throw invalid(
      `the kubeconfig nests flow collections ([ ] and { }) more than ${MAX_FLOW_DEPTH} deep`,
      'upload the file written by kubectl (kubectl config view --minify --flatten)',
    );
  }
  let doc: unknown;
  try {
    // `merge`: `<<` merge keys are applied, as kubectl and the official client (js-yaml) apply
    // them, so that a field they bring in (an `exec`) is checked like any other.
    doc = parseYaml(yaml, { maxAliasCount: MAX_ALIASES, customTags: [], uniqueKeys: true, merge: true });
  } catch (err) {
    const reason = yamlProblem(err) ?? (err instanceof Error ? err.message.split('\n')[0] : 'parse error');
    throw invalid(
      `the kubeconfig is not valid YAML: ${reason}`,
      'upload the file written by kubectl (kubectl config view --minify --flatten)',
    );
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw invalid(
      'the kubeconfig is not a YAML mapping',
      'upload a kubeconfig file (apiVersion: v1, kind: Config)',
    );
  }
  const config = doc as Record<string, unknown>;
  const clusters = entries(config, 'clusters');
  const users = entries(config, 'users');
  const contexts = entries(config, 'contexts');
  if (clusters.length === 0 || users.length === 0 || contexts.length === 0) {
    throw invalid(
      'the kubeconfig needs at least one cluster, one user and one context',
      'export a complete one with kubectl config view --minify --flatten',
    );
  }
  const chosen = options.chosenOnly === true ? chosenEntries(config, contexts, options.context) : undefined;
  const checked = (kind: 'cluster' | 'user', entry: Named): boolean =>
    options.chosenOnly !== true || (chosen !== undefined && chosen[kind] === entry.name);
  users.forEach((u, i) => {
    if (!checked('user', u)) return;
    for (const [field, instead] of Object.entries(USER_REFUSED)) {
      if (body(u, 'user')[field] !== undefined) {
        throw invalid(
          `users[${i}].user.${field} is not allowed in an uploaded kubeconfig: it would ${field === 'exec' || field === 'auth-provider' ? 'run a command' : 'read a local file'} on the server`,
          `supply ${instead}`,
        );
      }
    }
  });
  clusters.forEach((c, i) => {
    if (!checked('cluster', c)) return;
    for (const [field, instead] of Object.entries(CLUSTER_REFUSED)) {
      if (body(c, 'cluster')[field] !== undefined) {
        throw invalid(
          `clusters[${i}].cluster.${field} is not allowed in an uploaded kubeconfig: it would read a local file on the server`,
          `supply ${instead}`,
        );
      }
    }
  });
  const wanted = options.context ?? (config['current-context'] as string | undefined);
  if (typeof wanted !== 'string' || wanted === '') {
    throw invalid(
      'the kubeconfig has no current-context',
      `set current-context or choose a context (${contexts.map((c) => c.name).join(', ')})`,
    );
  }
  const ctxEntry = contexts.find((c) => c.name === wanted);
  if (ctxEntry === undefined) {
    throw invalid(
      `the kubeconfig has no context named "${wanted}"`,
      `choose one of: ${contexts.map((c) => c.name).join(', ')}`,
    );
  }
  const ctx = body(ctxEntry, 'context');
  const cluster = clusters.find((c) => c.name === ctx.cluster);
  if (cluster === undefined) {
    throw invalid(
      `context "${wanted}" names cluster "${String(ctx.cluster)}", which the kubeconfig does not define`,
      'add that cluster under clusters, or fix the context',
    );
  }
  const user = users.find((u) => u.name === ctx.user);
  if (user === undefined) {
    throw invalid(
      `context "${wanted}" names user "${String(ctx.user)}", which the kubeconfig does not define`,
      'add that user under users, or fix the context',
    );
  }
  const spec = body(cluster, 'cluster');
  const server = spec.server;
  if (typeof server !== 'string' || !/^https?:\/\/[^\s]+$/.test(server)) {
    throw invalid(
      `cluster "${String(cluster.name)}" has no valid server URL`,
      'set clusters[].cluster.server to https://HOST:PORT',
    );
  }
  // A password in the URL would be shown wherever the server is named (errors, logs, answers).
  if (/^https?:\/\/[^/?#]*@/.test(server)) {
    throw invalid(
      `cluster "${String(cluster.name)}" has a user name or password in its server URL`,
      'remove it from clusters[].cluster.server (https://HOST:PORT) and give the credentials under users[].user (token, client certificate, or username and password)',
    );
  }
  if (server.startsWith('http://') && options.allowInsecureHttp !== true) {
    throw invalid(
      `cluster "${String(cluster.name)}" uses plain http (${server}); credentials would cross the network unencrypted`,
      'use the https:// address of the API server (a test cluster without TLS, like the simulator with --plain-http, can be allowed with collection.allowInsecureHttp, or kubetally cluster add --allow-insecure-http)',
    );
  }
  // kubectl refuses this pair ("specifying a root certificates file with the insecure flag is
  // not allowed"): which of the two was meant is not for kubetally to guess.
  if (
    spec['insecure-skip-tls-verify'] === true &&
    (spec['certificate-authority-data'] ?? spec['certificate-authority']) !== undefined
  ) {
    throw invalid(
      `cluster "${String(cluster.name)}" has both certificate-authority-data and insecure-skip-tls-verify: true`,
      "remove insecure-skip-tls-verify (the CA data lets kubetally check the server's certificate), as kubectl requires",
    );
  }
  const summary: KubeconfigSummary = {
    contexts: contexts.map((c) => c.name as string),
    currentContext: wanted,
    cluster: cluster.name as string,
    user: user.name as string,
    server,
  };
  if (typeof ctx.namespace === 'string') summary.namespace = ctx.namespace;
  if (options.chosenOnly !== true) return { summary, document: config };
  const minified = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [cluster],
    users: [user],
    contexts: [ctxEntry],
    'current-context': wanted,
  };
  return { summary, document: minified };
}

/** The cluster and user names of the context `wanted` (else current-context), when it has one. */
function chosenEntries(
  config: Record<string, unknown>,
  contexts: Named[],
  wanted: string | undefined,
): { cluster: unknown; user: unknown } | undefined {
  const name = wanted ?? config['current-context'];
  const entry = contexts.find((c) => c.name === name);
  if (entry === undefined) return undefined;
  const ctx = body(entry, 'context');
  return { cluster: ctx.cluster, user: ctx.user };
}
