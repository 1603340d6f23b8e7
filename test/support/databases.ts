/**
 * Databases for tests: PGlite in memory, and the machine's real PostgreSQL with a fresh random
 * schema per use, dropped afterwards. `KUBETALLY_TEST_DATABASE_URL` overrides the server
 * (default postgres://postgres@127.0.0.1:5432/test).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../src/ledger/db.js';
import { openPgDb, quoteIdent } from '../../src/ledger/pg-db.js';
import { openPgliteDb } from '../../src/ledger/pglite-db.js';

export const TEST_POSTGRES_URL =
  process.env.KUBETALLY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type Engine = 'pglite' | 'postgres';
export const ENGINES: readonly Engine[] = ['pglite', 'postgres'];

export interface TestDatabase {
  engine: Engine;
  db: Db;
  /**
   * A second, independent connection pool to the same database (PostgreSQL only; PGlite has one
   * connection). Closed by `dispose`.
   */
  connect(): Db;
  /** For a separate process: `--database` value (PostgreSQL URL with `?schema=`), undefined for PGlite. */
  url: string | undefined;
  dispose(): Promise<void>;
}

/** A fresh, empty (unmigrated) database of the given engine. */
export async function freshDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const db = await openPgliteDb(undefined);
    return {
      engine,
      db,
      url: undefined,
      connect: () => {
        throw new Error('PGlite has a single connection');
      },
      dispose: () => db.close(),
    };
  }
  const schema = `kt_test_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE SCHEMA ${quoteIdent(schema)}`);
  const pools: Db[] = [];
  const connect = () => {
    const db = openPgDb({ connectionString: TEST_POSTGRES_URL, schema, max: 4 });
    pools.push(db);
    return db;
  };
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set('schema', schema);
  return {
    engine,
    db: connect(),
    url: url.toString(),
    connect,
    async dispose() {
      await Promise.all(pools.map((p) => p.close()));
      await admin(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
    },
  };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
