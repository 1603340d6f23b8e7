/**
 * One raw request to the API server with a connection's credentials and TLS (the official
 * client's request options, on kubetally's own socket pool), its reply typed: JSON or protobuf
 * body, the server's `Date`, and a KubetallyError naming the problem and the fix.
 */
import { request as httpRequest, type Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { KubeConfig } from './official-client.js';
import { KubetallyError, invalidArgument, isKubetallyError } from '../domain/errors.js';
import { PROTOBUF } from './protobuf/codec.js';
import { networkError, shownProxy } from './k8s-errors.js';
import { checkSendable, credentialProblem, pluginFailed, unsendable } from './credential-checks.js';
import { refusalError } from './refusal.js';
import { checkProxyAddress, guardedLookup, type BlockedNetworks } from './blocked-networks.js';
import type { ApiReply, Connection, RequestOptionsLite } from './connection.js';

/** The API server's `Date` of the refusals it sent: a failed sample is still placed at cluster time. */
const serverDates = new WeakMap<object, number>();

/** When the API server refused a request (its `Date`), if the error is such a refusal. */
export function serverDateOf(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null ? serverDates.get(err) : undefined;
}

/** The networks an uploaded kubeconfig's connection may not reach (k8s/blocked-networks.ts). */
const guards = new WeakMap<KubeConfig, { blocked: BlockedNetworks; lookup: LookupFunction }>();

/**
 * Limits every request made with `kc` (an uploaded kubeconfig whose server address was checked)
 * to addresses outside `blocked`: names as they resolve, and the proxy's.
 */
export function guardKubeconfig(kc: KubeConfig, blocked: BlockedNetworks): void {
  guards.set(kc, { blocked, lookup: guardedLookup(blocked) });
}

/** A failure worth one more try: a 5xx, a broken reply, a connection reset. */
export function transient(err: unknown): boolean {
  return (
    isKubetallyError(err) &&
    (err.code === 'SERVER_ERROR' ||
      err.code === 'MALFORMED_RESPONSE' ||
      (err.code === 'UNREACHABLE' && err.details?.reset === true))
  );
}

const HEAD_BYTES = 4096;

/** A kubeconfig that loaded but cannot make a request (e.g. plain http without skip-verify). */
function unusable(why: string): KubetallyError {
  return new KubetallyError('INVALID_KUBECONFIG', `the kubeconfig cannot be used: ${why}`, {
    hint: 'use the https:// address of the API server with its CA data, or upload a kubeconfig made for this cluster (kubectl config view --minify --raw)',
  });
}

/**
 * Checks that a kubeconfig that loaded can make a request (its server is a URL, its TLS and
 * credentials apply), without sending one.
 */
export async function checkUsable(conn: Connection): Promise<void> {
  const { opts } = await requestOptions(conn.kubeConfig, conn.server, '/version', {});
  checkSendable(opts, conn.server.startsWith('http://'), conn.kubeConfig);
}

export async function requestOptions(
  kc: KubeConfig,
  server: string,
  path: string,
  options: RequestOptionsLite,
): Promise<{ url: URL; opts: RequestOptions; payload: string | undefined }> {
  if (!path.startsWith('/')) throw invalidArgument(`API path must start with "/": ${path}`);
  let url: URL;
  try {
    url = new URL(server + path);
  } catch {
    throw unusable(`its server address "${server}" is not a URL`);
  }
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const opts: RequestOptions = {
    method: payload === undefined ? 'GET' : 'POST',
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port,
    path: url.pathname + url.search,
    headers: {
      accept:
        options.accept ??
        (options.protobuf === undefined ? 'application/json' : `${PROTOBUF}, application/json`),
      ...(payload === undefined
        ? {}
        : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
    },
  };
  try {
    await kc.applyToHTTPSOptions(opts);
  } catch (err) {
    throw pluginFailed(kc, err) ?? unusable((err as Error).message);
  }
  const guard = guards.get(kc);
  if (guard !== undefined) {
    // A proxy agent connects to the proxy on its own, without this lookup: its name is resolved here.
    const proxy = kc.getCurrentCluster()?.proxyUrl;
    if (proxy) await checkProxyAddress(proxy, guard.blocked);
    opts.lookup = guard.lookup;
  }
  return { url, opts, payload };
}

/**
 * The API path of a request, without its query: what a refusal is about. Not the URL's path,
 * which starts with the server's own path when it has one (Rancher's
 * `https://rancher/k8s/clusters/c-1`), so that the RBAC rule and the metrics API were not found.
 */
export function apiPath(path: string): string {
  return path.split('?')[0] as string;
}

export async function once<T>(
  kc: KubeConfig,
  server: string,
  transport: { http: boolean; agent: HttpAgent | undefined },
  path: string,
  options: RequestOptionsLite,
): Promise<ApiReply<T>> {
  const { http, agent } = transport;
  const { url, opts, payload } = await requestOptions(kc, server, path, options);
  // The client sets a new agent on every call; ours keeps sockets (the TLS options stay on the
  // request options, so the pool still keys sockets by CA, client certificate and server name).
  if (agent !== undefined) opts.agent = agent;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const proxy = shownProxy(kc.getCurrentCluster()?.proxyUrl);
  // Every failure below is typed, but for one: Node throws from request() itself when it cannot
  // send with these credentials (a key that is not one), and that throw rejects the promise.
  return new Promise<ApiReply<T>>((resolve, reject) => {
    const req = (http ? httpRequest : httpsRequest)(opts, (res) => {
      const chunks: Buffer[] = [];
      const ok = (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300;
      const contentType = String(res.headers['content-type'] ?? '');
      let headBytes = options.onHead === undefined || !ok ? -1 : 0;
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        if (headBytes < 0) return;
        headBytes += c.length;
        if (headBytes < HEAD_BYTES) return;
        headBytes = -1;
        options.onHead?.(Buffer.concat(chunks).subarray(0, HEAD_BYTES), contentType);
      });
      res.on('error', (err) => reject(networkError(err, server, proxy)));
      res.on('end', () => {
        clearTimeout(timer);
        const raw = Buffer.concat(chunks);
        chunks.length = 0; // the pieces can go while the whole is parsed
        const dateHeader = res.headers.date;
        const date = dateHeader === undefined ? undefined : Date.parse(dateHeader);
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          const refusal = refusalError(kc, opts, {
            status,
            body: raw,
            contentType,
            path: apiPath(path),
            date,
          });
          if (Number.isFinite(date)) serverDates.set(refusal, date as number);
          return reject(refusal);
        }
        if (headBytes >= 0) options.onHead?.(raw, contentType);
        const protobuf = options.protobuf !== undefined && contentType.startsWith(PROTOBUF);
        try {
          const body =
            options.raw === true
              ? raw
              : protobuf
                ? options.protobuf?.(raw)
                : JSON.parse(raw.toString('utf8'));
          resolve({ body: body as T, date: Number.isFinite(date) ? date : undefined });
        } catch {
          reject(
            new KubetallyError(
              'MALFORMED_RESPONSE',
              `the API server sent a reply that is not ${protobuf ? 'a readable protobuf message' : 'JSON'} for ${url.pathname}`,
              {
                hint: 'a proxy between kubetally and the API server may be rewriting replies; try again, or check the server URL',
              },
            ),
          );
        }
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(
        new KubetallyError(
          'TIMEOUT',
          `the API server did not answer ${url.pathname} within ${timeoutMs / 1000} s`,
          {
            hint: 'the cluster may be overloaded or unreachable: check it with kubectl get --raw /version, and try again',
          },
        ),
      );
    }, timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      // A TLS failure with CA data that is no certificate is the CA data's fault.
      reject(credentialProblem(opts) ?? networkError(err, server, proxy));
    });
    req.end(payload);
  }).catch((err: unknown) => {
    throw isKubetallyError(err) ? err : unsendable(err, kc);
  });
}
