import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Db } from './db.js';

type Queryable = Pick<PGlite, 'query'> | Transaction;

/**
 * Embedded PostgreSQL (PGlite, compiled to WebAssembly) in a data directory, or in memory when
 * `dataDir` is undefined (tests). One connection: statements and transactions are serialised.
 */
export async function openPgliteDb(dataDir: string | undefined): Promise<Db> {
  const pg = dataDir === undefined ? await PGlite.create() : await PGlite.create(dataDir);
  await pg.query(`SET TimeZone = 'UTC'`);
  const root = wrap(pg, async (fn) => pg.transaction((tx) => fn(wrapTx(tx))));
  return { ...root, close: () => pg.close() };
}

function wrap(conn: Queryable, transaction: Db['transaction']): Db {
  return {
    kind: 'pglite',
    async query<R>(sql: string, params?: unknown[]): Promise<R[]> {
      const result = await conn.query<R>(sql, params);
      return result.rows;
    },
    transaction,
    close: async () => undefined,
  };
}

function wrapTx(tx: Transaction): Db {
  const db: Db = wrap(tx, async (fn) => fn(db));
  return db;
}
