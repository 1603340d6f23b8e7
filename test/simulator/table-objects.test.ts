/**
 * What each Table row carries, by `includeObject`: kubectl `get --sort-by` asks for
 * `includeObject=Object` and sorts on the rows' objects, so they must be the whole objects
 * (with PartialObjectMetadata it found no field and printed "No resources found").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columns, hasKubectl, kubectl, startTestSimulator, type TestSimulator } from './support.js';

let sim: TestSimulator;
let now: number;

const TABLE =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual', plainHttp: true });
  now = sim.clock.advance(2 * 3_600_000);
});
afterAll(() => sim?.stop());

describe('Table rows by includeObject', () => {
  it('carries the whole object with Object, metadata only by default, nothing with None', async () => {
    const pod = sim.world.list('pods', now)[0]!;
    const path = `/api/v1/namespaces/${pod.namespace}/pods`;
    const whole = (await sim.call(`${path}?includeObject=Object`, { accept: TABLE })).json();
    expect(whole.rows[0].object).toEqual(sim.world.render(pod, now));
    expect(whole.rows[0].object.status.phase).toBeDefined();
    const meta = (await sim.call(path, { accept: TABLE })).json();
    expect(meta.rows[0].object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: sim.world.render(pod, now).metadata,
    });
    const none = (await sim.call(`${path}?includeObject=None`, { accept: TABLE })).json();
    expect(none.rows[0]).toEqual({ cells: meta.rows[0].cells });
  });

  it('does so for one object too', async () => {
    const node = sim.world.list('nodes', now)[0]!;
    const r = await sim.call(`/api/v1/nodes/${node.name}?includeObject=Object`, { accept: TABLE });
    expect(r.json().rows[0].object).toEqual(sim.world.render(node, now));
  });

  it('refuses another value when a Table is asked for, and ignores it otherwise', async () => {
    const bad = await sim.call('/api/v1/pods?includeObject=All', { accept: TABLE });
    expect([bad.status, bad.json().message]).toEqual([
      400,
      `includeObject: Invalid value: "All": must be 'Metadata', 'Object', 'None', or empty`,
    ]);
    expect((await sim.call('/api/v1/pods?includeObject=All')).status).toBe(200);
  });
});

describe.skipIf(!hasKubectl)('kubectl get --sort-by', () => {
  it('sorts the rows by any field of the objects', async () => {
    const r = await kubectl(sim, ['get', 'pods', '-A', '--sort-by=.status.phase', '--no-headers']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const rows = columns(r.stdout);
    const pods = sim.world.list('pods', now).map((h) => sim.world.render(h, now) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(rows).toHaveLength(pods.length);
    // Every pod once, in the order of their phases (kubectl's sort is not stable within one).
    const phase = new Map(pods.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p.status.phase]));
    const listed = rows.map((c) => `${c[0]}/${c[1]}`);
    expect([...listed].sort()).toEqual([...phase.keys()].sort());
    const phases = listed.map((k) => phase.get(k) as string);
    expect(phases).toEqual([...phases].sort());
    expect(new Set(phases)).toEqual(new Set(['Pending', 'Running', 'Succeeded']));
  });
});
