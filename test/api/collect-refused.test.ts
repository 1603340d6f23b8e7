/**
 * `POST /clusters/{name}/collect` (the cron endpoint) when the cluster refuses kubetally: the
 * error names the problem (the cluster rejected kubetally's credentials, a permission it lacks)
 * and its fix, not "unreachable". The status is 424 Failed Dependency: not 401/403, which say the
 * caller's own token was refused (the dashboard signs out on a 401), and not the 502 of a cluster
 * that failed, which a retry may cure while this needs the API user to act.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';
import { startTestServer, type TestServer } from './support.js';

describe('collect refused by the cluster', () => {
  let sim: TestSimulator;
  let s: TestServer;
  beforeAll(async () => {
    sim = await startTestSimulator();
    s = await startTestServer();
    const kubeconfig = await readFile(sim.kubeconfigPath, 'utf8');
    expect((await s.call('POST', '/api/v1/tenants', { body: { name: 'acme' } })).status).toBe(201);
    const r = await s.call('POST', '/api/v1/clusters', { body: { name: 'sim', tenant: 'acme', kubeconfig } });
    expect(r.status, r.text).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await sim?.stop();
  });

  const collect = () => s.call('POST', '/api/v1/clusters/sim/collect?tenant=acme');

  it('rejected credentials (401): 424 UNAUTHORIZED, and where to upload a fresh kubeconfig', async () => {
    sim.faults.set({ unauthorized: true });
    try {
      const r = await collect();
      expect([r.status, r.json()]).toEqual([
        424,
        {
          error: {
            code: 'UNAUTHORIZED',
            message:
              "cluster sim refused kubetally's credentials (the kubeconfig stored for it): the cluster rejected the credentials (401 Unauthorized)",
            hint: 'the token or client certificate in the kubeconfig is invalid or expired; get a fresh kubeconfig; then upload it with PUT /api/v1/clusters/sim/kubeconfig?tenant=acme',
          },
        },
      ]);
    } finally {
      sim.faults.clear();
    }
  });

  it('a refused pod list (403): 424 FORBIDDEN, naming the permission and the RBAC rule to grant', async () => {
    sim.faults.set({ forbidden: ['pods'] });
    try {
      const r = await collect();
      expect([r.status, r.json()]).toEqual([
        424,
        {
          error: {
            code: 'FORBIDDEN',
            message:
              'cluster sim refused kubetally a permission the collector needs: the cluster refused access to /api/v1/pods (403 Forbidden): pods is forbidden: User "system:serviceaccount:kubetally:kubetally-collector" cannot list resource "pods" in API group "" at the cluster scope',
            hint: [
              'grant the kubeconfig\'s user "get,list" on "pods", e.g. with this ClusterRole (and a ClusterRoleBinding):',
              'apiVersion: rbac.authorization.k8s.io/v1',
              'kind: ClusterRole',
              'metadata:',
              '  name: kubetally-reader',
              'rules:',
              '  - apiGroups: [""]',
              '    resources: ["pods"]',
              '    verbs: ["get", "list"]',
              'then POST /api/v1/clusters/sim/test?tenant=acme checks every permission the collector needs',
            ].join('\n'),
          },
        },
      ]);
    } finally {
      sim.faults.clear();
    }
  });

  it('the same refusal of a live view is a 424 too, not a 401 that would sign the caller out', async () => {
    sim.faults.set({ unauthorized: true });
    try {
      const r = await s.call('GET', '/api/v1/live/users/alice?cluster=sim&tenant=acme');
      expect([r.status, r.json().error.code]).toEqual([424, 'UNAUTHORIZED']);
    } finally {
      sim.faults.clear();
    }
  });

  it('an API server that answers 500: 502 SERVER_ERROR naming the status, not UNREACHABLE', async () => {
    sim.faults.set({ errorRate: 1 });
    try {
      const r = await collect();
      expect([r.status, r.json()]).toEqual([
        502,
        {
          error: {
            code: 'SERVER_ERROR',
            message:
              'cluster sim answered with an error: the API server failed (500) on /api/v1/pods: Internal error occurred: simulated fault: etcdserver: request timed out',
            hint: 'this is usually temporary; try again, and check the API server if it persists; POST /api/v1/clusters/sim/test?tenant=acme checks the connection',
          },
        },
      ]);
    } finally {
      sim.faults.clear();
    }
  });

  it('collects again once the cluster accepts kubetally', async () => {
    const r = await collect();
    expect(r.status, r.text).toBe(200);
    expect(r.json().sources[0]).toEqual({ source: 'inventory', ok: true });
  });
});
