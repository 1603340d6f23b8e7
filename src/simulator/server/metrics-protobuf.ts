/**
 * A PodMetricsList in Kubernetes protobuf, written quickly: kubectl and kubetally ask for 10k to
 * 100k items at once, and the simulator (API server and metrics-server in one thread) builds the
 * whole body before sending it. Each pod's name, namespace and labels are encoded once and kept
 * while they stay the same; times and windows once per list. The bytes equal what the schema's
 * generic encoder writes (tested).
 */
import protobuf from 'protobufjs/minimal.js';
import { durationMessage, envelope, timeMessage } from '../../k8s/protobuf/codec.js';

const { Writer } = protobuf;

export interface PodMetricsObject {
  metadata: {
    name: string;
    namespace: string;
    creationTimestamp: string;
    labels?: Readonly<Record<string, string>>;
  };
  timestamp: string;
  window: string;
  containers: { name: string; usage: Readonly<Record<string, string>> }[];
}

interface CachedMeta {
  labels: Readonly<Record<string, string>> | undefined;
  /** ObjectMeta fields 1 and 3 (name, namespace), then 11 (labels): the creation time, new at
   * every request as from metrics-server, goes between. */
  head: Uint8Array;
  tail: Uint8Array;
}

const META_CACHE_MAX = 250_000;
const metaCache = new Map<string, CachedMeta>();

export function podMetricsListBytes(apiVersion: string, items: Iterable<PodMetricsObject>): Buffer {
  const created = new Map<string, Uint8Array>();
  const times = new Map<string, Uint8Array>();
  const windows = new Map<string, Uint8Array>();
  const w = Writer.create();
  w.uint32(10).fork().ldelim(); // ListMeta {}
  for (const m of items) {
    const meta = cachedMeta(m.metadata);
    w.uint32(18).fork();
    // ObjectMeta: name (1), namespace (3), creationTimestamp (8), labels (11), in field order.
    w.uint32(10).bytes(
      Buffer.concat([meta.head, memo(created, m.metadata.creationTimestamp, createdField), meta.tail]),
    );
    w.uint32(18).bytes(memo(times, m.timestamp, timeMessage));
    w.uint32(26).bytes(memo(windows, m.window, durationMessage));
    for (const c of m.containers) {
      w.uint32(34).fork().uint32(10).string(c.name);
      for (const [k, v] of Object.entries(c.usage))
        w.uint32(18).fork().uint32(10).string(k).uint32(18).fork().uint32(10).string(v).ldelim().ldelim();
      w.ldelim();
    }
    w.ldelim();
  }
  return envelope(apiVersion, 'PodMetricsList', w.finish());
}

function cachedMeta(m: PodMetricsObject['metadata']): CachedMeta {
  const key = `${m.namespace}/${m.name}`;
  const hit = metaCache.get(key);
  if (hit !== undefined && sameLabels(hit.labels, m.labels)) return hit;
  if (metaCache.size >= META_CACHE_MAX) metaCache.clear();
  const head = Writer.create().uint32(10).string(m.name).uint32(26).string(m.namespace).finish();
  const t = Writer.create();
  for (const [k, v] of Object.entries(m.labels ?? {}))
    t.uint32(90).fork().uint32(10).string(k).uint32(18).string(v).ldelim();
  const entry = { labels: m.labels, head, tail: t.finish() };
  metaCache.set(key, entry);
  return entry;
}

function sameLabels(
  a: Readonly<Record<string, string>> | undefined,
  b: Readonly<Record<string, string>> | undefined,
): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}

function memo(
  cache: Map<string, Uint8Array>,
  text: string,
  encode: (text: string) => Uint8Array,
): Uint8Array {
  let bytes = cache.get(text);
  if (bytes === undefined) cache.set(text, (bytes = encode(text)));
  return bytes;
}

/** ObjectMeta's creationTimestamp (field 8), tag and length included. */
function createdField(text: string): Uint8Array {
  return Writer.create().uint32(66).bytes(timeMessage(text)).finish();
}
