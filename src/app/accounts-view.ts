/**
 * Credit accounts for the API and CLI (`/api/v1/accounts…`): accounts and entries as JSON (money
 * as decimal numbers), top-ups parsed from decimal input without floating point error.
 */
import { KubetallyError, invalidArgument } from '../domain/errors.js';
import { rfc3339 } from '../domain/time.js';
import type { Account, CreditEntry, HistoryOptions } from '../ledger/accounts.js';
import type { AccountStore, ClusterRegistry, PriceSheetStore } from '../ledger/store.js';
import { microsToNumber, parseMicros } from '../pricing/decimal.js';
import { tenantCurrency } from './pricing-settings.js';

/** What the account views read: accounts, and the tenant's clusters for their currency. */
type Store = AccountStore & ClusterRegistry & PriceSheetStore;

/** An account as JSON; `currency` is its tenant's (`tenantCurrency`). */
export function accountJson(a: Account, currency: string) {
  return {
    tenant: a.tenant,
    owner: a.owner,
    externalId: a.externalId,
    currency,
    balance: microsToNumber(a.balanceMicros),
    lowBalanceThreshold: a.lowBalanceMicros === null ? null : microsToNumber(a.lowBalanceMicros),
    lowBalance: a.lowBalance,
    createdAt: rfc3339(a.createdAt),
    updatedAt: rfc3339(a.updatedAt),
  };
}

export function creditEntryJson(e: CreditEntry) {
  return {
    id: e.id,
    kind: e.kind,
    amount: microsToNumber(e.amountMicros),
    reason: e.reason,
    clusterId: e.clusterId,
    intervalStart: e.intervalStart === null ? null : rfc3339(e.intervalStart),
    createdAt: rfc3339(e.createdAt),
    balanceAfter: microsToNumber(e.balanceAfterMicros),
  };
}

/** Accounts as JSON, each with its tenant's currency. */
export async function accountsJson(store: Store, accounts: readonly Account[]) {
  const currencies = new Map<string, string>();
  for (const t of new Set(accounts.map((a) => a.tenant))) currencies.set(t, await tenantCurrency(store, t));
  return accounts.map((a) => accountJson(a, currencies.get(a.tenant)!));
}

/** One account with its recent history; NOT_FOUND when the owner has none yet. */
export async function accountView(store: Store, tenant: string, owner: string, history: HistoryOptions = {}) {
  const a = await store.getAccount(tenant, owner);
  if (a === undefined) {
    throw new KubetallyError('NOT_FOUND', `no account for ${owner}`, {
      hint: 'an account is created by the first top-up or the first interval that costs the owner something',
    });
  }
  return {
    ...accountJson(a, await tenantCurrency(store, tenant)),
    history: (await store.creditHistory(tenant, owner, history)).map(creditEntryJson),
  };
}

export interface TopUpInput {
  /** A positive decimal in the account's currency, e.g. `25` or `"10.50"` (at most 6 decimals). */
  amount: unknown;
  reason: unknown;
  /** `top-up` (default, positive) or `adjustment` (either sign). */
  kind?: unknown;
  /** Optional: a retried request with the same key adds nothing. */
  idempotencyKey?: unknown;
}

export async function topUp(store: Store, tenant: string, owner: string, input: TopUpInput) {
  if (typeof input.amount !== 'number' && typeof input.amount !== 'string') {
    throw invalidArgument(
      'amount must be a decimal number or string',
      'e.g. {"amount": 25, "reason": "invoice 17"}',
    );
  }
  if (typeof input.reason !== 'string')
    throw invalidArgument('reason must be text', 'say why the credit is added');
  if (input.idempotencyKey !== undefined && typeof input.idempotencyKey !== 'string') {
    throw invalidArgument(
      'idempotencyKey must be text',
      'send a string that names this credit, e.g. "invoice-2026-12"',
    );
  }
  if (input.kind !== undefined && input.kind !== 'top-up' && input.kind !== 'adjustment') {
    throw invalidArgument('kind must be "top-up" or "adjustment"', 'an adjustment may be negative');
  }
  const { entry, created } = await store.addCredit(tenant, owner, {
    amountMicros: parseMicros(input.amount, 'amount'),
    reason: input.reason,
    ...(input.kind === undefined ? {} : { kind: input.kind }),
    ...(input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey }),
  });
  return {
    created,
    entry: creditEntryJson(entry),
    account: accountJson((await store.getAccount(tenant, owner))!, await tenantCurrency(store, tenant)),
  };
}

/** `PUT /accounts/{owner} {externalId?, lowBalance?}`: money as a decimal, null to clear. */
export async function updateAccountSettings(
  store: Store,
  tenant: string,
  owner: string,
  input: { externalId?: unknown; lowBalance?: unknown },
) {
  const patch: { externalId?: string | null; lowBalanceMicros?: bigint | null } = {};
  if (input.externalId !== undefined) {
    if (
      input.externalId !== null &&
      (typeof input.externalId !== 'string' || input.externalId.trim() === '')
    ) {
      throw invalidArgument(
        'externalId must be non-empty text or null',
        'send the id in your billing system, or null to clear it',
      );
    }
    patch.externalId = input.externalId;
  }
  if (input.lowBalance !== undefined) {
    if (
      input.lowBalance !== null &&
      typeof input.lowBalance !== 'number' &&
      typeof input.lowBalance !== 'string'
    ) {
      throw invalidArgument(
        'lowBalance must be a decimal number, string or null',
        'e.g. "10.00", or null for no alert',
      );
    }
    patch.lowBalanceMicros = input.lowBalance === null ? null : parseMicros(input.lowBalance, 'lowBalance');
  }
  const account = await store.updateAccount(tenant, owner, patch);
  return accountJson(account, await tenantCurrency(store, tenant));
}
