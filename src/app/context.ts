/**
 * What every use-case needs, opened once per process: the ledger database (migrated), its store
 * and the secret box that seals uploaded kubeconfigs. The CLI commands and `serve` open it the
 * same way, from the same settings (SPEC §4: `--database`, `$DATABASE_URL`, `$KUBETALLY_DATA_DIR`).
 */
import { blockedNetworks } from '../k8s/blocked-networks.js';
import path from 'node:path';
import {
  createStore,
  migrate,
  openDatabase,
  isPostgresUrl,
  DEFAULT_DATA_DIR,
  MEMORY,
  type Db,
} from '../ledger/index.js';
import type { LedgerStore } from '../ledger/store.js';
import { openSecretBox, type SecretBox } from '../ledger/secret-box.js';
import { redactUrl } from '../ledger/pg-db.js';
import { resealKubeconfigs } from './cluster-connection.js';

export interface AppSettings {
  /** `--database`: a PostgreSQL URL, `memory://`, or a data directory. */
  database?: string;
  /** Environment to read `DATABASE_URL`, `KUBETALLY_DATA_DIR`, `KUBETALLY_ENCRYPTION_KEY` from. */
  env?: NodeJS.ProcessEnv;
}

export interface AppContext {
  db: Db;
  store: LedgerStore;
  secrets: SecretBox;
  /** The data directory: embedded database files and the generated key file live here. */
  dataDir: string;
  /** Where the ledger lives, for messages: a directory, `memory://` or a URL without password. */
  databaseLabel: string;
  /** Runs `fn` when the context closes, before the database: what must stop with it (watches). */
  onClose(fn: () => void): void;
  close(): Promise<void>;
}

/** Resolves the settings as SPEC §4 says: `--database`, else `$DATABASE_URL`, else the data directory. */
export function resolveDatabase(settings: AppSettings): { target: string; dataDir: string } {
  const env = settings.env ?? process.env;
  const dataDir = path.resolve(env.KUBETALLY_DATA_DIR?.trim() || DEFAULT_DATA_DIR);
  const given = settings.database?.trim() || env.DATABASE_URL?.trim() || '';
  if (given === '') return { target: dataDir, dataDir };
  if (isPostgresUrl(given) || given === MEMORY) return { target: given, dataDir };
  // Any other URL is refused by openDatabase: it must not become a directory named after it.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(given)) return { target: given, dataDir };
  // A directory given as the database is the data directory (its key file sits there too).
  return { target: path.resolve(given), dataDir: path.resolve(given) };
}

/** Opens and migrates the ledger and the secret box. Close it when done. */
export async function openApp(settings: AppSettings = {}): Promise<AppContext> {
  const env = settings.env ?? process.env;
  // Read by every connection of an uploaded kubeconfig: a typo is said at start, not at the first one.
  blockedNetworks(process.env);
  const { target, dataDir } = resolveDatabase(settings);
  const db = await openDatabase(target);
  let secrets: SecretBox;
  try {
    await migrate(db);
    secrets = await openSecretBox(
      {
        ...(env.KUBETALLY_ENCRYPTION_KEY === undefined ? {} : { key: env.KUBETALLY_ENCRYPTION_KEY }),
        ...(env.KUBETALLY_PREVIOUS_ENCRYPTION_KEYS === undefined
          ? {}
          : {
              previousKeys: env.KUBETALLY_PREVIOUS_ENCRYPTION_KEYS.split(',').filter((k) => k.trim() !== ''),
            }),
        dataDir,
      },
      async () =>
        (
          await db.query<{ id: string }>(
            'SELECT DISTINCT kubeconfig_key_id AS id FROM clusters WHERE kubeconfig_key_id IS NOT NULL ORDER BY 1',
          )
        ).map((r) => r.id),
    );
    // Rotating the key is starting with the new one and the old one listed as previous: the
    // kubeconfigs the old one sealed are sealed again now, or it could never be dropped.
    if (env.KUBETALLY_PREVIOUS_ENCRYPTION_KEYS?.trim() && secrets.keyId !== '') {
      await resealKubeconfigs(createStore(db), secrets);
    }
  } catch (err) {
    await db.close();
    throw err;
  }
  const closing: (() => void)[] = [];
  return {
    db,
    store: createStore(db),
    secrets,
    dataDir,
    databaseLabel: isPostgresUrl(target) ? redactUrl(target) : target,
    onClose: (fn) => void closing.push(fn),
    close: async () => {
      for (const fn of closing.splice(0)) fn();
      await db.close();
    },
  };
}
