/**
 * Watches of every kind listed (`?watch=1`), as the API server serves them: a chunked stream of JSON lines
 * `{"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":{...}}`. A watch from a list's
 * resourceVersion gets every change after it, each object as it was at that change (World.events);
 * without one (or "0") it starts with an ADDED event per object listed now. Changes are sent when the
 * clock moves (at once for the manual clock, every second of the cluster's time otherwise); with `allowWatchBookmarks`
 * each batch ends with a BOOKMARK of the cluster time. A version older than the compaction window
 * gets a 410 ERROR event, as from etcd; `timeoutSeconds` ends the stream. A field selector is
 * applied to each change as the API server's watch cache applies it: a pod that starts to match
 * (`status.phase=Running`) comes as ADDED, one that stops matching as DELETED. Asked for as a
 * Table (kubectl `get -w`), each event carries a one-row Table, the first with the columns.
 */
import type { ServerResponse } from 'node:http';
import type { Millis } from '../../domain/duration.js';
import type { SimHandle, WatchKind, World } from '../world.js';
import type { SimClock } from './clock.js';
import { includeObjectOf, oneRowTable, type IncludeObject } from './table-rows.js';
import { coreSelection, isStatus, type Selection } from './selection.js';
import { badRequest, status, type Status } from './status.js';

type EventType = ReturnType<World['events']>[number]['type'];

const KINDS: Record<WatchKind, string> = {
  pods: 'Pod',
  nodes: 'Node',
  namespaces: 'Namespace',
  persistentvolumeclaims: 'PersistentVolumeClaim',
  persistentvolumes: 'PersistentVolume',
  services: 'Service',
};

/** Local milliseconds between two sends of a running clock: a second of the cluster's time. */
function flushEvery(mode: SimClock['mode']): number {
  const speed = mode.startsWith('speed:') ? Number(mode.slice('speed:'.length)) : 1;
  return Math.min(1000, Math.max(20, Math.round(1000 / speed)));
}

/** How far back a watch may start, in cluster time (etcd compacts every 5 minutes). */
const COMPACTION_MS = 5 * 60_000;

interface Watcher {
  kind: WatchKind;
  res: ServerResponse;
  namespace: string | undefined;
  selection: Selection;
  bookmarks: boolean;
  last: Millis;
  asTable: boolean;
  include: IncludeObject;
  /** Whether a Table event has gone out (it carried the column definitions). */
  headersSent: boolean;
}

export class Watches {
  private readonly open = new Set<Watcher>();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly stopListening: () => void;

  constructor(
    private readonly world: World,
    private readonly clock: SimClock,
  ) {
    this.stopListening = clock.onChange(() => this.flush());
    // Real and sped-up clocks move by themselves: changes go out each second of the cluster's time
    // (at most every 20 ms of ours), so that a watch keeps up with the lists at speed:60 too.
    this.timer =
      clock.mode === 'manual' ? undefined : setInterval(() => this.flush(), flushEvery(clock.mode)).unref();
  }

  /** Starts a watch on `res`, or returns the Status to answer instead. */
  start(
    res: ServerResponse,
    req: { kind: WatchKind; namespace?: string; query: URLSearchParams; now: Millis; asTable?: boolean },
  ): Status | undefined {
    const selection = coreSelection(this.world, req.kind, req.now, req.query);
    if (isStatus(selection)) return selection;
    const include = req.asTable === true ? includeObjectOf(req.query) : 'Metadata';
    if (isStatus(include)) return include;
    const rvText = req.query.get('resourceVersion') ?? '';
    const rv = rvText === '' || rvText === '0' ? undefined : Number(rvText);
    if (rv !== undefined && !Number.isSafeInteger(rv))
      return badRequest(`invalid resourceVersion "${rvText}"`);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders(); // the client learns the watch is open before any change
    if (rv !== undefined && req.now - rv > COMPACTION_MS) {
      const gone = status(410, 'Expired', `too old resource version: ${rv} (${req.now - COMPACTION_MS})`);
      res.end(`${JSON.stringify({ type: 'ERROR', object: gone })}\n`);
      return undefined;
    }
    const w: Watcher = {
      kind: req.kind,
      res,
      namespace: req.namespace,
      selection,
      bookmarks: req.query.get('allowWatchBookmarks') === 'true',
      last: req.now,
      asTable: req.asTable === true,
      include,
      headersSent: false,
    };
    if (rv === undefined) {
      const lines = this.world
        .list(req.kind, req.now)
        .filter((h) => this.wanted(w, h))
        .map((h) => line('ADDED', this.object(w, this.world.render(h, req.now), req.now)));
      res.write(lines.join(''));
    } else {
      w.last = rv;
      this.send(w, req.now);
    }
    this.open.add(w);
    const timeout = Number(req.query.get('timeoutSeconds') ?? '');
    const end = () => {
      this.open.delete(w);
      res.end();
    };
    const timer = timeout > 0 ? setTimeout(end, timeout * 1000).unref() : undefined;
    res.once('close', () => {
      this.open.delete(w);
      if (timer !== undefined) clearTimeout(timer);
    });
    return undefined;
  }

  flush(): void {
    const now = this.clock.now();
    for (const w of this.open) this.send(w, now);
  }

  close(): void {
    this.stopListening();
    if (this.timer !== undefined) clearInterval(this.timer);
    for (const w of this.open) w.res.end();
    this.open.clear();
  }

  private send(w: Watcher, now: Millis): void {
    // Ended (its timeout) but not yet closed, while a client that does not read holds the rest of
    // the stream in the socket: one more write would throw "write after end".
    if (now <= w.last || w.res.destroyed || w.res.writableEnded) return;
    const out: string[] = [];
    for (const e of this.world.events(w.kind, w.last, now)) {
      const type = this.seenAs(w, e.type, e.handle, e.time);
      if (type !== undefined) out.push(line(type, this.object(w, this.world.render(e.handle, e.time), now)));
    }
    if (w.bookmarks)
      out.push(
        line('BOOKMARK', {
          kind: KINDS[w.kind],
          apiVersion: 'v1',
          metadata: { resourceVersion: String(now) },
        }),
      );
    w.last = now;
    if (out.length > 0) w.res.write(out.join(''));
  }

  /** An event's object: the object, or a one-row Table of it printed at `now`. */
  private object(w: Watcher, obj: Record<string, unknown>, now: Millis): unknown {
    if (!w.asTable) return obj;
    const table = oneRowTable(w.kind, obj, { now, include: w.include, headers: !w.headersSent });
    w.headersSent = true;
    return table;
  }

  /** The event a watcher gets for a change, from whether the object matched before it and after. */
  private seenAs(w: Watcher, type: EventType, h: SimHandle, t: Millis): EventType | undefined {
    if (w.namespace !== undefined && h.namespace !== w.namespace) return undefined;
    const before = type !== 'ADDED' && w.selection.matches(h, t - 1);
    const after = type !== 'DELETED' && w.selection.matches(h, t);
    if (before && after) return 'MODIFIED';
    if (after) return 'ADDED';
    return before ? 'DELETED' : undefined;
  }

  private wanted(w: Watcher, h: SimHandle): boolean {
    return (w.namespace === undefined || h.namespace === w.namespace) && w.selection.matches(h);
  }
}

function line(type: string, object: unknown): string {
  return `${JSON.stringify({ type, object })}\n`;
}
