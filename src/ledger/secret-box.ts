import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { KubetallyError } from '../domain/errors.js';
import { fileErrorWords } from '../domain/file-error.js';

/**
 * A secret sealed with AES-256-GCM. `ciphertext` is the encrypted bytes followed by the 16-byte
 * authentication tag; `nonce` is 12 random bytes; `keyId` names the key (a fingerprint, not the
 * key), so that keys can rotate: old secrets open with an old key until they are sealed again.
 */
export interface SealedSecret {
  keyId: string;
  nonce: Buffer;
  ciphertext: Buffer;
}

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface SecretBox {
  /** The id of the key new secrets are sealed with. */
  readonly keyId: string;
  /** `aad` (e.g. the cluster's tenant/name) is authenticated but not stored: open needs the same. */
  seal(plaintext: string | Buffer, aad?: string): SealedSecret;
  open(sealed: SealedSecret, aad?: string): Buffer;
}

const TAG_BYTES = 16;
const NONCE_BYTES = 12;
export const KEY_FILE_NAME = 'encryption.key';

/** Parses a 32-byte key written as 64 hex digits or as base64. */
export function parseEncryptionKey(text: string): EncryptionKey {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32 || (!/^[0-9a-fA-F]{64}$/.test(t) && key.toString('base64') !== normaliseBase64(t))) {
    throw new KubetallyError('INVALID_ARGUMENT', 'the encryption key is not 32 bytes in hex or base64', {
      hint: 'generate one with `openssl rand -base64 32` and put it in KUBETALLY_ENCRYPTION_KEY',
    });
  }
  return { id: keyIdOf(key), key };
}

function normaliseBase64(t: string): string {
  const std = t.replaceAll('-', '+').replaceAll('_', '/');
  return std.padEnd(std.length + ((4 - (std.length % 4)) % 4), '=');
}

/** A key's id: a short fingerprint that reveals nothing useful about the key. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('kubetally-key-id:').update(key).digest('hex').slice(0, 16);
}

export function createSecretBox(primary: EncryptionKey, previous: EncryptionKey[] = []): SecretBox {
  const keys = new Map([...previous, primary].map((k) => [k.id, k.key]));
  return {
    keyId: primary.id,
    seal(plaintext, aad) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', primary.key, nonce);
      if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return { keyId: primary.id, nonce, ciphertext: Buffer.concat([body, cipher.getAuthTag()]) };
    },
    open(sealed, aad) {
      const key = keys.get(sealed.keyId);
      if (key === undefined) {
        throw new KubetallyError(
          'INTERNAL',
          `the secret was sealed with key ${sealed.keyId}, which is not configured`,
          {
            hint: `set KUBETALLY_ENCRYPTION_KEY to the key it was sealed with, or list that key in KUBETALLY_PREVIOUS_ENCRYPTION_KEYS (the keys configured here: ${[...keys.keys()].join(', ')}), or upload the kubeconfig again`,
          },
        );
      }
      if (sealed.ciphertext.length < TAG_BYTES || sealed.nonce.length !== NONCE_BYTES) throw tampered();
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.nonce);
      if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(sealed.ciphertext.subarray(sealed.ciphertext.length - TAG_BYTES));
      try {
        const body = sealed.ciphertext.subarray(0, sealed.ciphertext.length - TAG_BYTES);
        return Buffer.concat([decipher.update(body), decipher.final()]);
      } catch {
        throw tampered();
      }
    },
  };
}

function tampered(): KubetallyError {
  return new KubetallyError(
    'INTERNAL',
    'a stored secret failed its integrity check and cannot be decrypted',
    {
      hint: 'the stored ciphertext was changed or belongs to another cluster; upload the kubeconfig again',
    },
  );
}

/**
 * The key in `<dataDir>/encryption.key`, created on first use (32 random bytes, base64, mode 0600).
 * Two processes starting at once agree: the file is created exclusively and the loser reads it.
 */
export async function loadOrCreateKeyFile(dataDir: string): Promise<EncryptionKey> {
  const file = path.join(dataDir, KEY_FILE_NAME);
  let text: string;
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    try {
      await writeFile(file, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
      await chmod(file, 0o600); // the umask may have narrowed the mode; make it exact
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    text = await readFile(file, 'utf8');
  } catch (err) {
    // On PostgreSQL the data directory holds nothing else: a read-only one (a container's) gave
    // the bare errno, naming neither the key file nor the setting that does without it.
    throw new KubetallyError(
      'INVALID_ARGUMENT',
      `cannot create the encryption key file ${file}: ${fileErrorWords(err)}`,
      {
        hint: 'set KUBETALLY_ENCRYPTION_KEY (e.g. openssl rand -base64 32), or KUBETALLY_DATA_DIR to a directory this user may write',
      },
    );
  }
  try {
    return parseEncryptionKey(text);
  } catch {
    throw new KubetallyError('INVALID_ARGUMENT', `the key file ${file} does not hold a 32-byte key`, {
      hint: 'restore the key file from a backup, or set KUBETALLY_ENCRYPTION_KEY to the key in use',
    });
  }
}

export interface SecretBoxOptions {
  /** The value of KUBETALLY_ENCRYPTION_KEY, if set (read by the caller, not here). */
  key?: string;
  /** Older keys that may still have sealed stored secrets. */
  previousKeys?: string[];
  /** Where the generated key file lives when no key is given. */
  dataDir: string;
}

/**
 * The secret box from a configured key, or from the data directory's key file. `sealedWith`
 * tells which keys sealed the secrets already stored: a new key file is only created when there
 * are none, else every process started from another directory would make a key of its own (with
 * a PostgreSQL database shared by several). Without the key, the box refuses to seal or open and
 * says which key is missing; what needs no secret still works.
 */
export async function openSecretBox(
  options: SecretBoxOptions,
  sealedWith: () => Promise<string[]> = async () => [],
): Promise<SecretBox> {
  const previous = (options.previousKeys ?? []).map((k, i, all) =>
    parseSetting(
      k,
      all.length === 1
        ? 'KUBETALLY_PREVIOUS_ENCRYPTION_KEYS'
        : `key ${i + 1} of KUBETALLY_PREVIOUS_ENCRYPTION_KEYS`,
    ),
  );
  if (options.key !== undefined && options.key.trim() !== '')
    return createSecretBox(parseSetting(options.key, 'KUBETALLY_ENCRYPTION_KEY'), previous);
  const file = path.join(options.dataDir, KEY_FILE_NAME);
  if (!existsSync(file)) {
    const ids = await sealedWith();
    if (ids.length > 0) return lockedSecretBox(file, ids);
  }
  return createSecretBox(await loadOrCreateKeyFile(options.dataDir), previous);
}

/**
 * A key from a setting, refused naming that setting: a bad previous key (one of a comma-separated
 * list) was reported as KUBETALLY_ENCRYPTION_KEY, which was right.
 */
function parseSetting(text: string, setting: string): EncryptionKey {
  try {
    return parseEncryptionKey(text);
  } catch {
    throw new KubetallyError('INVALID_ARGUMENT', `${setting} is not a key: 32 bytes in hex or base64`, {
      hint: 'write each key as 64 hex digits or the base64 of 32 bytes (openssl rand -base64 32 makes one), keys of KUBETALLY_PREVIOUS_ENCRYPTION_KEYS separated by commas',
    });
  }
}

function lockedSecretBox(file: string, ids: string[]): SecretBox {
  const refuse = (): never => {
    throw new KubetallyError(
      'INVALID_ARGUMENT',
      `no encryption key is configured here: KUBETALLY_ENCRYPTION_KEY is not set and ${file} does not exist, while the database holds kubeconfigs sealed with key ${ids.join(', ')}`,
      {
        hint: 'set KUBETALLY_ENCRYPTION_KEY to that key, or KUBETALLY_DATA_DIR to the directory whose encryption.key sealed them (every process sharing a database needs the same key)',
      },
    );
  };
  return { keyId: '', seal: refuse, open: refuse };
}
