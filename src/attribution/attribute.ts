import type { CompiledRules } from './rules.js';

/** What attribution needs to know of a pod. */
export interface PodIdentity {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface Attribution {
  owner: string;
  project: string;
  /** Empty when no label gives it. */
  projectId: string;
  computeType: string;
}

/** Maps one pod to its owner, project, project id and compute type. Pure. */
export function attributePod(pod: PodIdentity, compiled: CompiledRules): Attribution {
  const { rules } = compiled;
  const fromNamespace = matchNamespace(pod.namespace, compiled);
  return {
    owner: firstLabel(pod.labels, rules.ownerLabels) ?? fromNamespace.user ?? rules.unownedOwner,
    project: firstLabel(pod.labels, rules.projectLabels) ?? fromNamespace.project ?? pod.namespace,
    projectId: firstLabel(pod.labels, rules.projectIdLabels) ?? '',
    computeType:
      firstLabel(pod.labels, rules.computeTypeLabels) ??
      compiled.nameRules.find((r) => r.regex.test(pod.name))?.type ??
      rules.defaultComputeType,
  };
}

function firstLabel(labels: Readonly<Record<string, string>>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = labels[key];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

function matchNamespace(namespace: string, compiled: CompiledRules): { user?: string; project?: string } {
  if (compiled.namespace === undefined) return {};
  const m = compiled.namespace.regex.exec(namespace);
  if (m === null) return {};
  const out: { user?: string; project?: string } = {};
  compiled.namespace.names.forEach((name, i) => {
    if (name === 'user' || name === 'project') out[name] = m[i + 1] as string;
  });
  return out;
}
