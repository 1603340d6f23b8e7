/**
 * The first admin token (SPEC §5): `KUBETALLY_ADMIN_TOKEN` when set (registered, hashed, on
 * start), else one generated at the first start, when no admin token exists, and shown once.
 */
import type { AppContext } from '../app/context.js';
import { invalidArgument } from '../domain/errors.js';

export async function ensureAdminToken(
  ctx: AppContext,
  fromEnv: string | undefined,
): Promise<{ created: boolean; token?: string }> {
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const token = fromEnv.trim();
    if (token.length < 16) {
      throw invalidArgument(
        'KUBETALLY_ADMIN_TOKEN is too short',
        'use at least 16 random characters (e.g. openssl rand -hex 24)',
      );
    }
    // A revoked bootstrap token stays revoked: the variable must name a new one.
    if ((await ctx.store.revokedTokenId(token)) !== undefined) {
      throw invalidArgument(
        'KUBETALLY_ADMIN_TOKEN names a token that was revoked',
        'set KUBETALLY_ADMIN_TOKEN to a new random value (e.g. openssl rand -hex 24)',
      );
    }
    if ((await ctx.store.findToken(token)) === undefined) {
      await ctx.store.createToken({ role: 'admin', description: 'bootstrap (KUBETALLY_ADMIN_TOKEN)' }, token);
    }
    return { created: false };
  }
  if ((await ctx.store.countAdminTokens()) > 0) return { created: false };
  const { token } = await ctx.store.createToken({
    role: 'admin',
    description: 'bootstrap (generated at first start)',
  });
  return { created: true, token };
}
