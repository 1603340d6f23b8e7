/**
 * `POST /clusters/{name}/test` and `kubetally cluster test`: can kubetally collect this cluster?
 * It reads the server version (reachable? credentials accepted? how far away?), asks the cluster
 * with SelfSubjectAccessReview for each permission the collector needs (with the RBAC rule to add
 * for each one refused), checks that the metrics API is served, then takes a small live sample.
 * Trouble comes back as data that names the problem and the fix; nothing here throws for a
 * cluster that is down or refuses us.
 */
import { isKubetallyError } from '../domain/errors.js';
import { toGiB } from '../domain/usage.js';
import type { Connection } from '../k8s/connection.js';
import { listAll } from '../k8s/lists.js';
import { getNodesMetrics, getServerVersion } from '../k8s/metrics-api.js';
import { cpuToNanocores, memoryToBytes } from '../k8s/quantity.js';
import { checkPermissions, type PermissionCheck } from './cluster-permissions.js';

export type { PermissionCheck } from './cluster-permissions.js';

export interface ProblemJson {
  code: string;
  message: string;
  hint?: string;
}

export interface ClusterTest {
  /** The API server answered and accepted the credentials. */
  reachable: boolean;
  serverVersion?: string;
  /** `code` (e.g. METRICS_API_UNAVAILABLE) says why it is not available, when it is not. */
  metricsApi: { available: boolean; code?: string; reason?: string; hint?: string };
  /** By permission (`list pods`, `list pods.metrics.k8s.io`, `get nodes/proxy`, ...). */
  permissions: Record<string, PermissionCheck>;
  /** Round trip of `GET /version`, ms. */
  latencyMs?: number;
  /** What the cluster runs now: pods listed, nodes, and CPU cores and GiB in use on the nodes. */
  sample?: { pods: number; nodes: number; cpuCores: number; memoryGiB: number; time: string };
  /** Why there is no sample, when there is none. */
  sampleError?: ProblemJson;
  /** Why the cluster is not reachable (or could not be checked). */
  error?: ProblemJson;
}

export async function testClusterConnection(conn: Connection): Promise<ClusterTest> {
  const started = performance.now();
  let serverVersion: string;
  try {
    serverVersion = (await getServerVersion(conn)).gitVersion;
  } catch (err) {
    return { reachable: false, metricsApi: { available: false }, permissions: {}, error: problem(err) };
  }
  const latencyMs = Math.round(performance.now() - started);
  const nodes = await listAll(conn, 'nodes', {}, (n) => n.name).catch(() => undefined);
  const result: ClusterTest = {
    reachable: true,
    serverVersion,
    metricsApi: await metricsApi(conn),
    permissions: {},
    latencyMs,
  };
  try {
    result.permissions = await checkPermissions(conn, nodes?.items[0]);
  } catch (err) {
    result.error = problem(err);
  }
  try {
    result.sample = await sample(conn, nodes?.items.length);
  } catch (err) {
    result.sampleError = problem(err);
  }
  return result;
}

async function metricsApi(conn: Connection): Promise<ClusterTest['metricsApi']> {
  try {
    await conn.request('/apis/metrics.k8s.io/v1beta1', { retries: 1 });
    return { available: true };
  } catch (err) {
    const p = problem(err);
    return {
      available: false,
      code: p.code,
      reason: p.message,
      ...(p.hint === undefined ? {} : { hint: p.hint }),
    };
  }
}

async function sample(conn: Connection, nodeCount: number | undefined): Promise<ClusterTest['sample']> {
  const [pods, metrics] = await Promise.all([listAll(conn, 'pods', {}, () => 1), getNodesMetrics(conn)]);
  let nanocores = 0n;
  let bytes = 0n;
  for (const m of metrics.items) {
    nanocores += cpuToNanocores(m.usage.cpu);
    bytes += memoryToBytes(m.usage.memory);
  }
  return {
    pods: pods.items.length,
    nodes: nodeCount ?? metrics.items.length,
    cpuCores: Number(nanocores) / 1e9,
    memoryGiB: toGiB(bytes),
    time: new Date(pods.date ?? Date.now()).toISOString(),
  };
}

function problem(err: unknown): ProblemJson {
  if (isKubetallyError(err))
    return err.hint === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, hint: err.hint };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}
