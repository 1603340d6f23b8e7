/**
 * The metrics API (metrics.k8s.io/v1beta1) and the kubelet Summary API, with the shapes the API
 * returns, as the Kubernetes Python client's metrics utilities offer them (SPEC §3).
 */
import { KubetallyError, invalidArgument, isKubetallyError, type ErrorCode } from '../domain/errors.js';
import type { Connection } from './connection.js';
import { DNS_SUBDOMAIN, parseLabelSelector } from './selectors.js';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  creationTimestamp?: string;
}
export interface PodMetrics {
  kind?: 'PodMetrics';
  metadata: ObjectMeta;
  timestamp: string;
  window: string;
  containers: { name: string; usage: { cpu: string; memory: string } }[];
}
export interface NodeMetrics {
  kind?: 'NodeMetrics';
  metadata: ObjectMeta;
  timestamp: string;
  window: string;
  usage: { cpu: string; memory: string };
}
export interface PodMetricsList {
  kind: 'PodMetricsList';
  apiVersion: string;
  metadata: Record<string, unknown>;
  items: PodMetrics[];
}
export interface NodeMetricsList {
  kind: 'NodeMetricsList';
  apiVersion: string;
  metadata: Record<string, unknown>;
  items: NodeMetrics[];
}
/** A namespace that failed: the message, and the error's code and fix (hint) as thrown errors carry them. */
export interface NamespaceError {
  kind: 'Error';
  error: string;
  code: ErrorCode;
  hint?: string;
}
export type NamespaceMetrics = PodMetricsList | NamespaceError;

const BASE = '/apis/metrics.k8s.io/v1beta1';

/**
 * A selector's query string. `null` is no selector, as the Python client's `label_selector=None`;
 * anything but a string is refused by name (an object `{app: 'web'}` threw a TypeError).
 */
function selectorQuery(labelSelector: string | null | undefined): string {
  if (labelSelector === undefined || labelSelector === null) return '';
  if (typeof labelSelector !== 'string') {
    const given = Array.isArray(labelSelector) ? 'an array' : typeof labelSelector;
    throw invalidArgument(
      `labelSelector must be a string, got ${given}`,
      'write it as kubectl -l takes it, e.g. "app=web,tier!=db" or "env in (prod,staging)"',
    );
  }
  if (labelSelector.trim() === '') return '';
  // Checked here so that a typo fails before any request, with the API server's wording.
  return `?labelSelector=${encodeURIComponent(parseLabelSelector(labelSelector).toString())}`;
}

function checkList<T extends { items: unknown }>(body: T, kind: string): T {
  if (body === null || typeof body !== 'object' || !Array.isArray(body.items)) {
    throw new KubetallyError('MALFORMED_RESPONSE', `the metrics API sent a ${kind} without items`, {
      hint: 'check the metrics-server installation (kubectl get apiservice v1beta1.metrics.k8s.io)',
    });
  }
  return body;
}

/** The path of a pod metrics list: one namespace's, or every namespace's. */
export function podMetricsPath(namespace?: string, labelSelector?: string | null): string {
  const scope = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `${BASE}${scope}/pods${selectorQuery(labelSelector)}`;
}

/** Usage of every node. */
export async function getNodesMetrics(
  conn: Connection,
  labelSelector?: string | null,
): Promise<NodeMetricsList> {
  const { body } = await conn.request<NodeMetricsList>(`${BASE}/nodes${selectorQuery(labelSelector)}`);
  return checkList(body, 'NodeMetricsList');
}

/** A DNS label, as the API server requires of namespace names. */
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Refuses, before any request, a namespace that is missing or cannot exist. */
export function assertNamespace(namespace: unknown, orElse: string): asserts namespace is string {
  if (typeof namespace !== 'string' || namespace.trim() === '')
    throw invalidArgument('namespace is required', orElse);
  if (!NAMESPACE_NAME.test(namespace)) {
    throw invalidArgument(
      `"${namespace}" is not a namespace name`,
      'namespace names are lower-case letters, digits and "-" (at most 63), as kubectl get namespaces lists them',
    );
  }
}

/** Usage of the pods of one namespace; a namespace that cannot exist is refused before any request. */
export async function getPodsMetrics(
  conn: Connection,
  namespace: string,
  labelSelector?: string | null,
): Promise<PodMetricsList> {
  assertNamespace(namespace, 'pass a namespace name, or use getPodsMetricsInAllNamespaces');
  const path = `${BASE}/namespaces/${encodeURIComponent(namespace)}/pods${selectorQuery(labelSelector)}`;
  return checkList((await conn.request<PodMetricsList>(path)).body, 'PodMetricsList');
}

/** Usage of the pods of every namespace in one list (what `kubectl top pods -A` reads). */
export async function getAllPodsMetrics(
  conn: Connection,
  labelSelector?: string | null,
): Promise<PodMetricsList> {
  const { body } = await conn.request<PodMetricsList>(`${BASE}/pods${selectorQuery(labelSelector)}`);
  return checkList(body, 'PodMetricsList');
}

/**
 * Usage of the pods of several namespaces, keyed by namespace; a namespace that fails carries
 * `{ kind: 'Error', error, code, hint }` instead of failing the others (the code and the fix
 * kept: "install metrics-server" is worth as much as the message). A selector that is not one fails the
 * call, as in getPodsMetrics: it is the caller's mistake for every namespace, not one's trouble.
 */
export async function getPodsMetricsInAllNamespaces(
  conn: Connection,
  namespaces: readonly string[],
  labelSelector?: string | null,
): Promise<Record<string, NamespaceMetrics>> {
  // Called from JavaScript too: a single name instead of a list is a mistake worth naming.
  if (!Array.isArray(namespaces) || namespaces.some((n) => typeof n !== 'string')) {
    throw invalidArgument(
      `namespaces must be a list of names, got ${typeof namespaces === 'string' ? `"${namespaces}"` : typeof namespaces}`,
      'pass an array, e.g. getPodsMetricsInAllNamespaces(conn, ["default", "ml"])',
    );
  }
  selectorQuery(labelSelector);
  const out: Record<string, NamespaceMetrics> = {};
  await Promise.all(
    namespaces.map(async (ns) => {
      try {
        out[ns] = await getPodsMetrics(conn, ns, labelSelector);
      } catch (err) {
        out[ns] = namespaceError(err);
      }
    }),
  );
  return Object.fromEntries(namespaces.map((ns) => [ns, out[ns] as NamespaceMetrics]));
}

function namespaceError(err: unknown): NamespaceError {
  if (!isKubetallyError(err))
    return { kind: 'Error', error: err instanceof Error ? err.message : String(err), code: 'INTERNAL' };
  return {
    kind: 'Error',
    error: err.message,
    code: err.code,
    ...(err.hint === undefined ? {} : { hint: err.hint }),
  };
}

/**
 * A pod's or node's name, checked before the request: an object name is a DNS subdomain of at most
 * 253 characters, and any other text (`../pods`, `Web-0`) reached the server as a path it does not
 * serve, whose 404 read as "metrics API not installed".
 */
function assertObjectName(name: unknown, what: 'pod' | 'node', orElse: string): asserts name is string {
  if (typeof name !== 'string' || name === '') throw invalidArgument(`${what} name is required`, orElse);
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    throw invalidArgument(
      `"${name}" is not a ${what} name`,
      `${what} names are lower-case letters, digits, "-" and "." (at most 253), as kubectl get ${what}s lists them`,
    );
  }
}

export async function getPodMetrics(conn: Connection, namespace: string, name: string): Promise<PodMetrics> {
  const example = 'pass both, e.g. getPodMetrics(conn, "default", "web-0")';
  if (!namespace || !name) throw invalidArgument('namespace and pod name are required', example);
  assertNamespace(namespace, example);
  assertObjectName(name, 'pod', example);
  const path = `${BASE}/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
  return (await conn.request<PodMetrics>(path)).body;
}

const NODE_HINT = 'pass the node name as kubectl get nodes shows it';

export async function getNodeMetrics(conn: Connection, name: string): Promise<NodeMetrics> {
  assertObjectName(name, 'node', NODE_HINT);
  return (await conn.request<NodeMetrics>(`${BASE}/nodes/${encodeURIComponent(name)}`)).body;
}

/** The kubelet Summary API of one node, through the API server's node proxy. */
export async function getNodeSummary(
  conn: Connection,
  node: string,
): Promise<{ body: Record<string, unknown>; date: number | undefined }> {
  assertObjectName(node, 'node', NODE_HINT);
  return conn.request<Record<string, unknown>>(
    `/api/v1/nodes/${encodeURIComponent(node)}/proxy/stats/summary`,
  );
}

export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
}

export async function getServerVersion(conn: Connection): Promise<ServerVersion> {
  return (await conn.request<ServerVersion>('/version', { timeoutMs: 10_000 })).body;
}

/** True when the error means the metrics API is not there (so callers can fall back). */
export const isMetricsUnavailable = (err: unknown) => isKubetallyError(err, 'METRICS_API_UNAVAILABLE');
