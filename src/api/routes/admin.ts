/** Tenants and tokens (admin). */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { revokedAgain, tokenJson } from '../../app/token-view.js';
import { invalidArgument } from '../../domain/errors.js';
import type { Role } from '../../ledger/tokens.js';
import { knownTenantScope, notFound, requireAdmin, requireAllTenantAdmin } from '../auth.js';
import { DNS_LABEL, FORMAT, TOKEN_ID, listAnswer } from '../params.js';

const NAME = DNS_LABEL;

export async function registerAdminRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.post<{ Body: { name: string } }>(
    '/api/v1/tenants',
    {
      schema: {
        body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: NAME } },
      },
    },
    async (req, reply) => {
      requireAllTenantAdmin(req.principal, 'creates tenants', 'use the bootstrap admin token');
      const created = await ctx.store.createTenant(req.body.name);
      return reply.status(created ? 201 : 200).send({ name: req.body.name, created });
    },
  );

  app.post<{ Body: { role: Role; tenant?: string; owner?: string; description?: string } }>(
    '/api/v1/tokens',
    {
      schema: {
        body: {
          type: 'object',
          required: ['role'],
          additionalProperties: false,
          properties: {
            role: { type: 'string', enum: ['admin', 'viewer', 'user'] },
            tenant: NAME,
            owner: { type: 'string', minLength: 1, maxLength: 253 },
            description: { type: 'string', maxLength: 500 },
          },
        },
      },
    },
    async (req, reply) => {
      const p = req.principal;
      requireAdmin(p, req.body.tenant);
      // A tenant's admin makes tokens of its tenant only; viewer and user tokens of an all-tenant
      // admin belong to `default` unless a tenant is named (a single-tenant install names none).
      const tenant = p.tenant ?? req.body.tenant ?? (req.body.role === 'admin' ? undefined : 'default');
      if (req.body.role === 'user' && req.body.owner === undefined) {
        throw invalidArgument('a user token needs an owner', 'add "owner": "<owner>" (whose usage it reads)');
      }
      if (req.body.role !== 'user' && req.body.owner !== undefined) {
        throw invalidArgument(
          req.body.role === 'admin'
            ? 'an admin token has no owner (it reads everything)'
            : 'a viewer token has no owner (it reads its whole tenant)',
          'leave "owner" out, or make a "user" token for that owner',
        );
      }
      if (tenant !== undefined && !(await ctx.store.listTenants()).includes(tenant)) {
        throw invalidArgument(
          `tenant ${tenant} does not exist`,
          'create it first: POST /api/v1/tenants {"name": ...}',
        );
      }
      const { token, record } = await ctx.store.createToken({
        role: req.body.role,
        ...(tenant === undefined ? {} : { tenant }),
        ...(req.body.owner === undefined ? {} : { owner: req.body.owner }),
        ...(req.body.description === undefined ? {} : { description: req.body.description }),
      });
      return reply.status(201).send({
        token,
        id: record.id,
        role: record.role,
        tenant: record.tenant ?? null,
        owner: record.owner ?? null,
      });
    },
  );

  // Who the caller is: clients (the dashboard) show what the token may read and ask for no more.
  app.get('/api/v1/me', async (req) => ({
    id: req.principal.tokenId,
    role: req.principal.role,
    tenant: req.principal.tenant ?? null,
    owner: req.principal.owner ?? null,
  }));

  // Tokens are listed by their public id, never with their hash; a tenant's admin sees its own.
  app.get<{ Querystring: { tenant?: string; format?: string } }>(
    '/api/v1/tokens',
    { schema: { querystring: { type: 'object', properties: { tenant: NAME, format: FORMAT } } } },
    async (req, reply) => {
      requireAdmin(req.principal);
      // A mistyped tenant is 404, as on the other reads: an empty list would read as "no tokens".
      const tenant = await knownTenantScope(ctx.store, req.principal, req.query.tenant);
      const tokens = (await ctx.store.listTokens(tenant)).map(tokenJson);
      return listAnswer(reply, req.query.format, { tokens }, tokens);
    },
  );

  // A revoked token stops working within the few seconds valid tokens are remembered (auth.ts).
  app.delete<{ Params: { id: string } }>(
    '/api/v1/tokens/:id',
    {
      schema: {
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: TOKEN_ID },
        },
      },
    },
    async (req, reply) => {
      requireAdmin(req.principal);
      const done = await ctx.store.revokeToken(req.params.id, req.principal.tenant);
      if (done === undefined) throw notFound(`token ${req.params.id}`);
      // Revoking again is no error (DELETE is idempotent), but is told, as `kubetally token revoke` tells it.
      if (done.alreadyRevoked) return revokedAgain(req.params.id, done.revokedAt);
      return reply.status(204).send();
    },
  );
}
