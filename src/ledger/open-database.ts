import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Db } from './db.js';
import { openPgDb, type PgDbOptions } from './pg-db.js';
import { openPgliteDb } from './pglite-db.js';

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
 * ledger in that schema (it must exist). Migrations are not run here: call `migrate(db)`.
 */
export async function openDatabase(
  target: string | undefined,
  options: { schema?: string } = {},
): Promise<Db> {
  const where = target === undefined || target.trim() === '' ? DEFAULT_DATA_DIR : target.trim();
  if (where === MEMORY) return openPgliteDb(undefined);
  if (isPostgresUrl(where)) return openPgDb(splitSchema(where, options.schema));
  await mkdir(where, { recursive: true });
  return openPgliteDb(pgliteDirOf(where));
}

/** Takes kubetally's own `schema` parameter out of a PostgreSQL URL (pg would pass it to the server). */
function splitSchema(url: string, schema: string | undefined): PgDbOptions {
  const parsed = new URL(url);
  const fromUrl = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  const chosen = schema ?? fromUrl ?? undefined;
  const connectionString = fromUrl === null ? url : parsed.toString();
  return chosen === undefined ? { connectionString } : { connectionString, schema: chosen };
}
