/**
 * Reads a SelfSubjectAccessReview or SelfSubjectRulesReview (2 spec{1 namespace}) sent as
 * Kubernetes protobuf, as kubectl sends built-in types (`kubectl auth can-i [--list]`): the `k8s\0` magic, a `runtime.Unknown` envelope (1 typeMeta{1
 * apiVersion, 2 kind}, 2 raw), and in `raw` the review (2 spec{1 resourceAttributes{1 namespace,
 * 2 verb, 3 group, 4 version, 5 resource, 6 subresource, 7 name}, 2 nonResourceAttributes{1 path,
 * 2 verb}}), field numbers from k8s.io/api/authorization/v1/generated.proto. Only these string
 * fields are read; the answer goes back as JSON, which kubectl accepts (it asks for
 * protobuf and then any type). Returns undefined for anything it cannot read.
 */
const MAGIC = Buffer.from('k8s\0', 'latin1');

type Fields = Map<number, Buffer[]>;

/** The length-delimited fields of one message (varints and fixed fields are skipped). */
function fields(buf: Buffer): Fields | undefined {
  const out: Fields = new Map();
  let i = 0;
  const varint = (): number | undefined => {
    let v = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = buf[i++];
      if (b === undefined) return undefined;
      v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return v;
    }
    return undefined;
  };
  while (i < buf.length) {
    const key = varint();
    if (key === undefined) return undefined;
    const wire = key & 7;
    if (wire === 0 && varint() === undefined) return undefined;
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else if (wire === 2) {
      const len = varint();
      if (len === undefined || i + len > buf.length) return undefined;
      const list = out.get(Math.floor(key / 8)) ?? [];
      list.push(buf.subarray(i, i + len));
      out.set(Math.floor(key / 8), list);
      i += len;
    } else if (wire !== 0) return undefined;
  }
  return i === buf.length ? out : undefined;
}

const one = (f: Fields | undefined, n: number) => f?.get(n)?.[0];
const text = (f: Fields, n: number) => one(f, n)?.toString('utf8');

function strings(buf: Buffer | undefined, names: readonly string[]): Record<string, string> | undefined {
  if (buf === undefined) return undefined;
  const f = fields(buf);
  if (f === undefined) return undefined;
  const out: Record<string, string> = {};
  names.forEach((name, i) => {
    const v = text(f, i + 1);
    if (v !== undefined) out[name] = v;
  });
  return out;
}

const RESOURCE = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'] as const;

/** The review as the JSON decoder would have produced it, or undefined. */
export function decodeProtobufReview(body: Buffer): Record<string, unknown> | undefined {
  if (!body.subarray(0, 4).equals(MAGIC)) return undefined;
  const envelope = fields(body.subarray(4));
  const typeMeta = strings(one(envelope, 1), ['apiVersion', 'kind']);
  const raw = one(envelope, 2);
  if (typeMeta === undefined || raw === undefined) return undefined;
  const specBytes = one(fields(raw), 2) ?? Buffer.alloc(0);
  // A rules review's spec is only 1 namespace.
  if (typeMeta.kind === 'SelfSubjectRulesReview') {
    const spec = strings(specBytes, ['namespace']);
    return spec === undefined ? undefined : { ...typeMeta, spec };
  }
  const spec = fields(specBytes);
  if (spec === undefined) return undefined;
  const resourceAttributes = strings(one(spec, 1), RESOURCE);
  const nonResourceAttributes = strings(one(spec, 2), ['path', 'verb']);
  return {
    ...typeMeta,
    spec: {
      ...(resourceAttributes === undefined ? {} : { resourceAttributes }),
      ...(nonResourceAttributes === undefined ? {} : { nonResourceAttributes }),
    },
  };
}
