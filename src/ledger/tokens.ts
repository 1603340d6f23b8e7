/**
 * API tokens: only a SHA-256 hash of each token is stored, with its role and scope. A token reads
 * `kt_<id>_<secret>`; the id is public (it names the token in lists and logs), the secret is 32
 * random bytes, so a plain hash is enough (no password to stretch).
 */
import { assertAccountOwner } from './accounts.js';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { KubetallyError } from '../domain/errors.js';
import { toBuffer, toMillis, type Db } from './db.js';

export type Role = 'admin' | 'viewer' | 'user';

export interface TokenRecord {
  id: string;
  role: Role;
  /** Absent for an admin of every tenant. */
  tenant?: string;
  /** For role `user`. */
  owner?: string;
  description: string;
  createdAt: number;
}

export interface NewToken {
  role: Role;
  tenant?: string;
  owner?: string;
  description?: string;
}

const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** Creates a token; the plaintext is returned once and never stored. */
export async function createToken(
  db: Db,
  t: NewToken,
  plaintext?: string,
): Promise<{ token: string; record: TokenRecord }> {
  if (t.role === 'user' && (t.tenant === undefined || t.owner === undefined)) {
    throw new KubetallyError('INVALID_ARGUMENT', 'a user token needs a tenant and an owner', {
      hint: 'e.g. {"role": "user", "tenant": "default", "owner": "alice"}',
    });
  }
  if (t.owner !== undefined) assertAccountOwner(t.owner);
  if (t.role === 'viewer' && t.tenant === undefined) {
    throw new KubetallyError('INVALID_ARGUMENT', 'a viewer token needs a tenant', {
      hint: 'e.g. {"role": "viewer", "tenant": "default"}',
    });
  }
  const id = randomBytes(6).toString('hex');
  const token = plaintext ?? `kt_${id}_${randomBytes(32).toString('base64url')}`;
  const rows = await db.query<{ created_at: unknown }>(
    `INSERT INTO api_tokens (id, token_hash, role, tenant, owner, description)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING created_at`,
    [id, hashOf(token), t.role, t.tenant ?? null, t.owner ?? null, t.description ?? ''],
  );
  return {
    token,
    record: {
      id,
      role: t.role,
      ...(t.tenant === undefined ? {} : { tenant: t.tenant }),
      ...(t.owner === undefined ? {} : { owner: t.owner }),
      description: t.description ?? '',
      createdAt: toMillis(rows[0]?.created_at),
    },
  };
}

/** The live (not revoked) token with this plaintext, if any. */
export async function findToken(db: Db, token: string): Promise<TokenRecord | undefined> {
  const hash = hashOf(token);
  const rows = await db.query<{
    id: string;
    token_hash: unknown;
    role: Role;
    tenant: string | null;
    owner: string | null;
    description: string;
    created_at: unknown;
  }>(
    `SELECT id, token_hash, role, tenant, owner, description, created_at FROM api_tokens
     WHERE token_hash = $1 AND revoked_at IS NULL`,
    [hash],
  );
  const r = rows[0];
  if (r === undefined || !timingSafeEqual(toBuffer(r.token_hash), hash)) return undefined;
  return {
    id: r.id,
    role: r.role,
    ...(r.tenant === null ? {} : { tenant: r.tenant }),
    ...(r.owner === null ? {} : { owner: r.owner }),
    description: r.description,
    createdAt: toMillis(r.created_at),
  };
}

export async function countAdminTokens(db: Db): Promise<number> {
  const rows = await db.query<{ n: unknown }>(
    "SELECT count(*) AS n FROM api_tokens WHERE role = 'admin' AND tenant IS NULL AND revoked_at IS NULL",
  );
  return Number(rows[0]?.n ?? 0);
}

/** Every token (never its hash), newest first; of one tenant when given. */
export async function listTokens(db: Db, tenant?: string): Promise<(TokenRecord & { revoked: boolean })[]> {
  const rows = await db.query<{
    id: string;
    role: Role;
    tenant: string | null;
    owner: string | null;
    description: string;
    created_at: unknown;
    revoked_at: unknown;
  }>(
    `SELECT id, role, tenant, owner, description, created_at, revoked_at FROM api_tokens
     WHERE ($1::text IS NULL OR tenant = $1) ORDER BY created_at DESC, id`,
    [tenant ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    role: r.role,
    ...(r.tenant === null ? {} : { tenant: r.tenant }),
    ...(r.owner === null ? {} : { owner: r.owner }),
    description: r.description,
    createdAt: toMillis(r.created_at),
    revoked: r.revoked_at !== null,
  }));
}

/** What revoking did: when the token was revoked, and whether it already was before this call. */
export interface Revocation {
  revokedAt: number;
  alreadyRevoked: boolean;
}

/**
 * Revokes a token by its public id (of one tenant when given). Revoking one already revoked
 * changes nothing and says so; undefined: no such token.
 */
export async function revokeToken(db: Db, id: string, tenant?: string): Promise<Revocation | undefined> {
  // The FROM row is read before the update: it tells whether the token was revoked already.
  const rows = await db.query<{ revoked_at: unknown; before: unknown }>(
    `UPDATE api_tokens t SET revoked_at = COALESCE(t.revoked_at, now())
     FROM (SELECT id, revoked_at AS before FROM api_tokens
           WHERE id = $1 AND ($2::text IS NULL OR tenant = $2)) old
     WHERE t.id = old.id RETURNING t.revoked_at, old.before`,
    [id, tenant ?? null],
  );
  const row = rows[0];
  return row === undefined
    ? undefined
    : { revokedAt: toMillis(row.revoked_at), alreadyRevoked: row.before !== null };
}

/**
 * The id of the token this plaintext names when it was revoked (it may not be registered again),
 * else undefined: a revoked secret is found by no live token, and its id says which it was.
 */
export async function revokedTokenId(db: Db, token: string): Promise<string | undefined> {
  const rows = await db.query<{ id: string }>(
    'SELECT id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NOT NULL',
    [hashOf(token)],
  );
  return rows[0]?.id;
}
