import { KubetallyError, isKubetallyError } from '../domain/errors.js';
import { COMPACT } from './compact.js';
import type { Connection } from './connection.js';
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
}

const CLUSTER_SCOPED = new Set<ListKindName>(['nodes', 'namespaces', 'persistentvolumes']);

export interface ListPage<T> {
  items: T[];
  /** The API server's Date of the first page: when the list was taken, in cluster time. */
  date: number | undefined;
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
      // As client-go's pager: after a list expired while paging, read it whole in one request.
      return await listOnce(conn, kind, restart === 0 ? options : { ...options, limit: 0 }, keep);
    } catch (err) {
      if (!isKubetallyError(err, 'EXPIRED') || restart >= maxRestarts) throw err;
    }
  }
}

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
  let cont = '';
  for (let page = 0; ; page++) {
    const q = new URLSearchParams();
    if ((o.limit ?? 500) > 0) q.set('limit', String(o.limit ?? 500));
    if (o.labelSelector) q.set('labelSelector', o.labelSelector);
    if (o.fieldSelector) q.set('fieldSelector', o.fieldSelector);
    if (cont !== '') q.set('continue', cont);
    const reply = await conn.request<{ items?: unknown[]; metadata?: { continue?: string } }>(
      `${base}?${q}`,
      {
        ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
      },
    );
    if (page === 0) date = reply.date;
    if (!Array.isArray(reply.body?.items)) {
      throw new KubetallyError('MALFORMED_RESPONSE', `the API server's ${kind} list has no items`, {
        hint: 'check that the server address points at a Kubernetes API server',
      });
    }
    for (const raw of reply.body.items) {
      const kept = keep(convert(raw));
      if (kept !== undefined) items.push(kept);
    }
    cont = reply.body.metadata?.continue ?? '';
    if (cont === '') return { items, date };
  }
}
