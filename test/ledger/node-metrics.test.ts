/**
 * Seed 004's `node_metrics` (a view of the pod detail): per node and closed interval, the pods'
 * average CPU in millicores and memory in MiB beside the node's allocatable, so the seed's Grafana
 * queries run as written, on PGlite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, type Rig } from '../support/collection.js';
import { ENGINES } from '../support/databases.js';

const HOUR = 3_600_000;
const MIN = 60_000;

const pod = (name: string, node: string, cpu: string, memory: string) => `
  - name: ${name}
    namespace: team
    node: ${node}
    labels: { owner: ${name} }
    containers:
      - { name: main, requests: { cpu: 100m, memory: 100Mi }, usage: { cpu: ${cpu}, memory: ${memory} } }
`;

const SCENARIO = `
name: node-metrics
seed: 3
start: 2026-05-04T00:00:00Z
nodes:
  - { name: minikube, capacity: { cpu: '4', memory: 16Gi }, allocatable: { cpu: 3500m, memory: 15Gi } }
  - { name: other, capacity: { cpu: '8', memory: 32Gi } }
pods:
${pod('a', 'minikube', '400m', '800Mi')}
${pod('b', 'minikube', '100m', '224Mi')}
${pod('c', 'other', '250m', '1Gi')}
`;

type Row = Record<string, unknown>;

describe.each(ENGINES)('node_metrics on %s', (engine) => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ scenarioYaml: SCENARIO, engine });
    await rig.collectUntil(rig.t0 + HOUR + 2 * MIN, MIN);
  }, 120_000);
  afterAll(async () => rig?.close());

  it("answers seed 004's CPU and memory queries per node and interval", async () => {
    const cpu = await rig.ctx.db.query<Row>(
      `SELECT collected_at AS time, cpu_millicores FROM node_metrics WHERE node_name = 'minikube' ORDER BY collected_at`,
    );
    expect(cpu.map((r) => new Date(r.time as string).toISOString())).toEqual([
      '2026-05-04T00:00:00.000Z',
      '2026-05-04T00:15:00.000Z',
      '2026-05-04T00:30:00.000Z',
      '2026-05-04T00:45:00.000Z',
    ]);
    // The first interval lacks the seconds before the first counter reading (its gap says so).
    expect(Number(cpu[0]!.cpu_millicores)).toBeGreaterThan(490);
    for (const r of cpu.slice(1)) expect(Number(r.cpu_millicores)).toBeCloseTo(500, 6);
    const memory = await rig.ctx.db.query<Row>(
      `SELECT collected_at AS time, memory_mb FROM node_metrics WHERE node_name = 'minikube' ORDER BY collected_at`,
    );
    for (const r of memory.slice(1)) expect(Number(r.memory_mb)).toBeCloseTo(1024, 6);
  });

  it('lists every node with its pods, allocatable and cluster', async () => {
    const rows = await rig.ctx.db.query<Row>(
      `SELECT cluster, tenant, node_name, pods, cpu_millicores, memory_mb, cpu_allocatable_millicores,
         memory_allocatable_mb FROM node_metrics WHERE collected_at = '2026-05-04T00:30:00Z' ORDER BY node_name`,
    );
    expect(rows.map((r) => ({ ...r, pods: Number(r.pods) }))).toEqual([
      {
        cluster: 'sim',
        tenant: 'default',
        node_name: 'minikube',
        pods: 2,
        cpu_millicores: expect.closeTo(500, 6),
        memory_mb: expect.closeTo(1024, 6),
        cpu_allocatable_millicores: expect.closeTo(3500, 6),
        memory_allocatable_mb: expect.closeTo(15 * 1024, 6),
      },
      {
        cluster: 'sim',
        tenant: 'default',
        node_name: 'other',
        pods: 1,
        cpu_millicores: expect.closeTo(250, 6),
        memory_mb: expect.closeTo(1024, 6),
        cpu_allocatable_millicores: expect.closeTo(8000, 6),
        memory_allocatable_mb: expect.closeTo(32 * 1024, 6),
      },
    ]);
  });
});
