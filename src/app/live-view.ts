/**
 * The live snapshot views of seed 000: one user's usage across every project, or one project's.
 * `memoryGB` and `storageGB` carry GiB (2^30 bytes), as every memory figure of kubetally (SPEC §2).
 * Storage is "if available" (seed 000): where the cluster refuses to list claims it is `null`
 * and `warnings` says which rule is missing, rather than a 0 that reads as "no storage".
 */
import { invalidArgument } from '../domain/errors.js';
import { assertNamespace } from '../k8s/metrics-api.js';
import {
  attributePod,
  compileRules,
  type AttributionRulesInput,
  type CompiledRules,
} from '../attribution/index.js';
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

/**
 * One project's view. Its name is the one its pods carry when they all agree; where they name
 * several (or there are no pods), the namespace's own: what the rules give a pod of that namespace
 * without labels (the namespace pattern's `{project}`, else the namespace). Its id is the one id
 * its pods carry (pods without the label aside), else empty.
 */
function projectView(
  pods: LivePod[],
  namespace: string,
  snapshot: LiveSnapshot,
  rules: CompiledRules,
): ProjectView {
  const [group] = groupLive(pods, 'namespace', snapshot.capacities);
  const names = new Set(pods.map((p) => p.project));
  const ids = new Set(pods.map((p) => p.projectId).filter((id) => id !== ''));
  const [name] = names;
  const [id] = ids;
  const one = names.size === 1 && name !== undefined;
  return {
    projectId: one && ids.size === 1 && id !== undefined ? id : '',
    projectName: one ? name : attributePod({ namespace, name: '', labels: {} }, rules).project,
    namespace,
    resources: resourcesOf(group, snapshot),
    pods: pods.map(podView),
  };
}

/** Every pod the owner pays for, grouped by namespace and project, with totals. */
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
  const compiled = compileRules(rules);
  const snapshot = await readLiveSnapshot(conn, compiled);
  const mine = snapshot.pods.filter((p) => p.owner === owner);
  // One entry per project of each namespace: a namespace whose pods name two projects (labels)
  // gives two entries, each with its own pods and figures, as `top --by project` counts them.
  const byProject = new Map<string, LivePod[]>();
  for (const p of mine) {
    const key = JSON.stringify([p.namespace, p.project]);
    const pods = byProject.get(key);
    if (pods === undefined) byProject.set(key, [p]);
    else pods.push(p);
  }
  const [total] = groupLive(
    mine.map((p) => ({ ...p, owner })),
    'owner',
    snapshot.capacities,
  );
  return {
    userId: owner,
    projects: [...byProject.keys()].sort().map((key) => {
      const pods = byProject.get(key) as LivePod[];
      return projectView(pods, (pods[0] as LivePod).namespace, snapshot, compiled);
    }),
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
  const compiled = compileRules(rules);
  const snapshot = await readLiveSnapshot(conn, compiled, { namespace });
  const pods = snapshot.pods;
  return {
    ...projectView(pods, namespace, snapshot, compiled),
    owners: [...new Set(pods.map((p) => p.owner))].sort(),
    timestamp: rfc3339(snapshot.time),
    ...warningsOf(snapshot),
  };
}
