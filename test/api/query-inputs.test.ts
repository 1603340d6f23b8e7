/**
 * Query parameters given twice: `?groupBy=owner&groupBy=project` was "querystring/groupBy must be
 * string", which does not say that it was given twice, nor how to ask for two keys. And a tenant=
 * that names no tenant: `/tokens` answered an empty list and `/accounts/{owner}` "no account".
 */
import { describe, expect, it } from 'vitest';
import { suiteServer } from './support.js';

const server = suiteServer();

describe('a query parameter given twice', () => {
  it.each([
    [
      '/api/v1/usage?groupBy=owner&groupBy=project',
      'groupBy',
      2,
      'give it once, with the keys comma-separated: groupBy=owner,project',
    ],
    ['/api/v1/costs?from=-2d&from=-1d&from=-3d', 'from', 3, 'give from once'],
    ['/api/v1/accounts/alice?limit=1&limit=2', 'limit', 2, 'give limit once'],
  ])('%s says so', async (path, name, times, hint) => {
    const r = await server().call('GET', path);
    expect([r.status, r.json().error]).toEqual([
      400,
      { code: 'INVALID_ARGUMENT', message: `query parameter ${name} is given ${times} times`, hint },
    ]);
  });

  it('still names an unknown parameter as unknown, given twice or not', async () => {
    const r = await server().call('GET', '/api/v1/usage?grupBy=owner&grupBy=project');
    expect(r.json().error.message).toBe('invalid request: unknown query parameter "grupBy"');
  });
});

describe('a tenant= that names no tenant', () => {
  it.each(['/api/v1/tokens?tenant=nope', '/api/v1/accounts/alice?tenant=nope'])('%s is 404', async (path) => {
    const r = await server().call('GET', path);
    expect([r.status, r.json().error]).toEqual([
      404,
      { code: 'NOT_FOUND', message: 'tenant nope not found', hint: 'check the name (and the tenant)' },
    ]);
  });
});
