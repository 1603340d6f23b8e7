/**
 * The encryption key of stored kubeconfigs, as an operator rotates it: a process without the key
 * a kubeconfig was sealed with said only "cannot be decrypted" (the secret box's words naming the
 * key were dropped), and a rotation never ended, since nothing sealed the old kubeconfigs again
 * with the new key: dropping the previous key lost every cluster registered before.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf, parseEncryptionKey } from '../../src/ledger/secret-box.js';
import { runCli } from '../support/cli.js';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';

let sim: TestSimulator;
let dir: string;
const oldKey = randomBytes(32).toString('hex');
const newKey = randomBytes(32).toString('base64');
const idOf = (key: string) => keyIdOf(parseEncryptionKey(key).key);

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
  dir = await mkdtemp(join(tmpdir(), 'kubetally-keys-'));
});
afterAll(async () => {
  await sim?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function registered(name: string): Promise<NodeJS.ProcessEnv> {
  const env = { KUBETALLY_DATA_DIR: join(dir, name), KUBETALLY_ENCRYPTION_KEY: oldKey };
  expect((await runCli(env, 'cluster', 'add', 'sim', '--kubeconfig', sim.kubeconfigPath)).code).toBe(0);
  return env;
}

describe('the encryption key of stored kubeconfigs', () => {
  it('a process without the key that sealed a kubeconfig names that key', async () => {
    const env = await registered('missing');
    const wrong = await runCli({ ...env, KUBETALLY_ENCRYPTION_KEY: newKey }, 'cluster', 'test', 'sim');
    expect(wrong.code).toBe(3);
    expect(wrong.err).toContain(
      `error: the stored kubeconfig of cluster sim cannot be decrypted: the secret was sealed with key ${idOf(oldKey)}, which is not configured`,
    );
    expect(wrong.err).toContain(
      `KUBETALLY_PREVIOUS_ENCRYPTION_KEYS (the keys configured here: ${idOf(newKey)})`,
    );
    // No key at all (and no key file in the data directory, as the key came from the environment).
    const none = await runCli({ KUBETALLY_DATA_DIR: env.KUBETALLY_DATA_DIR }, 'cluster', 'test', 'sim');
    expect(none.code).toBe(3);
    expect(none.err).toContain(
      `while the database holds kubeconfigs sealed with key ${idOf(oldKey)}\nhint: set KUBETALLY_ENCRYPTION_KEY to that key`,
    );
  });

  it('a rotation ends: started with the new key and the old one as previous, the old one can go', async () => {
    const env = await registered('rotate');
    const rotating = { ...env, KUBETALLY_ENCRYPTION_KEY: newKey, KUBETALLY_PREVIOUS_ENCRYPTION_KEYS: oldKey };
    expect((await runCli(rotating, 'cluster', 'test', 'sim')).code).toBe(0);
    const rotated = { ...env, KUBETALLY_ENCRYPTION_KEY: newKey };
    const after = await runCli(rotated, 'cluster', 'test', 'sim');
    expect(after.err).toBe('');
    expect(after.code).toBe(0);
    // The old key alone no longer opens it: it was sealed again, not copied.
    expect((await runCli(env, 'cluster', 'test', 'sim')).code).toBe(3);
  });
});
