/**
 * `kubetally serve` on a port that is taken: it ends at once, saying so, and the first start's
 * admin token is not used up — it is made, and printed, by the first start that listens. With a
 * `KUBETALLY_ADMIN_TOKEN` it cannot use, it ends too, and stops listening.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/context.js';
import { runCli } from '../support/cli.js';

let dataDir: string;
let taken: Server;
let port: number;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kubetally-serve-'));
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  port = (taken.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => taken?.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
});

describe('serve on a port in use', () => {
  it('ends with a hint, and makes no admin token yet', async () => {
    const env = { KUBETALLY_DATA_DIR: dataDir };
    const r = await runCli(env, 'serve', '--port', String(port), '--host', '127.0.0.1', '--no-collect');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/cannot listen on 127\.0\.0\.1:\d+: the port is in use/);
    expect(r.err).toMatch(/--port/);
    expect(r.out).not.toMatch(/admin token/);
    const ctx = await openApp({ env });
    try {
      expect(await ctx.store.listTokens()).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});

describe('serve with a KUBETALLY_ADMIN_TOKEN it cannot use', () => {
  it.each([
    ['too short', 'short', /KUBETALLY_ADMIN_TOKEN is too short/],
    ['revoked', 'revoked-0123456789abcdef', /KUBETALLY_ADMIN_TOKEN names a token that was revoked/],
  ])('ends (%s) and leaves nothing listening', async (_what, token, message) => {
    const env = { KUBETALLY_DATA_DIR: dataDir, KUBETALLY_ADMIN_TOKEN: token };
    if (token.startsWith('revoked')) {
      const ctx = await openApp({ env });
      try {
        const made = await ctx.store.createToken({ role: 'admin', description: 'to revoke' }, token);
        await ctx.store.revokeToken(made.record.id);
      } finally {
        await ctx.close();
      }
    }
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const freePort = (free.address() as { port: number }).port;
    await new Promise((resolve) => free.close(resolve));
    const r = await runCli(env, 'serve', '--port', String(freePort), '--host', '127.0.0.1', '--no-collect');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(message);
    const refused = await fetch(`http://127.0.0.1:${freePort}/readyz`).then(
      () => false,
      () => true,
    );
    expect(refused).toBe(true);
  });
});
