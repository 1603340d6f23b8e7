/** `kubetally token list` and `kubetally token revoke ID`: tokens by their public id, never a secret. */
import { openApp } from '../../app/context.js';
import { KubetallyError } from '../../domain/errors.js';
import type { CliIo } from '../io.js';

export interface TokenDbOptions {
  database?: string;
  tenant?: string;
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
    io.out('ID            ROLE    TENANT      OWNER       CREATED               STATE    DESCRIPTION\n');
    for (const t of rows) {
      const cells = [
        t.id.padEnd(13),
        t.role.padEnd(7),
        (t.tenant ?? '*').padEnd(11),
        (t.owner ?? '-').padEnd(11),
        new Date(t.createdAt).toISOString().slice(0, 19).padEnd(21) + 'Z',
        (t.revoked ? 'revoked' : 'live').padEnd(8),
        t.description,
      ];
      io.out(`${cells.join(' ')}\n`);
    }
  });
}

export async function runTokenRevoke(id: string, opts: TokenDbOptions, io: CliIo): Promise<void> {
  await withApp(opts, io, async (ctx) => {
    if (!(await ctx.store.revokeToken(id, opts.tenant))) {
      throw new KubetallyError('NOT_FOUND', `no live token ${id}`, {
        hint: 'kubetally token list shows the ids (the part after kt_ in a token)',
      });
    }
    io.err(`token ${id} revoked; a running server stops accepting it within 5 s\n`);
  });
}
