/**
 * SelfSubjectRulesReview on the simulator: everything its token may do in a namespace, from the
 * same role and faults as the access review, and the real `kubectl auth can-i --list`, which
 * sends it as protobuf.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columns, hasKubectl, kubectl, startTestSimulator, type TestSimulator } from './support.js';

let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual', plainHttp: true });
});
afterAll(() => sim?.stop());

const PATH = '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews';
const rulesIn = (namespace: string) =>
  sim.call(PATH, {
    method: 'POST',
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } },
  });
const READ = ['get', 'list', 'watch'];

describe('SelfSubjectRulesReview', () => {
  it('lists the reader role: every served kind, the metrics, the node proxy and the reviews', async () => {
    const r = await rulesIn('fraud-alice');
    expect(r.status).toBe(201);
    expect(r.json()).toEqual({
      kind: 'SelfSubjectRulesReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { namespace: 'fraud-alice' },
      status: {
        resourceRules: [
          { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews'] },
          { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectrulesreviews'] },
          { verbs: READ, apiGroups: [''], resources: ['pods'] },
          { verbs: READ, apiGroups: [''], resources: ['nodes'] },
          { verbs: READ, apiGroups: [''], resources: ['namespaces'] },
          { verbs: READ, apiGroups: [''], resources: ['persistentvolumeclaims'] },
          { verbs: READ, apiGroups: [''], resources: ['persistentvolumes'] },
          { verbs: READ, apiGroups: [''], resources: ['services'] },
          { verbs: ['get', 'list'], apiGroups: ['metrics.k8s.io'], resources: ['pods'] },
          { verbs: ['get', 'list'], apiGroups: ['metrics.k8s.io'], resources: ['nodes'] },
          { verbs: ['get'], apiGroups: [''], resources: ['nodes/proxy'] },
        ],
        nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['*'] }],
        incomplete: false,
      },
    });
  });

  it('leaves out what the faults forbid, verb by verb', async () => {
    sim.faults.set({ forbidden: ['watch pods', 'pods.metrics.k8s.io'], summaryApi: 'forbidden' });
    try {
      const rules = (await rulesIn('default')).json().status.resourceRules as Record<string, string[]>[];
      const of = (group: string, resource: string) =>
        rules.find((x) => x.apiGroups![0] === group && x.resources![0] === resource)?.verbs;
      expect(of('', 'pods')).toEqual(['get', 'list']);
      expect(of('metrics.k8s.io', 'pods')).toBeUndefined();
      expect(of('', 'nodes/proxy')).toBeUndefined();
      expect(of('', 'nodes')).toEqual(READ);
    } finally {
      sim.faults.clear();
    }
  });

  it('refuses a review without a namespace, as the API server does', async () => {
    const r = await rulesIn('');
    expect([r.status, r.json().reason, r.json().message]).toEqual([
      400,
      'BadRequest',
      'no namespace on request',
    ]);
    expect((await sim.call(PATH)).status).toBe(405);
  });
});

describe.skipIf(!hasKubectl)('kubectl auth can-i --list', () => {
  it('prints the rules, where it failed with MethodNotAllowed', async () => {
    const r = await kubectl(sim, ['auth', 'can-i', '--list', '-n', 'fraud-alice']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const [head, ...rows] = columns(r.stdout);
    expect(head).toEqual(['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs']);
    expect(rows).toContainEqual(['pods', '[]', '[]', '[get list watch]']);
    expect(rows).toContainEqual(['pods.metrics.k8s.io', '[]', '[]', '[get list]']);
    expect(rows).toContainEqual(['nodes/proxy', '[]', '[]', '[get]']);
    expect(rows).toContainEqual(['[*]', '[]', '[get]']);
    expect(rows).toHaveLength(12);
  });
});
