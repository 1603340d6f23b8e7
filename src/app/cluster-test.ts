/**
 * `POST /clusters/{name}/test` and `kubetally cluster test`: can kubetally collect this cluster?
 * It reads the server version, then tries each read the collector needs (a one-item list of each
 * kind, the metrics API, one node's Summary API) and reports each permission as it found it, with
 * the RBAC rule to add when one is refused; then a small live sample.
 */
import { isKubetallyError } from '../domain/errors.js';
import type { Connection } from '../k8s/connection.js';
import { listAll } from '../k8s/lists.js';
import { getAllPodsMetrics, getNodeSummary, getServerVersion } from '../k8s/metrics-api.js';
import { compileRules } from '../attribution/index.js';
import { readLiveSnapshot } from './live-snapshot.js';
import { groupLive } from './live-rows.js';
import { toGiB } from '../domain/usage.js';

export interface PermissionCheck {
  allowed: boolean;
  /** Why not, and the RBAC rule to add, when refused. */
  reason?: string;
  rbac?: string;
}

export interface ClusterTest {
  reachable: boolean;
  serverVersion?: string;
  metricsApi: { available: boolean; reason?: string };
  permissions: Record<string, PermissionCheck>;
  latencyMs?: number;
  sample?: { pods: number; nodes: number; cpuCores: number; memoryGiB: number; time: string };
  error?: { code: string; message: string; hint?: string };
}

const LISTS = [
  'pods',
  'nodes',
  'namespaces',
  'persistentvolumeclaims',
  'persistentvolumes',
  'services',
] as const;

export async function testClusterConnection(conn: Connection): Promise<ClusterTest> {
  const started = performance.now();
  let serverVersion: string;
  try {
    serverVersion = (await getServerVersion(conn)).gitVersion;
  } catch (err) {
    return { reachable: false, metricsApi: { available: false }, permissions: {}, error: errorJson(err) };
  }
  const latencyMs = Math.round(performance.now() - started);
  const permissions: Record<string, PermissionCheck> = {};
  const check = async (name: string, probe: () => Promise<unknown>) => {
    try {
      await probe();
      permissions[name] = { allowed: true };
    } catch (err) {
      permissions[name] = refused(err);
    }
  };
  await Promise.all(LISTS.map((kind) => check(`list ${kind}`, () => listAll(conn, kind, { limit: 1 }))));
  let metricsApi: ClusterTest['metricsApi'] = { available: true };
  await check('get pods.metrics.k8s.io', async () => {
    try {
      await getAllPodsMetrics(conn);
    } catch (err) {
      metricsApi = { available: false, reason: err instanceof Error ? err.message : String(err) };
      throw err;
    }
  });
  const node = permissions['list nodes']?.allowed
    ? (await listAll(conn, 'nodes', { limit: 1 })).items[0]
    : undefined;
  if (node !== undefined)
    await check('get nodes/proxy (kubelet Summary API)', () => getNodeSummary(conn, node.name));
  const result: ClusterTest = { reachable: true, serverVersion, metricsApi, permissions, latencyMs };
  try {
    const snap = await readLiveSnapshot(conn, compileRules());
    const [all] = groupLive(
      snap.pods.map((p) => ({ ...p, owner: '' })),
      'owner',
      snap.capacities,
    );
    const nodes = await listAll(conn, 'nodes', {}, (n) => n.name);
    result.sample = {
      pods: snap.pods.length,
      nodes: nodes.items.length,
      cpuCores: Number(all?.cpuNanoCores ?? 0n) / 1e9,
      memoryGiB: toGiB(all?.memoryBytes ?? 0n),
      time: new Date(snap.time).toISOString(),
    };
  } catch {
    // The permissions above say what is missing; the sample is only a bonus.
  }
  return result;
}

function refused(err: unknown): PermissionCheck {
  const out: PermissionCheck = { allowed: false, reason: err instanceof Error ? err.message : String(err) };
  if (isKubetallyError(err) && typeof err.details?.rbac === 'string') out.rbac = err.details.rbac;
  return out;
}

function errorJson(err: unknown): ClusterTest['error'] {
  if (isKubetallyError(err))
    return err.hint === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, hint: err.hint };
  return { code: 'UNREACHABLE', message: err instanceof Error ? err.message : String(err) };
}
