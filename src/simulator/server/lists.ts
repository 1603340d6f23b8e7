/**
 * Core v1 lists and gets: plain `XList` or `Table`, selectors, `limit`/`continue` paging.
 * Pages are streamed item by item and objects are rendered on demand, so a list of 100k pods
 * never exists as one string.
 */
import type { Millis } from '../../domain/duration.js';
import { envelope, listBytes } from '../../k8s/protobuf/codec.js';
import type { ListKind, SimHandle, World } from '../world.js';
import { decodeContinue, encodeContinue, InvalidContinue, type ContinueToken } from './continue-token.js';
import { coreSelection, isStatus, type Selection } from './selection.js';
import { badRequest, expired, notFound, status, type Status } from './status.js';
import { includeObjectOf, oneRowTable, tableRow, type IncludeObject } from './table-rows.js';
import { COLUMNS } from './tables.js';

/** How long a continue token's snapshot lives (etcd compaction: about 5 minutes). */
export const CONTINUE_TTL_MS = 5 * 60_000;

const LIST_KIND: Record<ListKind, string> = {
  pods: 'PodList',
  nodes: 'NodeList',
  namespaces: 'NamespaceList',
  persistentvolumeclaims: 'PersistentVolumeClaimList',
  persistentvolumes: 'PersistentVolumeList',
  services: 'ServiceList',
};

export const CLUSTER_SCOPED: ReadonlySet<ListKind> = new Set(['nodes', 'namespaces', 'persistentvolumes']);

export interface ListRequest {
  world: World;
  kind: ListKind;
  /** Restricts a namespaced kind to one namespace. */
  namespace?: string;
  now: Millis;
  query: URLSearchParams;
  asTable: boolean;
  /** `expireContinue` fault: every continue token is answered 410. */
  expireAllTokens: boolean;
  /** The client prefers Kubernetes protobuf (honoured for pods, as plain lists and objects). */
  protobuf?: boolean;
}

interface PreparedList {
  req: ListRequest;
  snapshot: Millis;
  tokenRv: number;
  handles: readonly SimHandle[];
  from: number;
  to: number;
  selection: Selection;
  limit: number;
  include: IncludeObject;
}

/**
 * Validates the query; returns the Status to answer with, the body's parts to stream (JSON), or
 * the whole body (protobuf).
 */
export function listBody(req: ListRequest): Status | Iterable<string> | Buffer {
  const prepared = prepare(req);
  if (isStatus(prepared)) return prepared;
  return protobufFor(req) ? protobufPage(prepared) : parts(prepared);
}

/** Kinds the simulator can write as protobuf: pods, which are most of what lists carry. */
export function protobufFor(req: Pick<ListRequest, 'kind' | 'asTable' | 'protobuf'>): boolean {
  return req.protobuf === true && !req.asTable && req.kind === 'pods';
}

function prepare(req: ListRequest): Status | PreparedList {
  const { query, now } = req;
  // Table options matter (and are checked) only when a Table is asked for.
  const include = req.asTable ? includeObjectOf(query) : 'Metadata';
  if (isStatus(include)) return include;
  const limitText = query.get('limit') ?? '';
  const limit = limitText === '' ? 0 : Number(limitText);
  if (!Number.isSafeInteger(limit)) return badRequest(`invalid limit "${limitText}"`);
  const rvMatch = query.get('resourceVersionMatch') ?? '';
  const rv = query.get('resourceVersion') ?? '';
  if (rvMatch !== '' && rv === '')
    return status(
      422,
      'Invalid',
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
      {
        kind: 'ListOptions',
        group: 'meta.k8s.io',
        causes: [
          {
            reason: 'FieldValueForbidden',
            message: 'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
            field: 'resourceVersionMatch',
          },
        ],
      },
    );
  if (rvMatch !== '' && rvMatch !== 'NotOlderThan' && rvMatch !== 'Exact')
    return status(
      422,
      'Invalid',
      `ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "${rvMatch}": supported values: "Exact", "NotOlderThan"`,
      {
        kind: 'ListOptions',
        group: 'meta.k8s.io',
        causes: [
          {
            reason: 'FieldValueNotSupported',
            message: `Unsupported value: "${rvMatch}": supported values: "Exact", "NotOlderThan"`,
            field: 'resourceVersionMatch',
          },
        ],
      },
    );
  if (rv !== '' && !/^\d+$/.test(rv)) return badRequest(`invalid resourceVersion "${rv}"`);
  // Exact: the list as it was at that version, while the store still holds it (as etcd does
  // until compaction); older is gone. Any other version is served now, which is never older.
  let exact: number | undefined;
  if (rvMatch === 'Exact' && rv !== '0') {
    exact = Math.min(Number(rv), now);
    if (now - exact > CONTINUE_TTL_MS)
      return status(410, 'Expired', 'The resourceVersion for the provided list is too old.');
  }
  const continueText = query.get('continue') ?? '';
  let token: ContinueToken | undefined;
  if (continueText !== '') {
    if (rv !== '' && rv !== '0')
      return badRequest('specifying resource version is not allowed when using continue');
    try {
      token = decodeContinue(continueText);
    } catch (err) {
      if (err instanceof InvalidContinue) return badRequest(`invalid continue token: ${err.message}`);
      throw err;
    }
    if (req.expireAllTokens || (token.rv !== -1 && now - token.rv > CONTINUE_TTL_MS))
      return expired(encodeContinue({ rv: -1, start: token.start }));
  }
  // Later pages come from the first page's snapshot, as from etcd at the token's revision.
  const snapshot = token !== undefined && token.rv !== -1 ? token.rv : (exact ?? now);
  const selection = coreSelection(req.world, req.kind, snapshot, query);
  if (isStatus(selection)) return selection;
  const handles = req.world.list(req.kind, snapshot);
  let from = 0;
  let to = handles.length;
  if (req.namespace !== undefined) {
    const ns = req.namespace;
    from = firstIndex(handles, (h) => h.namespace >= ns);
    to = firstIndex(handles, (h) => h.namespace > ns);
  }
  if (token !== undefined) {
    const [ns, name] = splitKey(token.start, req.kind);
    from = Math.max(from, afterKey(handles, ns, name));
  }
  return {
    req,
    snapshot,
    tokenRv: token?.rv === -1 ? now : snapshot,
    handles,
    from,
    to,
    selection,
    limit,
    include,
  };
}

/** The page's objects, and the list's metadata (with a continue token when more follow). */
function pageOf(p: PreparedList): { page: SimHandle[]; metadata: Record<string, unknown> } {
  const { world } = p.req;
  const page: SimHandle[] = [];
  let i = p.from;
  for (; i < p.to; i++) {
    const h = p.handles[i] as SimHandle;
    if (!p.selection.matches(h)) continue;
    if (p.limit > 0 && page.length === p.limit) break; // another match exists: the list goes on
    page.push(h);
  }
  const metadata: Record<string, unknown> = { resourceVersion: world.resourceVersion(p.snapshot) };
  const last = page.at(-1);
  if (i < p.to && last !== undefined) {
    metadata.continue = encodeContinue({ rv: p.tokenRv, start: keyOf(last) });
    if (p.selection.all) metadata.remainingItemCount = p.to - i;
  }
  return { page, metadata };
}

function protobufPage(p: PreparedList): Buffer {
  const { page, metadata } = pageOf(p);
  const items = page.map((h) => p.req.world.renderBytes(h, p.snapshot) as Uint8Array);
  return envelope('v1', LIST_KIND[p.req.kind], listBytes(metadata, items));
}

function* parts(p: PreparedList): Generator<string> {
  const { world, kind, asTable, now } = p.req;
  // The page is chosen before anything is rendered: as from a real API server, the list's
  // metadata (with the continue token) comes before its items.
  const { page, metadata } = pageOf(p);
  const meta = JSON.stringify(metadata);
  yield asTable
    ? `{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":${meta},"columnDefinitions":${JSON.stringify(COLUMNS[kind])},"rows":[`
    : `{"kind":"${LIST_KIND[kind]}","apiVersion":"v1","metadata":${meta},"items":[`;
  for (let n = 0; n < page.length; n++) {
    const obj = world.render(page[n] as SimHandle, p.snapshot);
    const item = asTable ? tableRow(kind, obj, { now, include: p.include }) : obj;
    yield (n > 0 ? ',' : '') + JSON.stringify(item);
  }
  yield ']}';
}

/** One object, as itself or as a one-row Table (or as protobuf bytes). */
export function getBody(req: ListRequest & { name: string }): { code: number; body: unknown } {
  const h = req.world.get(req.kind, req.namespace ?? '', req.name, req.now);
  if (h === undefined) return { code: 404, body: notFound(req.kind, req.name) };
  if (protobufFor(req)) {
    const kind = (req.world.render(h, req.now) as { kind: string }).kind;
    return { code: 200, body: envelope('v1', kind, req.world.renderBytes(h, req.now) as Uint8Array) };
  }
  const obj = req.world.render(h, req.now);
  if (!req.asTable) return { code: 200, body: obj };
  const include = includeObjectOf(req.query);
  if (isStatus(include)) return { code: include.code, body: include };
  return { code: 200, body: oneRowTable(req.kind, obj, { now: req.now, include, headers: true }) };
}

function keyOf(h: SimHandle): string {
  return CLUSTER_SCOPED.has(h.kind) ? h.name : `${h.namespace}/${h.name}`;
}

function splitKey(key: string, kind: ListKind): [string, string] {
  if (CLUSTER_SCOPED.has(kind)) return ['', key];
  const slash = key.indexOf('/');
  return slash < 0 ? ['', key] : [key.slice(0, slash), key.slice(slash + 1)];
}

/**
 * The index just after the item with key (ns, name). Binary search over the sorted list, checked
 * against the item itself; a linear search covers a model whose order differs from ours.
 */
function afterKey(handles: readonly SimHandle[], ns: string, name: string): number {
  const i = firstIndex(handles, (h) => h.namespace > ns || (h.namespace === ns && h.name > name));
  const before = handles[i - 1];
  if (before !== undefined && before.namespace === ns && before.name === name) return i;
  const exact = handles.findIndex((h) => h.namespace === ns && h.name === name);
  return exact >= 0 ? exact + 1 : i;
}

/** The first index whose handle satisfies a predicate that is monotone over the sorted list. */
function firstIndex(handles: readonly SimHandle[], pred: (h: SimHandle) => boolean): number {
  let lo = 0;
  let hi = handles.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(handles[mid] as SimHandle)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
