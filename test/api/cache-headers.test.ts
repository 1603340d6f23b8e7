/**
 * Answers read with a token are the token's alone (usage, costs, accounts, a new token shown
 * once): `Cache-Control: no-store`, so that no browser or shared cache keeps them for the next
 * user of the machine or the proxy. Public answers (health, public /metrics) are left alone.
 */
import { describe, expect, it } from 'vitest';
import { suiteServer } from './support.js';

const server = suiteServer();

describe('cache headers', () => {
  it('forbids storing what a token read, errors included', async () => {
    const created = await server().call('POST', '/api/v1/tokens', { body: { role: 'viewer' } });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const viewer = created.json().token as string;
    for (const path of [
      '/api/v1/me',
      '/api/v1/usage?groupBy=owner',
      '/api/v1/costs?format=csv',
      '/api/v1/accounts',
      '/api/v1/clusters/nope',
    ]) {
      const r = await server().call('GET', path, { token: viewer });
      expect([r.status < 500, r.headers.get('cache-control')], `${path}: ${r.text}`).toEqual([
        true,
        'no-store',
      ]);
    }
    const tokens = await server().call('GET', '/api/v1/tokens');
    expect(tokens.headers.get('cache-control')).toBe('no-store');
  });

  it('leaves public answers alone', async () => {
    const r = await server().call('GET', '/healthz', { token: null });
    expect(r.headers.get('cache-control')).toBeNull();
  });
});
