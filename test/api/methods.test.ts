/**
 * A known path asked with a method it does not take: it was 404 "no endpoint GET
 * /api/v1/clusters/x/collect", which reads as a wrong path; it is 405 with the methods to use.
 */
import { describe, expect, it } from 'vitest';
import { suiteServer } from './support.js';

const server = suiteServer();

describe('wrong methods', () => {
  it.each([
    ['GET', '/api/v1/clusters/prod/collect', 'POST'],
    ['GET', '/api/v1/tenants', 'POST'],
    ['DELETE', '/api/v1/usage?groupBy=owner', 'GET, HEAD'],
    ['PUT', '/api/v1/clusters', 'GET, HEAD, POST'],
    ['PATCH', '/api/v1/accounts/alice', 'GET, HEAD, PUT'],
    ['POST', '/api/v1/tokens/0123456789ab', 'DELETE'],
  ])('%s %s is 405, allowing %s', async (method, path, allow) => {
    const r = await server().call(method, path);
    expect([r.status, r.headers.get('allow'), r.json().error]).toEqual([
      405,
      allow,
      {
        code: 'METHOD_NOT_ALLOWED',
        message: `${path.split('?')[0]} does not take ${method}`,
        hint: `use ${allow} (see /docs)`,
      },
    ]);
  });

  it('still answers 404 for a path no endpoint has, and 401 before either without a token', async () => {
    const r = await server().call('GET', '/api/v1/clusters/prod/nothing');
    expect([r.status, r.json().error.message]).toEqual([
      404,
      'no endpoint GET /api/v1/clusters/prod/nothing',
    ]);
    const anonymous = await server().call('GET', '/api/v1/tenants', { token: null });
    expect(anonymous.status).toBe(401);
  });
});

describe('a trailing slash', () => {
  it.each([
    ['GET', '/api/v1/usage/', '/api/v1/usage'],
    ['GET', '/api/v1/clusters/prod/status/', '/api/v1/clusters/prod/status'],
    ['POST', '/api/v1/tenants//', '/api/v1/tenants'],
  ])('%s %s is 404 saying to ask %s', async (method, path, bare) => {
    const r = await server().call(method, path);
    expect([r.status, r.json().error]).toEqual([
      404,
      {
        code: 'NOT_FOUND',
        message: `no endpoint ${method} ${path}`,
        hint: `ask ${bare}, without the trailing /`,
      },
    ]);
  });

  it('on a path that is no endpoint either still points to /docs', async () => {
    const r = await server().call('GET', '/api/v1/nothing/');
    expect(r.json().error.hint).toBe('see /docs');
  });
});
