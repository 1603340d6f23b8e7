/** `kubetally top`: live, attributed usage straight from a cluster. */
import { assertNamespace } from '../../k8s/metrics-api.js';
import { compileRules } from '../../attribution/index.js';
import { rfc3339 } from '../../domain/time.js';
import { toGiB } from '../../domain/usage.js';
import { loadKubeconfig } from '../../k8s/connection.js';
import { type LiveGroup, type LiveGroupBy } from '../../app/live-rows.js';
import { readLiveSnapshot } from '../../app/live-snapshot.js';
import { csv, keyTitle, table, type OutputFormat } from '../format.js';
import type { CliIo } from '../io.js';
import { startProgress } from '../progress.js';

export interface TopOptions {
  kubeconfig?: string;
  context?: string;
  by: LiveGroupBy;
  selector?: string;
  namespace?: string;
  output: OutputFormat;
  sortBy: 'cpu' | 'memory' | 'name';
}

const KEY_COLUMNS: Record<LiveGroupBy, string[]> = {
  owner: ['owner'],
  project: ['project'],
  namespace: ['namespace'],
  'compute-type': ['computeType'],
  pod: ['namespace', 'pod', 'owner', 'project', 'computeType'],
};

/** CPU as kubectl top prints it: millicores rounded up. */
const milli = (nanos: bigint) => `${(nanos + 999_999n) / 1_000_000n}m`;
/** Memory as kubectl top prints it: mebibytes rounded down. */
const mebi = (bytes: bigint) => `${bytes / 1_048_576n}Mi`;
const gibText = (bytes: bigint) => (bytes === 0n ? '0' : `${(Number(bytes) / 2 ** 30).toFixed(1)}Gi`);

function jsonRow(g: LiveGroup) {
  return {
    ...g.key,
    pods: g.pods,
    cpuCores: Number(g.cpuNanoCores) / 1e9,
    cpuRequestCores: Number(g.cpuRequestNanoCores) / 1e9,
    memoryGiB: toGiB(g.memoryBytes),
    memoryRequestGiB: toGiB(g.memoryRequestBytes),
    gpus: Number(g.gpus),
    storageGiB: toGiB(g.storageBytes),
  };
}

function sortGroups(groups: LiveGroup[], by: TopOptions['sortBy']): LiveGroup[] {
  const name = (g: LiveGroup) => Object.values(g.key).join('/');
  const cmp = (a: bigint, b: bigint) => (a === b ? 0 : a > b ? -1 : 1);
  return groups.sort((a, b) =>
    by === 'cpu'
      ? cmp(a.cpuNanoCores, b.cpuNanoCores) || name(a).localeCompare(name(b))
      : by === 'memory'
        ? cmp(a.memoryBytes, b.memoryBytes) || name(a).localeCompare(name(b))
        : name(a).localeCompare(name(b)),
  );
}

export async function runTop(opts: TopOptions, io: CliIo): Promise<void> {
  if (opts.namespace !== undefined)
    assertNamespace(opts.namespace, 'name the namespace, or leave -n out for all');
  const conn = await loadKubeconfig({
    trust: 'own',
    ...(opts.kubeconfig === undefined ? {} : { file: opts.kubeconfig }),
    ...(opts.context === undefined ? {} : { context: opts.context }),
  });
  let read = 0;
  const progress = startProgress(io, () =>
    read === 0 ? `reading metrics and claims from ${conn.server}…` : `reading pods: ${read}…`,
  );
  const snapshot = await readLiveSnapshot(conn, compileRules(), {
    // Rows are summed as pages arrive, so no list of every pod is ever kept.
    groupBy: opts.by,
    ...(opts.namespace === undefined ? {} : { namespace: opts.namespace }),
    ...(opts.selector === undefined ? {} : { labelSelector: opts.selector }),
    onPods: (n) => (read = n),
  }).finally(() => progress.done());
  const groups = sortGroups(snapshot.groups ?? [], opts.sortBy);
  const keys = KEY_COLUMNS[opts.by];
  // Without the claims every capacity reads 0: say so, and show storage as unknown, not as none.
  const refused = snapshot.storageRefused;
  if (refused !== undefined) {
    io.err('warning: the cluster does not allow list persistentvolumeclaims: storage is unknown\n');
    if (refused.hint !== undefined) io.err(`hint: ${refused.hint}\n`);
  }
  const jsonRows = () =>
    groups.map((g) => (refused === undefined ? jsonRow(g) : { ...jsonRow(g), storageGiB: null }));
  if (opts.output === 'json') {
    const body = { time: rfc3339(snapshot.time), groupBy: keys, rows: jsonRows() };
    io.out(`${JSON.stringify(body, null, 2)}\n`);
    return;
  }
  if (opts.output === 'csv') {
    const rows = jsonRows();
    const headers = [
      ...keys,
      'pods',
      'cpuCores',
      'cpuRequestCores',
      'memoryGiB',
      'memoryRequestGiB',
      'gpus',
      'storageGiB',
    ];
    io.out(
      csv(
        headers,
        rows.map((r) => headers.map((h) => (r as Record<string, string | number | null>)[h] ?? '')),
      ),
    );
    return;
  }
  const headers = [
    ...keys.map(keyTitle),
    ...(opts.by === 'pod' ? [] : ['PODS']),
    'CPU(cores)',
    'CPU REQUESTS',
    'MEMORY(bytes)',
    'MEMORY REQUESTS',
    'GPUS',
    'STORAGE',
  ];
  const rows = groups.map((g) => [
    ...keys.map((k) => g.key[k] ?? ''),
    ...(opts.by === 'pod' ? [] : [String(g.pods)]),
    milli(g.cpuNanoCores),
    milli(g.cpuRequestNanoCores),
    mebi(g.memoryBytes),
    mebi(g.memoryRequestBytes),
    String(g.gpus),
    refused === undefined ? gibText(g.storageBytes) : '-',
  ]);
  // As kubectl top: the namespace asked for is named.
  const none =
    opts.namespace === undefined
      ? 'No resources found\n'
      : `No resources found in ${opts.namespace} namespace.\n`;
  io.out(groups.length === 0 ? none : table(headers, rows));
}
