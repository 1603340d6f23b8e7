import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../test/support/databases.js';
import { migrate, schemaVersion } from './migrate.js';
import { MEMORY, isPostgresUrl, openDatabase } from './open-database.js';
import { MIGRATIONS } from './migrations/index.js';

describe('openDatabase', () => {
  let pg: TestDatabase;
  beforeAll(async () => {
    pg = await freshDatabase('postgres');
    await migrate(pg.db);
  });
  afterAll(async () => {
    await pg?.dispose();
  });

  it('tells PostgreSQL URLs from data directories', () => {
    expect(isPostgresUrl('postgres://u@h/db')).toBe(true);
    expect(isPostgresUrl('postgresql://u@h/db')).toBe(true);
    expect(isPostgresUrl('./.kubetally')).toBe(false);
    expect(isPostgresUrl('/var/lib/postgres')).toBe(false);
  });

  it('opens PostgreSQL in the schema named by ?schema=, with UTC sessions', async () => {
    const db = await openDatabase(pg.url);
    try {
      expect(db.kind).toBe('postgres');
      expect(await schemaVersion(db)).toBe(MIGRATIONS.length);
      const rows = await db.query<{ s: string; tz: string }>(
        `SELECT current_schema() AS s, current_setting('TimeZone') AS tz`,
      );
      expect(rows[0]?.s).toBe(new URL(pg.url!).searchParams.get('schema'));
      expect(rows[0]?.tz).toBe('UTC');
    } finally {
      await db.close();
    }
  });

  it('opens PGlite in memory, and rolls a failed transaction back', async () => {
    const db = await openDatabase(MEMORY);
    try {
      expect(db.kind).toBe('pglite');
      await migrate(db);
      await expect(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO tenants (name) VALUES ('acme')`);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await db.query(`SELECT name FROM tenants ORDER BY name`)).toEqual([{ name: 'default' }]);
    } finally {
      await db.close();
    }
  });

  it('rolls a failed PostgreSQL transaction back and keeps the pool usable', async () => {
    await expect(
      pg.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO tenants (name) VALUES ('acme')`);
        await tx.query(`SELECT no_such_column FROM tenants`);
      }),
    ).rejects.toMatchObject({ code: '42703' });
    expect(await pg.db.query(`SELECT name FROM tenants ORDER BY name`)).toEqual([{ name: 'default' }]);
  });

  it('reports an unreachable server as UNREACHABLE without the password', async () => {
    const db = await openDatabase('postgres://postgres:hunter2@127.0.0.1:1/test');
    try {
      const err = await db.query('SELECT 1').catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'UNREACHABLE', hint: expect.stringMatching(/DATABASE_URL/) });
      expect((err as Error).message).not.toContain('hunter2');
      await expect(db.transaction(async () => 1)).rejects.toMatchObject({ code: 'UNREACHABLE' });
    } finally {
      await db.close();
    }
  });
});
