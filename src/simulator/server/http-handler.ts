/**
 * The HTTP layer: bearer-token auth, faults, body reading, and writing the answers of the API
 * and control routes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROTOBUF } from '../../k8s/protobuf/codec.js';
import { WATCH_KINDS, type World } from '../world.js';
import { selfSubjectAccessReview, SSAR_PATH } from './access-review.js';
import { routeApi, type Answer } from './api-routes.js';
import { decodeProtobufReview } from './protobuf-review.js';
import type { SimClock } from './clock.js';
import { handleControl } from './control.js';
import type { Faults } from './faults.js';
import { CLUSTER_SCOPED } from './lists.js';
import { Reply } from './reply.js';
import { selfSubjectRulesReview, SSRR_PATH } from './rules-review.js';
import {
  badRequest,
  forbidden,
  internalError,
  methodNotAllowed,
  status,
  unauthorized,
  unknownPath,
} from './status.js';
import type { Watches } from './watch.js';

export interface HandlerContext {
  world: World;
  clock: SimClock;
  faults: Faults;
  token: string;
  /** Requests without credentials may read the Kubernetes API (not /sim/*): plain-http mode. */
  anonymous?: boolean;
  /** host:port for `/api`'s serverAddressByClientCIDRs. */
  serverAddress: string;
  watches: Watches;
}

const MAX_BODY_BYTES = 64 * 1024;
const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz']);

export function createHandler(ctx: HandlerContext): (req: IncomingMessage, res: ServerResponse) => void {
  const expected = Buffer.from(`Bearer ${ctx.token}`);
  const authorized = (header: string | undefined) => {
    const got = Buffer.from(header ?? '');
    return got.length === expected.length && timingSafeEqual(got, expected);
  };
  return (req, res) => {
    handle(ctx, authorized, req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      const message = err instanceof Error ? err.message : String(err);
      new Reply(res, new Date()).json(500, internalError(message));
    });
  };
}

async function handle(
  ctx: HandlerContext,
  authorized: (h: string | undefined) => boolean,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  // The API time is read once per request, so every part of one answer (and its Date) agrees.
  const now = ctx.clock.now();
  const reply = new Reply(res, new Date(now));
  const url = new URL(req.url ?? '/', 'http://simulator');
  let path: string;
  try {
    // client-node sends `proxy/stats%2Fsummary`; Go's net/http decodes it, so we do too.
    path = decodeURIComponent(url.pathname);
  } catch {
    return reply.json(400, badRequest(`invalid path ${url.pathname}`));
  }
  if (PUBLIC_PATHS.has(path)) return reply.text(200, 'ok');
  const control = path === '/sim' || path.startsWith('/sim/');
  const anonymous = ctx.anonymous === true && !control && req.headers.authorization === undefined;
  if (!anonymous && !authorized(req.headers.authorization)) return reply.json(401, unauthorized());

  if (path === '/sim' || path.startsWith('/sim/')) {
    const body = await readJson(req);
    if (body instanceof Error) return reply.json(400, badRequest(body.message));
    const answer = handleControl(ctx, { method: req.method ?? 'GET', path, query: url.searchParams, body });
    return reply.json(answer.code, answer.body);
  }

  const { faults } = ctx;
  if (faults.state.latencyMs > 0) await sleep(faults.state.latencyMs);
  if (faults.state.unauthorized) return reply.json(401, unauthorized());
  const fate = faults.fate();
  if (fate === 'reset') return void req.socket.destroy();
  if (fate === 'error')
    return reply.json(500, internalError('simulated fault: etcdserver: request timed out'));
  if (fate === 'malformed') reply.breakBody();
  if (path === SSAR_PATH && req.method === 'POST') {
    const body = await readReview(req);
    if (body instanceof Error) return reply.json(400, badRequest(body.message));
    const review = selfSubjectAccessReview(faults, body);
    return reply.json(review.code, review.body);
  }
  if (path === SSRR_PATH && req.method === 'POST') {
    const body = await readReview(req);
    if (body instanceof Error) return reply.json(400, badRequest(body.message));
    const review = selfSubjectRulesReview(faults, body);
    return reply.json(review.code, review.body);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply.json(405, methodNotAllowed());
  if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') {
    const s = path.split('/').filter((p) => p !== '');
    const core = s[0] === 'api' && s[1] === 'v1';
    const resource =
      core && s.length === 3 ? s[2] : core && s.length === 5 && s[2] === 'namespaces' ? s[4] : '';
    const kind = WATCH_KINDS.find((k) => k === resource);
    // Nodes, namespaces and volumes have no namespace: under /namespaces/{ns}/ there are none.
    if (kind !== undefined && s.length === 5 && CLUSTER_SCOPED.has(kind))
      return reply.json(404, unknownPath());
    if (kind === undefined)
      return reply.json(
        405,
        status(
          405,
          'MethodNotAllowed',
          `the simulator serves watch requests for ${WATCH_KINDS.join(', ')} only`,
          {},
        ),
      );
    const namespace = s.length === 5 ? s[3] : undefined;
    if (faults.isForbidden(kind, '', undefined, 'watch'))
      return reply.json(
        403,
        forbidden({
          verb: 'watch',
          resource: kind,
          group: '',
          ...(namespace === undefined ? {} : { namespace }),
        }),
      );
    const refused = ctx.watches.start(res, {
      kind,
      ...(namespace === undefined ? {} : { namespace }),
      query: url.searchParams,
      now,
      asTable: asTable(req.headers.accept ?? ''),
    });
    return refused === undefined ? undefined : reply.json(refused.code, refused);
  }

  const answer = routeApi(ctx, {
    segments: path.split('/').filter((p) => p !== ''),
    query: url.searchParams,
    asTable: asTable(req.headers.accept ?? ''),
    protobuf: prefersProtobuf(req.headers.accept ?? ''),
    now,
  });
  await write(reply, answer);
}

/** kubectl's server-side printing: `application/json;as=Table;v=v1;g=meta.k8s.io`. */
const asTable = (accept: string) => /(^|[;,\s])as=Table(\b|;|,|$)/.test(accept);

/** The first of the accepted types that the simulator writes is protobuf (q-values aside). */
function prefersProtobuf(accept: string): boolean {
  for (const part of accept.split(',')) {
    const type = (part.split(';')[0] ?? '').trim().toLowerCase();
    if (type === PROTOBUF) return true;
    if (type === 'application/json' || type === '*/*' || type === 'application/*') return false;
  }
  return false;
}

async function write(reply: Reply, answer: Answer): Promise<void> {
  if (answer.type === 'json') return reply.json(answer.code, answer.body);
  if (answer.type === 'protobuf') return reply.bytes(answer.code, answer.bytes, PROTOBUF);
  if (answer.type === 'text') return reply.text(answer.code, answer.text);
  return reply.stream(200, answer.parts);
}

/** A review body: JSON (kubetally, client-go JSON clients) or protobuf (kubectl). */
async function readReview(req: IncomingMessage): Promise<unknown> {
  if (!/^application\/vnd\.kubernetes\.protobuf\b/.test(req.headers['content-type'] ?? ''))
    return readJson(req);
  const raw = await readBody(req);
  if (raw instanceof Error) return raw;
  return decodeProtobufReview(raw) ?? new Error('the protobuf body is not a review');
}

async function readBody(req: IncomingMessage): Promise<Buffer | Error> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return new Error(`request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req);
  if (raw instanceof Error) return raw;
  const text = raw.toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return new Error('request body is not valid JSON');
  }
}
