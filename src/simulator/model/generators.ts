/**
 * Generators: bulk pods for scale and churn. Slot i picks an owner, a project and a profile from
 * seeded draws; strings and label objects are interned so 100k slots stay small.
 */
import { compileTemplate } from './compile-template.js';
import { templateHash } from './naming.js';
import { hashKey, mix, unit } from './prng.js';
import type { SlotContext } from './compile-pods.js';
import type { PodTemplate } from './model.js';
import { invalidArgument } from '../../domain/errors.js';
import { NAMESPACE_RULE, isNamespaceName, type GeneratorInput, type NameList } from './schema.js';

function names(list: NameList): string[] {
  return Array.isArray(list) ? list : Array.from({ length: list.count }, (_, i) => `${list.prefix}${i + 1}`);
}

const DEFAULT_LABELS = {
  owner: '{owner}',
  user: '{owner}',
  project: '{project}',
  'project-id': '{projectId}',
};

export function addGeneratorSlots(g: GeneratorInput, ctx: SlotContext): void {
  const owners = names(g.owners);
  const projects = names(g.projects);
  const churn = g.lifetime !== undefined;
  const controller = g.controller?.kind ?? (churn ? 'Job' : 'none');
  const restartPolicy = controller === 'Job' || controller === 'CronJob' ? 'Never' : 'Always';
  const profiles = g.profiles.map((p) => ({
    template: compileTemplate(p, restartPolicy) as PodTemplate,
    input: p,
  }));
  profiles.forEach(({ template, input }, j) =>
    ctx.scheduler.assertFits({
      ...((input.nodeSelector ?? g.nodeSelector) ? { selector: input.nodeSelector ?? g.nodeSelector } : {}),
      gpus: template.gpus,
      cpuCores: template.cpuRequestCores,
      memoryBytes: template.memoryRequestBytes,
      what: `generator ${g.name}, profiles[${j}]`,
    }),
  );
  const totalWeight = g.profiles.reduce((s, p) => s + p.weight, 0);
  const labelCache = new Map<string, Record<string, string>>();
  const nsCache = new Map<string, string>();
  const every = churn ? (g.lifetime?.max ?? 0) + g.pending + g.gap : 0;
  const base = g.controller?.name ?? g.name;

  for (let i = 0; i < g.count; i++) {
    const h = hashKey(ctx.seed, `gen:${g.name}:${i}`);
    const owner = owners[mix(h, 1) % owners.length] as string;
    const projectIndex = mix(h, 2) % projects.length;
    const project = projects[projectIndex] as string;
    let pick = unit(h, 3) * totalWeight;
    let profileIndex = 0;
    while (profileIndex < profiles.length - 1 && pick >= (g.profiles[profileIndex]?.weight ?? 0)) {
      pick -= g.profiles[profileIndex]?.weight ?? 0;
      profileIndex++;
    }
    const profile = profiles[profileIndex] as (typeof profiles)[number];
    const nsKey = `${owner}|${project}`;
    let namespace = nsCache.get(nsKey);
    if (namespace === undefined) {
      namespace = g.namespace.replaceAll('{project}', project).replaceAll('{owner}', owner);
      if (!isNamespaceName(namespace))
        throw invalidArgument(
          `generator ${g.name}: namespace "${g.namespace}" gives "${namespace}" (owner "${owner}", project "${project}"), which is not ${NAMESPACE_RULE}`,
          'use lower-case owner and project names, or a namespace pattern that makes a valid name of them',
        );
      nsCache.set(nsKey, namespace);
    }
    const labelKey = `${nsKey}|${profileIndex}`;
    let labels = labelCache.get(labelKey);
    if (labels === undefined) {
      const fill = (v: string) =>
        v
          .replaceAll('{owner}', owner)
          .replaceAll('{project}', project)
          .replaceAll('{projectId}', String(1000 + projectIndex));
      labels = Object.fromEntries(
        Object.entries({ ...DEFAULT_LABELS, ...(g.labels ?? {}), ...(profile.input.labels ?? {}) }).map(
          ([k, v]) => [k, fill(v)],
        ),
      );
      labelCache.set(labelKey, labels);
    }
    const spreadMs = g.spread > 0 ? g.spread : churn ? every : 0;
    const phase = Math.floor(unit(h, 4) * Math.floor(spreadMs / 1000)) * 1000;
    const name = `${base}-${i}`;
    ctx.slots.push({
      index: ctx.slots.length,
      key: `gen:${g.name}:${i}`,
      namespace,
      labels,
      node: ctx.scheduler.pick(profile.input.nodeSelector ?? g.nodeSelector, profile.template.gpus),
      template: profile.template,
      volumes: [],
      controller,
      baseName: name,
      replica: i,
      templateHash: controller === 'Deployment' ? templateHash(ctx.seed, `${namespace}/${name}`) : '',
      start: ctx.start + g.start + phase,
      every,
      end: g.end === undefined ? undefined : ctx.start + g.end,
      duration: g.lifetime,
      pending: g.pending,
      exit: g.exit,
      sortKey: '',
    });
  }
}
