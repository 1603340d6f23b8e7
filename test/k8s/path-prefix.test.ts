/**
 * An API server behind a path (Rancher's `https://rancher/k8s/clusters/c-1`, a gateway's
 * `/kubernetes`): requests keep the prefix, and refusals are read from the API path. They were
 * read from the URL's path, so a missing metrics API was NOT_FOUND ("check the name and
 * namespace") instead of "install metrics-server", and a 403 named a wrong RBAC rule.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadKubeconfig, type Connection } from '../../src/k8s/connection.js';
import { getNodesMetrics, getPodsMetrics } from '../../src/k8s/metrics-api.js';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';

const PREFIX = '/k8s/clusters/c-1';
let sim: TestSimulator;
let gateway: Server;
let conn: Connection;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual', plainHttp: true });
  sim.clock.advance(3_600_000);
  const upstream = new URL(sim.url);
  // Serves the simulator under PREFIX only, as a gateway in front of a cluster does.
  gateway = createServer((req, res) => {
    if (!req.url?.startsWith(`${PREFIX}/`)) return void res.writeHead(404).end();
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url.slice(PREFIX.length),
        headers: req.headers,
      },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  const doc = parse(sim.kubeconfig) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  doc.clusters[0].cluster.server = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}${PREFIX}`;
  conn = await loadKubeconfig({ yaml: stringify(doc), allowInsecureHttp: true });
});
afterAll(async () => {
  await sim?.stop();
  gateway?.closeAllConnections();
  await new Promise((resolve) => gateway?.close(resolve));
});
beforeEach(() => sim.faults.clear());

describe('an API server behind a path', () => {
  it('is reached under its path', async () => {
    const nodes = await getNodesMetrics(conn);
    expect(nodes.items.map((n) => n.metadata.name)).toEqual(
      sim.world.list('nodes', sim.clock.now()).map((n) => n.name),
    );
  });

  it('a missing metrics API says to install metrics-server', async () => {
    sim.faults.set({ metricsApi: 'missing' });
    await expect(getPodsMetrics(conn, 'fraud-alice')).rejects.toMatchObject({
      code: 'METRICS_API_UNAVAILABLE',
      message: 'the metrics API (metrics.k8s.io) is not installed on this cluster (404)',
    });
  });

  it('a refusal names the API path and the RBAC rule for it', async () => {
    sim.faults.set({ forbidden: ['pods.metrics.k8s.io'] });
    const err = await getPodsMetrics(conn, 'fraud-alice').catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(
        /^the cluster refused access to \/apis\/metrics\.k8s\.io\/v1beta1\/namespaces\/fraud-alice\/pods \(403 Forbidden\)/,
      ),
      details: { rule: { apiGroup: 'metrics.k8s.io', resource: 'pods', verbs: ['get', 'list'] } },
    });
  });
});
