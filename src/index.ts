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
export {
  parseLabelSelector,
  parseFieldSelector,
  type LabelSelector,
  type FieldSelector,
} from './k8s/selectors.js';
export { loadKubeconfig, type Connection, type LoadKubeconfigOptions } from './k8s/connection.js';
export { validateUploadedKubeconfig, type KubeconfigSummary } from './k8s/kubeconfig-validate.js';
export { listAll, type ListOptions } from './k8s/lists.js';
export type * from './k8s/types.js';
export {
  getNodesMetrics,
  getPodsMetrics,
  getAllPodsMetrics,
  getPodsMetricsInAllNamespaces,
  getPodMetrics,
  getNodeMetrics,
  getNodeSummary,
  getServerVersion,
  type PodMetrics,
  type PodMetricsList,
  type NodeMetrics,
  type NodeMetricsList,
  type NamespaceMetrics,
  type NamespaceError,
} from './k8s/metrics-api.js';
export {
  getUserMetrics,
  getProjectMetrics,
  type UserMetrics,
  type ProjectMetrics,
  type ProjectView,
  type LiveResources,
} from './app/live-view.js';
export { KubernetesMetricsClient, type KubernetesMetricsClientOptions } from './app/metrics-client.js';
export {
  attributePod,
  compileRules,
  DEFAULT_RULES,
  type AttributionRulesInput,
} from './attribution/index.js';
