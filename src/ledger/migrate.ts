import { KubetallyError } from '../domain/errors.js';
import type { Db } from './db.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

export interface MigrateResult {
  /** Versions applied by this call (empty when the schema was already current). */
  applied: number[];
  /** The schema version after the call. */
  version: number;
}

// One lock per schema, so that two processes (replicas, `kubetally migrate` beside `serve`) never
// run the same migration twice. Transaction-scoped: released at commit or rollback.
const LOCK = `SELECT pg_advisory_xact_lock(hashtext('kubetally.migrate.' || current_schema()))`;

/** Brings the schema up to date: each pending migration in its own transaction, under an advisory lock. */
export async function migrate(db: Db, migrations: Migration[] = MIGRATIONS): Promise<MigrateResult> {
  await db.transaction(async (tx) => {
    await tx.query(LOCK);
    // A schema named in the URL (?schema=NAME) that does not exist yet is created, so that a new
    // deployment needs no step by hand (the role needs CREATE on the database for it).
    const [where] = await tx.query<{ current: string | null; path: string }>(
      `SELECT current_schema() AS current, current_setting('search_path') AS path`,
    );
    const wanted = /^"((?:[^"]|"")+)"$/.exec(where?.path ?? '')?.[1];
    if (where?.current === null && wanted !== undefined) {
      await tx.query(`CREATE SCHEMA IF NOT EXISTS "${wanted}"`);
    }
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`);
  });
  const applied: number[] = [];
  for (const migration of migrations) {
    const ran = await db.transaction(async (tx) => {
      await tx.query(LOCK);
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (done.length > 0) return false;
      for (const sql of migration.statements) await tx.query(sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  const version = await schemaVersion(db);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (version > known) {
    throw new KubetallyError(
      'CONFLICT',
      `the database schema is at version ${version}, newer than this kubetally (${known})`,
      {
        hint: 'upgrade kubetally to the version that migrated this database, or point it at another database',
      },
    );
  }
  return { applied, version };
}

/** The highest applied migration version, 0 for an empty database. */
export async function schemaVersion(db: Db): Promise<number> {
  const rows = await db.query<{ v: unknown }>('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations');
  return Number(rows[0]?.v ?? 0);
}
