/**
 * Reading a list one page ahead: the next page is asked for as soon as a page's metadata (which
 * a real API server writes before the items) has arrived, and a server that writes the metadata
 * last is still read whole, page after page.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadKubeconfig } from '../../src/k8s/connection.js';
import { listAll } from '../../src/k8s/lists.js';

const PAGES = 4;
const PER_PAGE = 3;

const pod = (n: number) => ({
  metadata: { name: `p${n}`, namespace: 'ns', uid: `u${n}` },
  spec: { nodeName: 'n1', containers: [{ name: 'c', resources: { requests: { cpu: '100m' } } }] },
  status: { phase: 'Running' },
});

interface Fake {
  server: Server;
  /** Per request, in arrival order: the page asked for, and whether the previous page had been sent whole. */
  asked: { page: number; previousDone: boolean }[];
}

let fake: Fake | undefined;
afterEach(() => new Promise<void>((r) => (fake ? fake.server.close(() => r()) : r())));

/** A plain-HTTP pod list whose pages send their first bytes at once and the rest 150 ms later. */
async function startFake(metadataFirst: boolean): Promise<{ kubeconfig: string; fake: Fake }> {
  const asked: Fake['asked'] = [];
  const done = new Set<number>();
  const server = createServer((req, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const page = Number(url.searchParams.get('continue') ?? '0');
    asked.push({ page, previousDone: page === 0 || done.has(page - 1) });
    const items = Array.from({ length: PER_PAGE }, (_, i) => JSON.stringify(pod(page * PER_PAGE + i)));
    const metadata = JSON.stringify(
      page + 1 < PAGES ? { resourceVersion: '1', continue: String(page + 1) } : { resourceVersion: '1' },
    );
    const head = `{"kind":"PodList","apiVersion":"v1",${metadataFirst ? `"metadata":${metadata},` : ''}"items":[`;
    const tail = `${items.join(',')}]${metadataFirst ? '' : `,"metadata":${metadata}`}}`;
    res.writeHead(200, { 'content-type': 'application/json' });
    // Enough of the head for the client to see it (and, when it is there, the token) first.
    res.write(head + ' '.repeat(5000));
    setTimeout(() => {
      done.add(page);
      res.end(tail);
    }, 150);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const kubeconfig = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;
  fake = { server, asked };
  return { kubeconfig, fake };
}

describe('listAll', () => {
  it('asks for the next page while the current one is still arriving', async () => {
    const { kubeconfig, fake } = await startFake(true);
    const conn = await loadKubeconfig({ yaml: kubeconfig, allowInsecureHttp: true });
    const list = await listAll(conn, 'pods', { limit: PER_PAGE });
    expect(list.items.map((p) => p.name)).toEqual(
      Array.from({ length: PAGES * PER_PAGE }, (_, n) => `p${n}`),
    );
    expect(fake.asked.map((a) => a.page)).toEqual([0, 1, 2, 3]);
    // Every later page was asked for before the page before it had been sent whole.
    expect(fake.asked.slice(1).every((a) => !a.previousDone)).toBe(true);
  });

  it('reads a server that writes the metadata last page after page', async () => {
    const { kubeconfig, fake } = await startFake(false);
    const conn = await loadKubeconfig({ yaml: kubeconfig, allowInsecureHttp: true });
    const list = await listAll(conn, 'pods', { limit: PER_PAGE });
    expect(list.items).toHaveLength(PAGES * PER_PAGE);
    expect(fake.asked.map((a) => a.page)).toEqual([0, 1, 2, 3]);
    expect(fake.asked.slice(1).every((a) => a.previousDone)).toBe(true);
  });
});
