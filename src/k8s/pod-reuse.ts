/**
 * Pods read in the previous list, kept by uid with their resourceVersion. The API server gives an
 * object a new resourceVersion at every change of it (spec, status or metadata), so a pod listed
 * again with the same one is the same pod: its decoded form is reused and its bytes are skipped.
 * Most pods of a cluster do not change from one sample to the next, so a list costs about what
 * the changed pods cost, and the unchanged ones are the very same objects as before (which the
 * inventory's delta encoding recognises without comparing them).
 */
import type { PodInfo } from './types.js';

interface Entry {
  resourceVersion: string;
  pod: PodInfo;
  /** The list that last listed it (see `list`). */
  seen: number;
}

export class PodReuse {
  /** The pods of the last complete list. */
  private current = new Map<string, Entry>();
  /**
   * The list being read: its unchanged pods are marked with it in `current` rather than copied
   * into a new map (a map of every pod, built again every round), its new and changed ones are
   * kept aside until it completes.
   */
  private list = 0;
  private changed = new Map<string, Entry>();

  /** A list starts (or starts over after a 410): what it reads replaces the last list's pods. */
  begin(): void {
    this.list++;
    this.changed = new Map();
  }

  /** The pod as decoded before, if `uid` was listed last time at this resourceVersion. */
  reuse(uid: string, resourceVersion: string): PodInfo | undefined {
    const e = this.current.get(uid);
    if (e === undefined || e.resourceVersion !== resourceVersion) return undefined;
    e.seen = this.list;
    return e.pod;
  }

  /** A pod decoded now, for the next list. */
  keep(uid: string, resourceVersion: string, pod: PodInfo): void {
    this.changed.set(uid, { resourceVersion, pod, seen: this.list });
  }

  /** The list is complete: pods it did not hold are forgotten. */
  commit(): void {
    for (const [uid, e] of this.current) if (e.seen !== this.list) this.current.delete(uid);
    for (const [uid, e] of this.changed) this.current.set(uid, e);
    this.begin();
  }

  /** Forgets every pod, to free their memory for a while: the next list reads each pod whole. */
  clear(): void {
    this.current = new Map();
    this.changed = new Map();
  }
}
