/**
 * The scenario file format (SPEC §8), validated with zod. Offsets and durations are strings such
 * as `90m` or numbers of seconds; quantities are Kubernetes quantity strings or numbers. Every
 * time must be a whole number of seconds, so that every change of state falls on a second.
 */
import { z } from 'zod';
import { isQuantity, quantityNumber } from './units.js';
import { offset, positive, profileSchema, quantity } from './profile-schema.js';

export { profileSchema, type ProfileInput } from './profile-schema.js';

/** Names as the API server takes them: DNS subdomains (pods, claims), DNS labels (namespaces). */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const objectName = z
  .string()
  .min(1)
  .max(253)
  .refine((n) => DNS_SUBDOMAIN.test(n.replaceAll('{i}', '1')), {
    message: 'must be lower-case letters, digits, "-" and "." (a DNS subdomain, as the API server requires)',
  });
export const NAMESPACE_RULE =
  'lower-case letters, digits and "-", at most 63 (a DNS label, as the API server requires)';
export const isNamespaceName = (n: string): boolean => n.length <= 63 && DNS_LABEL.test(n);
const namespaceName = z
  .string()
  .min(1)
  .refine(isNamespaceName, { message: `must be ${NAMESPACE_RULE}` });
/** Extended resources (`nvidia.com/gpu`) are whole devices: the API server refuses fractions. */
const resourceList = z.record(z.string().min(1), quantity).superRefine((rec, ctx) => {
  for (const [k, v] of Object.entries(rec)) {
    if (k.includes('/') && isQuantity(v) && !Number.isInteger(quantityNumber(v)))
      ctx.addIssue({
        code: 'custom',
        path: [k],
        message: `${v} is not a whole number: ${k} counts whole devices, which pods cannot share (write 1, not 500m)`,
      });
  }
});
/** Label keys (`prefix/name`) and values as the API server validates them. */
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
function isLabelKey(k: string): boolean {
  const [prefix, name, ...rest] = k.includes('/') ? k.split('/') : ['', k];
  return (
    rest.length === 0 &&
    name !== undefined &&
    name.length <= 63 &&
    LABEL_NAME.test(name) &&
    (prefix === '' || (prefix!.length <= 253 && DNS_SUBDOMAIN.test(prefix!)))
  );
}
const labelKeys = (rec: Record<string, unknown>, ctx: z.RefinementCtx) => {
  for (const k of Object.keys(rec)) {
    if (!isLabelKey(k))
      ctx.addIssue({
        code: 'custom',
        path: [k],
        message: 'is not a label key: [prefix/]name, the name at most 63 letters, digits, "-", "_" or "."',
      });
  }
};
const isLabelValue = (v: string) => v === '' || (v.length <= 63 && LABEL_NAME.test(v));
const LABEL_VALUE_MESSAGE =
  'is not a label value: at most 63 letters, digits, "-", "_" or ".", starting and ending alphanumeric';
const labelValue = z.string().refine(isLabelValue, { message: LABEL_VALUE_MESSAGE });
/** Generator label values may hold {owner}, {project} and {projectId}: checked with them filled. */
const labelTemplate = z
  .string()
  .refine((v) => isLabelValue(v.replace(/\{(owner|project|projectId)\}/g, 'x')), {
    message: LABEL_VALUE_MESSAGE,
  });
const labels = z.record(z.string(), labelValue).superRefine(labelKeys);
const annotations = z.record(z.string(), z.string()).superRefine(labelKeys);
const labelTemplates = z.record(z.string(), labelTemplate).superRefine(labelKeys);

/** The simulator holds every pod and node in memory: a million of them takes ~350 MB. */
export const MAX_OBJECTS = 1_000_000;
const TOO_MANY = `at most ${MAX_OBJECTS.toLocaleString('en')}: the simulator holds every pod and node in memory`;
const howMany = z.number().int().min(1).max(MAX_OBJECTS, { message: TOO_MANY });

const range = z
  .object({ min: offset, max: offset })
  .strict()
  .refine((r) => r.max >= r.min, 'max must be at least min');
const span = z.union([offset.transform((ms) => ({ min: ms, max: ms })), range]);

/** The API server refuses a container whose limit is below its request (`must be less than or equal to ... limit`). */
function limitsCoverRequests(
  c: { requests?: Record<string, string | number>; limits?: Record<string, string | number> },
  ctx: z.RefinementCtx,
): void {
  for (const [k, limit] of Object.entries(c.limits ?? {})) {
    const request = c.requests?.[k];
    if (request === undefined || !isQuantity(request) || !isQuantity(limit)) continue;
    if (quantityNumber(limit) < quantityNumber(request))
      ctx.addIssue({
        code: 'custom',
        path: ['limits', k],
        message: `${limit} is below the request ${request}, which the API server refuses: raise the limit to at least the request, or lower the request`,
      });
  }
}

const usage = z
  .object({
    cpu: profileSchema.optional(),
    memory: profileSchema.optional(),
    networkTx: profileSchema.optional(),
    networkRx: profileSchema.optional(),
  })
  .strict();

const container = z
  .object({
    name: z.string().min(1),
    image: z.string().optional(),
    requests: resourceList.optional(),
    limits: resourceList.optional(),
    usage: usage.optional(),
    /** Offsets from the pod's creation at which this container crashes and is restarted. */
    restarts: z.array(offset).optional(),
    restartReason: z.enum(['OOMKilled', 'Error']).optional(),
  })
  .strict()
  .superRefine(limitsCoverRequests);

const initContainer = z
  .object({
    name: z.string().min(1),
    image: z.string().optional(),
    requests: resourceList.optional(),
    limits: resourceList.optional(),
  })
  .strict()
  .superRefine(limitsCoverRequests);

const controllerKind = z.enum([
  'none',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'Node',
]);
const controller = z.union([
  controllerKind.transform((kind) => ({ kind, name: undefined as string | undefined })),
  z.object({ kind: controllerKind, name: z.string().min(1).optional() }).strict(),
]);
const exit = z.enum(['succeeded', 'failed', 'deleted']);

const podSpecFields = {
  labels: labels.optional(),
  annotations: annotations.optional(),
  containers: z
    .array(container)
    .min(1)
    .refine(
      (cs) => new Set(cs.map((c) => c.name)).size === cs.length,
      'container names must be unique in a pod',
    ),
  initContainers: z.array(initContainer).optional(),
  overhead: resourceList.optional(),
  volumes: z
    .array(z.object({ name: z.string().min(1).optional(), claim: z.string().min(1) }).strict())
    .optional(),
  nodeSelector: labels.optional(),
  /** The node's network namespace: the kubelet reports the node's traffic as the pod's. */
  hostNetwork: z.boolean().optional(),
  serviceAccountName: z.string().min(1).optional(),
  priorityClassName: z.string().min(1).optional(),
};

const pod = z
  .object({
    name: objectName,
    namespace: namespaceName.default('default'),
    replicas: howMany.default(1),
    node: z.string().min(1).optional(),
    start: offset.default(0),
    end: offset.optional(),
    /** Time Running (per pod, or per run for recurring pods); an alternative to `end`. */
    duration: span.optional(),
    /** Starts a new pod every this long, from `start` until `end` (a CronJob by default). */
    every: positive.optional(),
    pending: offset.default(5000),
    exit: exit.optional(),
    controller: controller.optional(),
    ...podSpecFields,
  })
  .strict()
  .refine((p) => p.end === undefined || p.every !== undefined || p.duration === undefined, {
    message: 'give either end or duration, not both',
    path: ['duration'],
  })
  .refine((p) => p.every === undefined || p.duration !== undefined, {
    message: 'a recurring pod (every) needs a duration (e.g. {min: 2m, max: 20m})',
    path: ['duration'],
  })
  .refine((p) => p.end === undefined || p.end > p.start, {
    message: 'end must be after start',
    path: ['end'],
  });

const node = z
  .object({
    name: z.string().min(1),
    count: howMany.default(1),
    instanceType: z.string().min(1).default('m5.xlarge'),
    region: z.string().min(1).default('us-east-1'),
    zone: z.string().min(1).optional(),
    capacityType: z.enum(['on-demand', 'spot']).default('on-demand'),
    role: z.string().min(1).default('worker'),
    capacity: resourceList,
    allocatable: resourceList.optional(),
    labels: labels.optional(),
    /** Usage of the node outside pods (kubelet, runtime, system daemons). */
    systemUsage: z
      .object({ cpu: profileSchema.optional(), memory: profileSchema.optional() })
      .strict()
      .optional(),
  })
  .strict();

const pvc = z
  .object({
    name: objectName,
    namespace: namespaceName.default('default'),
    storageClass: z.string().min(1).default('gp3'),
    capacity: quantity,
    used: quantity.optional(),
    accessModes: z.array(z.string()).optional(),
    labels: labels.optional(),
    start: offset.default(0),
    end: offset.optional(),
  })
  .strict()
  .refine((o) => o.end === undefined || o.end > o.start, {
    message: 'end must be after start',
    path: ['end'],
  });

const service = z
  .object({
    name: objectName,
    namespace: namespaceName.default('default'),
    type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).default('ClusterIP'),
    selector: labels.optional(),
    ports: z
      .array(
        z
          .object({
            name: z.string().optional(),
            port: z.number().int().min(1).max(65535),
            targetPort: z.union([z.number().int(), z.string()]).optional(),
            protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP'),
          })
          .strict(),
      )
      .default([{ port: 80, protocol: 'TCP' }]),
    labels: labels.optional(),
    start: offset.default(0),
    end: offset.optional(),
  })
  .strict()
  .refine((o) => o.end === undefined || o.end > o.start, {
    message: 'end must be after start',
    path: ['end'],
  })
  .superRefine((o, ctx) => {
    // The API server's own checks of a Service's ports (ValidateService).
    const seen = new Map<string, number>();
    o.ports.forEach((p, i) => {
      if (o.ports.length > 1 && (p.name === undefined || p.name === ''))
        ctx.addIssue({
          code: 'custom',
          path: ['ports', i, 'name'],
          message: 'a service with more than one port needs a name for each, as the API server requires',
        });
      const key = `${p.port}/${p.protocol}`;
      const first = seen.get(key);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['ports', i, 'port'],
          message: `${key} is also ports[${first}]: the API server refuses a port twice`,
        });
      else seen.set(key, i);
      const named = o.ports.findIndex((q) => q.name !== undefined && q.name === p.name);
      if (p.name !== undefined && named < i)
        ctx.addIssue({
          code: 'custom',
          path: ['ports', i, 'name'],
          message: `"${p.name}" is also the name of ports[${named}]: port names must be unique`,
        });
    });
  });

/** Owner and project names: they become label values (`owner`, `user`, `project`). */
const nameList = z.union([
  z.array(labelValue.refine((v) => v !== '', 'must not be empty')).min(1),
  z
    .object({
      count: z.number().int().min(1),
      prefix: labelValue.refine((v) => v !== '', 'must not be empty'),
    })
    .strict(),
]);

const generatorProfile = z
  .object({ name: z.string().min(1).optional(), weight: z.number().positive().default(1), ...podSpecFields })
  .strict();

const generator = z
  .object({
    name: z.string().min(1),
    count: howMany,
    owners: nameList,
    projects: nameList,
    /** Namespace pattern with `{project}` and `{owner}`. */
    namespace: z.string().min(1).default('{project}-{owner}'),
    /** Label templates (values may use {owner}, {project}, {projectId}). */
    labels: labelTemplates.optional(),
    controller: controller.optional(),
    start: offset.default(0),
    end: offset.optional(),
    /** Arrival spread: slot i is first created at start + a seeded offset in [0, spread). */
    spread: offset.default(0),
    /** Churn: each slot runs pods of this running time, one after another. */
    lifetime: span.optional(),
    /** Pause between one pod of a slot and the next (churn only). */
    gap: offset.default(0),
    pending: offset.default(5000),
    exit: exit.optional(),
    nodeSelector: labels.optional(),
    profiles: z.array(generatorProfile).min(1),
  })
  .strict();

export const scenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    seed: z.number().int().default(1),
    start: z
      .string()
      .refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(s) && Number.isFinite(Date.parse(s)), {
        message: 'must be an RFC 3339 time in UTC with whole seconds, e.g. 2026-01-05T00:00:00Z',
      })
      .transform((s) => Date.parse(s))
      .optional(),
    nodes: z.array(node).min(1),
    pods: z.array(pod).default([]),
    persistentVolumeClaims: z.array(pvc).default([]),
    services: z.array(service).default([]),
    generators: z.array(generator).default([]),
  })
  .strict()
  .refine(
    (s) => {
      const nodes = s.nodes.reduce((a, n) => a + n.count, 0);
      // A DaemonSet or a static pod not pinned to a node has a pod on each node (at most).
      const perNode = (p: (typeof s.pods)[number]) =>
        (p.controller?.kind === 'DaemonSet' || p.controller?.kind === 'Node') && p.node === undefined;
      const counts = [
        ...s.nodes.map((n) => n.count),
        ...s.pods.map((p) => (perNode(p) ? nodes : p.replicas)),
        ...s.generators.map((g) => g.count),
      ];
      // One too many on its own is named there.
      return counts.some((n) => n > MAX_OBJECTS) || counts.reduce((a, b) => a + b, 0) <= MAX_OBJECTS;
    },
    {
      message: `nodes (count), pods (replicas, or one per node for DaemonSets and static pods) and generators (count) together: ${TOO_MANY}`,
    },
  );

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type PodInput = z.output<typeof pod>;
export type NodeInput = z.output<typeof node>;
export type PvcInput = z.output<typeof pvc>;
export type ServiceInput = z.output<typeof service>;
export type GeneratorInput = z.output<typeof generator>;
export type ContainerInput = z.output<typeof container>;
export type InitContainerInput = z.output<typeof initContainer>;
export type ControllerKind = z.output<typeof controllerKind>;
export type Exit = z.output<typeof exit>;
export type NameList = z.output<typeof nameList>;
export type PodSpecInput = Pick<
  PodInput,
  | 'labels'
  | 'annotations'
  | 'containers'
  | 'initContainers'
  | 'overhead'
  | 'volumes'
  | 'nodeSelector'
  | 'hostNetwork'
  | 'serviceAccountName'
  | 'priorityClassName'
>;
