/**
 * `POST /clusters/{name}/collect` (the cron endpoint) when the cluster refuses kubetally: the
 * error names the problem (rejected credentials, a missing permission) and its fix, not
 * "unreachable"; the status stays 502 (the caller's own token was accepted).
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

  it('rejected credentials (401): UNAUTHORIZED, and where to upload a fresh kubeconfig', async () => {
    sim.faults.set({ unauthorized: true });
    try {
      const r = await collect();
      expect(r.status).toBe(502);
      expect(r.json().error).toEqual({
        code: 'UNAUTHORIZED',
        message: 'cluster sim: the cluster rejected the credentials (401 Unauthorized)',
        hint: 'the token or client certificate in the kubeconfig is invalid or expired; get a fresh kubeconfig; then upload it with PUT /api/v1/clusters/sim/kubeconfig?tenant=acme',
      });
    } finally {
      sim.faults.clear();
    }
  });

  it('a refused pod list (403): FORBIDDEN, with the RBAC rule to grant', async () => {
    sim.faults.set({ forbidden: ['pods'] });
    try {
      const r = await collect();
      expect(r.status).toBe(502);
      const error = r.json().error;
      expect(error.code).toBe('FORBIDDEN');
      expect(error.message).toMatch(
        /^cluster sim: the cluster refused access to \/api\/v1\/pods \(403 Forbidden\)/,
      );
      expect(error.hint).toContain('resources: ["pods"]\n    verbs: ["get", "list"]');
      expect(error.hint).toMatch(
        /\(POST \/api\/v1\/clusters\/sim\/test\?tenant=acme checks every permission/,
      );
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
