/**
 * Server-side printing of `meta.k8s.io/v1` Tables as the API server does it for kubectl `get`
 * (`pkg/printers/internalversion/printers.go`, v1.32; always with the wide columns, which carry
 * priority 1). Cells are computed from the rendered object at the simulator's time.
 */
import type { Millis } from '../../domain/duration.js';
import type { ListKind } from '../world.js';
import { ageSince } from './age.js';
import { podCells } from './pod-cells.js';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function col(name: string, priority = 0, format = ''): ColumnDefinition {
  return { name, type: 'string', format, description: '', priority };
}

const NAME = col('Name', 0, 'name');

export const COLUMNS: Record<ListKind, ColumnDefinition[]> = {
  pods: [
    NAME,
    ...['Ready', 'Status', 'Restarts', 'Age'].map((n) => col(n)),
    ...['IP', 'Node', 'Nominated Node', 'Readiness Gates'].map((n) => col(n, 1)),
  ],
  nodes: [
    NAME,
    ...['Status', 'Roles', 'Age', 'Version'].map((n) => col(n)),
    ...['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime'].map((n) =>
      col(n, 1),
    ),
  ],
  namespaces: [NAME, col('Status'), col('Age')],
  services: [
    NAME,
    ...['Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age'].map((n) => col(n)),
    col('Selector', 1),
  ],
  persistentvolumeclaims: [
    NAME,
    ...['Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age'].map(
      (n) => col(n),
    ),
    col('VolumeMode', 1),
  ],
  persistentvolumes: [
    NAME,
    ...[
      'Capacity',
      'Access Modes',
      'Reclaim Policy',
      'Status',
      'Claim',
      'StorageClass',
      'VolumeAttributesClass',
      'Reason',
      'Age',
    ].map((n) => col(n)),
    col('VolumeMode', 1),
  ],
};

export function tableCells(kind: ListKind, obj: Obj, now: Millis): unknown[] {
  const meta: Obj = obj.metadata ?? {};
  const age = ageSince(meta.creationTimestamp, now);
  switch (kind) {
    case 'pods':
      return podCells(obj, now);
    case 'nodes':
      return nodeCells(obj, age);
    case 'namespaces':
      return [meta.name, obj.status?.phase ?? '', age];
    case 'services':
      return serviceCells(obj, age);
    case 'persistentvolumeclaims':
      return pvcCells(obj, age);
    case 'persistentvolumes':
      return pvCells(obj, age);
  }
}

function nodeCells(obj: Obj, age: string): unknown[] {
  const conditions: Obj[] = obj.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  const status = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (obj.spec?.unschedulable === true) status.push('SchedulingDisabled');
  const roles = new Set<string>();
  for (const [k, v] of Object.entries<string>(obj.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length)
      roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  const info: Obj = obj.status?.nodeInfo ?? {};
  const address = (type: string) =>
    (obj.status?.addresses ?? []).find((a: Obj) => a.type === type)?.address ?? '<none>';
  return [
    obj.metadata?.name,
    status.join(','),
    roles.size === 0 ? '<none>' : [...roles].sort().join(','),
    age,
    info.kubeletVersion ?? '',
    address('InternalIP'),
    address('ExternalIP'),
    info.osImage || '<unknown>',
    info.kernelVersion || '<unknown>',
    info.containerRuntimeVersion || '<unknown>',
  ];
}

function serviceCells(obj: Obj, age: string): unknown[] {
  const spec: Obj = obj.spec ?? {};
  const clusterIp = spec.clusterIPs?.[0] ?? spec.clusterIP ?? '<none>';
  const ports = (spec.ports ?? [])
    .map((p: Obj) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`))
    .join(',');
  const selector = Object.entries<string>(spec.selector ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return [
    obj.metadata?.name,
    spec.type ?? 'ClusterIP',
    clusterIp || '<none>',
    externalIp(obj),
    ports || '<none>',
    age,
    selector || '<none>',
  ];
}

function externalIp(obj: Obj): string {
  const spec: Obj = obj.spec ?? {};
  const external: string[] = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'LoadBalancer': {
      const ingress: string[] = (obj.status?.loadBalancer?.ingress ?? []).map(
        (i: Obj) => i.ip || i.hostname || '',
      );
      const all = [...ingress.filter((s) => s !== ''), ...external];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return external.length > 0 ? external.join(',') : '<none>';
  }
}

const MODES: [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

function accessModes(modes: string[] | undefined): string {
  return MODES.filter(([m]) => (modes ?? []).includes(m))
    .map(([, short]) => short)
    .join(',');
}

function storageClass(obj: Obj): string {
  return (
    obj.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? obj.spec?.storageClassName ?? ''
  );
}

function pvcCells(obj: Obj, age: string): unknown[] {
  const spec: Obj = obj.spec ?? {};
  const bound = typeof spec.volumeName === 'string' && spec.volumeName !== '';
  return [
    obj.metadata?.name,
    obj.metadata?.deletionTimestamp ? 'Terminating' : (obj.status?.phase ?? ''),
    spec.volumeName ?? '',
    bound ? (obj.status?.capacity?.storage ?? '0') : '',
    bound ? accessModes(obj.status?.accessModes) : '',
    storageClass(obj),
    spec.volumeAttributesClassName || '<unset>',
    age,
    spec.volumeMode ?? '<unset>',
  ];
}

function pvCells(obj: Obj, age: string): unknown[] {
  const spec: Obj = obj.spec ?? {};
  const claim = spec.claimRef ? `${spec.claimRef.namespace}/${spec.claimRef.name}` : '';
  return [
    obj.metadata?.name,
    spec.capacity?.storage ?? '0',
    accessModes(spec.accessModes),
    spec.persistentVolumeReclaimPolicy ?? '',
    obj.metadata?.deletionTimestamp ? 'Terminating' : (obj.status?.phase ?? ''),
    claim,
    storageClass(obj),
    spec.volumeAttributesClassName || '<unset>',
    obj.status?.reason ?? '',
    age,
    spec.volumeMode ?? '<unset>',
  ];
}
