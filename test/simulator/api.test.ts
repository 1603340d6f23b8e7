/* eslint-disable @typescript-eslint/no-explicit-any -- raw JSON from the wire */
/**
 * The simulator's wire behaviour, raw (plain HTTP): auth, discovery, Tables, selectors,
 * paging and its errors, metrics 404s, Status bodies, and the /sim control endpoints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from './support.js';

let sim: TestSimulator;
const TABLE =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual', plainHttp: true });
  sim.clock.advance(2 * 3_600_000);
});
afterAll(() => sim?.stop());

const now = () => sim.clock.now();
const STATUS = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure' };

describe('auth and plumbing', () => {
  it('answers 401 Unauthorized with a wrong token, and /sim without the token', async () => {
    const r = await sim.call('/api/v1/pods', { token: 'wrong' });
    expect(r.status).toBe(401);
    expect(r.json()).toEqual({ ...STATUS, message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    expect((await sim.call('/sim/clock', { token: 'wrong' })).status).toBe(401);
    expect((await sim.call('/sim/clock', { token: null })).status).toBe(401);
    // Over plain http (as here) a request without credentials reads the API: kubectl sends none.
    expect((await sim.call('/api/v1/pods', { token: null })).status).toBe(200);
  });

  it('serves /version with minor 32 and the cluster time as Date', async () => {
    const r = await sim.call('/version?timeout=5s');
    expect(r.json()).toMatchObject({
      major: '1',
      minor: '32',
      gitVersion: expect.stringMatching(/^v1\.32\./),
    });
    expect(Date.parse(r.headers.get('date')!)).toBe(Math.floor(now() / 1000) * 1000);
  });

  it('answers unknown paths 404 and writes 405', async () => {
    const r = await sim.call('/api/v1/secrets');
    expect(r.status).toBe(404);
    expect(r.json()).toEqual({
      ...STATUS,
      message: 'the server could not find the requested resource',
      reason: 'NotFound',
      details: {},
      code: 404,
    });
    expect((await sim.call('/api/v1/pods', { method: 'POST', body: {} })).status).toBe(405);
  });

  it('serves legacy discovery with short names', async () => {
    const core = (await sim.call('/api/v1')).json();
    const short = Object.fromEntries(core.resources.map((r: any) => [r.name, r.shortNames]));
    expect(short).toMatchObject({
      pods: ['po'],
      nodes: ['no'],
      namespaces: ['ns'],
      persistentvolumeclaims: ['pvc'],
      persistentvolumes: ['pv'],
      services: ['svc'],
    });
    expect((await sim.call('/apis')).json().groups[0].name).toBe('metrics.k8s.io');
    expect((await sim.call('/apis/metrics.k8s.io/v1beta1')).json().resources).toHaveLength(2);
  });
});

describe('lists', () => {
  it('returns a Table with rows[].object PartialObjectMetadata when asked', async () => {
    const r = await sim.call('/api/v1/pods?limit=500', { accept: TABLE });
    const t = r.json();
    expect(t.kind).toBe('Table');
    expect(t.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP',
      'Node',
      'Nominated Node',
      'Readiness Gates',
    ]);
    const pods = sim.world.list('pods', now());
    expect(t.rows).toHaveLength(pods.length);
    expect(t.rows[0].object.kind).toBe('PartialObjectMetadata');
    expect(t.rows[0].object.metadata.namespace).toBe(pods[0]!.namespace);
    expect(t.rows[0].object.metadata.labels).toEqual(pods[0]!.labels);
  });

  it('filters by label and field selectors, and rejects unsupported fields', async () => {
    const all = sim.world.list('pods', now());
    const owner = all.find((h) => h.labels.owner)!.labels.owner!;
    const byLabel = (
      await sim.call(`/api/v1/pods?labelSelector=${encodeURIComponent(`owner=${owner}`)}`)
    ).json();
    expect(byLabel.items.map((p: any) => p.metadata.name)).toEqual(
      all.filter((h) => h.labels.owner === owner).map((h) => h.name),
    );
    const node = sim.world.list('nodes', now())[0]!.name;
    const byNode = (await sim.call(`/api/v1/pods?fieldSelector=spec.nodeName%3D${node}`)).json();
    expect(byNode.items.length).toBeGreaterThan(0);
    expect(byNode.items.every((p: any) => p.spec.nodeName === node)).toBe(true);
    const bad = await sim.call('/api/v1/pods?fieldSelector=spec.foo%3D1');
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual({
      ...STATUS,
      message: 'field label not supported: spec.foo',
      reason: 'BadRequest',
      code: 400,
    });
    expect((await sim.call('/api/v1/nodes?fieldSelector=metadata.namespace%3Dx')).status).toBe(400);
  });

  it('pages with opaque tokens; stale tokens get 410 Expired, broken ones 400', async () => {
    const reply = await sim.call('/api/v1/pods?limit=2');
    // Field order as a real API server writes a list: kind, apiVersion, metadata, items.
    expect(reply.text).toMatch(
      /^\{"kind":"PodList","apiVersion":"v1","metadata":\{"resourceVersion":"\d+","continue":"[^"]+","remainingItemCount":\d+\},"items":\[\{/,
    );
    const first = reply.json();
    expect(first.items).toHaveLength(2);
    const token: string = first.metadata.continue;
    const second = (await sim.call(`/api/v1/pods?limit=2&continue=${token}`)).json();
    expect(second.items[0].metadata.name).toBe(sim.world.list('pods', now())[2]!.name);
    const broken = await sim.call('/api/v1/pods?limit=2&continue=%%%');
    expect(broken.status).toBe(400);
    expect(broken.json().message).toMatch(/^invalid continue token: continue key is not valid/);
    sim.clock.advance(6 * 60_000);
    const stale = await sim.call(`/api/v1/pods?limit=2&continue=${token}`);
    expect(stale.status).toBe(410);
    const body = stale.json();
    expect(body).toMatchObject({ ...STATUS, reason: 'Expired', code: 410 });
    // The fresh token in the answer continues (inconsistently) from the same place.
    const resumed = (await sim.call(`/api/v1/pods?limit=2&continue=${body.metadata.continue}`)).json();
    expect(resumed.items.length).toBeGreaterThan(0);
  });

  it('lists at an exact resourceVersion while it is kept, and refuses what the API server refuses', async () => {
    const then = (await sim.call('/api/v1/pods')).json();
    const rv: string = then.metadata.resourceVersion;
    const names = (list: { items: { metadata: { name: string } }[] }) =>
      list.items.map((i) => i.metadata.name);
    sim.clock.advance(4 * 60_000);
    const exact = await sim.call(`/api/v1/pods?resourceVersion=${rv}&resourceVersionMatch=Exact`);
    expect(exact.status).toBe(200);
    expect(exact.json().metadata.resourceVersion).toBe(rv);
    expect(names(exact.json())).toEqual(names(then));
    const bogus = await sim.call(`/api/v1/pods?resourceVersion=${rv}&resourceVersionMatch=Bogus`);
    expect([bogus.status, bogus.json().reason]).toEqual([422, 'Invalid']);
    expect(bogus.json().message).toMatch(/resourceVersionMatch: Unsupported value: "Bogus"/);
    expect((await sim.call('/api/v1/pods?resourceVersion=abc')).status).toBe(400);
    sim.clock.advance(2 * 60_000);
    const gone = await sim.call(`/api/v1/pods?resourceVersion=${rv}&resourceVersionMatch=Exact`);
    expect(gone.status).toBe(410);
    expect(gone.json()).toMatchObject({
      reason: 'Expired',
      message: 'The resourceVersion for the provided list is too old.',
    });
  });

  it('gets single objects and 404s with the real message', async () => {
    const pod = sim.world.list('pods', now())[0]!;
    const got = (await sim.call(`/api/v1/namespaces/${pod.namespace}/pods/${pod.name}`)).json();
    expect(got.metadata.uid).toBe(pod.uid);
    const missing = await sim.call(`/api/v1/namespaces/${pod.namespace}/pods/nope`);
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({
      ...STATUS,
      message: 'pods "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'pods' },
      code: 404,
    });
  });
});

describe('metrics.k8s.io and the Summary API', () => {
  it('404s single metrics like metrics-server', async () => {
    const r = await sim.call('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope');
    expect(r.status).toBe(404);
    expect(r.json()).toEqual({
      ...STATUS,
      message: 'podmetrics.metrics.k8s.io "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'metrics.k8s.io', kind: 'podmetrics' },
      code: 404,
    });
    const n = await sim.call('/apis/metrics.k8s.io/v1beta1/nodes/n9');
    expect(n.json().message).toBe('nodemetrics.metrics.k8s.io "n9" not found');
  });

  it('decodes stats%2Fsummary as Go does', async () => {
    const node = sim.world.list('nodes', now())[0]!.name;
    const r = await sim.call(`/api/v1/nodes/${node}/proxy/stats%2Fsummary`);
    expect(r.status).toBe(200);
    expect(r.json().node.nodeName).toBe(node);
  });

  it('metricsApi faults: missing leaves discovery, unavailable is a plain 503', async () => {
    await sim.call('/sim/faults', { method: 'POST', body: { metricsApi: 'missing' } });
    expect((await sim.call('/apis')).json().groups.map((g: { name: string }) => g.name)).toEqual([
      'authorization.k8s.io',
    ]);
    expect((await sim.call('/apis/metrics.k8s.io/v1beta1/pods')).status).toBe(404);
    await sim.call('/sim/faults', { method: 'POST', body: { metricsApi: 'unavailable' } });
    const r = await sim.call('/apis/metrics.k8s.io/v1beta1/pods');
    expect([r.status, r.text]).toEqual([503, 'service unavailable\n']);
    await sim.call('/sim/faults', { method: 'DELETE' });
    expect((await sim.call('/apis/metrics.k8s.io/v1beta1/pods')).status).toBe(200);
  });
});

describe('control endpoints', () => {
  it('reads and moves the clock', async () => {
    const before = now();
    expect((await sim.call('/sim/clock')).json()).toEqual({
      now: new Date(before).toISOString().replace('.000Z', 'Z'),
      mode: 'manual',
    });
    const moved = (await sim.call('/sim/clock', { method: 'POST', body: { advance: '60s' } })).json();
    expect(Date.parse(moved.now)).toBe(before + 60_000);
    const to = (
      await sim.call('/sim/clock', { method: 'POST', body: { to: '2030-01-01T00:00:00Z' } })
    ).json();
    expect(to.now).toBe('2030-01-01T00:00:00Z');
    sim.clock.set(before);
    expect((await sim.call('/sim/clock', { method: 'POST', body: { advance: 'soon' } })).status).toBe(400);
  });

  it('serves truth and rejects bad input with 400', async () => {
    const from = new Date(sim.world.scenario.start).toISOString();
    const to = new Date(sim.world.scenario.start + 3_600_000).toISOString();
    const r = await sim.call(`/sim/truth?from=${from}&to=${to}&groupBy=namespace`);
    expect(r.status).toBe(200);
    expect(r.json()).toEqual(
      JSON.parse(JSON.stringify(sim.world.truth(Date.parse(from), Date.parse(to), 'namespace'))),
    );
    for (const q of [
      `from=${to}&to=${from}`,
      `from=x&to=${to}`,
      `from=${from}&to=${to}&groupBy=owner`,
      `to=${to}`,
    ]) {
      expect((await sim.call(`/sim/truth?${q}`)).status).toBe(400);
    }
  });

  it('sets, keeps and clears faults; bad faults are 400; /sim is never faulted', async () => {
    await sim.call('/sim/faults', { method: 'POST', body: { errorRate: 1 } });
    const kept = (await sim.call('/sim/faults', { method: 'POST', body: { latency: '0s' } })).json();
    expect(kept).toMatchObject({ errorRate: 1, metricsApi: 'ok' });
    expect((await sim.call('/api/v1/nodes')).status).toBe(500);
    expect((await sim.call('/sim/clock')).status).toBe(200);
    expect((await sim.call('/sim/faults', { method: 'POST', body: { errorRate: 7 } })).status).toBe(400);
    expect((await sim.call('/sim/faults', { method: 'DELETE' })).json()).toMatchObject({ errorRate: 0 });
    expect((await sim.call('/api/v1/nodes')).status).toBe(200);
  });

  it('draws the same faults for the same scenario and request sequence', async () => {
    const run = async () => {
      const s = await startTestSimulator({ scenario: 'demo', clock: 'manual', plainHttp: true });
      try {
        await s.call('/sim/faults', { method: 'POST', body: { errorRate: 0.3 } });
        const codes: number[] = [];
        for (let i = 0; i < 30; i++) codes.push((await s.call('/api/v1/namespaces')).status);
        return codes;
      } finally {
        await s.stop();
      }
    };
    const a = await run();
    expect(await run()).toEqual(a);
    expect(a).toContain(500);
    expect(a).toContain(200);
  });
});
