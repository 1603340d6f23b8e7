/**
 * The access layer against the simulator: paged lists, the metrics API, the Summary API, and
 * every simulator fault turned into its typed error with a message a user can act on.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadKubeconfig, type Connection } from '../../src/k8s/connection.js';
import { listAll } from '../../src/k8s/lists.js';
import {
  getAllPodsMetrics,
  getNodeMetrics,
  getNodeSummary,
  getNodesMetrics,
  getPodMetrics,
  getPodsMetrics,
  getPodsMetricsInAllNamespaces,
  getServerVersion,
} from '../../src/k8s/metrics-api.js';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sim: TestSimulator;
let conn: Connection;
let now: number;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual', plainHttp: true });
  now = sim.clock.advance(6 * 3_600_000);
  conn = await loadKubeconfig({ yaml: sim.kubeconfig, allowInsecureHttp: true });
});
afterAll(() => sim?.stop());
beforeEach(() => sim.faults.clear());

const worldPods = () => sim.world.list('pods', now);

describe('lists', () => {
  it('pages through every pod and keeps the compact fields', async () => {
    const { items, date } = await listAll(conn, 'pods', { limit: 3 });
    expect(items.map((p) => p.uid)).toEqual(worldPods().map((h) => h.uid));
    expect(date).toBe(Math.floor(now / 1000) * 1000);
    const notebook = items.find((p) => p.name === 'jupyter-alice-0') as (typeof items)[number];
    expect(notebook).toMatchObject({
      namespace: 'fraud-alice',
      phase: 'Running',
      claims: ['jupyter-alice-data'],
    });
    expect(notebook.containers[0]?.requests).toEqual({
      cpuNanoCores: 1_000_000_000n,
      memoryBytes: 2n * 2n ** 30n,
      gpus: 0n,
    });
  });

  it('applies namespaces and label and field selectors', async () => {
    const mine = await listAll(conn, 'pods', { labelSelector: 'owner=dave' });
    expect(mine.items.map((p) => p.name).sort()).toEqual(
      worldPods()
        .filter((h) => h.labels.owner === 'dave')
        .map((h) => h.name)
        .sort(),
    );
    const ns = await listAll(conn, 'pods', { namespace: 'kube-system', limit: 2 });
    expect(ns.items.every((p) => p.namespace === 'kube-system')).toBe(true);
    expect(ns.items.length).toBe(worldPods().filter((h) => h.namespace === 'kube-system').length);
    const onNode = await listAll(conn, 'pods', { fieldSelector: 'spec.nodeName=gpu-0' });
    expect(onNode.items.every((p) => p.nodeName === 'gpu-0')).toBe(true);
  });

  it('returns the complete list when continue tokens expire (410) while paging', async () => {
    sim.faults.set({ expireContinue: true });
    const { items } = await listAll(conn, 'pods', { limit: 4 });
    expect(items.map((p) => p.uid)).toEqual(worldPods().map((h) => h.uid));
  });

  it('lists nodes, PVCs, PVs, services and namespaces', async () => {
    const nodes = await listAll(conn, 'nodes');
    expect(nodes.items.map((n) => n.name)).toEqual(['cpu-1', 'cpu-2', 'gpu-0', 'spot-0']);
    expect(nodes.items.find((n) => n.name === 'gpu-0')?.allocatable.gpus).toBe(1n);
    const pvcs = await listAll(conn, 'persistentvolumeclaims');
    expect(pvcs.items.find((c) => c.name === 'training-data')).toMatchObject({
      phase: 'Bound',
      capacityBytes: 200n * 2n ** 30n,
    });
    const pvs = await listAll(conn, 'persistentvolumes');
    expect(pvs.items.length).toBe(pvcs.items.length);
    const svcs = await listAll(conn, 'services');
    expect(svcs.items.find((s) => s.name === 'recsys-predictor')?.type).toBe('LoadBalancer');
    const nss = await listAll(conn, 'namespaces');
    expect(nss.items.map((n) => n.name)).toContain('recsys-dave');
  });
});

describe('metrics API', () => {
  it('serves node metrics as the API returns them', async () => {
    const list = await getNodesMetrics(conn);
    expect(list.kind).toBe('NodeMetricsList');
    const expected = sim.world.list('nodes', now).map((h) => sim.world.nodeMetrics(h, now));
    expect(list.items).toEqual(expected);
    expect(await getNodeMetrics(conn, 'cpu-1')).toEqual(expected[0]);
  });

  it('serves pod metrics per namespace, with label selectors, and for one pod', async () => {
    const ns = 'recsys-dave';
    const expected = worldPods()
      .filter((h) => h.namespace === ns)
      .map((h) => sim.world.podMetrics(h, now))
      .filter((m) => m !== undefined);
    expect((await getPodsMetrics(conn, ns)).items).toEqual(expected);
    const serving = await getPodsMetrics(conn, ns, 'compute-type=serving');
    expect(serving.items.length).toBe(2);
    expect(serving.items.every((i) => i.metadata.labels?.['compute-type'] === 'serving')).toBe(true);
    const one = expected[0] as Obj;
    expect(await getPodMetrics(conn, ns, one.metadata.name)).toEqual(one);
    expect((await getAllPodsMetrics(conn)).items.length).toBe(
      worldPods().filter((h) => sim.world.podMetrics(h, now) !== undefined).length,
    );
  });

  it('refuses an empty namespace before any request, and a bad selector', async () => {
    await expect(getPodsMetrics(conn, '')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(getPodsMetrics(conn, 'x', 'app in web')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it("takes null as no selector, as the Python client's label_selector=None, and refuses a non-string by name", async () => {
    // null and {owner: 'dave'} threw TypeError "labelSelector.trim is not a function" (or of null).
    const ns = 'recsys-dave';
    expect((await getPodsMetrics(conn, ns, null)).items).toEqual((await getPodsMetrics(conn, ns)).items);
    expect((await getNodesMetrics(conn, null)).items.length).toBe(4);
    const all = await getPodsMetricsInAllNamespaces(conn, [ns], null);
    expect(all[ns]).toMatchObject({ kind: 'PodMetricsList' });
    const notText = { owner: 'dave' } as unknown as string;
    for (const call of [
      () => getPodsMetrics(conn, ns, notText),
      () => getPodsMetricsInAllNamespaces(conn, [ns], notText),
      () => getNodesMetrics(conn, notText),
    ]) {
      await expect(call()).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: 'labelSelector must be a string, got object',
        hint: 'write it as kubectl -l takes it, e.g. "app=web,tier!=db" or "env in (prod,staging)"',
      });
    }
  });

  it('refuses a missing node name before any request, as getNodeMetrics does', async () => {
    // It asked for /api/v1/nodes//proxy/stats/summary and blamed the kubelet ("check that the node is Ready").
    for (const name of ['', undefined]) {
      await expect(getNodeSummary(conn, name as unknown as string)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: 'node name is required',
      });
    }
  });

  it('refuses a pod or node name that cannot be one before any request (a 404 read as "metrics API not installed")', async () => {
    const hint = expect.stringContaining('lower-case letters, digits, "-" and "."');
    for (const name of ['../pods', 'Web-0', 'a/b', 'x'.repeat(254)]) {
      const invalid = { code: 'INVALID_ARGUMENT', hint };
      await expect(getPodMetrics(conn, 'fraud-alice', name)).rejects.toMatchObject({
        ...invalid,
        message: `"${name}" is not a pod name`,
      });
      await expect(getNodeMetrics(conn, name)).rejects.toMatchObject({
        ...invalid,
        message: `"${name}" is not a node name`,
      });
      await expect(getNodeSummary(conn, name)).rejects.toMatchObject(invalid);
    }
    await expect(getPodMetrics(conn, 'Fraud', 'web-0')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: '"Fraud" is not a namespace name',
    });
    // A well-formed name the cluster does not have is the server's to say.
    await expect(getPodMetrics(conn, 'fraud-alice', 'no-such-pod.x')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('answers many namespaces, one error per failing namespace', async () => {
    const result = await getPodsMetricsInAllNamespaces(conn, ['fraud-alice', '', 'a/b', 'kube-system']);
    expect(Object.keys(result)).toEqual(['fraud-alice', '', 'a/b', 'kube-system']);
    expect(result['fraud-alice']).toMatchObject({ kind: 'PodMetricsList' });
    expect(result['']).toEqual({
      kind: 'Error',
      error: 'namespace is required',
      code: 'INVALID_ARGUMENT',
      hint: 'pass a namespace name, or use getPodsMetricsInAllNamespaces',
    });
    expect(result['a/b']).toMatchObject({
      kind: 'Error',
      error: '"a/b" is not a namespace name',
      code: 'INVALID_ARGUMENT',
    });
    expect((result['kube-system'] as Obj).items.length).toBeGreaterThan(0);
    // A selector that is not one is the caller's mistake for every namespace: the call fails, as
    // getPodsMetrics does, rather than answer an error per namespace.
    await expect(
      getPodsMetricsInAllNamespaces(conn, ['fraud-alice'], 'owner in alice'),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('keeps the code and the fix of a namespace that failed: install metrics-server, the RBAC rule', async () => {
    // Only the message was kept, so the entry never said what to do about it.
    sim.faults.set({ metricsApi: 'missing' });
    expect(await getPodsMetricsInAllNamespaces(conn, ['fraud-alice'])).toEqual({
      'fraud-alice': {
        kind: 'Error',
        error: 'the metrics API (metrics.k8s.io) is not installed on this cluster (404)',
        code: 'METRICS_API_UNAVAILABLE',
        hint: expect.stringMatching(/^install metrics-server/),
      },
    });
    sim.faults.set({ metricsApi: 'ok', forbidden: ['pods.metrics.k8s.io'] });
    const refused = await getPodsMetricsInAllNamespaces(conn, ['fraud-alice']);
    expect(refused['fraud-alice']).toMatchObject({
      kind: 'Error',
      code: 'FORBIDDEN',
      hint: expect.stringContaining('apiGroups: ["metrics.k8s.io"]\n    resources: ["pods"]'),
    });
  });

  it('reads the kubelet Summary API through the node proxy, and the server version', async () => {
    const { body, date } = await getNodeSummary(conn, 'gpu-0');
    expect(body).toEqual(sim.world.nodeSummary('gpu-0', now));
    expect(date).toBeDefined();
    expect((await getServerVersion(conn)).minor).toBe('32');
  });

  it('names a node the cluster does not have, rather than a kubelet that does not answer', async () => {
    // It was SUMMARY_API_UNAVAILABLE: "check that the node is Ready and its kubelet reachable".
    await expect(getNodeSummary(conn, 'gpu-9')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'the cluster has no node named "gpu-9"',
      hint: 'use a node name as kubectl get nodes lists it',
    });
  });
});

describe('faults become typed errors', () => {
  it('metrics API missing or down → METRICS_API_UNAVAILABLE with how to install metrics-server', async () => {
    for (const state of ['missing', 'unavailable'] as const) {
      sim.faults.set({ metricsApi: state });
      const err = await getNodesMetrics(conn).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'METRICS_API_UNAVAILABLE' });
      expect((err as Obj).hint).toContain('metrics-server');
    }
  });

  it('401 → UNAUTHORIZED', async () => {
    sim.faults.set({ unauthorized: true });
    await expect(listAll(conn, 'nodes')).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
  });

  it('403 → FORBIDDEN with the missing RBAC rule as YAML', async () => {
    sim.faults.set({ forbidden: ['pods'] });
    const err = (await listAll(conn, 'pods').catch((e: unknown) => e)) as Obj;
    expect(err.code).toBe('FORBIDDEN');
    expect(err.details.rbac).toContain('resources: ["pods"]');
    expect(err.details.rbac).toContain('verbs: ["get", "list"]');
    expect(err.message).toContain('cannot list resource "pods"');
  });

  it('Summary API forbidden → FORBIDDEN naming nodes/proxy; unavailable → SUMMARY_API_UNAVAILABLE', async () => {
    sim.faults.set({ summaryApi: 'forbidden' });
    const err = (await getNodeSummary(conn, 'cpu-1').catch((e: unknown) => e)) as Obj;
    expect(err.code).toBe('FORBIDDEN');
    expect(err.details.rbac).toContain('resources: ["nodes/proxy"]');
    sim.faults.set({ summaryApi: 'unavailable' });
    await expect(getNodeSummary(conn, 'cpu-1')).rejects.toMatchObject({ code: 'SUMMARY_API_UNAVAILABLE' });
  });

  it('500s are retried, then reported as SERVER_ERROR', async () => {
    sim.faults.set({ errorRate: 0.3 });
    const { items } = await listAll(conn, 'pods', { limit: 5 });
    expect(items.length).toBe(worldPods().length);
    sim.faults.set({ errorRate: 1 });
    await expect(getNodesMetrics(conn)).rejects.toMatchObject({ code: 'SERVER_ERROR', status: 500 });
  });

  it('latency beyond the timeout → TIMEOUT', async () => {
    sim.faults.set({ latency: '2s' });
    await expect(conn.request('/api/v1/nodes', { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
  });

  it('broken JSON → MALFORMED_RESPONSE; reset connections → UNREACHABLE', async () => {
    sim.faults.set({ malformedRate: 1 });
    await expect(listAll(conn, 'nodes')).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE' });
    sim.faults.clear();
    sim.faults.set({ resetRate: 1 });
    const err = (await listAll(conn, 'nodes').catch((e: unknown) => e)) as Obj;
    expect(err.code).toBe('UNREACHABLE');
    expect(err.hint).toContain('reset');
  });

  it('a closed port → UNREACHABLE naming the server', async () => {
    const gone = await loadKubeconfig({
      yaml: sim.kubeconfig.replace(/server: .*/, 'server: http://127.0.0.1:1'),
      allowInsecureHttp: true,
    });
    const err = (await listAll(gone, 'nodes').catch((e: unknown) => e)) as Obj;
    expect(err.code).toBe('UNREACHABLE');
    expect(err.message).toContain('127.0.0.1:1');
  });
});

describe('over HTTPS with the written kubeconfig', () => {
  it('verifies the simulator CA and sends the token', async () => {
    const tls = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
    try {
      const c = await loadKubeconfig({ file: tls.kubeconfigPath, trust: 'own' });
      expect(c.server.startsWith('https://')).toBe(true);
      expect((await listAll(c, 'nodes')).items.length).toBe(4);
      const forged = await loadKubeconfig({ yaml: tls.kubeconfig.replace(/token: .*/, 'token: wrong') });
      await expect(listAll(forged, 'nodes')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    } finally {
      await tls.stop();
    }
  });
});
