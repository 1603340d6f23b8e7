/**
 * The official client (@kubernetes/client-node 1.4.0) with the written kubeconfig over HTTPS:
 * paging, metrics, the Summary API through the node proxy, and every fault of SPEC §8 seen as
 * a real API server produces it.
 */
import * as k8s from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from './support.js';

let sim: TestSimulator;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let now: number;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
  now = sim.clock.advance(2 * 3_600_000);
  kc = new k8s.KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
  core = kc.makeApiClient(k8s.CoreV1Api);
});
afterAll(() => sim?.stop());
afterEach(() => void sim.faults.clear());

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const plain = (x: unknown) => JSON.parse(JSON.stringify(x));

/** The ApiException of a failed call (fails the test when the call succeeds). */
async function failure(call: () => Promise<unknown>): Promise<{ code: number; status: Obj | undefined }> {
  try {
    await call();
  } catch (err) {
    if (err instanceof k8s.ApiException) {
      const body = (err as k8s.ApiException<unknown>).body;
      return {
        code: err.code,
        status: typeof body === 'string' && body !== '' ? JSON.parse(body) : undefined,
      };
    }
    throw err;
  }
  throw new Error('the call succeeded');
}

describe('@kubernetes/client-node against the simulator', () => {
  it('lists all pods page by page with _continue', async () => {
    const expected = sim.world.list('pods', now).map((h) => `${h.namespace}/${h.name}`);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 7, ...(token ? { _continue: token } : {}) });
      seen.push(...page.items.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`));
      token = page.metadata?._continue;
      if (token) expect(page.metadata?.remainingItemCount).toBe(expected.length - seen.length);
      pages++;
    } while (token);
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 7));
  });

  it('reads pod and node metrics as the model serves them', async () => {
    const metrics = new k8s.Metrics(kc);
    const podList = await metrics.getPodMetrics();
    const expectedPods = sim.world
      .list('pods', now)
      .map((h) => sim.world.podMetrics(h, now))
      .filter((m) => m !== undefined);
    expect(podList.items.length).toBeGreaterThan(5);
    expect(plain(podList.items)).toEqual(plain(expectedPods));
    const nodeList = await metrics.getNodeMetrics();
    const expectedNodes = sim.world.list('nodes', now).map((h) => sim.world.nodeMetrics(h, now));
    expect(plain(nodeList.items)).toEqual(plain(expectedNodes));
    const one = podList.items[0]!;
    const nsList = await metrics.getPodMetrics(one.metadata.namespace);
    expect(nsList.items.every((p) => p.metadata.namespace === one.metadata.namespace)).toBe(true);
  });

  it('reads the Summary API through the node proxy (stats%2Fsummary)', async () => {
    const node = sim.world.list('nodes', now)[0]!.name;
    const summary = await core.connectGetNodeProxyWithPath({ name: node, path: 'stats/summary' });
    const body = typeof summary === 'string' ? JSON.parse(summary) : summary;
    expect(body).toEqual(plain(sim.world.nodeSummary(node, now)));
    expect(body.node.nodeName).toBe(node);
  });

  describe('faults', () => {
    const metrics = () => new k8s.Metrics(kc);

    it('metricsApi missing: 404 on metrics.k8s.io, and the group leaves discovery', async () => {
      sim.faults.set({ metricsApi: 'missing' });
      expect((await failure(() => metrics().getPodMetrics())).code).toBe(404);
      const groups = await kc.makeApiClient(k8s.ApisApi).getAPIVersions();
      expect(groups.groups.map((g) => g.name)).not.toContain('metrics.k8s.io');
    });

    it('metricsApi unavailable: 503 from the aggregator', async () => {
      sim.faults.set({ metricsApi: 'unavailable' });
      // The aggregator's plain-text 503 ("service unavailable") is not JSON; client-node 1.4.0
      // reports that as code 500 "invalid json response body" (api.test.ts checks the raw 503).
      await expect(metrics().getNodeMetrics()).rejects.toMatchObject({
        code: 500,
        message: expect.stringContaining('service unavailable'),
      });
    });

    it('summaryApi forbidden: 403 naming nodes/proxy', async () => {
      sim.faults.set({ summaryApi: 'forbidden' });
      const node = sim.world.list('nodes', now)[0]!.name;
      const e = await failure(() => core.connectGetNodeProxyWithPath({ name: node, path: 'stats/summary' }));
      expect(e.code).toBe(403);
      expect(e.status).toMatchObject({
        kind: 'Status',
        reason: 'Forbidden',
        code: 403,
        details: { name: node, kind: 'nodes' },
      });
      expect(e.status!.message).toBe(
        `nodes "${node}" is forbidden: User "system:serviceaccount:kubetally:kubetally-collector" cannot get resource "nodes/proxy" in API group "" at the cluster scope`,
      );
    });

    it('summaryApi unavailable: 503 Status', async () => {
      sim.faults.set({ summaryApi: 'unavailable' });
      const node = sim.world.list('nodes', now)[0]!.name;
      const e = await failure(() => core.connectGetNodeProxyWithPath({ name: node, path: 'stats/summary' }));
      expect(e.code).toBe(503);
      expect(e.status).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable', code: 503 });
    });

    it('errorRate 1: 500 InternalError Status', async () => {
      sim.faults.set({ errorRate: 1 });
      const e = await failure(() => core.listNode());
      expect(e.code).toBe(500);
      expect(e.status).toMatchObject({
        kind: 'Status',
        status: 'Failure',
        reason: 'InternalError',
        code: 500,
      });
    });

    it('unauthorized: 401 Unauthorized', async () => {
      sim.faults.set({ unauthorized: true });
      expect((await failure(() => core.listNode())).code).toBe(401);
    });

    it('forbidden pods: 403 with the RBAC message; nodes still work', async () => {
      sim.faults.set({ forbidden: ['pods'] });
      const e = await failure(() => core.listPodForAllNamespaces());
      expect(e.code).toBe(403);
      expect(e.status).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'pods is forbidden: User "system:serviceaccount:kubetally:kubetally-collector" cannot list resource "pods" in API group "" at the cluster scope',
        reason: 'Forbidden',
        details: { kind: 'pods' },
        code: 403,
      });
      expect((await core.listNode()).items.length).toBeGreaterThan(0);
    });

    it('expireContinue: 410 Expired with a fresh token', async () => {
      const first = await core.listPodForAllNamespaces({ limit: 3 });
      sim.faults.set({ expireContinue: true });
      const e = await failure(() =>
        core.listPodForAllNamespaces({ limit: 3, _continue: first.metadata!._continue! }),
      );
      expect(e.code).toBe(410);
      expect(e.status).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
      expect(e.status!.message).toMatch(/^The provided continue parameter is too old/);
      expect(typeof e.status!.metadata.continue).toBe('string');
    });

    it('malformedRate 1: a body that does not parse', async () => {
      sim.faults.set({ malformedRate: 1 });
      await expect(core.listNode()).rejects.toThrow(SyntaxError);
    });

    it('resetRate 1: the connection is destroyed', async () => {
      sim.faults.set({ resetRate: 1 });
      await expect(core.listNode()).rejects.toMatchObject({ code: 'ECONNRESET' });
    });

    it('latency: answers are delayed', async () => {
      sim.faults.set({ latency: '400ms' });
      const t0 = performance.now();
      await core.listNode();
      expect(performance.now() - t0).toBeGreaterThanOrEqual(390);
    });
  });
});
