/**
 * Opening the ledger as every command does: what the database setting may be, how its URL is
 * shown, and the encryption key of a database shared by processes started in other directories.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealKubeconfig } from '../../src/app/cluster-connection.js';
import { openApp, resolveDatabase } from '../../src/app/context.js';
import { redactUrl } from '../../src/ledger/pg-db.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: 'https://127.0.0.1:6443'}}]
users: [{name: u, user: {token: secret-token}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;

let dir: string;
let pg: TestDatabase;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kubetally-context-'));
  pg = await freshDatabase('postgres');
});
afterAll(async () => {
  await pg?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('the database setting', () => {
  it('refuses a URL of another scheme instead of making a directory of it', async () => {
    const env = { DATABASE_URL: 'mysql://x@y/z', KUBETALLY_DATA_DIR: path.join(dir, 'data') };
    await expect(openApp({ env })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/unsupported database URL scheme "mysql:"/),
    });
    expect(resolveDatabase({ database: 'file:///tmp/x', env: {} }).target).toBe('file:///tmp/x');
    expect(existsSync(path.resolve('mysql:'))).toBe(false);
  });

  it('masks a password in the user part and in the parameters', () => {
    expect(redactUrl('postgres://u:hunter2@h:5432/db?password=hunter3&schema=s&sslpassword=x')).toBe(
      'postgres://u:***@h:5432/db?password=***&schema=s&sslpassword=***',
    );
  });
});

describe('a PostgreSQL database shared by processes in different directories', () => {
  it('makes no second key: without the key, secrets are refused naming it, and the rest works', async () => {
    const first = await openApp({ env: { DATABASE_URL: pg.url, KUBETALLY_DATA_DIR: path.join(dir, 'a') } });
    const keyId = first.secrets.keyId;
    await first.store.createCluster({
      name: 'c',
      connection: 'kubeconfig',
      kubeconfig: sealKubeconfig(first.secrets, 'default', 'c', KUBECONFIG),
    });
    await first.close();

    const other = path.join(dir, 'b');
    const second = await openApp({ env: { DATABASE_URL: pg.url, KUBETALLY_DATA_DIR: other } });
    try {
      expect(existsSync(path.join(other, 'encryption.key'))).toBe(false);
      expect((await second.store.listClusters()).map((c) => c.name)).toEqual(['c']);
      expect(() => sealKubeconfig(second.secrets, 'default', 'd', KUBECONFIG)).toThrow(
        new RegExp(`sealed with key ${keyId}[\\s\\S]*`),
      );
    } finally {
      await second.close();
    }
    // With the first directory's key, the same database opens its secrets.
    const again = await openApp({ env: { DATABASE_URL: pg.url, KUBETALLY_DATA_DIR: path.join(dir, 'a') } });
    expect(again.secrets.keyId).toBe(keyId);
    await again.close();
  });
});
