import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from './migrate.js';
import { openDatabase } from './open-database.js';
import {
  KEY_FILE_NAME,
  createSecretBox,
  keyIdOf,
  loadOrCreateKeyFile,
  openSecretBox,
  parseEncryptionKey,
} from './secret-box.js';
import { createStore } from './store.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kubetally-secret-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const KEY_HEX = 'a1'.repeat(32);
const SECRET = 'token: kt-very-secret-3f9d8a7c1b2e\n';

describe('secret box', () => {
  it('round-trips, with a fresh nonce each time and the key id recorded', () => {
    const box = createSecretBox(parseEncryptionKey(KEY_HEX));
    const a = box.seal(SECRET, 'default/east');
    const b = box.seal(SECRET, 'default/east');
    expect(a.nonce.length).toBe(12);
    expect(a.ciphertext.length).toBe(Buffer.byteLength(SECRET) + 16);
    expect(a.nonce.equals(b.nonce)).toBe(false);
    expect(a.keyId).toBe(keyIdOf(Buffer.from(KEY_HEX, 'hex')));
    expect(a.ciphertext.includes(Buffer.from('very-secret'))).toBe(false);
    expect(box.open(a, 'default/east').toString('utf8')).toBe(SECRET);
  });

  it('detects tampering with the ciphertext, the tag, the nonce or the bound name', () => {
    const box = createSecretBox(parseEncryptionKey(KEY_HEX));
    const sealed = box.seal(SECRET, 'default/east');
    const flip = (buf: Buffer, at: number) => {
      const copy = Buffer.from(buf);
      copy[at] = (copy[at] as number) ^ 1;
      return copy;
    };
    const attempts = [
      () => box.open({ ...sealed, ciphertext: flip(sealed.ciphertext, 0) }, 'default/east'),
      () =>
        box.open(
          { ...sealed, ciphertext: flip(sealed.ciphertext, sealed.ciphertext.length - 1) },
          'default/east',
        ),
      () => box.open({ ...sealed, nonce: flip(sealed.nonce, 3) }, 'default/east'),
      () => box.open({ ...sealed, ciphertext: sealed.ciphertext.subarray(0, 10) }, 'default/east'),
      () => box.open(sealed, 'default/west'),
    ];
    for (const attempt of attempts) {
      expect(attempt).toThrow(
        expect.objectContaining({ code: 'INTERNAL', message: expect.stringMatching(/integrity/) }),
      );
    }
  });

  it('names the missing key when a secret was sealed with another key, and opens it after rotation', () => {
    const oldKey = parseEncryptionKey(randomBytes(32).toString('base64'));
    const newKey = parseEncryptionKey(KEY_HEX);
    const sealed = createSecretBox(oldKey).seal(SECRET);
    const err = (() => {
      try {
        createSecretBox(newKey).open(sealed);
      } catch (e) {
        return e as { code: string; message: string; hint: string };
      }
      return undefined;
    })();
    expect(err?.code).toBe('INTERNAL');
    expect(err?.message).toContain(oldKey.id);
    expect(err?.hint).toMatch(/KUBETALLY_ENCRYPTION_KEY/);
    const rotated = createSecretBox(newKey, [oldKey]);
    expect(rotated.open(sealed).toString()).toBe(SECRET);
    expect(rotated.seal(SECRET).keyId).toBe(newKey.id);
  });

  it('parses keys in hex and base64 (standard and URL-safe), and refuses anything else', () => {
    const raw = randomBytes(32);
    expect(parseEncryptionKey(raw.toString('hex')).key.equals(raw)).toBe(true);
    expect(parseEncryptionKey(raw.toString('base64')).key.equals(raw)).toBe(true);
    expect(parseEncryptionKey(raw.toString('base64url')).key.equals(raw)).toBe(true);
    for (const bad of [
      '',
      'abc',
      randomBytes(16).toString('base64'),
      'g'.repeat(64),
      `${raw.toString('base64')}!!`,
    ]) {
      expect(() => parseEncryptionKey(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });

  it('creates a key file with mode 0600 on first use and reuses it', async () => {
    const dir = path.join(await tempDir(), 'data');
    const first = await loadOrCreateKeyFile(dir);
    const file = path.join(dir, KEY_FILE_NAME);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const [again, racer] = await Promise.all([loadOrCreateKeyFile(dir), loadOrCreateKeyFile(dir)]);
    expect(again.id).toBe(first.id);
    expect(racer.key.equals(first.key)).toBe(true);
    const box = await openSecretBox({ dataDir: dir });
    expect(box.keyId).toBe(first.id);
    const configured = await openSecretBox({ dataDir: dir, key: KEY_HEX });
    expect(configured.keyId).toBe(parseEncryptionKey(KEY_HEX).id);
  });

  it('refuses a corrupt key file with a hint', async () => {
    const dir = await tempDir();
    await loadOrCreateKeyFile(dir);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(dir, KEY_FILE_NAME), 'short\n');
    await expect(loadOrCreateKeyFile(dir)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      hint: /key file/,
    });
  });

  it('says which key file cannot be created and what does without it (it was the bare errno)', async () => {
    const dir = await tempDir();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(dir, 'file'), 'x');
    // A read-only or foreign directory (EROFS, EACCES) fails alike; a file in the path fails as root too.
    const dataDir = path.join(dir, 'file', 'data');
    await expect(openSecretBox({ dataDir })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: `cannot create the encryption key file ${path.join(dataDir, KEY_FILE_NAME)}: a part of the path is not a directory (ENOTDIR)`,
      hint: 'set KUBETALLY_ENCRYPTION_KEY (e.g. openssl rand -base64 32), or KUBETALLY_DATA_DIR to a directory this user may write',
    });
  });

  it('names the setting whose key is not one (a bad previous key was blamed on KUBETALLY_ENCRYPTION_KEY)', async () => {
    const dataDir = await tempDir();
    const good = randomBytes(32).toString('base64');
    await expect(
      openSecretBox({ key: KEY_HEX, previousKeys: [good, 'oops'], dataDir }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'key 2 of KUBETALLY_PREVIOUS_ENCRYPTION_KEYS is not a key: 32 bytes in hex or base64',
    });
    await expect(openSecretBox({ key: KEY_HEX, previousKeys: ['oops'], dataDir })).rejects.toMatchObject({
      message: 'KUBETALLY_PREVIOUS_ENCRYPTION_KEYS is not a key: 32 bytes in hex or base64',
    });
    await expect(openSecretBox({ key: 'oops', dataDir })).rejects.toMatchObject({
      message: 'KUBETALLY_ENCRYPTION_KEY is not a key: 32 bytes in hex or base64',
    });
  });

  it('never lets the plaintext reach the data directory or the database', async () => {
    const dir = await tempDir();
    const box = await openSecretBox({ dataDir: dir });
    const db = await openDatabase(dir);
    await migrate(db);
    const store = createStore(db);
    const cluster = await store.createCluster({
      name: 'east',
      connection: 'kubeconfig',
      kubeconfig: box.seal(SECRET, 'default/east'),
    });
    const back = await store.getClusterById(cluster.id);
    expect(box.open(back!.kubeconfig!, 'default/east').toString()).toBe(SECRET);
    const dump = await db.query<{ t: string }>(`SELECT row_to_json(c)::text AS t FROM clusters c`);
    expect(dump[0]?.t).not.toContain('very-secret');
    await db.close();
    const needles = ['kt-very-secret-3f9d8a7c1b2e', Buffer.from(SECRET).toString('base64').slice(0, 24)];
    for (const file of await walk(dir)) {
      const bytes = await readFile(file);
      for (const needle of needles)
        expect(bytes.includes(Buffer.from(needle)), `${file} holds ${needle}`).toBe(false);
    }
  });
});

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(p)));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}
