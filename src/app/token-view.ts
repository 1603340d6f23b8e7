/** A token as `GET /api/v1/tokens` and `kubetally token list -o json` show it: never its secret. */
import { rfc3339 } from '../domain/time.js';
import type { TokenRecord } from '../ledger/tokens.js';

export function tokenJson(t: TokenRecord & { revoked: boolean }) {
  return {
    id: t.id,
    role: t.role,
    tenant: t.tenant ?? null,
    owner: t.owner ?? null,
    description: t.description,
    createdAt: rfc3339(t.createdAt),
    revoked: t.revoked,
  };
}

/**
 * The answer to revoking a token that was revoked already (`DELETE /api/v1/tokens/{id}`'s 200,
 * `kubetally token revoke`'s message): no error, since what was asked holds, but said, so that a
 * mistyped id of another revoked token is not taken for the revocation of a live one.
 */
export function revokedAgain(id: string, revokedAt: number) {
  const at = rfc3339(revokedAt);
  return {
    id,
    revoked: true,
    alreadyRevoked: true,
    revokedAt: at,
    message: `token ${id} was already revoked at ${at}: nothing changed`,
  };
}
