/**
 * The ledger's SQL port: the one thing the store needs from a database. Both adapters (PGlite and
 * node-postgres) run the same SQL; rows come back as plain objects. Type mapping differs between
 * the drivers (int8 is a string in pg and a number in PGlite, bytea a Buffer or a Uint8Array), so
 * callers convert with the helpers below instead of trusting the driver's JavaScript types.
 */
export interface Db {
  readonly kind: 'pglite' | 'postgres';
  /** Runs ONE statement with `$1…` parameters and returns its rows. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /**
   * Runs `fn` in one transaction on one connection: committed when `fn` resolves, rolled back when
   * it throws. A transaction started inside `fn` (on `tx`) joins the outer one.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A NUMERIC / int8 value as returned by either driver → bigint. */
export function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  if (typeof value === 'string') return BigInt(value);
  if (value === null || value === undefined) return 0n;
  throw new TypeError(`not an integer: ${String(value)}`);
}

/** A timestamptz (Date) or an epoch-milliseconds number/string → epoch milliseconds. */
export function toMillis(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  if (typeof value === 'string' || typeof value === 'bigint') return Number(value);
  throw new TypeError(`not a time: ${String(value)}`);
}

/** A bytea as returned by either driver → Buffer. */
export function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError('not a byte array');
}
