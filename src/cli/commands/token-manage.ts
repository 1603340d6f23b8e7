/** `kubetally token list` and `kubetally token revoke ID`: tokens by their public id, never a secret. */
import { openApp } from '../../app/context.js';
import { tokenJson } from '../../app/token-view.js';
import { rfc3339 } from '../../domain/time.js';
import { table } from '../format.js';
import { KubetallyError } from '../../domain/errors.js';
import type { CliIo } from '../io.js';

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
  await withApp(opts, io, async (ctx) => {
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

export async function runTokenRevoke(id: string, opts: TokenDbOptions, io: CliIo): Promise<void> {
  await withApp(opts, io, async (ctx) => {
    if (!(await ctx.store.revokeToken(id, opts.tenant))) {
      throw new KubetallyError('NOT_FOUND', `no token ${id}`, {
        hint: 'kubetally token list shows the ids (the part after kt_ in a token)',
      });
    }
    io.err(`token ${id} revoked; a running server stops accepting it within 5 s\n`);
  });
}
