/** `kubetally token list` and `kubetally token revoke ID`: tokens by their public id, never a secret. */
import { openApp } from '../../app/context.js';
import { revokedAgain, tokenJson } from '../../app/token-view.js';
import { rfc3339 } from '../../domain/time.js';
import { table } from '../format.js';
import { KubetallyError } from '../../domain/errors.js';
import type { CliIo } from '../io.js';
import { checkNotBlank, checkReadScope } from '../read-scope.js';

export interface TokenDbOptions {
  database?: string;
  tenant?: string;
  output?: 'table' | 'json';
}

async function withApp<T>(
  opts: TokenDbOptions,
  io: CliIo,
  f: (ctx: Awaited<ReturnType<typeof openApp>>) => Promise<T>,
) {
  const ctx = await openApp({
    ...(opts.database === undefined ? {} : { database: opts.database }),
    env: io.env,
  });
  try {
    return await f(ctx);
  } finally {
    await ctx.close();
  }
}

export async function runTokenList(opts: TokenDbOptions, io: CliIo): Promise<void> {
  checkNotBlank(opts);
  await withApp(opts, io, async (ctx) => {
    // As GET /api/v1/tokens?tenant= answers 404: an empty list would read as "it has no tokens".
    await checkReadScope(ctx.store, opts);
    const rows = await ctx.store.listTokens(opts.tenant);
    if (opts.output === 'json') {
      io.out(`${JSON.stringify({ tokens: rows.map(tokenJson) }, null, 2)}\n`);
      return;
    }
    io.out(
      table(
        ['ID', 'ROLE', 'TENANT', 'OWNER', 'CREATED', 'STATE', 'DESCRIPTION'],
        rows.map((t) => [
          t.id,
          t.role,
          t.tenant ?? '*',
          t.owner ?? '-',
          rfc3339(t.createdAt),
          t.revoked ? 'revoked' : 'live',
          t.description,
        ]),
      ),
    );
  });
}

/** A token id, `kt_<id>` or a whole `kt_<id>_<secret>` (the id is 12 hex digits). */
const TOKEN_ID = /^(?:kt_)?([0-9a-f]{12})(?:_|$)/;

/**
 * Revokes the token an id, `kt_<id>` or a whole token names. Anything else may be a secret (a
 * bootstrap KUBETALLY_ADMIN_TOKEN has no `kt_` form): it is looked up by its hash and never
 * repeated in a message.
 */
export async function runTokenRevoke(arg: string, opts: TokenDbOptions, io: CliIo): Promise<void> {
  await withApp(opts, io, async (ctx) => {
    // A secret of a token revoked already is found by no live token, but by its hash among the
    // revoked: its id says which it was, and revoking it again holds (exit 0, said as for an id).
    const id =
      TOKEN_ID.exec(arg)?.[1] ??
      (await ctx.store.findToken(arg))?.id ??
      (await ctx.store.revokedTokenId(arg));
    const done = id === undefined ? undefined : await ctx.store.revokeToken(id, opts.tenant);
    if (id === undefined || done === undefined) {
      throw new KubetallyError(
        'NOT_FOUND',
        id === undefined ? 'no token is named by what was given' : `no token ${id}`,
        { hint: 'give its id (kubetally token list shows them), kt_<id>, or the whole token' },
      );
    }
    // Exit 0 as DELETE /api/v1/tokens/{id} answers 200: what was asked holds. It is said all the same.
    if (done.alreadyRevoked) io.err(`${revokedAgain(id, done.revokedAt).message}\n`);
    else io.err(`token ${id} revoked; a running server stops accepting it within 5 s\n`);
  });
}
