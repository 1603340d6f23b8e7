import { describe, expect, it } from 'vitest';
import { KubetallyError } from '../domain/errors.js';
import type { Connection, RequestOptionsLite } from '../k8s/connection.js';
import { errorFromStatus } from '../k8s/k8s-errors.js';
import { checkPermissions } from './cluster-permissions.js';

/** A connection whose replies come from `answer(path, body)`; records what was asked. */
function fake(answer: (path: string, body: unknown) => unknown) {
  const asked: string[] = [];
  const conn = {
    server: 'https://k',
    context: 'c',
    kubeConfig: undefined as never,
    async request<T>(path: string, options: RequestOptionsLite = {}) {
      asked.push(`${options.body === undefined ? 'GET' : 'POST'} ${path}`);
      return { body: answer(path, options.body) as T, date: undefined };
    },
    stream: () => Promise.reject(new Error('not used')),
  } satisfies Connection;
  return { conn, asked };
}

describe('checkPermissions', () => {
  it('asks one SelfSubjectAccessReview per permission, all namespaces', async () => {
    const { conn, asked } = fake((_path, body) => {
      const a = (body as { spec: { resourceAttributes: Record<string, string> } }).spec.resourceAttributes;
      return { status: { allowed: !(a.resource === 'nodes' && a.subresource === 'proxy') } };
    });
    const got = await checkPermissions(conn, 'n1');
    expect(asked).toHaveLength(12);
    expect(new Set(asked)).toEqual(new Set(['POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews']));
    expect(got['list pods']).toEqual({ allowed: true });
    expect(got['get nodes/proxy']).toMatchObject({
      allowed: false,
      reason: 'the cluster does not allow get nodes/proxy',
      rbac: expect.stringContaining('resources: ["nodes/proxy"]\n    verbs: ["get"]'),
    });
  });

  it('probes with real reads when the cluster serves no authorization API', async () => {
    const { conn, asked } = fake((path) => {
      if (path.startsWith('/apis/authorization.k8s.io')) throw errorFromStatus(404, '', path);
      if (path === '/apis/metrics.k8s.io/v1beta1/pods') throw errorFromStatus(403, '', path);
      if (path.includes('/proxy/')) throw errorFromStatus(503, '', path);
      if (path.includes('watch=1')) throw errorFromStatus(403, '', path);
      return { items: [] };
    });
    const got = await checkPermissions(conn, 'n1');
    expect(asked).toContain('GET /api/v1/pods?limit=1');
    expect(got['watch pods']).toMatchObject({
      allowed: false,
      optional: true,
      rbac: expect.stringContaining('resources: ["pods"]\n    verbs: ["watch"]'),
    });
    expect(asked).toContain(
      'GET /api/v1/persistentvolumeclaims?watch=1&timeoutSeconds=1&fieldSelector=metadata.name%3D',
    );
    expect(got['watch persistentvolumeclaims']).toMatchObject({ allowed: false, optional: true });
    expect(asked).toContain('GET /api/v1/nodes/n1/proxy/stats/summary');
    expect(got['list pods']).toEqual({ allowed: true });
    expect(got['list pods.metrics.k8s.io']).toMatchObject({ allowed: false, rbac: expect.any(String) });
    // A kubelet that does not answer is not a missing permission.
    expect(got['get nodes/proxy']?.allowed).toBe(true);
  });

  it('lets other failures through for the caller to report', async () => {
    const { conn } = fake(() => {
      throw new KubetallyError('UNAUTHORIZED', 'no', { status: 401 });
    });
    await expect(checkPermissions(conn, undefined)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
