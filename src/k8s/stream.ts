/** A GET whose body is read as it arrives: the transport of watches. */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isKubetallyError } from '../domain/errors.js';
import { apiPath, requestOptions } from './request.js';
import { unsendable } from './credential-checks.js';
import { networkError, shownProxy } from './k8s-errors.js';
import type { KubeConfig } from './official-client.js';
import { refusalError } from './refusal.js';

export interface StreamTransport {
  kc: KubeConfig;
  server: string;
  http: boolean;
  /** Through the kubeconfig's proxy-url: the client's agent, a tunnel through it, is kept. */
  proxied: boolean;
}

export async function openStream(
  t: StreamTransport,
  path: string,
  onText: (text: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const { opts } = await requestOptions(t.kc, t.server, path, {});
  // Its own socket, which does not keep the process alive: a command that is done exits even
  // while a watch is open, and the kept-alive sockets of requests are left alone.
  if (!t.proxied) opts.agent = false;
  const proxy = shownProxy(t.kc.getCurrentCluster()?.proxyUrl);
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return resolve();
    const req = (t.http ? httpRequest : httpsRequest)(opts, (res) => {
      res.socket.unref();
      const status = res.statusCode ?? 0;
      if (status !== 200) {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        // As a list's: a 401 says why when the kubeconfig tells (an expired token, none at all).
        res.on('end', () =>
          reject(
            refusalError(t.kc, opts, {
              status,
              body: Buffer.concat(chunks),
              contentType: String(res.headers['content-type'] ?? ''),
              path: apiPath(path),
              date: Date.parse(res.headers.date ?? ''),
            }),
          ),
        );
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (text: string) => onText(text));
      res.on('end', () => resolve());
      res.on('error', (err) => (signal.aborted ? resolve() : reject(networkError(err, t.server, proxy))));
    });
    const abort = () => {
      req.destroy();
      resolve();
    };
    signal.addEventListener('abort', abort, { once: true });
    req.on('error', (err) => (signal.aborted ? resolve() : reject(networkError(err, t.server, proxy))));
    req.on('close', () => signal.removeEventListener('abort', abort));
    req.end();
  }).catch((err: unknown) => {
    // Node throws from request() when it cannot send with these credentials.
    throw isKubetallyError(err) ? err : unsendable(err, t.kc);
  });
}
