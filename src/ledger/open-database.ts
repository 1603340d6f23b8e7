import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { invalidArgument } from '../domain/errors.js';
import { fileErrorWords } from '../domain/file-error.js';
import type { Db } from './db.js';
import { hasStrayAt, openPgDb, type PgDbOptions } from './pg-db.js';
import { openPgliteDb } from './pglite-db.js';
import { lockDataDir } from './data-dir-lock.js';

export const DEFAULT_DATA_DIR = './.kubetally';

/** Where PGlite keeps its files inside the kubetally data directory (the key file sits beside it). */
export function pgliteDirOf(dataDir: string): string {
  return path.join(dataDir, 'pgdata');
}

/** A target that keeps the whole ledger in memory (PGlite), for tests and throwaway demos. */
export const MEMORY = 'memory://';

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/**
 * Opens the ledger database: a `postgres://` or `postgresql://` URL → the PostgreSQL server;
 * `memory://` → PGlite in memory; anything else is a data directory for embedded PGlite (default `./.kubetally`), created if
 * missing. A `schema` query parameter of the URL (`postgres://h/db?schema=kubetally`) puts the
 * ledger in that schema (created by the migrations when missing). Migrations are not run here: call `migrate(db)`.
 */
export async function openDatabase(
  target: string | undefined,
  options: { schema?: string } = {},
): Promise<Db> {
  const where = target === undefined || target.trim() === '' ? DEFAULT_DATA_DIR : target.trim();
  if (where === MEMORY) return openPgliteDb(undefined);
  if (isPostgresUrl(where)) return openPgDb(splitSchema(where, options.schema));
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(where)?.[1];
  if (scheme !== undefined) {
    throw invalidArgument(
      `unsupported database URL scheme "${scheme}:"`,
      'give a postgres:// URL, a data directory for the embedded database, or memory://',
    );
  }
  try {
    await mkdir(where, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw invalidArgument(
        `${where} is a file, not a data directory`,
        'give a directory (created if missing) or a postgres:// URL',
      );
    }
    // The errno alone (exit 1, no hint) said neither which setting nor what to do.
    throw invalidArgument(
      `cannot create the data directory ${where}: ${fileErrorWords(err)}`,
      'give a directory this user may create and write (--database DIR or KUBETALLY_DATA_DIR), or a postgres:// URL',
    );
  }
  const lock = lockDataDir(where);
  try {
    const db = await openPgliteDb(pgliteDirOf(where));
    return {
      ...db,
      close: async () => {
        await db.close();
        lock.release();
      },
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}

/** Takes kubetally's own `schema` parameter out of a PostgreSQL URL (pg would pass it to the server). */
function splitSchema(url: string, schema: string | undefined): PgDbOptions {
  const parsed = parseUrl(url);
  const fromUrl = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  const chosen = schema ?? fromUrl ?? undefined;
  if (chosen !== undefined && chosen.trim() === '') {
    throw invalidArgument(
      'the database URL names an empty schema (?schema=)',
      'name the schema, e.g. ?schema=kubetally, or leave the parameter out for the default (public)',
    );
  }
  const connectionString = fromUrl === null ? url : parsed.toString();
  return chosen === undefined ? { connectionString } : { connectionString, schema: chosen };
}

/**
 * The URL parsed, or an error that says how to write one: `new URL` alone throws "Invalid URL",
 * which names neither the setting nor the fix, and a password with an unescaped `@`, `/` or `?`
 * would send kubetally to a host made of the rest of it (and name that host in the error). The
 * URL is not repeated: it may hold a password.
 */
function parseUrl(url: string): URL {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // refused below
  }
  if (parsed === undefined || hasStrayAt(url, parsed)) {
    throw invalidArgument(
      `the database URL (--database or DATABASE_URL) is not a valid URL${parsed === undefined ? '' : ': it has an "@" after its host'}`,
      'write it as postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE, with a port from 1 to 65535 and the characters @ / ? # : of a password escaped as %40 %2F %3F %23 %3A',
    );
  }
  return parsed;
}
