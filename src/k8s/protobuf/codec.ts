/**
 * Kubernetes' protobuf wire form for the messages of ./schema.ts: the `k8s\0` magic and the
 * `runtime.Unknown` envelope around a message, an encoder from an object in its JSON form, and a
 * decoder that reads only the fields a projection asks for and skips the rest without reading
 * them (a length-delimited field is skipped in one step, which is what makes protobuf lists
 * cheap to read).
 */
import protobuf from 'protobufjs/minimal.js';
import { parseDuration } from '../../domain/duration.js';
import { SCHEMA, type Field, type MessageName } from './schema.js';

const { Reader, Writer } = protobuf;
type ReaderT = protobuf.Reader;
type WriterT = protobuf.Writer;

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from('k8s\0', 'latin1');
const LEN = 2;

type Json = Record<string, unknown>;

// ---- encoding (the simulator) ----

/** Writes `obj` (JSON form) as message `m`; a key the schema lacks is a bug and throws. */
export function encodeMessage(w: WriterT, m: MessageName, obj: Json): WriterT {
  const fields = SCHEMA[m];
  const inline = Object.values(fields).find((f) => f.t === 'message' && f.inline === true);
  let inlined: Json | undefined;
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    if (value === null || value === undefined) continue;
    const f = fields[key];
    if (f !== undefined) encodeField(w, f, value);
    else if (inline !== undefined) (inlined ??= {})[key] = value;
    else throw new Error(`protobuf schema has no field ${m}.${key}`);
  }
  if (inline !== undefined && inlined !== undefined) encodeField(w, inline, inlined);
  return w;
}

function encodeField(w: WriterT, f: Field, value: unknown): void {
  const tag = (wire: number) => w.uint32((f.n << 3) | wire);
  switch (f.t) {
    case 'string':
      tag(LEN).string(value as string);
      return;
    case 'int32':
      tag(0).int32(value as number);
      return;
    case 'int64':
      tag(0).int64(value as number);
      return;
    case 'bool':
      tag(0).bool(value as boolean);
      return;
    case 'time':
      tag(LEN).bytes(timeMessage(value as string));
      return;
    case 'duration':
      tag(LEN).bytes(durationMessage(value as string));
      return;
    case 'strings':
      for (const s of value as string[]) tag(LEN).string(s);
      return;
    case 'stringMap':
      for (const [k, v] of Object.entries(value as Record<string, string>))
        tag(LEN).fork().uint32(10).string(k).uint32(18).string(v).ldelim();
      return;
    case 'quantityMap':
      for (const [k, v] of Object.entries(value as Record<string, string>))
        tag(LEN).fork().uint32(10).string(k).uint32(18).fork().uint32(10).string(String(v)).ldelim().ldelim();
      return;
    case 'message':
      for (const item of f.repeated === true ? (value as Json[]) : [value as Json])
        encodeMessage(tag(LEN).fork(), f.m, item).ldelim();
      return;
  }
}

/** meta/v1 Time {seconds = 1, nanos = 2} of an RFC 3339 text, without tag or length. */
export function timeMessage(text: string): Uint8Array {
  const ms = Date.parse(text);
  const w = Writer.create()
    .uint32(8)
    .int64(Math.floor(ms / 1000));
  if (ms % 1000 !== 0) w.uint32(16).int32((ms % 1000) * 1e6);
  return w.finish();
}

/** meta/v1 Duration {duration = 1} (ns) of a Go duration text (`15s`), without tag or length. */
export function durationMessage(text: string): Uint8Array {
  return Writer.create()
    .uint32(8)
    .int64(parseDuration(text) * 1e6)
    .finish();
}

/** A message's bytes (no envelope). */
export function messageBytes(m: MessageName, obj: Json): Buffer {
  return encodeMessage(Writer.create(), m, obj).finish() as Buffer;
}

/** The `k8s\0` magic and `runtime.Unknown{typeMeta, raw}` around a message's bytes. */
export function envelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const w = Writer.create();
  w.uint32(10).fork().uint32(10).string(apiVersion).uint32(18).string(kind).ldelim();
  w.uint32(18).bytes(raw).uint32(26).string('').uint32(34).string('');
  return Buffer.concat([MAGIC, w.finish()]);
}

/** A list message: `metadata` (ListMeta, field 1), then items already encoded (field 2). */
export function listBytes(metadata: Json, items: readonly Uint8Array[]): Buffer {
  const w = Writer.create();
  encodeMessage(w.uint32(10).fork(), 'ListMeta', metadata).ldelim();
  for (const item of items) w.uint32(18).bytes(item);
  return w.finish() as Buffer;
}

// ---- decoding (the client) ----

/** Which fields to read: `true` for a value, a nested projection for a message. */
export interface Projection {
  [field: string]: true | Projection;
}

/**
 * The message inside an envelope, after checking the magic and the kind. `partial`: `buf` is only
 * the start of the envelope; the reader stops at the start of the message.
 */
export function unwrap(
  buf: Uint8Array,
  kind: string,
  options: { partial?: boolean } = {},
): { reader: ReaderT; end: number } {
  if (buf.length < 4 || Buffer.compare(buf.subarray(0, 4), MAGIC) !== 0)
    throw new Error('not a Kubernetes protobuf message');
  const r = Reader.create(buf);
  r.pos = 4;
  let raw: { start: number; end: number } | undefined;
  let gotKind = '';
  while (r.pos < r.len) {
    const key = r.uint32();
    if (key === 10) {
      const end = r.uint32() + r.pos;
      while (r.pos < end) {
        const k = r.uint32();
        if (k === 18) gotKind = r.string();
        else r.skipType(k & 7);
      }
    } else if (key === 18) {
      const len = r.uint32();
      raw = { start: r.pos, end: r.pos + len };
      if (options.partial === true) break;
      r.skip(len);
    } else r.skipType(key & 7);
  }
  if (gotKind !== kind) throw new Error(`expected a ${kind}, got "${gotKind}"`);
  if (raw === undefined) throw new Error(`the ${kind} envelope has no body`);
  r.pos = raw.start;
  return { reader: r, end: raw.end };
}

/** What to do with each field number of a message under one projection. */
interface Step {
  name: string;
  field: Field;
  /** The nested plan, for a message field. */
  plan?: Plan;
}
type Plan = (Step | undefined)[];

const plans = new Map<MessageName, WeakMap<Projection, Plan>>();

/** A projection compiled for a message: an array indexed by field number, holes skipped. */
function planFor(m: MessageName, want: Projection): Plan {
  let byWant = plans.get(m);
  if (byWant === undefined) plans.set(m, (byWant = new WeakMap()));
  let plan = byWant.get(want);
  if (plan !== undefined) return plan;
  plan = [];
  for (const [name, field] of Object.entries(SCHEMA[m])) {
    const inline = field.t === 'message' && field.inline === true;
    const sub = inline ? want : Object.hasOwn(want, name) ? want[name] : undefined;
    if (sub === undefined) continue;
    plan[field.n] = {
      name,
      field,
      ...(field.t === 'message' ? { plan: planFor(field.m, sub === true ? {} : sub) } : {}),
    };
  }
  byWant.set(want, plan);
  return plan;
}

/** Reads message `m` up to `end`, keeping the projected fields in their JSON form. */
export function decodeMessage(r: ReaderT, end: number, m: MessageName, want: Projection): Json {
  return decodePlan(r, end, planFor(m, want));
}

function decodePlan(r: ReaderT, end: number, plan: Plan): Json {
  const out: Json = {};
  while (r.pos < end) {
    const key = r.uint32();
    const step = plan[key >>> 3];
    if (step === undefined) r.skipType(key & 7);
    else decodeField(r, step, out);
  }
  if (r.pos !== end) throw new RangeError('a message overruns its length');
  return out;
}

/** A non-negative varint as a number (int64 times and counts stay far below 2^53). */
function varintNumber(r: ReaderT): number {
  const buf = r.buf;
  let value = 0;
  // The weight of each 7 bits, multiplied along (`2 ** shift` is a call to Math.pow each time).
  for (let weight = 1, n = 0; n < 10; weight *= 128, n++) {
    const byte = buf[r.pos++];
    if (byte === undefined) throw new RangeError('a varint runs past the end');
    value += (byte & 0x7f) * weight;
    if (byte < 0x80) return value;
  }
  throw new RangeError('a varint longer than 10 bytes');
}

function decodeField(r: ReaderT, step: Step, out: Json): void {
  const { name, field: f } = step;
  switch (f.t) {
    case 'string':
      out[name] = r.string();
      return;
    case 'int32':
      out[name] = r.int32();
      return;
    case 'int64':
      out[name] = varintNumber(r);
      return;
    case 'bool':
      out[name] = r.bool();
      return;
    case 'time':
      // A number of epoch ms: compact.ts reads times as strings or as numbers.
      out[name] = timeMs(r);
      return;
    case 'duration':
      out[name] = durationMs(r);
      return;
    case 'strings':
      ((out[name] ??= []) as string[]).push(r.string());
      return;
    case 'stringMap':
    case 'quantityMap': {
      const [k, v] = mapEntry(r, f.t === 'quantityMap');
      ((out[name] ??= {}) as Record<string, string>)[k] = v;
      return;
    }
    case 'message': {
      const end = r.uint32() + r.pos;
      const value = decodePlan(r, end, step.plan as Plan);
      if (f.inline === true) Object.assign(out, value);
      else if (f.repeated === true) ((out[name] ??= []) as Json[]).push(value);
      else out[name] = value;
      return;
    }
  }
}

/** A length-delimited meta/v1 Time {seconds = 1, nanos = 2}, as epoch ms. */
export function timeMs(r: ReaderT): number {
  const end = r.uint32() + r.pos;
  let seconds = 0;
  let nanos = 0;
  while (r.pos < end) {
    const k = r.uint32();
    if (k === 8) seconds = varintNumber(r);
    else if (k === 16) nanos = r.int32();
    else r.skipType(k & 7);
  }
  return seconds * 1000 + Math.floor(nanos / 1e6);
}

/** A length-delimited meta/v1 Duration {duration = 1} (ns), as ms; never negative for windows. */
export function durationMs(r: ReaderT): number {
  const end = r.uint32() + r.pos;
  let ns = 0;
  while (r.pos < end) {
    const k = r.uint32();
    if (k === 8) ns = varintNumber(r);
    else r.skipType(k & 7);
  }
  return ns / 1e6;
}

/**
 * A length-delimited map entry {key = 1, value = 2} of `map<string, string>`, or of
 * `map<string, Quantity>` (the quantity's text) when `quantity`.
 */
export function mapEntry(r: ReaderT, quantity: boolean): [key: string, value: string] {
  const end = r.uint32() + r.pos;
  let k = '';
  let v = '';
  while (r.pos < end) {
    const t = r.uint32();
    if (t === 10) k = keyText(r);
    else if (t === 18) v = quantity ? quantityText(r) : r.string();
    else r.skipType(t & 7);
  }
  return [k, v];
}

/**
 * A map key, as `r.string()` reads it; `cpu` and `memory`, which every pod's metrics and resources
 * repeat, are given as these texts without making new ones.
 */
function keyText(r: ReaderT): string {
  const at = r.pos;
  const len = r.uint32();
  const b = r.buf;
  const p = r.pos;
  if (p + len <= r.len) {
    if (len === 3 && b[p] === 0x63 && b[p + 1] === 0x70 && b[p + 2] === 0x75) {
      r.pos = p + 3;
      return 'cpu';
    }
    if (len === 6 && b[p] === 0x6d && b[p + 1] === 0x65 && b[p + 2] === 0x6d && b[p + 3] === 0x6f) {
      if (b[p + 4] === 0x72 && b[p + 5] === 0x79) {
        r.pos = p + 6;
        return 'memory';
      }
    }
  }
  r.pos = at;
  return r.string();
}

/** A length-delimited `resource.Quantity{string = 1}`. */
function quantityText(r: ReaderT): string {
  const end = r.uint32() + r.pos;
  let text = '';
  while (r.pos < end) {
    const t = r.uint32();
    if (t === 10) text = r.string();
    else r.skipType(t & 7);
  }
  return text;
}

export interface ListHead {
  continue?: string;
  resourceVersion?: string;
}

/**
 * A `*List` message in its envelope: the ListMeta's continue token and resourceVersion, and each
 * item (field 2) as `item` reads it from `r` up to `end`. Throws on anything malformed.
 */
export function decodeList<T>(
  body: Uint8Array,
  kind: string,
  item: (r: ReaderT, end: number) => T,
): { metadata: ListHead; items: T[] } {
  const { reader: r, end } = unwrap(body, kind);
  const out: { metadata: ListHead; items: T[] } = { metadata: {}, items: [] };
  while (r.pos < end) {
    const key = r.uint32();
    if (key === 10) {
      const metaEnd = r.uint32() + r.pos;
      out.metadata = decodeMessage(r, metaEnd, 'ListMeta', { continue: true, resourceVersion: true });
    } else if (key === 18) {
      const itemEnd = r.uint32() + r.pos;
      out.items.push(item(r, itemEnd));
      if (r.pos !== itemEnd) throw new RangeError(`a ${kind} item overruns its length`);
    } else r.skipType(key & 7);
  }
  if (r.pos !== end) throw new RangeError(`the ${kind} overruns its length`);
  return out;
}

/** An error reply's body as JSON text: a protobuf `Status` is turned into its JSON form. */
export function statusText(body: Buffer, contentType: string): string {
  if (!contentType.startsWith(PROTOBUF)) return body.toString('utf8');
  try {
    const { reader, end } = unwrap(body, 'Status');
    return JSON.stringify({
      kind: 'Status',
      ...decodeMessage(reader, end, 'Status', { status: true, message: true, reason: true, code: true }),
    });
  } catch {
    return '';
  }
}
