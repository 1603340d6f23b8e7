/** Credit accounts: list, one with its history, settings (external id, low balance), top-ups. */
import type { FastifyInstance } from 'fastify';
import { accountsJson, accountView, topUp, updateAccountSettings } from '../../app/accounts-view.js';
import type { AppContext } from '../../app/context.js';
import { accountTenant, accountTenantToRead } from '../account-tenant.js';
import { knownTenantScope, ownerScope, requireAdmin, type Principal } from '../auth.js';
import type { Account } from '../../ledger/accounts.js';
import { FORMAT, HISTORY_LIMIT, checkRange, listAnswer, rangeSchema } from '../params.js';
import { parseTime } from '../../domain/time.js';

const TEXT = { type: 'string', minLength: 1, maxLength: 253 } as const;
const OWNER = { type: 'object', required: ['owner'], properties: { owner: TEXT } } as const;
const TENANT = { type: 'object', properties: { tenant: TEXT } } as const;

/**
 * The accounts a token may list: a `user` token its owner's own, one or none yet (where
 * `/accounts/{owner}` answers 404, which a browser logs as an error), the others their tenant's.
 */
async function visibleAccounts(
  ctx: AppContext,
  p: Principal,
  tenant: string | undefined,
): Promise<Account[]> {
  const owner = ownerScope(p, undefined);
  if (owner === undefined) return ctx.store.listAccounts(tenant);
  const own = tenant === undefined ? undefined : await ctx.store.getAccount(tenant, owner);
  return own === undefined ? [] : [own];
}

export async function registerAccountRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Querystring: { tenant?: string; format?: string } }>(
    '/api/v1/accounts',
    { schema: { querystring: { type: 'object', properties: { tenant: TEXT, format: FORMAT } } } },
    async (req, reply) => {
      const tenant = await knownTenantScope(ctx.store, req.principal, req.query.tenant);
      const accounts = await accountsJson(ctx.store, await visibleAccounts(ctx, req.principal, tenant));
      return listAnswer(reply, req.query.format, { accounts }, accounts);
    },
  );

  app.get<{
    Params: { owner: string };
    Querystring: { tenant?: string; from?: string; to?: string; limit?: string };
  }>(
    '/api/v1/accounts/:owner',
    {
      schema: {
        params: OWNER,
        querystring: {
          type: 'object',
          properties: {
            tenant: TEXT,
            from: { ...rangeSchema.from, description: 'history from (RFC 3339 or relative); default: all' },
            to: { ...rangeSchema.to, description: 'history before (exclusive); default: all' },
            limit: { ...HISTORY_LIMIT, description: 'the newest entries, 1 to 1000; default 1000' },
          },
        },
      },
    },
    async (req) => {
      const owner = ownerScope(req.principal, req.params.owner) as string;
      // A mistyped tenant is 404 as such, not "no account for alice".
      await knownTenantScope(ctx.store, req.principal, req.query.tenant);
      const tenant = await accountTenantToRead(ctx.store, req.principal, req.query.tenant, owner);
      const { limit } = req.query;
      const now = Date.now();
      const from = req.query.from === undefined ? undefined : parseTime(req.query.from, now);
      const to = req.query.to === undefined ? undefined : parseTime(req.query.to, now);
      if (from !== undefined && to !== undefined) checkRange({ from, to }, req.query);
      return accountView(ctx.store, tenant, owner, {
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
        ...(limit === undefined ? {} : { limit: Number(limit) }),
      });
    },
  );

  app.put<{
    Params: { owner: string };
    Querystring: { tenant?: string };
    Body: { externalId?: string | null; lowBalance?: number | string | null };
  }>(
    '/api/v1/accounts/:owner',
    {
      schema: {
        params: OWNER,
        querystring: TENANT,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            externalId: { type: ['string', 'null'], maxLength: 253 },
            lowBalance: { type: ['number', 'string', 'null'] },
          },
        },
      },
    },
    async (req) => {
      // Another tenant's name answers 404 before the role is checked, as an unknown one would.
      const tenant = await accountTenant(ctx.store, req.principal, req.query.tenant, req.params.owner);
      requireAdmin(req.principal, tenant);
      return updateAccountSettings(ctx.store, tenant, req.params.owner, req.body);
    },
  );

  app.post<{
    Params: { owner: string };
    Querystring: { tenant?: string };
    Body: {
      amount: number | string;
      reason: string;
      kind?: 'top-up' | 'adjustment';
      idempotencyKey?: string;
    };
  }>(
    '/api/v1/accounts/:owner/credits',
    {
      schema: {
        params: OWNER,
        querystring: TENANT,
        body: {
          type: 'object',
          required: ['amount', 'reason'],
          additionalProperties: false,
          properties: {
            amount: { type: ['number', 'string'] },
            reason: { type: 'string', maxLength: 1000 },
            kind: {
              type: 'string',
              enum: ['top-up', 'adjustment'],
              description: 'top-up (default): positive; adjustment: either sign',
            },
            idempotencyKey: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
      },
    },
    async (req, reply) => {
      // Another tenant's name answers 404 before the role is checked, as an unknown one would.
      const tenant = await accountTenant(ctx.store, req.principal, req.query.tenant, req.params.owner);
      requireAdmin(req.principal, tenant);
      const result = await topUp(ctx.store, tenant, req.params.owner, req.body);
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );
}
