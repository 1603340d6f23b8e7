/**
 * The OpenAPI document lists every endpoint of SPEC §5 with its request schema, its success
 * answer and the one error shape; /docs serves the browsable form without a token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppContext } from '../../src/app/context.js';
import { ensureAdminToken } from '../../src/api/bootstrap.js';
import { buildServer, type Server } from '../../src/api/server.js';

const TOKEN = 'openapi-test-admin-token-0123456789';
let ctx: AppContext;
let server: Server;

beforeAll(async () => {
  ctx = await openApp({ database: 'memory://', env: { KUBETALLY_ENCRYPTION_KEY: '12'.repeat(32) } });
  await ensureAdminToken(ctx, TOKEN);
  server = await buildServer(ctx, { logger: false });
});

afterAll(async () => {
  await server?.app.close();
  await ctx?.close();
});

const SPEC_ENDPOINTS = [
  'get /healthz',
  'get /readyz',
  'get /metrics',
  'post /api/v1/tenants',
  'post /api/v1/tokens',
  'post /api/v1/clusters',
  'get /api/v1/clusters',
  'get /api/v1/clusters/{name}',
  'patch /api/v1/clusters/{name}',
  'delete /api/v1/clusters/{name}',
  'put /api/v1/clusters/{name}/kubeconfig',
  'post /api/v1/clusters/{name}/test',
  'post /api/v1/clusters/{name}/collect',
  'get /api/v1/clusters/{name}/status',
  'get /api/v1/live/users/{owner}',
  'get /api/v1/live/projects/{namespace}',
  'get /api/v1/usage',
  'get /api/v1/users/{owner}/usage',
  'get /api/v1/costs',
  'get /api/v1/costs/clusters',
  'get /api/v1/expenses',
  'get /api/v1/savings',
  'get /api/v1/accounts',
  'get /api/v1/accounts/{owner}',
  'put /api/v1/accounts/{owner}',
  'post /api/v1/accounts/{owner}/credits',
];

describe('OpenAPI', () => {
  it('documents every SPEC §5 endpoint with its answers and the error shape', async () => {
    const r = await server.app.inject({
      method: 'GET',
      url: '/api/v1/openapi.json',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(r.statusCode).toBe(200);
    const doc = r.json() as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    for (const endpoint of SPEC_ENDPOINTS) {
      const [method, path] = endpoint.split(' ') as [string, string];
      const op = doc.paths[path]?.[method];
      expect(op, endpoint).toBeDefined();
      const codes = Object.keys(op!.responses);
      expect(
        codes.some((c) => /^20\d$/.test(c)),
        `${endpoint}: ${codes}`,
      ).toBe(true);
      expect(codes, endpoint).toContain('4XX');
    }
    const usage = doc.paths['/api/v1/usage']!.get!.responses['200']!.content as Record<string, unknown>;
    expect(Object.keys(usage)).toEqual(expect.arrayContaining(['application/json', 'text/csv']));
  });

  it('documents the merge-patch media type a PATCH of a cluster takes', async () => {
    const doc = (
      await server.app.inject({
        method: 'GET',
        url: '/api/v1/openapi.json',
        headers: { authorization: `Bearer ${TOKEN}` },
      })
    ).json();
    const body = doc.paths['/api/v1/clusters/{name}'].patch.requestBody.content;
    expect(Object.keys(body)).toEqual(['application/json', 'application/merge-patch+json']);
    expect(body['application/merge-patch+json'].schema).toEqual(body['application/json'].schema);
  });

  it('serves /docs without a token', async () => {
    const r = await server.app.inject({ method: 'GET', url: '/docs/' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(/swagger/i);
  });

  it('keeps answer fields a schema does not list', async () => {
    const r = await server.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { authorization: `Bearer ${TOKEN}` },
      payload: { role: 'viewer', tenant: 'default' },
    });
    expect(r.statusCode).toBe(201);
    expect(Object.keys(r.json())).toEqual(['token', 'id', 'role', 'tenant', 'owner']);
  });
});
