/**
 * The HTTP API (SPEC §5) on fastify: bodies up to 1 MiB, unknown body fields refused, every
 * error in one shape, request ids in every log line, OpenAPI at /api/v1/openapi.json and /docs.
 * Only /healthz, /readyz, /docs and (when public) /metrics answer without a token.
 */
import type { Socket } from 'node:net';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Logger } from 'pino';
import type { AppContext } from '../app/context.js';
import type { CollectOptions } from '../app/collect.js';
import { VERSION } from '../version.js';
import { authenticate, FailedAttempts, KnownTokens, type Principal } from './auth.js';
import { KubetallyError } from '../domain/errors.js';
import { errorBody, handleError } from './errors.js';
import { createApiMetrics, scopeMetrics, type ApiMetrics } from './metrics.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerClusterOperationRoutes } from './routes/cluster-operations.js';
import { registerClusterRoutes } from './routes/clusters.js';
import { registerReadRoutes } from './routes/reads.js';
import { registerAccountRoutes } from './routes/accounts.js';
import { ReadCache } from './read-cache.js';
import { parseJsonBody, refusedIn } from './request-body.js';
import { requestLogFields } from './request-log.js';
import { AllowedMethods } from './allowed-methods.js';
import { ERROR_RESPONSES, RESPONSES } from './schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

export interface ServerOptions {
  logger?: Logger | false;
  /** Serve /metrics without a token (default true: Prometheus scrapes it). */
  metricsPublic?: boolean;
  /** Owner × project series on /metrics (default 500). */
  cardinalityLimit?: number;
  collect?: CollectOptions;
  /** How long usage and cost answers are reused (default 30 s; 0 turns it off). */
  readCacheMs?: number;
}

export interface Server {
  app: FastifyInstance;
  metrics: ApiMetrics;
}

const PUBLIC = new Set(['/healthz', '/readyz']);

/** A request the HTTP parser refused (headers too large, a broken request line). */
function clientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, text, body] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          'Request Header Fields Too Large',
          errorBody(
            'INVALID_ARGUMENT',
            'the request line and headers are over 16 KiB',
            'send a shorter URL (filters, not lists of names) and fewer headers',
          ),
        ]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [
            408,
            'Request Timeout',
            errorBody('TIMEOUT', 'the request did not arrive in time', 'send the whole request at once'),
          ]
        : [
            400,
            'Bad Request',
            errorBody('INVALID_ARGUMENT', 'the request is not valid HTTP', 'check the client'),
          ];
  const json = JSON.stringify(body);
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${text}\r\nContent-Length: ${Buffer.byteLength(json)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${json}`,
    );
  socket.destroy(err);
}

export async function buildServer(ctx: AppContext, options: ServerOptions = {}): Promise<Server> {
  const app = Fastify({
    loggerInstance:
      options.logger === false || options.logger === undefined
        ? undefined
        : options.logger.child({}, { serializers: { req: requestLogFields } }),
    bodyLimit: 1024 * 1024,
    // A client's `x-request-id` (a proxy's trace id) names the request in its log lines when it is
    // one: taken as given, any header (16 KiB, quotes, line breaks) went into every line.
    requestIdHeader: false,
    genReqId: requestId,
    routerOptions: { maxParamLength: 253 },
    // Errors found before routing (a bad URL, a path segment over 253 characters, headers over
    // the limit) are answered in the one error shape too.
    frameworkErrors: (err: FastifyError, _req: FastifyRequest, reply: FastifyReply) => {
      const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
      void reply
        .status(tooLong ? 414 : 400)
        .send(
          errorBody(
            'INVALID_ARGUMENT',
            tooLong
              ? 'a path segment is longer than 253 characters'
              : 'the URL is not valid (bad percent-encoding)',
            tooLong ? 'names are at most 253 characters' : 'percent-encode the URL',
          ),
        );
    },
    clientErrorHandler: clientError,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false, allowUnionTypes: true },
    },
  } as never) as unknown as FastifyInstance;
  const metrics = createApiMetrics(ctx, { cardinalityLimit: options.cardinalityLimit ?? 500 });
  const failures = new FailedAttempts();
  const known = new KnownTokens();
  app.setErrorHandler(handleError);
  // PATCH bodies are JSON merge patches (RFC 7396): their own media type is read as JSON too.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    ['application/json', 'application/merge-patch+json'],
    { parseAs: 'string' },
    parseJsonBody,
  );
  // Response schemas document the answers (OpenAPI); JSON.stringify writes them, so that a field
  // a schema does not list yet is never dropped on the way out.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  const allowed = new AllowedMethods();
  app.addHook('onRoute', (route) => {
    allowed.add(route.method, route.url);
    if (route.url.startsWith('/docs') || route.schema?.hide === true) return;
    const method = Array.isArray(route.method) ? route.method[0] : route.method;
    const ok = RESPONSES[`${method} ${route.url}`];
    const own = (route.schema?.response ?? {}) as Record<string, unknown>;
    route.schema = { ...route.schema, response: { ...ok, ...ERROR_RESPONSES, ...own } };
    // A misspelt parameter (`groupby=owner`) must not quietly answer a different question.
    if (route.url.startsWith('/api/v1/')) {
      const query = (route.schema.querystring ?? { type: 'object', properties: {} }) as Record<
        string,
        unknown
      >;
      route.schema.querystring = { additionalProperties: false, ...query };
    }
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const methods = allowed.at(path);
    if (methods.length > 0) {
      const list = methods.join(', ');
      void reply
        .status(405)
        .header('allow', list)
        .send(
          errorBody('METHOD_NOT_ALLOWED', `${path} does not take ${req.method}`, `use ${list} (see /docs)`),
        );
      return;
    }
    // `/api/v1/usage/` is easily sent for `/api/v1/usage`, and hard to see in the message alone.
    const bare = path.replace(/\/+$/, '');
    const hint =
      bare !== path && bare !== '' && allowed.at(bare).length > 0
        ? `ask ${bare}, without the trailing /`
        : 'see /docs';
    void reply.status(404).send(errorBody('NOT_FOUND', `no endpoint ${req.method} ${path}`, hint));
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'kubetally',
        version: VERSION,
        description: 'Kubernetes usage, costs and credits (SPEC §5)',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (req: FastifyRequest) => {
    const path = req.url.split('?')[0] ?? '';
    if (PUBLIC.has(path) || path === '/docs' || path.startsWith('/docs/')) return;
    // Routes that hold no data (the dashboard's files) say so when they are registered.
    if ((req.routeOptions.config as { public?: boolean } | undefined)?.public === true) return;
    if (path === '/metrics' && options.metricsPublic !== false) return;
    req.principal = await authenticate(ctx.store, req, failures, known);
  });

  // What a token reads (usage, costs, accounts, a new token's secret) is for that token alone: no
  // browser or proxy cache may keep it for whoever comes next.
  app.addHook('onSend', async (req, reply) => {
    if (req.principal !== null && !reply.hasHeader('cache-control'))
      void reply.header('cache-control', 'no-store');
  });

  // Bodies are read as sent: a compressed one was parsed as text (its bytes echoed in the error),
  // and one marked compressed but sent plain was read as if it were not marked.
  app.addHook('preParsing', async (req, reply, payload) => {
    const coding = req.headers['content-encoding'];
    if (coding === undefined || /^\s*identity\s*$/i.test(coding)) return payload;
    // Sent here, the reply ends the request: fastify reads no payload of a sent reply.
    void reply
      .status(415)
      .header('accept-encoding', 'identity')
      .send(
        errorBody(
          'INVALID_ARGUMENT',
          `the body was sent with Content-Encoding: ${coding.slice(0, 64)}`,
          'send the JSON body uncompressed, without Content-Encoding',
        ),
      );
    return payload;
  });

  // PostgreSQL text cannot hold NUL: refused here with a 400, not as a database error (a 500).
  app.addHook('preValidation', async (req) => {
    const refused = refusedIn({ path: req.params, query: req.query, body: req.body });
    if (refused !== undefined) {
      throw new KubetallyError('INVALID_ARGUMENT', `${refused.at} contains ${refused.what}`, {
        hint: refused.hint,
      });
    }
  });

  // Public, so documented without the bearer requirement (`security: []`).
  const status = (value: string, description: string) => ({
    description,
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: [value] } },
  });
  // Probes and scrapes come every few seconds: their requests are not logged (errors still are).
  const quiet = 'warn' as const;
  app.get(
    '/healthz',
    {
      logLevel: quiet,
      schema: { security: [], summary: 'liveness', response: { 200: status('ok', 'the process answers') } },
    },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      logLevel: quiet,
      schema: {
        security: [],
        summary: 'readiness: the database answers',
        response: {
          200: status('ready', 'ready to serve'),
          503: { ...ERROR_RESPONSES['5xx'], description: 'the database does not answer' },
        },
      },
    },
    async (_req, reply) => {
      try {
        await ctx.db.query('SELECT 1');
        return { status: 'ready' };
      } catch {
        return reply
          .status(503)
          .send(errorBody('UNAVAILABLE', 'the database does not answer', 'check DATABASE_URL'));
      }
    },
  );
  app.get(
    '/metrics',
    {
      logLevel: quiet,
      schema: {
        ...(options.metricsPublic === false ? {} : { security: [] }),
        summary: 'Prometheus text exposition (docs/api.md#metrics)',
        response: {
          200: {
            description: 'metrics in the Prometheus text format',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    async (req, reply) => {
      void reply.header('content-type', metrics.registry.contentType);
      await metrics.forgetRemoved();
      const text = await metrics.registry.metrics();
      // Public (the default), or read with a token of every tenant: all of it. A tenant's token
      // reads its tenant's series only; a user token, its tenant's series of its owner.
      const p = req.principal as Principal | null;
      if (p === null || p.tenant === undefined) return text;
      return scopeMetrics(text, p.tenant, p.role === 'user' ? p.owner : undefined);
    },
  );
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await registerAdminRoutes(app, ctx);
  await registerClusterRoutes(app, ctx);
  await registerClusterOperationRoutes(app, ctx, { metrics, collect: options.collect ?? {} });
  await registerReadRoutes(app, ctx, new ReadCache(options.readCacheMs ?? 30_000));
  await registerAccountRoutes(app, ctx);
  return { app, metrics };
}

/** Printable ASCII without spaces or quotes, as trace ids are (UUIDs, W3C and X-Ray ids). */
const REQUEST_ID = /^[!#-~]{1,128}$/;
let requests = 0;

function requestId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : `req-${(++requests).toString(36)}`;
}
