import { X509Certificate } from 'node:crypto';
import type { RequestOptions } from 'node:https';

/**
 * Which credential a refused request carried had expired at `now` (epoch ms), if one had: a
 * bearer token that is a JWT (a service account's) past its `exp`, or a client certificate past
 * its notAfter. Read from the request as sent, so that credentials read from files (a client
 * certificate path, a token file, the in-cluster token) are judged too. Read to explain a 401;
 * nothing of the credential itself is returned.
 */
export function expiredCredential(
  opts: RequestOptions,
  now: number,
): { what: 'token' | 'client certificate'; at: number } | undefined {
  const token = bearerToken(opts);
  const exp = token === undefined ? undefined : jwtExpiry(token);
  if (exp !== undefined && exp <= now) return { what: 'token', at: exp };
  const cert = [opts.cert ?? []].flat()[0];
  const notAfter = cert === undefined ? undefined : certificateExpiry(cert);
  if (notAfter !== undefined && notAfter <= now) return { what: 'client certificate', at: notAfter };
  return undefined;
}

function bearerToken(opts: RequestOptions): string | undefined {
  for (const [name, value] of Object.entries(opts.headers ?? {})) {
    if (name.toLowerCase() !== 'authorization') continue;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(String(value));
    if (m !== null) return m[1];
  }
  return undefined;
}

/** The `exp` of a JWT (epoch ms), when the token is one and has it. */
function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const exp = (
      JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as { exp?: unknown }
    ).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** The notAfter (epoch ms) of a PEM certificate. */
function certificateExpiry(pem: string | Buffer): number | undefined {
  try {
    const t = Date.parse(new X509Certificate(pem).validTo);
    return Number.isFinite(t) ? t : undefined;
  } catch {
    return undefined;
  }
}
