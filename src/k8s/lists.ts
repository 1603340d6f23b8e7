import { KubetallyError, isKubetallyError } from '../domain/errors.js';
import { COMPACT } from './compact.js';
import type { Connection } from './connection.js';
import { PROTOBUF } from './protobuf/codec.js';
import type { PodReuse } from './pod-reuse.js';
import { continueFromHead, decodePodList } from './protobuf/pod-list.js';
import type { KindTypes, ListKindName } from './types.js';

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size (default 500, as kubectl). */
  limit?: number;
  timeoutMs?: number;
  /** How often a list that expired (410) while paging is started again (default 3). */
  maxRestarts?: number;
  /**
   * Pods with only names, labels, requests, claims, node and phase (no container states,
   * limits, times or controller), where the server sends protobuf: enough for requests and
   * attribution, and quicker to read.
   */
  leanPods?: boolean;
  /**
   * Pods of the previous list (of the same pods, with full pods) reused where their
   * resourceVersion is unchanged, where the server sends protobuf; the list is kept for the next.
   */
  reusePods?: PodReuse;
}

const CLUSTER_SCOPED = new Set<ListKindName>(['nodes', 'namespaces', 'persistentvolumes']);

export interface ListPage<T> {
  items: T[];
  /** The API server's Date of the first page: when the list was taken, in cluster time. */
  date: number | undefined;
  /** The list's resourceVersion (its first page's), from which a watch can follow it. */
  resourceVersion?: string;
}

/**
 * Lists every object of a kind, page by page (`limit`/`continue`), keeping only the compact
 * fields. A list that expires while paging (410) is started again from the beginning, so the
 * caller always gets one complete, consistent list; pages are never held as raw JSON.
 */
export async function listAll<K extends ListKindName>(
  conn: Connection,
  kind: K,
  options?: ListOptions,
): Promise<ListPage<KindTypes[K]>>;
/** The same, keeping only what `keep` makes of each object (undefined drops it). */
export async function listAll<K extends ListKindName, T>(
  conn: Connection,
  kind: K,
  options: ListOptions,
  keep: (item: KindTypes[K]) => T | undefined,
  /** Called before the first page, and again when the list starts over after a 410. */
  onStart?: () => void,
): Promise<ListPage<T>>;
export async function listAll<K extends ListKindName, T>(
  conn: Connection,
  kind: K,
  options: ListOptions = {},
  keep: (item: KindTypes[K]) => T | undefined = (item) => item as unknown as T,
  onStart?: () => void,
): Promise<ListPage<T>> {
  const maxRestarts = options.maxRestarts ?? 2;
  for (let restart = 0; ; restart++) {
    try {
      onStart?.();
      options.reusePods?.begin();
      // As client-go's pager: after a list expired while paging, read it whole in one request.
      const list = await listOnce(conn, kind, restart === 0 ? options : { ...options, limit: 0 }, keep);
      options.reusePods?.commit();
      return list;
    } catch (err) {
      if (!isKubetallyError(err, 'EXPIRED') || restart >= maxRestarts) throw err;
    }
  }
}

type ListReply = Awaited<ReturnType<Connection['request']>> & {
  body: { items?: unknown[]; metadata?: { continue?: string } };
};

/** A list reply's continue token, read from the start of its body (metadata comes first). */
const HEAD_CONTINUE = /^\s*\{(?:"(?:kind|apiVersion)":"[^"\\]*",)*"metadata":\{[^{}]*?"continue":"([^"\\]+)"/;

async function listOnce<K extends ListKindName, T>(
  conn: Connection,
  kind: K,
  o: ListOptions,
  keep: (item: KindTypes[K]) => T | undefined,
): Promise<ListPage<T>> {
  const base =
    o.namespace !== undefined && !CLUSTER_SCOPED.has(kind)
      ? `/api/v1/namespaces/${encodeURIComponent(o.namespace)}/${kind}`
      : `/api/v1/${kind}`;
  const convert = COMPACT[kind] as (raw: unknown) => KindTypes[K];
  const items: T[] = [];
  let date: number | undefined;
  let resourceVersion: string | undefined;
  // The next page is asked for as soon as this one's continue token has arrived, so that the
  // server prepares it while this one is read: one page ahead at most.
  const ahead = new Map<string, Promise<ListReply>>();
  const fetchPage = (cont: string): Promise<ListReply> => {
    const q = new URLSearchParams();
    if ((o.limit ?? 500) > 0) q.set('limit', String(o.limit ?? 500));
    if (o.labelSelector) q.set('labelSelector', o.labelSelector);
    if (o.fieldSelector) q.set('fieldSelector', o.fieldSelector);
    if (cont !== '') q.set('continue', cont);
    return conn.request(`${base}?${q}`, {
      ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
      // Pods, most of what is listed, come as protobuf where the server speaks it (every API
      // server does): a fraction of the JSON's size, and read without building whole objects.
      ...(kind === 'pods'
        ? { protobuf: (body: Buffer) => decodePodList(body, o.leanPods === true, o.reusePods) }
        : {}),
      onHead: (head, contentType) => {
        const next = contentType.startsWith(PROTOBUF)
          ? continueFromHead(head, contentType)
          : HEAD_CONTINUE.exec(head.toString('utf8'))?.[1];
        if (next === undefined || ahead.has(next)) return;
        const reply = fetchPage(next);
        reply.catch(() => undefined); // awaited below, or dropped when the list ends early
        ahead.set(next, reply);
      },
    }) as Promise<ListReply>;
  };
  let pending = fetchPage('');
  for (let page = 0; ; page++) {
    const reply = await pending;
    if (page === 0) {
      date = reply.date;
      const rv = (reply.body?.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
      if (typeof rv === 'string' && rv !== '') resourceVersion = rv;
    }
    if (!Array.isArray(reply.body?.items)) {
      throw new KubetallyError('MALFORMED_RESPONSE', `the API server's ${kind} list has no items`, {
        hint: 'check that the server address points at a Kubernetes API server',
      });
    }
    const cont = reply.body.metadata?.continue ?? '';
    // Started now, unless the head already started it (checked against the whole body's token).
    const next = ahead.get(cont);
    ahead.delete(cont);
    if (cont !== '') pending = next ?? fetchPage(cont);
    const compact = (reply.body as { compact?: boolean }).compact === true;
    for (const raw of reply.body.items) {
      const kept = keep(compact ? (raw as KindTypes[K]) : convert(raw));
      if (kept !== undefined) items.push(kept);
    }
    if (cont === '')
      return resourceVersion === undefined ? { items, date } : { items, date, resourceVersion };
  }
}

/**
 * A list the cluster may refuse (403): empty then, and `onRefused` is told; any other failure
 * stays a failure. For what a reading can go without (claims, services).
 */
export function unlessForbidden<T>(
  list: Promise<ListPage<T>>,
  onRefused: (refusal: KubetallyError) => void = () => undefined,
): Promise<Pick<ListPage<T>, 'items' | 'resourceVersion'>> {
  return list.catch((err: unknown) => {
    if (!isKubetallyError(err, 'FORBIDDEN')) throw err;
    onRefused(err);
    return { items: [] };
  });
}
