// The ledger: storage port, its adapters (PGlite, PostgreSQL), migrations and secrets at rest.
export type { Db } from './db.js';
export { openDatabase, DEFAULT_DATA_DIR, MEMORY, isPostgresUrl, pgliteDirOf } from './open-database.js';
export { openPgDb, type PgDbOptions } from './pg-db.js';
export { openPgliteDb } from './pglite-db.js';
export { migrate, schemaVersion, type MigrateResult } from './migrate.js';
export {
  createStore,
  type LedgerStore,
  type ClusterRegistry,
  type CollectionLedger,
  type UsageReader,
  type CostReader,
  type SavingsReader,
  type PriceSheetStore,
  type AccountStore,
} from './store.js';
export type { CostQuery, CostRow, ClusterCostTotals } from './cost-query.js';
export type {
  Account,
  AccountPatch,
  CreditEntry,
  CreditKind,
  NewCredit,
  HistoryOptions,
} from './accounts.js';
export type { StoredSheet } from './price-sheets.js';
export type { SheetInForce } from './pricing-source.js';
export { DEFAULT_RAW_RETENTION_MS, DEFAULT_POD_DETAIL_RETENTION_MS } from './retention.js';
export {
  openSecretBox,
  createSecretBox,
  parseEncryptionKey,
  loadOrCreateKeyFile,
  type SecretBox,
  type SealedSecret,
  type EncryptionKey,
  type SecretBoxOptions,
} from './secret-box.js';
export type * from './types.js';
