import { KubetallyError, invalidArgument } from '../../domain/errors.js';
import { openApp } from '../../app/context.js';
import type { Role } from '../../ledger/tokens.js';
import type { CliIo } from '../io.js';

export interface TokenCommandOptions {
  role: Role;
  tenant?: string;
  owner?: string;
  description?: string;
  database?: string;
}

export async function runTokenCreate(opts: TokenCommandOptions, io: CliIo): Promise<void> {
  if (opts.role === 'user' && opts.owner === undefined) {
    throw invalidArgument(
      'a user token needs --owner',
      'e.g. kubetally token create --role user --owner alice [--tenant T]',
    );
  }
  if (opts.role !== 'user' && opts.owner !== undefined) {
    throw invalidArgument(
      `--owner is for user tokens (${opts.role === 'admin' ? 'an admin token reads everything' : 'a viewer token reads its whole tenant'})`,
      'leave --owner out, or use --role user',
    );
  }
  const ctx = await openApp({
    ...(opts.database === undefined ? {} : { database: opts.database }),
    env: io.env,
  });
  // Viewer and user tokens belong to a tenant: `default` unless one is named.
  const tenant = opts.tenant ?? (opts.role === 'admin' ? undefined : 'default');
  try {
    if (tenant !== undefined && !(await ctx.store.listTenants()).includes(tenant)) {
      // Not found, as `usage --tenant` and the API's 404 say it: the name is well formed.
      throw new KubetallyError('NOT_FOUND', `tenant ${tenant} does not exist`, {
        hint: `register a cluster in it (kubetally cluster add NAME --kubeconfig FILE --tenant ${tenant}) or create it with POST /api/v1/tenants, or use --tenant default`,
      });
    }
    const { token, record } = await ctx.store.createToken({
      role: opts.role,
      ...(tenant === undefined ? {} : { tenant }),
      ...(opts.owner === undefined ? {} : { owner: opts.owner }),
      description: opts.description ?? 'created with kubetally token create',
    });
    io.out(`${token}\n`);
    io.err(
      `token ${record.id}: role ${record.role}${record.tenant ? `, tenant ${record.tenant}` : ', every tenant'}${record.owner ? `, owner ${record.owner}` : ''}. It is shown only now.\n`,
    );
  } finally {
    await ctx.close();
  }
}
