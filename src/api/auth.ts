/**
 * Bearer tokens and what each role may see. `admin` (every tenant, or one when the token names
 * it) may do everything; `viewer` reads one tenant; `user` reads one owner's usage, costs and
 * account. Objects of another tenant, or another owner for a user, answer 404 exactly as unknown
 * ones do. Failed attempts are limited per client address.
 */
import type { FastifyRequest } from 'fastify';
import { KubetallyError } from '../domain/errors.js';
import type { TokenStore } from '../ledger/store.js';
import type { Role, TokenRecord } from '../ledger/tokens.js';

export interface Principal {
  tokenId: string;
  role: Role;
  tenant?: string;
  owner?: string;
}

const FAILURES_ALLOWED = 10;
const FAILURE_WINDOW_MS = 60_000;
const RECENTLY_VALID_MS = 60 * 60_000;

/**
 * Counts failed token attempts per client address in a sliding minute. Past the limit, only
 * tokens that were valid recently are still looked up (a client whose neighbour behind the same
 * address guesses is not locked out); any other is refused without a lookup.
 */
export class FailedAttempts {
  private readonly seen = new Map<string, number[]>();
  private readonly recentlyValid = new Map<string, number>();

  /** Seconds until the address may try unknown tokens again; 0 when it may now. */
  blockedFor(ip: string, now = Date.now()): number {
    const recent = (this.seen.get(ip) ?? []).filter((t) => now - t < FAILURE_WINDOW_MS);
    this.seen.set(ip, recent);
    if (recent.length < FAILURES_ALLOWED) return 0;
    return Math.max(1, Math.ceil(((recent[0] as number) + FAILURE_WINDOW_MS - now) / 1000));
  }

  fail(ip: string, now = Date.now()): void {
    const list = this.seen.get(ip) ?? [];
    list.push(now);
    this.seen.set(ip, list);
    if (this.seen.size > 10_000) this.seen.clear(); // never grow without bound under a flood
  }

  succeed(token: string, now = Date.now()): void {
    if (this.recentlyValid.size > 10_000) this.recentlyValid.clear();
    this.recentlyValid.set(token, now);
  }

  wasValid(token: string, now = Date.now()): boolean {
    const at = this.recentlyValid.get(token);
    return at !== undefined && now - at < RECENTLY_VALID_MS;
  }
}

export async function authenticate(
  db: Pick<TokenStore, 'findToken'>,
  req: FastifyRequest,
  failures: FailedAttempts,
  known: KnownTokens,
): Promise<Principal> {
  // Node keeps the first of several Authorization headers: a proxy that checked another one
  // would let this request through as someone else.
  const raw = req.raw.rawHeaders;
  const given = raw.filter((h, i) => i % 2 === 0 && h.toLowerCase() === 'authorization').length;
  if (given > 1) {
    throw new KubetallyError('INVALID_ARGUMENT', `the Authorization header is given ${given} times`, {
      hint: 'send one Authorization: Bearer <token> header',
    });
  }
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (m === null) {
    // No token is not a guess: it does not count as a failed attempt.
    const inUrl = tokenInQuery(req.query);
    if (inUrl !== undefined) {
      throw new KubetallyError(
        'UNAUTHORIZED',
        `a bearer token is required: ${inUrl}= in the URL is not read`,
        {
          hint: 'send Authorization: Bearer <token>, never the token in a URL (proxies and browsers keep URLs): revoke one sent so',
        },
      );
    }
    throw new KubetallyError('UNAUTHORIZED', 'a bearer token is required', {
      hint: 'send Authorization: Bearer <token> (kubetally token create makes one)',
    });
  }
  const blocked = failures.blockedFor(req.ip);
  if (blocked > 0 && !failures.wasValid(m[1]!)) {
    throw new KubetallyError('RATE_LIMITED', 'too many failed authentication attempts from this address', {
      hint: `wait ${blocked} s, and check the token you send`,
      details: { retryAfterSeconds: blocked },
    });
  }
  const token: TokenRecord | undefined = m[1]!.length > 512 ? undefined : await known.find(db, m[1]!);
  if (token !== undefined) failures.succeed(m[1]!);
  if (token === undefined) {
    failures.fail(req.ip);
    throw new KubetallyError('UNAUTHORIZED', 'the token is not valid', {
      hint: 'check the token, or ask an admin for a new one',
    });
  }
  return {
    tokenId: token.id,
    role: token.role,
    ...(token.tenant === undefined ? {} : { tenant: token.tenant }),
    ...(token.owner === undefined ? {} : { owner: token.owner }),
  };
}

/** The query parameter that carries a token, as other APIs take one (never read here). */
function tokenInQuery(query: unknown): string | undefined {
  if (query === null || typeof query !== 'object') return undefined;
  return ['token', 'access_token'].find((k) => Object.hasOwn(query, k));
}

/**
 * Valid tokens are remembered for a few seconds so that a busy client does not cost a database
 * query per request; a revoked token stops working within that time. Unknown tokens are not kept.
 */
export class KnownTokens {
  private readonly byToken = new Map<string, { at: number; record: Promise<TokenRecord | undefined> }>();
  constructor(private readonly ttlMs = 5_000) {}
  find(db: Pick<TokenStore, 'findToken'>, token: string): Promise<TokenRecord | undefined> {
    const hit = this.byToken.get(token);
    if (hit !== undefined && Date.now() - hit.at < this.ttlMs) return hit.record;
    // Requests that arrive while the token is looked up share the one lookup.
    const record = db.findToken(token);
    if (this.byToken.size >= 10_000) this.byToken.clear();
    const entry = { at: Date.now(), record };
    this.byToken.set(token, entry);
    // Unknown tokens (and failed lookups) are not kept: the next request asks again.
    record.then(
      (r) => r === undefined && this.byToken.get(token) === entry && this.byToken.delete(token),
      () => this.byToken.get(token) === entry && this.byToken.delete(token),
    );
    return record;
  }
}

export function notFound(what: string): KubetallyError {
  return new KubetallyError('NOT_FOUND', `${what} not found`, { hint: 'check the name (and the tenant)' });
}

/** Admins only (of the tenant, when `tenant` is given). */
export function requireAdmin(p: Principal, tenant?: string): void {
  if (p.role !== 'admin') {
    throw new KubetallyError('FORBIDDEN', 'this needs an admin token', {
      hint: 'ask an admin of the tenant',
    });
  }
  if (tenant !== undefined && p.tenant !== undefined && p.tenant !== tenant)
    throw notFound(`tenant ${tenant}`);
}

/**
 * Admins of every tenant only: for what reaches past one tenant (a new tenant; kubetally's own
 * service account, which is the deployment's and may see other tenants' workloads).
 */
export function requireAllTenantAdmin(p: Principal, what: string, hint: string): void {
  requireAdmin(p);
  if (p.tenant !== undefined)
    throw new KubetallyError('FORBIDDEN', `only an admin of every tenant ${what}`, { hint });
}

/** Anyone but a `user` token (which only reads its owner's data). */
export function requireReader(p: Principal): void {
  if (p.role === 'user') {
    throw new KubetallyError('FORBIDDEN', "a user token reads only its owner's usage, costs and account", {
      hint: `use /api/v1/users/${p.owner}/usage, or ask for a viewer token`,
    });
  }
}

/**
 * The tenant a request reads: the token's own; for an all-tenant admin the asked one (or all
 * when `all` is allowed and none is asked). Asking for another tenant than the token's is 404.
 */
export function tenantScope(p: Principal, asked: string | undefined, all = true): string | undefined {
  if (p.tenant !== undefined) {
    if (asked !== undefined && asked !== p.tenant) throw notFound(`tenant ${asked}`);
    return p.tenant;
  }
  return asked ?? (all ? undefined : 'default');
}

/** The caller's tenant scope (`tenantScope`), 404 when it names a tenant that does not exist. */
export async function knownTenantScope(
  store: { listTenants(): Promise<string[]> },
  p: Principal,
  asked: string | undefined,
): Promise<string | undefined> {
  const tenant = tenantScope(p, asked);
  if (tenant !== undefined && !(await store.listTenants()).includes(tenant))
    throw notFound(`tenant ${tenant}`);
  return tenant;
}

/** The owner filter a request reads: a user token's own owner, whatever is asked. */
export function ownerScope(p: Principal, asked: string | undefined): string | undefined {
  if (p.role !== 'user') return asked;
  if (asked !== undefined && asked !== p.owner) throw notFound(`owner ${asked}`);
  return p.owner;
}
