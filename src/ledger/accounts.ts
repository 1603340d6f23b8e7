/**
 * Credit accounts per (tenant, owner): an append-only history of entries (top-ups, debits,
 * adjustments) whose sum is the balance. Debits are written by writeInterval (interval-costs-
 * writer.ts); this file holds what people do: look at accounts, top them up, map external ids.
 */
import type { Millis } from '../domain/duration.js';
import { KubetallyError, invalidArgument } from '../domain/errors.js';
import { toBigInt, toMillis, type Db } from './db.js';
import { ts } from './columns.js';

export interface Account {
  tenant: string;
  owner: string;
  /** The owner's id elsewhere (seed 001: the billing system's user for a Hopsworks username). */
  externalId: string | null;
  /** Warn when the balance falls below this (micro-currency); null: no threshold. */
  lowBalanceMicros: bigint | null;
  balanceMicros: bigint;
  lowBalance: boolean;
  createdAt: Millis;
  updatedAt: Millis;
}

export type CreditKind = 'top-up' | 'debit' | 'adjustment';

export interface CreditEntry {
  id: number;
  tenant: string;
  owner: string;
  amountMicros: bigint;
  kind: CreditKind;
  reason: string;
  clusterId: number | null;
  intervalStart: Millis | null;
  createdAt: Millis;
  /** The balance right after this entry. */
  balanceAfterMicros: bigint;
}

export interface AccountPatch {
  externalId?: string | null;
  lowBalanceMicros?: bigint | null;
}

export interface NewCredit {
  /** Positive for a top-up; any non-zero amount for an adjustment. */
  amountMicros: bigint;
  reason: string;
  kind?: 'top-up' | 'adjustment';
  /** Retrying a request with the same key adds nothing the second time. */
  idempotencyKey?: string;
}

const ACCOUNT_SQL = `SELECT a.tenant, a.owner, a.external_id, a.low_balance_micros, a.created_at, a.updated_at,
  COALESCE((SELECT SUM(e.amount_micros) FROM credit_entries e WHERE e.tenant = a.tenant AND e.owner = a.owner), 0) AS balance
  FROM accounts a`;

function toAccount(r: Record<string, unknown>): Account {
  const balance = toBigInt(r.balance);
  const low =
    r.low_balance_micros === null || r.low_balance_micros === undefined
      ? null
      : toBigInt(r.low_balance_micros);
  return {
    tenant: String(r.tenant),
    owner: String(r.owner),
    externalId: r.external_id === null ? null : String(r.external_id),
    lowBalanceMicros: low,
    balanceMicros: balance,
    lowBalance: low !== null && balance < low,
    createdAt: toMillis(r.created_at),
    updatedAt: toMillis(r.updated_at),
  };
}

export async function getAccount(db: Db, tenant: string, owner: string): Promise<Account | undefined> {
  const rows = await db.query(`${ACCOUNT_SQL} WHERE a.tenant = $1 AND a.owner = $2`, [tenant, owner]);
  return rows[0] === undefined ? undefined : toAccount(rows[0]);
}

export async function accountByExternalId(
  db: Db,
  tenant: string,
  externalId: string,
): Promise<Account | undefined> {
  const rows = await db.query(`${ACCOUNT_SQL} WHERE a.tenant = $1 AND a.external_id = $2`, [
    tenant,
    externalId,
  ]);
  return rows[0] === undefined ? undefined : toAccount(rows[0]);
}

export async function listAccounts(db: Db, tenant?: string): Promise<Account[]> {
  const rows = await db.query(
    `${ACCOUNT_SQL} WHERE ($1::text IS NULL OR a.tenant = $1) ORDER BY a.tenant, a.owner`,
    [tenant ?? null],
  );
  return rows.map(toAccount);
}

/** 10^12 currency units: beyond any real balance, and within what a balance column holds exactly. */
const MAX_CREDIT_MICROS = 10n ** 18n;

/** Creates the account if needed and sets the fields given. */
export async function updateAccount(
  db: Db,
  tenant: string,
  owner: string,
  patch: AccountPatch,
): Promise<Account> {
  const low = patch.lowBalanceMicros;
  if (low !== undefined && low !== null && low < 0n) {
    throw invalidArgument(
      'lowBalance must not be negative',
      'give a threshold of 0 or more, or null for none',
    );
  }
  // Past this, the column overflows (a 500): no balance a credit can reach is that high.
  if (low !== undefined && low !== null && low > MAX_CREDIT_MICROS) {
    throw invalidArgument(
      'lowBalance may be at most 1 000 000 000 000',
      'give the threshold in the price sheet currency, with up to six decimals, or null for none',
    );
  }
  assertAccountOwner(owner);
  try {
    await db.transaction(async (tx) => {
      await assertTenantExists(tx, tenant);
      await tx.query(`INSERT INTO accounts (tenant, owner) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
        tenant,
        owner,
      ]);
      if (patch.externalId !== undefined) {
        await tx.query(
          `UPDATE accounts SET external_id = $3, updated_at = now() WHERE tenant = $1 AND owner = $2`,
          [tenant, owner, patch.externalId],
        );
      }
      if (patch.lowBalanceMicros !== undefined) {
        await tx.query(
          `UPDATE accounts SET low_balance_micros = $3, updated_at = now() WHERE tenant = $1 AND owner = $2`,
          [tenant, owner, patch.lowBalanceMicros?.toString() ?? null],
        );
      }
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new KubetallyError(
        'CONFLICT',
        `external id ${String(patch.externalId)} already belongs to another account`,
        {
          hint: 'an external id maps to one owner per tenant; clear it on the other account first',
        },
      );
    }
    throw err;
  }
  return (await getAccount(db, tenant, owner))!;
}

/** Idempotency keys of the interval debits; other credits may not use them. */
export const DEBIT_KEY_PREFIX = 'debit:';

/**
 * An owner that can hold an account (and a `user` token): not blank, no spaces around it, no
 * control characters, and not `__idle__` or `__unowned__`, which name the shares no owner pays.
 */
export function assertAccountOwner(owner: string): void {
  if (owner.trim() === '' || owner !== owner.trim()) {
    throw invalidArgument(
      `"${owner}" is not an owner name: it is blank or has spaces around it`,
      'give the owner as attribution names it (kubetally usage --by owner lists them)',
    );
  }
  // Owners come from label values, which hold no control characters: one with any matches no usage.
  if (/\p{Cc}/u.test(owner)) {
    throw invalidArgument(
      `${JSON.stringify(owner)} is not an owner name: it has a control character`,
      'give the owner as attribution names it (kubetally usage --by owner lists them)',
    );
  }
  if (owner === '__idle__' || owner === '__unowned__') {
    throw invalidArgument(
      `${owner} is not an account: it is the share of the cost no owner pays`,
      'credit, or make a token for, an owner who pays (kubetally usage --by owner lists them)',
    );
  }
}

/**
 * Accounts belong to a tenant (a foreign key): one that does not exist is the caller's mistake, to
 * be named, not a failed insert answered as an internal error.
 */
async function assertTenantExists(tx: Db, tenant: string): Promise<void> {
  const rows = await tx.query('SELECT 1 FROM tenants WHERE name = $1', [tenant]);
  if (rows.length === 0) {
    throw new KubetallyError('NOT_FOUND', `tenant ${tenant} does not exist`, {
      hint: 'check the tenant name, or create the tenant first: POST /api/v1/tenants {"name": "..."}',
    });
  }
}

/**
 * Adds a top-up or an adjustment; with an idempotency key a retry adds nothing, and the same key
 * for a different credit is a conflict.
 */
export async function addCredit(
  db: Db,
  tenant: string,
  owner: string,
  credit: NewCredit,
): Promise<{ entry: CreditEntry; created: boolean }> {
  assertAccountOwner(owner);
  const kind = credit.kind ?? 'top-up';
  if (kind === 'top-up' && credit.amountMicros <= 0n) {
    throw invalidArgument('a top-up must be positive', 'use an adjustment to take credit away');
  }
  if (credit.amountMicros === 0n)
    throw invalidArgument(
      'an adjustment of 0 changes nothing',
      'send a positive amount to add credit or a negative one to take it back',
    );
  if (credit.amountMicros > MAX_CREDIT_MICROS || credit.amountMicros < -MAX_CREDIT_MICROS)
    throw invalidArgument(
      'a credit may be at most 1 000 000 000 000 (in either direction)',
      'check the amount: it is in the price sheet currency, with up to six decimals',
    );
  if (credit.reason.trim() === '')
    throw invalidArgument('a credit needs a reason', 'say why, e.g. "invoice 2026-031"');
  if (credit.idempotencyKey?.startsWith(DEBIT_KEY_PREFIX)) {
    throw invalidArgument(
      `idempotency keys starting with "${DEBIT_KEY_PREFIX}" are kubetally's own (interval debits)`,
      'use another key, e.g. a UUID or the invoice number',
    );
  }
  return db.transaction(async (tx) => {
    await assertTenantExists(tx, tenant);
    await tx.query(`INSERT INTO accounts (tenant, owner) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      tenant,
      owner,
    ]);
    const inserted = await tx.query<{ id: unknown }>(
      `INSERT INTO credit_entries (tenant, owner, amount_micros, kind, reason, idempotency_key)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant, idempotency_key) DO NOTHING RETURNING id`,
      [tenant, owner, credit.amountMicros.toString(), kind, credit.reason, credit.idempotencyKey ?? null],
    );
    let id = inserted[0]?.id;
    if (id === undefined) {
      const [same] = await tx.query<{
        id: unknown;
        tenant: string;
        owner: string;
        amount_micros: unknown;
        kind: string;
        reason: string;
      }>(
        'SELECT id, tenant, owner, amount_micros, kind, reason FROM credit_entries WHERE tenant = $1 AND idempotency_key = $2',
        [tenant, credit.idempotencyKey],
      );
      const key = String(credit.idempotencyKey);
      if (same === undefined || same.tenant !== tenant || same.owner !== owner) {
        throw new KubetallyError('CONFLICT', `idempotency key ${key} was used for another account`, {
          hint: 'use a fresh key for each distinct credit',
        });
      }
      if (
        BigInt(String(same.amount_micros)) !== credit.amountMicros ||
        same.kind !== kind ||
        same.reason !== credit.reason
      ) {
        throw new KubetallyError('CONFLICT', `idempotency key ${key} was used for a different credit`, {
          hint: 'a retry must repeat the amount, kind and reason; use a fresh key for a new credit',
        });
      }
      id = same.id;
    }
    const entry = (await history(tx, tenant, owner, { id: Number(id) }))[0]!;
    return { entry, created: inserted.length > 0 };
  });
}

export interface HistoryOptions {
  from?: Millis;
  to?: Millis;
  /** Newest first; default 1000. */
  limit?: number;
}

/** The account's entries, newest first, each with the balance right after it. */
export function creditHistory(
  db: Db,
  tenant: string,
  owner: string,
  o: HistoryOptions = {},
): Promise<CreditEntry[]> {
  return history(db, tenant, owner, o);
}

async function history(
  db: Db,
  tenant: string,
  owner: string,
  o: HistoryOptions & { id?: number },
): Promise<CreditEntry[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT * FROM (
       SELECT id, tenant, owner, amount_micros, kind, reason, cluster_id, interval_start, created_at,
         SUM(amount_micros) OVER (ORDER BY id) AS balance_after
       FROM credit_entries WHERE tenant = $1 AND owner = $2) h
     WHERE ($3::timestamptz IS NULL OR created_at >= $3::timestamptz) AND ($4::timestamptz IS NULL OR created_at < $4::timestamptz)
       AND ($5::bigint IS NULL OR id = $5)
     ORDER BY id DESC LIMIT $6`,
    [
      tenant,
      owner,
      o.from === undefined ? null : ts(o.from),
      o.to === undefined ? null : ts(o.to),
      o.id ?? null,
      Math.max(1, Math.min(o.limit ?? 1000, 100_000)),
    ],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    tenant: String(r.tenant),
    owner: String(r.owner),
    amountMicros: toBigInt(r.amount_micros),
    kind: r.kind as CreditKind,
    reason: String(r.reason),
    clusterId: r.cluster_id === null ? null : Number(r.cluster_id),
    intervalStart: r.interval_start === null ? null : toMillis(r.interval_start),
    createdAt: toMillis(r.created_at),
    balanceAfterMicros: toBigInt(r.balance_after),
  }));
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  return (
    e?.code === '23505' ||
    e?.cause?.code === '23505' ||
    /unique|duplicate key/i.test(String((err as Error)?.message))
  );
}
