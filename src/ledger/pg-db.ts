import pg from 'pg';
import { KubetallyError } from '../domain/errors.js';
import type { Db } from './db.js';

export interface PgDbOptions {
  /** `postgres://user@host:port/database` */
  connectionString: string;
  /** Schema to put first on the search path of every connection (tests use a throwaway one). */
  schema?: string;
  /** Pool size; default 10. */
  max?: number;
}

/** A real PostgreSQL server through a node-postgres pool. */
export function openPgDb(options: PgDbOptions): Db {
  const settings = ['-c TimeZone=UTC'];
  if (options.schema !== undefined) settings.push(`-c search_path=${quoteIdent(options.schema)}`);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    options: settings.join(' '),
  });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return {
    kind: 'postgres',
    async query<R>(sql: string, params?: unknown[]): Promise<R[]> {
      try {
        const result = await pool.query(sql, params);
        return result.rows as R[];
      } catch (err) {
        throw connectionError(err, options.connectionString);
      }
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      const client = await pool.connect().catch((err: unknown) => {
        throw connectionError(err, options.connectionString);
      });
      let broken = false;
      try {
        await client.query('BEGIN');
        const tx = clientDb(client);
        const value = await fn(tx);
        await client.query('COMMIT');
        return value;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw err;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

function clientDb(client: pg.PoolClient): Db {
  const db: Db = {
    kind: 'postgres',
    async query<R>(sql: string, params?: unknown[]): Promise<R[]> {
      const result = await client.query(sql, params);
      return result.rows as R[];
    },
    transaction: async (fn) => fn(db),
    close: async () => undefined,
  };
  return db;
}

/** Quotes an SQL identifier (schema names come from configuration, not from users). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  '28P01', // password authentication failed
  '28000', // no such role, or pg_hba.conf refuses the connection
  '3D000', // no such database
  '57P03', // the server is starting up or shutting down
]);

/**
 * TLS failures come without a PostgreSQL code: the server refused SSL (`sslmode` asked for it), or
 * its certificate did not verify. They are a connection's failure too, with a fix of their own.
 */
const TLS_FAILURE = /SSL|certificate/i;

/** Turns "cannot connect" failures into UNREACHABLE; SQL errors pass through unchanged. */
function connectionError(err: unknown, connectionString: string): unknown {
  const code = (err as { code?: string } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  const tls = err instanceof Error && !(err as { severity?: string }).severity && TLS_FAILURE.test(message);
  if (!tls && (code === undefined || !CONNECTION_CODES.has(code))) return err;
  const where = redactUrl(connectionString);
  return new KubetallyError('UNREACHABLE', `cannot connect to PostgreSQL at ${where}: ${message}`, {
    hint: tls
      ? "the server's SSL does not match the URL's sslmode: leave sslmode out (or sslmode=disable) for a server without SSL, or give the server's CA (sslrootcert) to verify its certificate"
      : 'check that the server runs and that DATABASE_URL (or --database) names the right host, port, user and database',
    cause: err,
  });
}

/**
 * True when an `@` is left after a URL's authority: a password with an unescaped `@`, `/` or `?`
 * (`u:p@ss@h`, `u:12/ab@h`) then reads as a host, port or path, and the rest of it as the address.
 */
export function hasStrayAt(connectionString: string, url: URL): boolean {
  const lastAt = connectionString.lastIndexOf('@');
  if (lastAt === -1) return false;
  return connectionString.indexOf('@') !== lastAt || `${url.pathname}${url.search}${url.hash}`.includes('@');
}

/**
 * The URL for messages: its password, in the user part or as a parameter, masked. Where a stray
 * `@` leaves part of a password outside the user part, everything before the last `@` is masked.
 */
export function redactUrl(connectionString: string): string {
  try {
    let url = new URL(connectionString);
    if (hasStrayAt(connectionString, url)) {
      url = new URL(`${url.protocol}//***@${connectionString.slice(connectionString.lastIndexOf('@') + 1)}`);
    }
    if (url.password !== '') url.password = '***';
    for (const key of [...url.searchParams.keys()]) {
      if (/password/i.test(key)) url.searchParams.set(key, '***');
    }
    return url.toString();
  } catch {
    return 'the configured URL';
  }
}
