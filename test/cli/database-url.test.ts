/**
 * A database URL that cannot be used is named with its fix, through the built `kubetally` bin
 * (docs/cli.md "Which database"): an unparsable URL and a password with an unescaped `@` exit 2
 * without repeating any part of the password; a role the server does not know and an `sslmode`
 * the server cannot serve exit 4 (cannot connect) with a hint, never 1 with a bare message.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../support/run-bin.js';
import { TEST_POSTGRES_URL } from '../support/databases.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubetally-dburl-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** `kubetally migrate --database URL` from the built bin, with a data directory of its own. */
const migrate = (url: string) => runBin({ KUBETALLY_DATA_DIR: dir }, 'migrate', '--database', url);

const server = new URL(TEST_POSTGRES_URL);
const withUser = (user: string, password?: string) => {
  const url = new URL(server);
  url.username = user;
  url.password = password ?? '';
  return url.toString();
};

describe('database URLs that cannot be used', () => {
  it('an unparsable URL (a port over 65535) exits 2 saying how to write one', async () => {
    const r = await migrate('postgres://postgres@127.0.0.1:99999/db');
    expect(r).toEqual({
      code: 2,
      out: '',
      err:
        'error: the database URL (--database or DATABASE_URL) is not a valid URL\n' +
        'hint: write it as postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE, with a port from 1 to 65535 and the characters @ / ? # : of a password escaped as %40 %2F %3F %23 %3A\n',
    });
  });

  it('a password with an unescaped @ is refused before connecting, and no part of it is printed', async () => {
    const r = await migrate(`postgres://postgres:qz7@xk9/w0rd@${server.host}/db`);
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toMatch(
      /^error: the database URL \(--database or DATABASE_URL\) is not a valid URL: it has an "@" after its host\nhint: /,
    );
    expect(r.err).not.toMatch(/qz7|xk9|w0rd/);
  });

  it('a role the server does not know cannot connect (exit 4) and the hint names what to check', async () => {
    const r = await migrate(withUser('no_such_role_kubetally', 'hunter2'));
    expect([r.code, r.out]).toEqual([4, '']);
    const at = withUser('no_such_role_kubetally', '***').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // trust authentication answers that the role does not exist; a password method, that it failed.
    expect(r.err).toMatch(
      new RegExp(
        `^error: cannot connect to PostgreSQL at ${at}: (role "no_such_role_kubetally" does not exist|password authentication failed for user "no_such_role_kubetally")\n` +
          'hint: check that the server runs and that DATABASE_URL \\(or --database\\) names the right host, port, user and database\n$',
      ),
    );
    expect(r.err).not.toMatch(/hunter2/);
  });

  it('sslmode against a server without SSL cannot connect (exit 4) and the hint is about SSL', async () => {
    const url = new URL(server);
    url.searchParams.set('sslmode', 'verify-full');
    const r = await migrate(url.toString());
    // The test server runs without SSL (README); one with SSL would have migrated.
    expect([r.code, r.out]).toEqual([4, '']);
    expect(r.err).toMatch(
      /^error: cannot connect to PostgreSQL at postgres:\/\/\S+sslmode=verify-full: The server does not support SSL connections\n/,
    );
    expect(r.err).toMatch(
      /\nhint: the server's SSL does not match the URL's sslmode: leave sslmode out \(or sslmode=disable\) for a server without SSL, or give the server's CA \(sslrootcert\) to verify its certificate\n$/,
    );
  });
});
