/**
 * Routing of the Kubernetes API paths. Returns what to answer; the HTTP layer writes it.
 */
import type { Millis } from '../../domain/duration.js';
import { LIST_KINDS, type ListKind, type World } from '../world.js';
import { authorizationResources, REVIEWS } from './access-review.js';
import {
  apiGroupList,
  apiVersions,
  authorizationGroup,
  coreV1Resources,
  metricsGroup,
  metricsResources,
  VERSION_INFO,
} from './discovery.js';
import type { Faults } from './faults.js';
import { CLUSTER_SCOPED, getBody, listBody } from './lists.js';
import { nodeMetrics, nodeMetricsList, podMetrics, podMetricsList } from './metrics.js';
import { NODE_LEASE_PATH, nodeLease } from './node-lease.js';
import { isStatus } from './selection.js';
import {
  forbidden,
  methodNotAllowed,
  notFound,
  serviceUnavailable,
  unknownPath,
  type ForbiddenRequest,
  type Status,
} from './status.js';

export type Answer =
  | { type: 'json'; code: number; body: unknown }
  | { type: 'stream'; parts: Iterable<string> }
  | { type: 'protobuf'; code: number; bytes: Buffer }
  | { type: 'text'; code: number; text: string };

export interface ApiContext {
  world: World;
  faults: Faults;
  serverAddress: string;
}

export interface ApiRequest {
  segments: string[];
  query: URLSearchParams;
  asTable: boolean;
  /** Accept puts Kubernetes protobuf before JSON. */
  protobuf: boolean;
  now: Millis;
}

const KINDS: ReadonlySet<string> = new Set<ListKind>(LIST_KINDS);

const json = (code: number, body: unknown): Answer =>
  Buffer.isBuffer(body) ? { type: 'protobuf', code, bytes: body } : { type: 'json', code, body };
const fromStatus = (s: Status): Answer => json(s.code, s);
const streamOr = (r: Status | Iterable<string> | Buffer): Answer =>
  isStatus(r) ? fromStatus(r) : Buffer.isBuffer(r) ? json(200, r) : { type: 'stream', parts: r };
const NOT_FOUND = (): Answer => fromStatus(unknownPath());

export function routeApi(ctx: ApiContext, req: ApiRequest): Answer {
  const s = req.segments;
  if (s[0] === 'version' && s.length === 1) return json(200, VERSION_INFO);
  if (s[0] === 'api') {
    if (s.length === 1) return json(200, apiVersions(ctx.serverAddress));
    if (s[1] === 'v1') return s.length === 2 ? json(200, coreV1Resources()) : routeCore(ctx, req, s.slice(2));
    return NOT_FOUND();
  }
  if (s[0] === 'apis') {
    const metricsState = ctx.faults.state.metricsApi;
    if (s.length === 1) return json(200, apiGroupList(metricsState !== 'missing'));
    if (s[1] === 'authorization.k8s.io') {
      if (s.length === 2) return json(200, authorizationGroup());
      if (s.length === 3 && s[2] === 'v1') return json(200, authorizationResources());
      // Reviews are only created (POST, http-handler.ts): any read of them is 405.
      if (s.length === 4 && s[2] === 'v1' && REVIEWS.includes(s[3] as string))
        return fromStatus(methodNotAllowed());
      return NOT_FOUND();
    }
    if (s[1] === 'coordination.k8s.io') return routeLease(ctx, req, s.slice(1));
    if (s[1] !== 'metrics.k8s.io' || metricsState === 'missing') return NOT_FOUND();
    // The aggregator answers for an APIService whose backend is down with a plain-text 503.
    if (metricsState === 'unavailable') return { type: 'text', code: 503, text: 'service unavailable\n' };
    if (s.length === 2) return json(200, metricsGroup());
    if (s[2] !== 'v1beta1') return NOT_FOUND();
    return s.length === 3 ? json(200, metricsResources()) : routeMetrics(ctx, req, s.slice(3));
  }
  return NOT_FOUND();
}

/** `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{node}`, nothing else of the group. */
function routeLease(ctx: ApiContext, req: ApiRequest, s: string[]): Answer {
  const name = s[NODE_LEASE_PATH.length];
  if (s.length !== NODE_LEASE_PATH.length + 1 || NODE_LEASE_PATH.some((p, i) => s[i] !== p) || !name)
    return NOT_FOUND();
  const denied = deny(ctx, {
    verb: 'get',
    resource: 'leases',
    group: 'coordination.k8s.io',
    namespace: 'kube-node-lease',
    name,
  });
  if (denied !== undefined) return denied;
  const got = nodeLease(ctx.world, name, req.now);
  return json(got.code, got.body);
}

function deny(ctx: ApiContext, r: ForbiddenRequest): Answer | undefined {
  return ctx.faults.isForbidden(r.resource, r.group, r.subresource, r.verb)
    ? fromStatus(forbidden(r))
    : undefined;
}

function routeCore(ctx: ApiContext, req: ApiRequest, s: string[]): Answer {
  const base = {
    world: ctx.world,
    now: req.now,
    query: req.query,
    asTable: req.asTable,
    protobuf: req.protobuf,
  };
  const expireAllTokens = ctx.faults.state.expireContinue;
  const [first, second, third, fourth] = s;
  if (first === undefined || !KINDS.has(first)) return NOT_FOUND();
  const kind = first as ListKind;
  if (kind === 'namespaces' && second !== undefined && third !== undefined) {
    // /namespaces/{ns}/{kind}[/{name}]
    if (!KINDS.has(third) || CLUSTER_SCOPED.has(third as ListKind) || s.length > 4) return NOT_FOUND();
    const nsKind = third as ListKind;
    const denied = deny(ctx, {
      verb: fourth === undefined ? 'list' : 'get',
      resource: nsKind,
      group: '',
      namespace: second,
      ...(fourth === undefined ? {} : { name: fourth }),
    });
    if (denied !== undefined) return denied;
    if (fourth === undefined)
      return streamOr(listBody({ ...base, kind: nsKind, namespace: second, expireAllTokens }));
    const got = getBody({ ...base, kind: nsKind, namespace: second, name: fourth, expireAllTokens });
    return json(got.code, got.body);
  }
  if (kind === 'nodes' && second !== undefined && third === 'proxy')
    return nodeProxy(ctx, req, second, s.slice(3));
  if (s.length > 2) return NOT_FOUND();
  if (second !== undefined && !CLUSTER_SCOPED.has(kind)) return NOT_FOUND();
  const denied = deny(ctx, {
    verb: second === undefined ? 'list' : 'get',
    resource: kind,
    group: '',
    ...(second === undefined ? {} : { name: second }),
  });
  if (denied !== undefined) return denied;
  if (second === undefined) return streamOr(listBody({ ...base, kind, expireAllTokens }));
  const got = getBody({ ...base, kind, name: second, expireAllTokens });
  return json(got.code, got.body);
}

function nodeProxy(ctx: ApiContext, req: ApiRequest, node: string, rest: string[]): Answer {
  const summaryState = ctx.faults.state.summaryApi;
  const r: ForbiddenRequest = { verb: 'get', resource: 'nodes', subresource: 'proxy', group: '', name: node };
  if (summaryState === 'forbidden') return fromStatus(forbidden(r));
  const denied = deny(ctx, r);
  if (denied !== undefined) return denied;
  if (ctx.world.get('nodes', '', node, req.now) === undefined) return fromStatus(notFound('nodes', node));
  if (summaryState === 'unavailable')
    return fromStatus(
      serviceUnavailable(
        `error trying to reach service: dial tcp ${node}:10250: connect: connection refused`,
      ),
    );
  if (rest.join('/') !== 'stats/summary') return { type: 'text', code: 404, text: '404 page not found\n' };
  const summary = ctx.world.nodeSummary(node, req.now);
  if (summary === undefined) return fromStatus(notFound('nodes', node));
  return json(200, onlyCpuAndMemory(summary, req.query.get('only_cpu_and_memory') === 'true'));
}

/** `?only_cpu_and_memory=true` keeps cpu and memory of the node, pods and containers. */
function onlyCpuAndMemory(summary: Record<string, unknown>, only: boolean): Record<string, unknown> {
  if (!only) return summary;
  type Stats = Record<string, unknown> & { containers?: Stats[] };
  const keep = (o: Stats | undefined, keys: string[]) =>
    o === undefined ? undefined : Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k)));
  const node = summary.node as Stats | undefined;
  const pods = (summary.pods ?? []) as Stats[];
  return {
    node: keep(node, ['nodeName', 'startTime', 'systemContainers', 'cpu', 'memory']),
    pods: pods.map((p) => ({
      ...keep(p, ['podRef', 'startTime', 'cpu', 'memory']),
      containers: (p.containers ?? []).map((c) => keep(c, ['name', 'startTime', 'cpu', 'memory'])),
    })),
  };
}

function routeMetrics(ctx: ApiContext, req: ApiRequest, s: string[]): Answer {
  const base = { world: ctx.world, now: req.now, query: req.query, protobuf: req.protobuf };
  const group = 'metrics.k8s.io';
  const [first, second, third, fourth] = s;
  if (first === 'nodes' && s.length <= 2) {
    const denied = deny(ctx, {
      verb: second === undefined ? 'list' : 'get',
      resource: 'nodes',
      group,
      ...(second === undefined ? {} : { name: second }),
    });
    if (denied !== undefined) return denied;
    if (second === undefined) return streamOr(nodeMetricsList(base));
    const got = nodeMetrics({ ...base, name: second });
    return json(got.code, got.body);
  }
  if (first === 'pods' && s.length === 1) {
    return deny(ctx, { verb: 'list', resource: 'pods', group }) ?? streamOr(podMetricsList(base));
  }
  if (first === 'namespaces' && second !== undefined && third === 'pods' && s.length <= 4) {
    const denied = deny(ctx, {
      verb: fourth === undefined ? 'list' : 'get',
      resource: 'pods',
      group,
      namespace: second,
      ...(fourth === undefined ? {} : { name: fourth }),
    });
    if (denied !== undefined) return denied;
    if (fourth === undefined) return streamOr(podMetricsList({ ...base, namespace: second }));
    const got = podMetrics({ ...base, namespace: second, name: fourth });
    return json(got.code, got.body);
  }
  return NOT_FOUND();
}
