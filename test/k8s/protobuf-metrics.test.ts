/**
 * Pod and node metrics in Kubernetes protobuf, as metrics-server serves them to `kubectl top`:
 * the simulator writes them when asked, and the client reads the same usage from protobuf as
 * from JSON (and from a server that answers only JSON).
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/domain/duration.js';
import { loadKubeconfig, type Connection } from '../../src/k8s/connection.js';
import type { NodeMetricsList, PodMetricsList } from '../../src/k8s/metrics-api.js';
import { listPodMetricsLite } from '../../src/k8s/pod-metrics.js';
import { readPodsUsage } from '../../src/k8s/pod-usage.js';
import { decodeList, decodeMessage, PROTOBUF, unwrap } from '../../src/k8s/protobuf/codec.js';
import { decodePodMetricsList } from '../../src/k8s/protobuf/metrics-list.js';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';

let sim: TestSimulator;
let conn: Connection;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual', plainHttp: true });
  sim.clock.advance(31 * 3_600_000 + 4_321);
  conn = await loadKubeconfig({ yaml: sim.kubeconfig, allowInsecureHttp: true });
});
afterAll(() => sim?.stop());

const PODS = '/apis/metrics.k8s.io/v1beta1/pods';

/** What the client keeps of a PodMetrics, taken from its JSON form. */
function lite(items: PodMetricsList['items']) {
  return items.map((m) => ({
    namespace: m.metadata.namespace,
    name: m.metadata.name,
    time: Date.parse(m.timestamp),
    windowMs: parseDuration(m.window),
    containers: m.containers.map((c) => ({ name: c.name, cpu: c.usage.cpu, memory: c.usage.memory })),
  }));
}

describe('metrics in protobuf', () => {
  it('reads every pod metrics item the same from protobuf as from JSON', async () => {
    const json = await sim.bytes(PODS, 'application/json');
    const proto = await sim.bytes(PODS, `${PROTOBUF}, */*`);
    expect(json.type).toBe('application/json');
    expect(proto.type).toBe(PROTOBUF);
    const expected = lite((JSON.parse(json.body.toString()) as PodMetricsList).items);
    expect(expected.length).toBeGreaterThan(10);
    expect(expected.some((m) => m.containers.length > 1)).toBe(true);
    expect(decodePodMetricsList(proto.body).items).toEqual(expected);
    expect(await listPodMetricsLite(conn)).toEqual(expected);
    // One namespace, and a label selector, come the same way.
    const ns = expected[0]?.namespace as string;
    expect(await listPodMetricsLite(conn, { namespace: ns })).toEqual(
      expected.filter((m) => m.namespace === ns),
    );
  });

  it('serves node metrics and single objects in protobuf', async () => {
    const json = JSON.parse(
      (await sim.bytes('/apis/metrics.k8s.io/v1beta1/nodes', 'application/json')).body.toString(),
    );
    const proto = await sim.bytes('/apis/metrics.k8s.io/v1beta1/nodes', PROTOBUF);
    const decoded = decodeList(proto.body, 'NodeMetricsList', (r, end) =>
      decodeMessage(r, end, 'NodeMetrics', { metadata: { name: true }, window: true, usage: true }),
    ).items;
    expect(decoded).toEqual(
      (json as NodeMetricsList).items.map((n) => ({
        metadata: { name: n.metadata.name },
        window: parseDuration(n.window),
        usage: n.usage,
      })),
    );
    const first = (JSON.parse((await sim.bytes(PODS, 'application/json')).body.toString()) as PodMetricsList)
      .items[0];
    const path = `/apis/metrics.k8s.io/v1beta1/namespaces/${first?.metadata.namespace}/pods/${first?.metadata.name}`;
    const one = await sim.bytes(path, PROTOBUF);
    expect(one.type).toBe(PROTOBUF);
    const { reader, end } = unwrap(one.body, 'PodMetrics');
    expect(
      decodeMessage(reader, end, 'PodMetrics', { metadata: { name: true }, containers: { usage: true } }),
    ).toEqual({
      metadata: { name: first?.metadata.name },
      containers: first?.containers.map((c) => ({ usage: c.usage })),
    });
  });

  it('reads the same usage from a metrics API that answers only JSON', async () => {
    // A server in front of the simulator that asks it for JSON whatever the client accepts.
    const jsonOnly: Server = createServer((req, res) => {
      void fetch(`${sim.url}${req.url}`, {
        headers: { accept: 'application/json', authorization: req.headers.authorization ?? '' },
      }).then(async (r) => {
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? '' });
        res.end(Buffer.from(await r.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => jsonOnly.listen(0, '127.0.0.1', resolve));
    try {
      const port = (jsonOnly.address() as { port: number }).port;
      const viaJson = await loadKubeconfig({
        yaml: sim.kubeconfig.replace(sim.url, `http://127.0.0.1:${port}`),
        allowInsecureHttp: true,
      });
      expect(await listPodMetricsLite(viaJson)).toEqual(await listPodMetricsLite(conn));
      expect(await readPodsUsage(viaJson)).toEqual(await readPodsUsage(conn));
    } finally {
      jsonOnly.close();
    }
  });

  it('refuses a cut protobuf list as malformed, with a hint', async () => {
    const body = (await sim.bytes(PODS, PROTOBUF)).body;
    expect(() => decodePodMetricsList(body.subarray(0, Math.floor(body.length / 2)))).toThrow();
    sim.faults.set({ malformedRate: 1 });
    try {
      await expect(listPodMetricsLite(conn)).rejects.toMatchObject({
        code: 'MALFORMED_RESPONSE',
        hint: expect.stringMatching(/\S/),
      });
    } finally {
      sim.faults.clear();
    }
  });
});
