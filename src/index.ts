// The public library API of kubetally (SPEC §3).
export { KubetallyError, ERROR_CODES, type ErrorCode } from './domain/errors.js';
export {
  openDatabase,
  migrate,
  createStore,
  openSecretBox,
  type Db,
  type LedgerStore,
  type UsageQuery,
  type UsageRow,
} from './ledger/index.js';
export {
  parseQuantity,
  Quantity,
  cpuToNanocores,
  memoryToBytes,
  formatCpuNanocores,
  formatBytes,
  type QuantityFormat,
} from './k8s/quantity.js';
