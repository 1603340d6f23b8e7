/**
 * Revoking a token that is revoked already: no error (what was asked holds, and DELETE is
 * idempotent), but said, by the API and the CLI alike: `DELETE /api/v1/tokens/{id}` answers 200
 * with `alreadyRevoked` and when it was revoked (204 the first time), `kubetally token revoke`
 * exits 0 with the same message. An unknown id stays 404 / exit 9.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/context.js';
import { cliDataDir, type CliDataDir } from '../support/cli.js';
import { startTestServer, type TestServer } from './support.js';

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

let server: TestServer;
let cli: CliDataDir;

beforeAll(async () => {
  server = await startTestServer();
  cli = await cliDataDir('kubetally-revoke-');
}, 60_000);
afterAll(async () => {
  await server?.close();
  await cli?.remove();
});

describe('revoking a token twice', () => {
  it('API: 204, then 200 saying it was already revoked and when, the same each time', async () => {
    const made = (await server.call('POST', '/api/v1/tokens', { body: { role: 'viewer' } })).json();
    const before = Date.now();
    const first = await server.call('DELETE', `/api/v1/tokens/${made.id}`);
    const after = Date.now();
    expect([first.status, first.text]).toEqual([204, '']);
    const again = await server.call('DELETE', `/api/v1/tokens/${made.id}`);
    expect(again.status, again.text).toBe(200);
    const body = again.json();
    expect(body.revokedAt).toMatch(RFC3339);
    // Seconds are enough: the store's clock and this one are the same machine's.
    expect(Date.parse(body.revokedAt)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(Date.parse(body.revokedAt)).toBeLessThanOrEqual(after);
    expect(body).toEqual({
      id: made.id,
      revoked: true,
      alreadyRevoked: true,
      revokedAt: body.revokedAt,
      message: `token ${made.id} was already revoked at ${body.revokedAt}: nothing changed`,
    });
    const third = await server.call('DELETE', `/api/v1/tokens/${made.id}`);
    expect([third.status, third.json()]).toEqual([200, body]);
    const unknown = await server.call('DELETE', '/api/v1/tokens/0123456789ab');
    expect([unknown.status, unknown.json().error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('CLI: exit 0 both times, the second saying it was already revoked, as the API does', async () => {
    const token = (await cli.run('token', 'create', '--role', 'viewer')).out.trim();
    const id = /^kt_([0-9a-f]{12})_/.exec(token)![1]!;
    const first = await cli.run('token', 'revoke', id);
    expect([first.code, first.out, first.err]).toEqual([
      0,
      '',
      `token ${id} revoked; a running server stops accepting it within 5 s\n`,
    ]);
    const again = await cli.run('token', 'revoke', id);
    expect([again.code, again.out]).toEqual([0, '']);
    const at = /^token \S+ was already revoked at (\S+): nothing changed\n$/.exec(again.err)?.[1];
    expect(at, again.err).toMatch(RFC3339);
    expect(again.err).toBe(`token ${id} was already revoked at ${at}: nothing changed\n`);
    // The whole token names it too, and is never repeated.
    const whole = await cli.run('token', 'revoke', token);
    expect([whole.code, whole.err]).toEqual([0, again.err]);
    const unknown = await cli.run('token', 'revoke', '0123456789ab');
    expect([unknown.code, unknown.err]).toEqual([
      9,
      'error: no token 0123456789ab\nhint: give its id (kubetally token list shows them), kt_<id>, or the whole token\n',
    ]);
  });

  it('CLI: a bootstrap token revoked already, given as its secret, is told so without the secret', async () => {
    const secret = 'cd34'.repeat(12);
    await cli.run('token', 'list'); // migrates the schema before the store is opened here
    const ctx = await openApp({ env: cli.env });
    let id: string;
    try {
      const { record } = await ctx.store.createToken({ role: 'admin' }, secret);
      id = record.id;
      await ctx.store.revokeToken(record.id);
    } finally {
      await ctx.close();
    }
    const r = await cli.run('token', 'revoke', secret);
    // Named by its id, as a token given by id is (docs/cli.md).
    expect([r.code, r.out]).toEqual([0, '']);
    expect(r.err).toMatch(new RegExp(`^token ${id} was already revoked at \\S+Z: nothing changed\\n$`));
    expect(r.err).not.toContain(secret);
  });
});
