import { X509Certificate } from 'node:crypto';
import type { KubeConfig } from './official-client.js';

/**
 * Which credential of the kubeconfig's current user had expired at `now` (epoch ms), if one
 * had: a token that is a JWT (a service account's) past its `exp`, or a client certificate past
 * its notAfter. Read to explain a 401; nothing of the credential itself is returned.
 */
export function expiredCredential(
  kc: KubeConfig,
  now: number,
): { what: 'token' | 'client certificate'; at: number } | undefined {
  const user = kc.getCurrentUser();
  if (user === null) return undefined;
  const exp = typeof user.token === 'string' ? jwtExpiry(user.token) : undefined;
  if (exp !== undefined && exp <= now) return { what: 'token', at: exp };
  const notAfter = typeof user.certData === 'string' ? certificateExpiry(user.certData) : undefined;
  if (notAfter !== undefined && notAfter <= now) return { what: 'client certificate', at: notAfter };
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

/** The notAfter (epoch ms) of base64-encoded PEM certificate data. */
function certificateExpiry(certData: string): number | undefined {
  try {
    const t = Date.parse(new X509Certificate(Buffer.from(certData, 'base64')).validTo);
    return Number.isFinite(t) ? t : undefined;
  } catch {
    return undefined;
  }
}
