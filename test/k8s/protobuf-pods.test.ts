/**
 * Pods in Kubernetes protobuf: the simulator writes them when asked (as a real API server does),
 * and the client reads the same compact pods from protobuf as from JSON, for every pod of a
 * scenario with restarts, init containers, sidecars, claims and finished jobs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeconfig, type Connection } from '../../src/k8s/connection.js';
import { podInfo } from '../../src/k8s/compact.js';
import { listAll } from '../../src/k8s/lists.js';
import { PodReuse } from '../../src/k8s/pod-reuse.js';
import type { PodInfo } from '../../src/k8s/types.js';
import { PROTOBUF } from '../../src/k8s/protobuf/codec.js';
import { continueFromHead, decodePodList } from '../../src/k8s/protobuf/pod-list.js';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';

let sim: TestSimulator;
let conn: Connection;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'churn', clock: 'manual', plainHttp: true });
  sim.clock.advance(7 * 3_600_000 + 12_345);
  conn = await loadKubeconfig({ yaml: sim.kubeconfig, allowInsecureHttp: true });
});
afterAll(() => sim?.stop());

describe('pods in protobuf', () => {
  it('reads every pod the same from protobuf as from JSON (churn)', async () => {
    await sameBothWays(sim);
  });

  it('reads every pod the same from protobuf as from JSON (demo: restarts, init containers, claims)', async () => {
    const demo = await startTestSimulator({ scenario: 'demo', clock: 'manual', plainHttp: true });
    try {
      demo.clock.advance(31 * 3_600_000 + 999);
      const pods = await sameBothWays(demo);
      expect(pods.some((p) => p.containers.some((c) => c.lastTerminated !== undefined))).toBe(true);
      expect(pods.some((p) => p.containers.some((c) => c.kind === 'init'))).toBe(true);
      expect(pods.some((p) => p.claims.length > 0)).toBe(true);
    } finally {
      await demo.stop();
    }
  });

  async function sameBothWays(from: TestSimulator) {
    const json = await from.bytes('/api/v1/pods', 'application/json');
    const proto = await from.bytes('/api/v1/pods', `${PROTOBUF}, application/json`);
    expect(json.type).toBe('application/json');
    expect(proto.type).toBe(PROTOBUF);
    expect(proto.body.subarray(0, 4).toString('latin1')).toBe('k8s\0');
    const fromJson = (JSON.parse(json.body.toString()) as { items: unknown[] }).items.map((o) =>
      podInfo(o as Record<string, unknown>),
    );
    const fromProto = decodePodList(proto.body).items;
    expect(fromProto.length).toBeGreaterThan(10);
    expect(fromProto).toEqual(fromJson);
    expect(fromProto.some((p) => p.controller !== undefined)).toBe(true);
    expect(fromProto.some((p) => p.containers.some((c) => c.runningSince !== undefined))).toBe(true);
    expect(proto.body.length).toBeLessThan(json.body.length * 0.7);
    return fromProto;
  }

  it('pages through the list in protobuf with the same pods and continue tokens as JSON', async () => {
    const viaClient = await listAll(conn, 'pods', { limit: 7 });
    const page = await sim.bytes('/api/v1/pods?limit=7', PROTOBUF);
    const decoded = decodePodList(page.body);
    const jsonPage = JSON.parse(
      (await sim.bytes('/api/v1/pods?limit=7', 'application/json')).body.toString(),
    ) as {
      metadata: { continue: string };
    };
    expect(decoded.metadata.continue).toBe(jsonPage.metadata.continue);
    expect(continueFromHead(page.body.subarray(0, 200), PROTOBUF)).toBe(jsonPage.metadata.continue);
    expect(continueFromHead(page.body.subarray(0, 20), PROTOBUF)).toBeUndefined();
    const whole = decodePodList((await sim.bytes('/api/v1/pods', PROTOBUF)).body).items;
    expect(viaClient.items).toEqual(whole);
  });

  it('reuses a pod listed again at the same resourceVersion, and reads again one that changed', async () => {
    const reuse = new PodReuse();
    const byUid = (items: PodInfo[]) => new Map(items.map((p) => [p.uid, p]));
    const versions = async () => {
      const list = JSON.parse((await sim.bytes('/api/v1/pods', 'application/json')).body.toString()) as {
        items: { metadata: { uid: string; resourceVersion: string } }[];
      };
      return new Map(list.items.map((o) => [o.metadata.uid, o.metadata.resourceVersion]));
    };
    const first = byUid((await listAll(conn, 'pods', { limit: 40, reusePods: reuse })).items);
    const firstVersions = await versions();
    const again = await listAll(conn, 'pods', { limit: 40, reusePods: reuse });
    expect(again.items.length).toBe(first.size);
    for (const p of again.items) expect(p).toBe(first.get(p.uid));

    sim.clock.advance(20 * 60_000);
    const later = await listAll(conn, 'pods', { limit: 40, reusePods: reuse });
    const laterVersions = await versions();
    // Exactly what a list without reuse reads, object for object.
    expect(later.items).toEqual((await listAll(conn, 'pods', { limit: 40 })).items);
    let kept = 0;
    let readAgain = 0;
    for (const p of later.items) {
      const before = first.get(p.uid);
      if (before !== undefined && firstVersions.get(p.uid) === laterVersions.get(p.uid)) {
        expect(p).toBe(before);
        kept++;
      } else {
        expect(p).not.toBe(before);
        readAgain++;
      }
    }
    expect(kept).toBeGreaterThan(0);
    expect(readAgain).toBeGreaterThan(0);
  });

  it('forgets pods that a complete list no longer holds', () => {
    const reuse = new PodReuse();
    const pod = { uid: 'u1' } as PodInfo;
    reuse.begin();
    reuse.keep('u1', '7', pod);
    reuse.commit();
    expect(reuse.reuse('u1', '8')).toBeUndefined();
    reuse.begin();
    expect(reuse.reuse('u1', '7')).toBe(pod);
    reuse.commit();
    reuse.begin();
    reuse.commit(); // a list without u1
    reuse.begin();
    expect(reuse.reuse('u1', '7')).toBeUndefined();
  });

  it('answers one pod in protobuf, and Tables and other kinds in JSON', async () => {
    const first = decodePodList((await sim.bytes('/api/v1/pods?limit=1', PROTOBUF)).body).items[0]!;
    const one = await sim.bytes(`/api/v1/namespaces/${first.namespace}/pods/${first.name}`, PROTOBUF);
    expect(one.type).toBe(PROTOBUF);
    expect(one.body.includes(Buffer.from(first.uid))).toBe(true);
    expect(
      (await sim.bytes('/api/v1/pods', `application/json;as=Table;v=v1;g=meta.k8s.io, ${PROTOBUF}`)).type,
    ).toBe('application/json');
    expect((await sim.bytes('/api/v1/nodes', `${PROTOBUF}, application/json`)).type).toBe('application/json');
    expect((await sim.bytes('/api/v1/pods', `application/json, ${PROTOBUF}`)).type).toBe('application/json');
  });

  it('refuses a cut protobuf page as malformed, with a hint', async () => {
    const body = (await sim.bytes('/api/v1/pods', PROTOBUF)).body;
    expect(() => decodePodList(body.subarray(0, Math.floor(body.length / 2)))).toThrow();
    sim.faults.set({ malformedRate: 1 });
    try {
      await expect(listAll(conn, 'pods', { limit: 50 })).rejects.toMatchObject({
        code: 'MALFORMED_RESPONSE',
      });
    } finally {
      sim.faults.clear();
    }
  });
});
