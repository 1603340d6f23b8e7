/**
 * The live views where a namespace is not one project: pods of one namespace whose `project`
 * labels name two projects. getUserMetrics gave one entry per namespace, named after its first
 * pod: alice's `alpha` (1 core) read 3 cores, `beta`'s 2 cores hidden inside it, where
 * `kubetally top --by project` counts alpha 1 core. getProjectMetrics named such a namespace
 * after its first pod too (alpha, 7 cores, with beta's 6).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeconfig, type Connection } from '../../src/k8s/connection.js';
import { getProjectMetrics, getUserMetrics } from '../../src/app/live-view.js';
import { parseScenario } from '../../src/simulator/model/index.js';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';

const SCENARIO = `name: mixed-projects
start: 2026-11-01T00:00:00Z
nodes: [{ name: n-1, capacity: { cpu: '16', memory: 64Gi } }]
pods:
  - name: a-job
    namespace: shared
    labels: { owner: alice, project: alpha, project-id: '1' }
    containers: [{ name: c, requests: { cpu: '1', memory: 1Gi }, usage: { cpu: '1', memory: 1Gi } }]
  - name: b-job
    namespace: shared
    labels: { owner: alice, project: beta, project-id: '2' }
    containers: [{ name: c, requests: { cpu: '2', memory: 2Gi }, usage: { cpu: '2', memory: 2Gi } }]
  - name: a-web
    namespace: shared
    labels: { owner: alice, project: alpha }
    containers: [{ name: c, usage: { cpu: 500m, memory: 1Gi } }]
  - name: c-job
    namespace: shared
    labels: { owner: bob, project: beta, project-id: '2' }
    containers: [{ name: c, requests: { cpu: '4', memory: 4Gi }, usage: { cpu: '4', memory: 4Gi } }]
  - name: web
    namespace: fraud-alice
    containers: [{ name: c, usage: { cpu: 250m, memory: 256Mi } }]
`;

let sim: TestSimulator;
let conn: Connection;
beforeAll(async () => {
  sim = await startTestSimulator({ scenario: parseScenario(SCENARIO), clock: 'manual' });
  sim.clock.advance(5 * 60_000);
  conn = await loadKubeconfig({ file: sim.kubeconfigPath, trust: 'own' });
});
afterAll(() => sim?.stop());

describe('live views of a namespace holding two projects', () => {
  it('getUserMetrics gives each project of a namespace its own entry and figures', async () => {
    const alice = await getUserMetrics(conn, 'alice');
    expect(
      alice.projects.map((p) => [
        p.namespace,
        p.projectName,
        p.projectId,
        p.resources.cpuCores,
        p.pods.length,
      ]),
    ).toEqual([
      // a-web carries no project-id: it is alpha's all the same.
      ['shared', 'alpha', '1', 1.5, 2],
      ['shared', 'beta', '2', 2, 1],
    ]);
    expect(alice.totals.cpuCores).toBe(3.5);
  });

  it('getProjectMetrics names the namespace itself when its pods name several projects', async () => {
    const shared = await getProjectMetrics(conn, 'shared');
    expect([shared.projectName, shared.projectId, shared.resources.cpuCores, shared.owners]).toEqual([
      'shared',
      '',
      7.5,
      ['alice', 'bob'],
    ]);
  });

  it('names a namespace by the pattern when no label does, with pods or without', async () => {
    const rules = { namespacePattern: '{project}-{user}' };
    const fraud = await getProjectMetrics(conn, 'fraud-alice', rules);
    expect([fraud.projectName, fraud.owners, fraud.resources.cpuCores]).toEqual(['fraud', ['alice'], 0.25]);
    const empty = await getProjectMetrics(conn, 'fraud-carol', rules);
    expect([empty.projectName, empty.pods.length]).toEqual(['fraud', 0]);
  });
});
