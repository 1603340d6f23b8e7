import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from './official-client.js';
import { KubetallyError, invalidArgument, isKubetallyError } from '../domain/errors.js';
import { openStream } from './stream.js';
import { guardKubeconfig, once, transient } from './request.js';
import { blockedNetworks, checkServerAddress, type BlockedNetworks } from './blocked-networks.js';
import { applyTokenFile, applyTokenFileOf, defaultKubeconfigFiles } from './token-file.js';
import { cannotLoad, loadKubeconfigFile, loadKubeconfigList } from './kubeconfig-files.js';
import { SERVICE_ACCOUNT, loadInCluster } from './in-cluster.js';
import { readAtMost } from './bounded-read.js';
import { checkLoadOptions } from './load-options.js';

/**
 * A connection to one cluster: the official client's `KubeConfig` for credentials and TLS, and
 * a small raw JSON request function for the hot paths (the client's model classes copy every
 * field of every object; lists of 100k pods do not need that).
 */
export interface Connection {
  readonly server: string;
  readonly context: string;
  /**
   * The official client's kubeconfig, for kubetally's own modules. @internal: left out of the
   * published types, whose consumers would otherwise compile the official client's declarations
   * (they need `@types/ws`, which nothing installs: `tsc --strict` failed in a new project).
   */
  readonly kubeConfig: KubeConfig;
  /** GET `path` (with query), or POST `body`, and parse the JSON reply; typed errors for every failure. */
  request<T = unknown>(path: string, options?: RequestOptionsLite): Promise<ApiReply<T>>;
  /**
   * GET `path` and hand its body to `onText` as it arrives (a watch): resolves when the server
   * ends it, rejects with a typed error on a failure status or a broken connection. `signal`
   * ends it from this side (it then resolves).
   */
  stream(path: string, onText: (text: string) => void, signal: AbortSignal): Promise<void>;
}

export interface RequestOptionsLite {
  accept?: string;
  /**
   * A JSON body to POST instead of a GET. Only for requests that change nothing (reviews such as
   * SelfSubjectAccessReview), since failures are retried like GETs.
   */
  body?: unknown;
  /** Default 30 s. */
  timeoutMs?: number;
  /** Retries of transient failures (5xx, resets, broken bodies); default 2. */
  retries?: number;
  /**
   * Called with the start of a successful reply's body (its first 4 KiB, or all of it if
   * shorter) and its content type as soon as that has arrived, before the rest: a list's
   * metadata comes first, so its continue token is known while the page is still arriving.
   */
  onHead?: (head: Buffer, contentType: string) => void;
  /**
   * Asks for Kubernetes protobuf (then JSON) and decodes a protobuf reply with this; a JSON
   * reply is parsed as usual. A decoder that throws makes the reply malformed.
   */
  protobuf?: (body: Buffer) => unknown;
  /** The body as it came (a Buffer), unparsed. */
  raw?: boolean;
}

export interface ApiReply<T> {
  body: T;
  /** The API server's `Date` header (cluster time), epoch ms; undefined when it sent none. */
  date: number | undefined;
}

export interface LoadKubeconfigOptions {
  /** Kubeconfig text (an uploaded one unless `trust: 'own'`). */
  yaml?: string;
  /** A kubeconfig file of the user's own. */
  file?: string;
  context?: string;
  /** The in-cluster service account. */
  inCluster?: boolean;
  /** `uploaded` (default for `yaml`) refuses exec, auth providers and file paths; `own` allows them. */
  trust?: 'own' | 'uploaded';
  /** Accept `http://` servers (the simulator's --plain-http). */
  allowInsecureHttp?: boolean;
}

/**
 * Loads a kubeconfig into a connection. With no source it reads `$KUBECONFIG`, then
 * `~/.kube/config`, then the in-cluster service account, as kubectl does.
 */
export async function loadKubeconfig(options: LoadKubeconfigOptions = {}): Promise<Connection> {
  checkLoadOptions(options);
  const sources = (['yaml', 'file', 'inCluster'] as const).filter(
    (k) => options[k] !== undefined && options[k] !== false,
  );
  if (sources.length > 1) {
    // One of them would be used and the other silently ignored: the caller meant something else.
    throw invalidArgument(
      `loadKubeconfig was given ${sources.join(' and ')}: a connection has one source`,
      'pass one of yaml (kubeconfig text), file (a kubeconfig path) or inCluster: true',
    );
  }
  const kc = new KubeConfig();
  /** Where an uploaded kubeconfig may not send kubetally (k8s/blocked-networks.ts). */
  let blocked: BlockedNetworks | undefined;
  try {
    if (options.yaml !== undefined) {
      if ((options.trust ?? 'uploaded') === 'uploaded') {
        // Loaded here, not at start: its YAML parser is needed for uploaded text only.
        const { readUploadedKubeconfig } = await import('./kubeconfig-validate.js');
        const { document } = readUploadedKubeconfig(options.yaml, {
          ...(options.context === undefined ? {} : { context: options.context }),
          allowInsecureHttp: options.allowInsecureHttp ?? false,
        });
        // The client gets the document that was checked, not the text to read again its own way.
        kc.loadFromString(JSON.stringify(document));
        blocked = blockedNetworks();
      } else {
        kc.loadFromString(options.yaml);
      }
    } else if (options.inCluster === true) {
      if (process.env.KUBERNETES_SERVICE_HOST === undefined) {
        throw new KubetallyError(
          'INVALID_KUBECONFIG',
          'not running inside a Kubernetes pod (KUBERNETES_SERVICE_HOST is not set)',
          {
            hint: 'run kubetally in a pod with a service account, or use a kubeconfig instead of in-cluster',
          },
        );
      }
      noServiceAccount();
      loadInCluster(kc);
    } else if (options.file !== undefined) {
      await notHuge([options.file]);
      loadKubeconfigFile(kc, options.file);
    } else {
      noDefaultKubeconfig();
      const files = defaultKubeconfigFiles().filter((f) => existsSync(f));
      await notHuge(files);
      const env = process.env.KUBECONFIG;
      if (env !== undefined && env !== '') loadKubeconfigList(kc, defaultKubeconfigFiles(), env);
      else if (files[0] !== undefined) loadKubeconfigFile(kc, files[0]);
      else loadInCluster(kc); // in a pod: its service account (noDefaultKubeconfig checked it)
    }
    checkContexts(kc, options);
    if (options.yaml !== undefined) {
      // Only text of the user's own may name files; uploaded text was refused above if it did.
      if (options.trust === 'own') await applyTokenFileOf(kc, [{ text: options.yaml, dir: process.cwd() }]);
    } else if (options.inCluster !== true) {
      await applyTokenFile(kc, options.file === undefined ? defaultKubeconfigFiles() : [options.file]);
    }
  } catch (err) {
    if (isKubetallyError(err)) throw err;
    throw cannotLoad(options.file ?? 'the kubeconfig', err);
  }
  const cluster = kc.getCurrentCluster();
  if (cluster === null || !cluster.server) {
    throw new KubetallyError(
      'INVALID_KUBECONFIG',
      `the kubeconfig has no cluster for context "${kc.getCurrentContext()}"`,
      {
        hint: 'choose a context with --context, or fix current-context',
      },
    );
  }
  if (blocked !== undefined) {
    checkServerAddress(cluster.server, blocked);
    guardKubeconfig(kc, blocked);
  }
  const ownOrAllowed = options.allowInsecureHttp === true || options.trust === 'own';
  if (cluster.server.startsWith('http://') && !ownOrAllowed) {
    throw new KubetallyError('INVALID_KUBECONFIG', `the cluster server uses plain http (${cluster.server})`, {
      hint: 'use the https:// address of the API server',
    });
  }
  // The client refuses http:// unless TLS checks are off, which says nothing for plain http: a
  // kubeconfig of the user's own (or an allowed one) works as it does for kubectl.
  if (cluster.server.startsWith('http://') && !cluster.skipTLSVerify) {
    kc.loadFromOptions({
      clusters: kc.clusters.map((c) => (c.name === cluster.name ? { ...c, skipTLSVerify: true } : c)),
      users: kc.users,
      contexts: kc.contexts,
      currentContext: kc.currentContext,
    });
  }
  return makeConnection(kc, cluster.server.replace(/\/+$/, ''));
}

/** Without $KUBECONFIG or ~/.kube/config the client would quietly try http://localhost:8080. */
function noDefaultKubeconfig(): void {
  const env = process.env.KUBECONFIG;
  if (env !== undefined && env !== '') return;
  const home = path.join(homedir(), '.kube', 'config');
  if (existsSync(home)) return;
  if (process.env.KUBERNETES_SERVICE_HOST !== undefined) return noServiceAccount();
  throw new KubetallyError(
    'INVALID_KUBECONFIG',
    `no kubeconfig found: KUBECONFIG is not set and ${home} does not exist`,
    {
      hint: 'pass --kubeconfig FILE (from the library, loadKubeconfig({ file })), set KUBECONFIG, or run inside a cluster',
    },
  );
}

/** Far more than any real kubeconfig of one's own (uploads are held to 256 KiB). */
const MAX_OWN_KUBECONFIG_BYTES = 64 * 1024 * 1024;

/** A path that names no kubeconfig (`/dev/zero`, a disk image) is refused before it is read whole. */
async function notHuge(files: readonly string[]): Promise<void> {
  for (const file of files) {
    if (!(await readAtMost(file, MAX_OWN_KUBECONFIG_BYTES)).more) continue;
    throw new KubetallyError(
      'INVALID_KUBECONFIG',
      `${file} is larger than ${MAX_OWN_KUBECONFIG_BYTES / 1024 / 1024} MiB: it is not a kubeconfig`,
      { hint: 'check the path (kubectl config view --minify --flatten writes a kubeconfig of one context)' },
    );
  }
}

/**
 * In a pod whose service account is not mounted (automountServiceAccountToken: false) the client
 * would fail at the first request, blaming a "tokenFile auth provider", or quietly try
 * http://localhost:8080 instead.
 */
function noServiceAccount(): void {
  const missing = ['token', 'ca.crt'].map((f) => `${SERVICE_ACCOUNT}/${f}`).find((f) => !existsSync(f));
  if (missing === undefined) return;
  throw new KubetallyError(
    'INVALID_KUBECONFIG',
    `this pod has no service account credentials to use in-cluster: ${missing} does not exist`,
    {
      hint: 'mount the service account token into the pod (automountServiceAccountToken: true), or pass a kubeconfig',
    },
  );
}

/** The chosen context exists and names a cluster and a user that the kubeconfig defines. */
function checkContexts(kc: KubeConfig, options: LoadKubeconfigOptions): void {
  const names = kc.getContexts().map((c) => c.name);
  if (names.length === 0) {
    throw new KubetallyError(
      'INVALID_KUBECONFIG',
      `${options.file ?? 'the kubeconfig'} has no contexts: it is not a kubeconfig`,
      {
        hint: 'give a kubeconfig file (kubectl config view --minify --raw writes one)',
      },
    );
  }
  if (options.context !== undefined) {
    if (!names.includes(options.context)) {
      throw new KubetallyError(
        'INVALID_KUBECONFIG',
        `no context named "${options.context}" (the kubeconfig has ${names.join(', ')})`,
        {
          hint: 'choose one of them with --context, or see kubectl config get-contexts',
        },
      );
    }
    kc.setCurrentContext(options.context);
  } else if (!kc.getCurrentContext()) {
    throw new KubetallyError('INVALID_KUBECONFIG', 'the kubeconfig has no current-context', {
      hint: `choose a context with --context (${names.join(', ')}), or set one with kubectl config use-context`,
    });
  } else if (!names.includes(kc.getCurrentContext())) {
    // It was reported as "no cluster for context", as if the context existed.
    throw new KubetallyError(
      'INVALID_KUBECONFIG',
      `the kubeconfig's current-context "${kc.getCurrentContext()}" is not one of its contexts (${names.join(', ')})`,
      {
        hint: 'choose one of them with --context, or set one with kubectl config use-context',
      },
    );
  }
  const context = kc.getContextObject(kc.getCurrentContext());
  if (context !== null && context.user !== undefined && kc.getUser(context.user) === null) {
    throw new KubetallyError(
      'INVALID_KUBECONFIG',
      `context "${context.name}" names user "${context.user}", which the kubeconfig does not define`,
      {
        hint: 'add the user under users:, or choose another context',
      },
    );
  }
}

function makeConnection(kc: KubeConfig, server: string): Connection {
  const context = kc.getCurrentContext();
  const http = server.startsWith('http://');
  // One pool of kept-alive sockets per connection: a collection round makes a dozen requests,
  // and a TLS handshake for each costs more than the request itself. Through a proxy-url, the
  // client's own agent (a tunnel through the proxy, as kubectl makes) is kept instead.
  const proxied = Boolean(kc.getCurrentCluster()?.proxyUrl);
  const agent = proxied
    ? undefined
    : http
      ? new HttpAgent({ keepAlive: true, maxSockets: 16 })
      : new HttpsAgent({ keepAlive: true, maxSockets: 16 });
  return {
    server,
    context,
    kubeConfig: kc,
    stream: (path, onText, signal) => openStream({ kc, server, http, proxied }, path, onText, signal),
    async request<T>(path: string, options: RequestOptionsLite = {}): Promise<ApiReply<T>> {
      const retries = options.retries ?? 2;
      for (let attempt = 0; ; attempt++) {
        try {
          return await once<T>(kc, server, { http, agent }, path, options);
        } catch (err) {
          if (attempt >= retries || !transient(err)) throw err;
          await new Promise((r) => setTimeout(r, 100 * 3 ** attempt));
        }
      }
    },
  };
}
