/**
 * Watches of pods: from a list's resourceVersion, every change after it arrives as one JSON line,
 * each pod as it was at that change: a job deleted the moment it finished is seen ADDED, Running
 * and DELETED with its terminated state, even when it lived between two lists. Claims, their
 * volumes and services come and go: their DELETED event carries the deletion time their
 * finalizers kept; namespaces appear with their first object, and nodes stay as listed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from './support.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const MIN = 60_000;
/** What kubectl get sends for server-side printing. */
const TABLE =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

const SCENARIO = `
name: watched
seed: 5
start: 2026-05-04T00:00:00Z
nodes: [{ name: n1, capacity: { cpu: '8', memory: 32Gi } }]
pods:
  - name: quick
    namespace: etl
    labels: { owner: alice }
    every: 2m
    duration: 40s
    pending: 5s
    exit: deleted
    containers: [{ name: main, requests: { cpu: 500m }, usage: { cpu: 400m } }]
  - name: web
    namespace: shop
    labels: { owner: bob }
    containers: [{ name: app, usage: { cpu: 100m } }]
  - name: late
    namespace: late
    start: 31m30s
    containers: [{ name: app, usage: { cpu: 100m } }]
persistentVolumeClaims:
  - { name: scratch, namespace: etl, capacity: 5Gi, start: 30m, end: 32m30s }
services:
  - { name: edge, namespace: shop, type: LoadBalancer, start: 31m, end: 33m15s }
  - { name: internal, namespace: shop, type: ClusterIP, start: 31m }
`;

let sim: TestSimulator;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubetally-watch-'));
  await writeFile(join(dir, 'watched.yaml'), SCENARIO);
  sim = await startTestSimulator({ scenario: join(dir, 'watched.yaml'), clock: 'manual', plainHttp: true });
});
afterAll(async () => {
  await sim?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** Opens a watch and returns a reader of its events, one parsed line at a time. */
async function watch(query: string, accept = 'application/json', resource = 'pods') {
  const res = await fetch(`${sim.url}/api/v1/${resource}?watch=1&${query}`, {
    headers: { authorization: `Bearer ${sim.token}`, accept },
  });
  const reader = res.body!.getReader();
  let buffered = '';
  const decoder = new TextDecoder();
  return {
    status: res.status,
    async next(): Promise<Obj | undefined> {
      for (;;) {
        const nl = buffered.indexOf('\n');
        if (nl >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          return JSON.parse(line) as Obj;
        }
        const { value, done } = await reader.read();
        if (done) return undefined;
        buffered += decoder.decode(value, { stream: true });
      }
    },
    /** Events up to the next bookmark (which is returned last). */
    async untilBookmark(): Promise<Obj[]> {
      const out: Obj[] = [];
      for (;;) {
        const e = await this.next();
        if (e === undefined) return out;
        out.push(e);
        if (e.type === 'BOOKMARK') return out;
      }
    },
    close: () => reader.cancel(),
  };
}

describe('watching pods', () => {
  it('sends every change after the list it starts from, with the pod as it was then', async () => {
    const list = (await sim.call('/api/v1/pods?limit=1')).json();
    const rv = Number(list.metadata.resourceVersion);
    expect(rv).toBe(sim.clock.now());
    const w = await watch(`resourceVersion=${rv}&allowWatchBookmarks=true`);
    expect(w.status).toBe(200);
    sim.clock.advance(5 * MIN);
    const events = await w.untilBookmark();
    await w.close();
    expect(events.at(-1)).toEqual({
      type: 'BOOKMARK',
      object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: String(rv + 5 * MIN) } },
    });
    const versions = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(versions.every((v) => v > rv && v <= rv + 5 * MIN)).toBe(true);
    // Each quick job (created every 2 min, Pending 5 s, running 40 s, deleted at its end):
    // ADDED, Running, then DELETED with the container's terminated state.
    const quick = events.filter((e) => e.object.metadata?.namespace === 'etl');
    const byName = new Map<string, Obj[]>();
    for (const e of quick)
      byName.set(e.object.metadata.name, [...(byName.get(e.object.metadata.name) ?? []), e]);
    expect(byName.size).toBeGreaterThanOrEqual(2);
    let whole = 0;
    for (const [, seq] of byName) {
      const [added, running, deleted] = seq as [Obj, Obj, Obj];
      if (added.type !== 'ADDED') continue; // created before the watch started
      whole += 1;
      expect(seq.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
      const created = Date.parse(added.object.metadata.creationTimestamp);
      const run = running.object.status.containerStatuses[0].state.running;
      expect(Date.parse(run.startedAt)).toBe(created + 5_000);
      const terminated = deleted.object.status.containerStatuses[0].state.terminated;
      expect(Date.parse(terminated.finishedAt)).toBe(created + 45_000);
      expect(Number(deleted.object.metadata.resourceVersion)).toBe(created + 45_000);
    }
    expect(whole).toBeGreaterThanOrEqual(2); // jobs created at 2 and 4 min, gone by 4:45
    // The long-running pod changed once: Running 5 s after it was created.
    const web = events.filter((e) => e.object.metadata?.namespace === 'shop');
    expect(web.map((e) => [e.type, Number(e.object.metadata.resourceVersion) - rv])).toEqual([
      ['MODIFIED', 5_000],
    ]);
  });

  it('applies a field selector to each change: ADDED when a pod starts to match, DELETED when it stops', async () => {
    const rv = sim.clock.now();
    const w = await watch(
      `resourceVersion=${rv}&allowWatchBookmarks=true&fieldSelector=status.phase%3DRunning`,
    );
    sim.clock.advance(5 * MIN);
    const events = (await w.untilBookmark()).filter((e) => e.type !== 'BOOKMARK');
    await w.close();
    const quick = new Map<string, Obj[]>();
    for (const e of events.filter((x) => x.object.metadata.namespace === 'etl'))
      quick.set(e.object.metadata.name, [...(quick.get(e.object.metadata.name) ?? []), e]);
    let whole = 0;
    for (const [, seq] of quick) {
      const created = Date.parse(seq[0]!.object.metadata.creationTimestamp);
      if (created <= rv) continue; // running when the watch started
      whole += 1;
      // Pending for 5 s (not matching), Running 40 s, then deleted: seen from Running to its end.
      expect(seq.map((e) => [e.type, Number(e.object.metadata.resourceVersion) - created])).toEqual([
        ['ADDED', 5_000],
        ['DELETED', 45_000],
      ]);
      expect(seq[0]!.object.status.phase).toBe('Running');
    }
    expect(whole).toBeGreaterThanOrEqual(2);
    // Only Running pods, never the Pending ones.
    expect(events.every((e) => e.type === 'DELETED' || e.object.status.phase === 'Running')).toBe(true);
  });

  it('sends one-row Tables when asked as kubectl get -w asks, the columns with the first only', async () => {
    const rv = sim.clock.now();
    const w = await watch(`resourceVersion=${rv}&allowWatchBookmarks=true`, TABLE);
    sim.clock.advance(3 * MIN);
    const events = (await w.untilBookmark()).filter((e) => e.type !== 'BOOKMARK');
    await w.close();
    expect(events.length).toBeGreaterThanOrEqual(3);
    const [first, ...rest] = events as [Obj, ...Obj[]];
    expect(first.object.kind).toBe('Table');
    // The same columns as a list asked for as a Table.
    const list = (await sim.call('/api/v1/pods?limit=1', { accept: TABLE })).json();
    expect(first.object.columnDefinitions).toEqual(list.columnDefinitions);
    expect(first.object.columnDefinitions[0].name).toBe('Name');
    for (const e of events) {
      expect(e.object.rows).toHaveLength(1);
      const row = e.object.rows[0];
      expect(row.object.kind).toBe('PartialObjectMetadata');
      expect(row.cells[0]).toBe(row.object.metadata.name);
      expect(e.object.metadata.resourceVersion).toBe(row.object.metadata.resourceVersion);
    }
    expect(rest.every((e) => e.object.columnDefinitions === null)).toBe(true);
  });

  it('starts with the pods listed now when no version is given, filtered by label', async () => {
    const w = await watch('labelSelector=owner%3Dbob');
    const first = await w.next();
    await w.close();
    expect(first?.type).toBe('ADDED');
    expect(first?.object.metadata.namespace).toBe('shop');
  });

  it('answers a version older than the compaction window with a 410 ERROR event', async () => {
    const w = await watch(`resourceVersion=${sim.clock.now() - 10 * MIN}`);
    const e = await w.next();
    expect(e).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
    expect(await w.next()).toBeUndefined();
  });

  it('serves watches of nodes, which stay as listed: an ADDED each, then only bookmarks', async () => {
    const w = await watch('allowWatchBookmarks=true&timeoutSeconds=5', undefined, 'nodes');
    expect(w.status).toBe(200);
    expect(await w.next()).toMatchObject({
      type: 'ADDED',
      object: { kind: 'Node', metadata: { name: 'n1' } },
    });
    sim.clock.advance(1_000);
    expect(await w.next()).toMatchObject({ type: 'BOOKMARK', object: { kind: 'Node' } });
    await w.close();
  });

  it('has no nodes, namespaces or volumes to watch inside a namespace', async () => {
    expect((await sim.call('/api/v1/namespaces/etl/nodes?watch=1')).status).toBe(404);
  });
});

describe('watching claims, volumes, services and namespaces', () => {
  it('sends ADDED at creation and DELETED at the end, with the deletion time and no finalizers', async () => {
    const t0 = Date.parse('2026-05-04T00:00:00Z');
    sim.clock.advance(t0 + 29 * MIN - sim.clock.now()); // the pod tests above moved it 13 minutes
    const rv = sim.clock.now();
    const claims = await watch(
      `resourceVersion=${rv}&allowWatchBookmarks=true`,
      undefined,
      'persistentvolumeclaims',
    );
    const services = await watch(`resourceVersion=${rv}&allowWatchBookmarks=true`, undefined, 'services');
    const volumes = await watch(
      `resourceVersion=${rv}&allowWatchBookmarks=true`,
      undefined,
      'persistentvolumes',
    );
    const namespaces = await watch(`resourceVersion=${rv}&allowWatchBookmarks=true`, undefined, 'namespaces');
    const listed = (await sim.call('/api/v1/persistentvolumeclaims')).json();
    expect(listed.items).toHaveLength(0); // the claim comes later
    sim.clock.advance(5 * MIN);
    const c = await claims.untilBookmark();
    const v = await services.untilBookmark();
    const pv = await volumes.untilBookmark();
    const ns = await namespaces.untilBookmark();
    await claims.close();
    await services.close();
    await volumes.close();
    await namespaces.close();
    const summary = (events: Obj[]) =>
      events
        .filter((e) => e.type !== 'BOOKMARK')
        .map((e) => [
          e.type,
          e.object.metadata.name,
          Number(e.object.metadata.resourceVersion) - t0,
          e.object.metadata.deletionTimestamp,
          e.object.metadata.finalizers,
        ]);
    expect(summary(c)).toEqual([
      ['ADDED', 'scratch', 30 * MIN, undefined, ['kubernetes.io/pvc-protection']],
      ['DELETED', 'scratch', 32.5 * MIN, '2026-05-04T00:32:30Z', undefined],
    ]);
    expect(summary(v)).toEqual([
      ['ADDED', 'edge', 31 * MIN, undefined, ['service.kubernetes.io/load-balancer-cleanup']],
      ['ADDED', 'internal', 31 * MIN, undefined, undefined],
      ['DELETED', 'edge', 33.25 * MIN, '2026-05-04T00:33:15Z', undefined],
    ]);
    expect(c.at(-1)!.object.kind).toBe('PersistentVolumeClaim');
    // The claim's volume comes and goes with it; the namespace "late" appears with its first pod.
    const pvName = c[0]!.object.spec.volumeName;
    expect(pv.map((e) => [e.type, e.object.kind, e.object.metadata.name])).toEqual([
      ['ADDED', 'PersistentVolume', pvName],
      ['DELETED', 'PersistentVolume', pvName],
      ['BOOKMARK', 'PersistentVolume', undefined],
    ]);
    expect(ns.map((e) => [e.type, e.object.metadata.name, e.object.metadata.creationTimestamp])).toEqual([
      ['ADDED', 'late', '2026-05-04T00:31:30Z'],
      ['BOOKMARK', undefined, undefined],
    ]);
    expect(v.find((e) => e.type === 'DELETED')!.object.metadata.deletionGracePeriodSeconds).toBe(0);
  });
});
