/**
 * The live snapshot views of seed 000: one user's usage across every project, or one project's.
 * `memoryGB` and `storageGB` carry GiB (2^30 bytes), as every memory figure of kubetally (SPEC §2).
 * Storage is "if available" (seed 000): where the cluster refuses to list claims it is `null`
 * and `warnings` says which rule is missing, rather than a 0 that reads as "no storage".
 */
import { invalidArgument } from '../domain/errors.js';
import { assertNamespace } from '../k8s/metrics-api.js';
import { compileRules, type AttributionRulesInput } from '../attribution/index.js';
import { rfc3339 } from '../domain/time.js';
import { toGiB } from '../domain/usage.js';
import type { Connection } from '../k8s/connection.js';
import { groupLive, type LiveGroup, type LivePod } from './live-rows.js';
import { readLiveSnapshot, type LiveSnapshot } from './live-snapshot.js';

export interface LiveResources {
  cpuCores: number;
  memoryGB: number;
  /** `null` when the cluster does not allow listing PersistentVolumeClaims (see `warnings`). */
  storageGB: number | null;
  gpus: number;
}

export interface LivePodView {
  name: string;
  namespace: string;
  uid: string;
  phase: string;
  node: string;
  computeType: string;
  owner: string;
  cpuCores: number;
  memoryGB: number;
  gpus: number;
  cpuRequestCores: number;
  memoryRequestGB: number;
}

export interface ProjectView {
  projectId: string;
  projectName: string;
  namespace: string;
  resources: LiveResources;
  pods: LivePodView[];
}

export interface UserMetrics {
  userId: string;
  projects: ProjectView[];
  totals: LiveResources;
  timestamp: string;
  /** What could not be read (storage, when claims may not be listed), with the fix. */
  warnings?: string[];
}

export interface ProjectMetrics extends ProjectView {
  owners: string[];
  timestamp: string;
  warnings?: string[];
}

const cores = (n: bigint) => Number(n) / 1e9;

function resourcesOf(g: LiveGroup | undefined, snapshot: LiveSnapshot): LiveResources {
  const storageGB = snapshot.storageRefused === undefined ? toGiB(g?.storageBytes ?? 0n) : null;
  if (g === undefined) return { cpuCores: 0, memoryGB: 0, storageGB, gpus: 0 };
  return {
    cpuCores: cores(g.cpuNanoCores),
    memoryGB: toGiB(g.memoryBytes),
    storageGB,
    gpus: Number(g.gpus),
  };
}

/** The snapshot's refusals as warnings: what is unknown, and the rule that would allow it. */
function warningsOf(snapshot: LiveSnapshot): { warnings?: string[] } {
  const refused = snapshot.storageRefused;
  if (refused === undefined) return {};
  // The hint's first clause names the rule; the ClusterRole after it is for a terminal, not a field.
  const fix = refused.hint === undefined ? '' : `; ${refused.hint.split(/, e\.g\.|\n/)[0]}`;
  return {
    warnings: [`storage is unknown: the cluster does not allow list persistentvolumeclaims${fix}`],
  };
}

function podView(p: LivePod): LivePodView {
  return {
    name: p.name,
    namespace: p.namespace,
    uid: p.uid,
    phase: p.phase,
    node: p.node,
    computeType: p.computeType,
    owner: p.owner,
    cpuCores: cores(p.cpuNanoCores),
    memoryGB: toGiB(p.memoryBytes),
    gpus: Number(p.gpus),
    cpuRequestCores: cores(p.cpuRequestNanoCores),
    memoryRequestGB: toGiB(p.memoryRequestBytes),
  };
}

function projectView(pods: LivePod[], namespace: string, snapshot: LiveSnapshot): ProjectView {
  const [group] = groupLive(pods, 'namespace', snapshot.capacities);
  const first = pods[0];
  return {
    projectId: first?.projectId ?? '',
    projectName: first?.project ?? namespace,
    namespace,
    resources: resourcesOf(group, snapshot),
    pods: pods.map(podView),
  };
}

/** Every pod the owner pays for, grouped by project namespace, with totals. */
export async function getUserMetrics(
  conn: Connection,
  owner: string,
  rules?: AttributionRulesInput,
): Promise<UserMetrics> {
  if (typeof owner !== 'string' || owner.trim() === '') {
    throw invalidArgument(
      'owner is required',
      'pass the owner as attribution names it, e.g. getUserMetrics(conn, "alice")',
    );
  }
  const snapshot = await readLiveSnapshot(conn, compileRules(rules));
  const mine = snapshot.pods.filter((p) => p.owner === owner);
  const byNamespace = new Map<string, LivePod[]>();
  for (const p of mine) byNamespace.set(p.namespace, [...(byNamespace.get(p.namespace) ?? []), p]);
  const [total] = groupLive(
    mine.map((p) => ({ ...p, owner })),
    'owner',
    snapshot.capacities,
  );
  return {
    userId: owner,
    projects: [...byNamespace.keys()]
      .sort()
      .map((ns) => projectView(byNamespace.get(ns) as LivePod[], ns, snapshot)),
    totals: resourcesOf(total, snapshot),
    timestamp: rfc3339(snapshot.time),
    ...warningsOf(snapshot),
  };
}

/** Every pod of one project namespace, whoever owns it. */
export async function getProjectMetrics(
  conn: Connection,
  namespace: string,
  rules?: AttributionRulesInput,
): Promise<ProjectMetrics> {
  assertNamespace(namespace, 'pass the project namespace, e.g. getProjectMetrics(conn, "fraud-alice")');
  const snapshot = await readLiveSnapshot(conn, compileRules(rules), { namespace });
  const pods = snapshot.pods;
  return {
    ...projectView(pods, namespace, snapshot),
    owners: [...new Set(pods.map((p) => p.owner))].sort(),
    timestamp: rfc3339(snapshot.time),
    ...warningsOf(snapshot),
  };
}
