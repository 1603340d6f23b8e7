import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
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

describe('a schema named in the URL', () => {
  it('is created by the migrations when it does not exist yet', async () => {
    const name = `kt_new_${process.pid}_${Date.now()}`;
    const url = process.env.KUBETALLY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const db = await openDatabase(`${url}?schema=${name}`);
    try {
      await migrate(db);
      const [row] = await db.query<{ s: string }>('SELECT current_schema() AS s');
      expect(row?.s).toBe(name);
      expect(await schemaVersion(db)).toBe(MIGRATIONS.length);
    } finally {
      await db.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      await db.close();
    }
  });
});

describe('an embedded data directory', () => {
  const inDir = async (f: (dir: string) => Promise<void>) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kubetally-lock-'));
    try {
      await f(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  it('serves one process at a time: a second opening is refused until the first closes', () =>
    inDir(async (dir) => {
      const first = await openDatabase(dir);
      const refused = await openDatabase(dir).catch((e: unknown) => e);
      expect(refused).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining(`pid ${process.pid}`),
      });
      expect((refused as { hint: string }).hint).toMatch(/DATABASE_URL/);
      await first.close();
      const again = await openDatabase(dir);
      await again.close();
    }));

  it('takes over the lock of a process that is gone', () =>
    inDir(async (dir) => {
      const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
      await writeFile(path.join(dir, 'kubetally.lock'), gone.stdout);
      const db = await openDatabase(dir);
      expect(await readFile(path.join(dir, 'kubetally.lock'), 'utf8')).toBe(`${process.pid} ${hostname()}\n`);
      await db.close();
    }));

  it("takes over a lock naming this process's pid that it did not take (a restarted container's pid 1)", () =>
    inDir(async (dir) => {
      await writeFile(path.join(dir, 'kubetally.lock'), `${process.pid} ${hostname()}\n`);
      const db = await openDatabase(dir);
      await expect(openDatabase(dir)).rejects.toMatchObject({ code: 'CONFLICT' });
      await db.close();
    }));

  it("keeps the lock of another host's process of the same pid (another pod on the volume)", () =>
    inDir(async (dir) => {
      await writeFile(path.join(dir, 'kubetally.lock'), `${process.pid} another-pod\n`);
      await expect(openDatabase(dir)).rejects.toMatchObject({ code: 'CONFLICT' });
    }));

  it('says which data directory cannot be created, and why, as a bad argument (it was the bare errno)', () =>
    inDir(async (dir) => {
      // EACCES for a user who may not write the parent, as the tests' root may; a name too long fails alike.
      const target = path.join(dir, 'x'.repeat(300), 'data');
      await expect(openDatabase(target)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: `cannot create the data directory ${target}: the path is too long (ENAMETOOLONG)`,
        hint: 'give a directory this user may create and write (--database DIR or KUBETALLY_DATA_DIR), or a postgres:// URL',
      });
      const underFile = path.join(dir, 'file', 'data');
      await writeFile(path.join(dir, 'file'), 'x');
      await expect(openDatabase(underFile)).rejects.toMatchObject({
        message: `cannot create the data directory ${underFile}: a part of the path is not a directory (ENOTDIR)`,
      });
    }));

  it('refuses what is neither a directory nor a PostgreSQL URL', () =>
    inDir(async (dir) => {
      await writeFile(path.join(dir, 'file'), 'x');
      await expect(openDatabase(path.join(dir, 'file'))).rejects.toMatchObject({
        message: expect.stringMatching(/is a file/),
      });
      await expect(openDatabase('mysql://u@h/db')).rejects.toMatchObject({
        message: expect.stringMatching(/unsupported database URL scheme "mysql:"/),
      });
      await expect(openDatabase('postgres://u@127.0.0.1:5432/db?schema=')).rejects.toMatchObject({
        message: expect.stringMatching(/empty schema/),
      });
    }));
});
