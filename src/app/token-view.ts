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
