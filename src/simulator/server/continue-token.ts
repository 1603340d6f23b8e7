/**
 * Opaque `continue` tokens shaped like the API server's (`storage/continue.go`):
 * base64url(JSON {"v":"meta.k8s.io/v1","rv":<snapshot>,"start":"<last key>\u0000"}). Here `rv`
 * is the simulator time of the list's first page (the snapshot later pages are served from),
 * or -1 for "continue at the current time" (the token an Expired answer offers).
 */
export interface ContinueToken {
  rv: number;
  /** The key of the last item returned: `namespace/name`, or `name` for cluster-scoped kinds. */
  start: string;
}

export class InvalidContinue extends Error {}

export function encodeContinue(token: ContinueToken): string {
  const json = JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: `${token.start}\u0000` });
  return Buffer.from(json).toString('base64url');
}

/** Throws InvalidContinue with the API server's wording when the token does not decode. */
export function decodeContinue(text: string): ContinueToken {
  if (!/^[A-Za-z0-9_-]+$/.test(text))
    throw new InvalidContinue('continue key is not valid: illegal base64 data');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidContinue('continue key is not valid: invalid character in JSON');
  }
  const p = parsed as { v?: unknown; rv?: unknown; start?: unknown } | null;
  if (p === null || typeof p !== 'object' || p.v !== 'meta.k8s.io/v1')
    throw new InvalidContinue('continue key is not valid: server does not recognize this encoded key');
  if (typeof p.rv !== 'number' || !Number.isSafeInteger(p.rv) || (p.rv < 0 && p.rv !== -1))
    throw new InvalidContinue(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  if (typeof p.start !== 'string' || !p.start.endsWith('\u0000') || p.start.length < 2)
    throw new InvalidContinue('continue key is not valid: encoded start key empty');
  return { rv: p.rv, start: p.start.slice(0, -1) };
}
