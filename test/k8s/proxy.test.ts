/**
 * A kubeconfig's `proxy-url` is honoured, as kubectl honours it (a bastion's HTTP CONNECT or
 * SOCKS proxy): requests and watches went straight to the server, ignoring it, so a cluster
 * that kubectl reached through its proxy was unreachable for kubetally, or reached by a route
 * the kubeconfig did not name.
 */
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { isKubetallyError } from '../../src/domain/errors.js';
import { loadKubeconfig } from '../../src/k8s/connection.js';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';

let sim: TestSimulator;
let proxy: Server;
let proxyUrl: string;
const tunnels: string[] = [];
const sockets = new Set<{ destroy(): void }>();

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
  proxy = createServer((_, res) => res.writeHead(405).end());
  proxy.on('connect', (req, client, head) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    sockets.add(client);
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sim?.stop();
  for (const s of sockets) s.destroy();
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
});

function through(url: string): string {
  const doc = parse(sim.kubeconfig) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  doc.clusters[0].cluster['proxy-url'] = url;
  return stringify(doc);
}

describe('proxy-url', () => {
  it('sends requests and watches through the proxy', async () => {
    const conn = await loadKubeconfig({ yaml: through(proxyUrl) });
    const server = new URL(sim.url).host;
    tunnels.length = 0;
    expect((await conn.request<{ minor: string }>('/version')).body.minor).toBe('32');
    expect(tunnels).toEqual([server]);
    let text = '';
    const watch = new AbortController();
    const done = conn.stream(
      '/api/v1/pods?watch=1',
      (t) => {
        text += t;
        if (text.includes('\n')) watch.abort();
      },
      watch.signal,
    );
    await done;
    expect(text).toMatch(/^\{"type":"ADDED"/);
    expect(tunnels).toEqual([server, server]);
  });

  it('fails, UNREACHABLE, when the proxy cannot be reached (it went around it), naming the proxy', async () => {
    // The proxy's password is never shown; the error blamed the server address, which was right.
    const conn = await loadKubeconfig({ yaml: through('http://bastion:s3cret@127.0.0.1:9') });
    const err = await conn.request('/version', { retries: 0 }).catch((e: unknown) => e);
    expect(isKubetallyError(err, 'UNREACHABLE'), String(err)).toBe(true);
    expect(err).toMatchObject({
      message: `cannot reach the API server at ${sim.url} through the proxy http://127.0.0.1:9 (ECONNREFUSED)`,
      hint: "check the kubeconfig's proxy-url (http://127.0.0.1:9): that the proxy runs, is reachable from here and lets connections through to the server",
    });
    const watch = await conn
      .stream('/api/v1/pods?watch=1', () => undefined, new AbortController().signal)
      .catch((e: unknown) => e);
    expect(watch).toMatchObject({ code: 'UNREACHABLE', message: (err as Error).message });
  });

  it('says so when the proxy refuses the tunnel (407: it wants credentials)', async () => {
    const strict = createServer((_, res) => res.writeHead(405).end());
    strict.on('connect', (_req, client) => {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
    });
    await new Promise<void>((resolve) => strict.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(strict.address() as AddressInfo).port}`;
      const conn = await loadKubeconfig({ yaml: through(url) });
      const err = await conn.request('/version', { retries: 0 }).catch((e: unknown) => e);
      expect(err).toMatchObject({
        code: 'UNREACHABLE',
        message: `cannot reach the API server at ${sim.url} through the proxy ${url} (the proxy answered 407)`,
      });
    } finally {
      strict.closeAllConnections();
      await new Promise((resolve) => strict.close(resolve));
    }
  });
});
