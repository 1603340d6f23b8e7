/** The bootstrap admin token: registered from KUBETALLY_ADMIN_TOKEN, generated once, never revived. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp, type AppContext } from '../../src/app/context.js';
import { ensureAdminToken } from '../../src/api/bootstrap.js';

let ctx: AppContext;

beforeEach(async () => {
  ctx = await openApp({ database: 'memory://', env: { KUBETALLY_ENCRYPTION_KEY: '34'.repeat(32) } });
});
afterEach(async () => {
  await ctx?.close();
});

describe('ensureAdminToken', () => {
  it('generates one admin token at the first start only', async () => {
    const first = await ensureAdminToken(ctx, undefined);
    expect(first.created).toBe(true);
    expect((await ctx.store.findToken(first.token!))?.role).toBe('admin');
    expect(await ensureAdminToken(ctx, undefined)).toEqual({ created: false });
  });

  it('registers KUBETALLY_ADMIN_TOKEN hashed, refuses a short one and a revoked one', async () => {
    const token = 'bootstrap-token-0123456789abcdef';
    await expect(ensureAdminToken(ctx, 'short')).rejects.toThrow(/too short/);
    expect(await ensureAdminToken(ctx, token)).toEqual({ created: false });
    expect(await ensureAdminToken(ctx, token)).toEqual({ created: false });
    const found = await ctx.store.findToken(token);
    expect(found?.role).toBe('admin');
    expect(await ctx.store.listTokens()).toHaveLength(1);
    const stored = await ctx.db.query<{ token_hash: unknown }>('SELECT token_hash FROM api_tokens');
    expect(JSON.stringify(stored)).not.toContain(token);
    await ctx.store.revokeToken(found!.id);
    await expect(ensureAdminToken(ctx, token)).rejects.toThrow(/revoked/);
  });
});
