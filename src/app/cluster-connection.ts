/**
 * From a registered cluster to a live connection, and back: the one place that seals an uploaded
 * kubeconfig and opens it again. The sealed secret is bound to its tenant and cluster name (the
 * AES-GCM additional data), so a ciphertext copied onto another cluster's row does not open.
 */
import { KubetallyError, invalidArgument, isKubetallyError } from '../domain/errors.js';
import { loadKubeconfig, type Connection } from '../k8s/connection.js';
import { checkUsable } from '../k8s/request.js';
import type { ClusterRegistry } from '../ledger/store.js';
import type { ClusterRecord, Json } from '../ledger/types.js';
import type { SealedSecret, SecretBox } from '../ledger/secret-box.js';

function aadOf(tenant: string, name: string): string {
  return `kubetally/cluster/${tenant}/${name}`;
}

export function sealKubeconfig(secrets: SecretBox, tenant: string, name: string, yaml: string): SealedSecret {
  return secrets.seal(yaml, aadOf(tenant, name));
}

/**
 * Finishes a key rotation: every stored kubeconfig sealed with another key that this process
 * holds (one of KUBETALLY_PREVIOUS_ENCRYPTION_KEYS) is sealed again with the current key, so
 * that the previous key can be dropped once every process has started with the new one. One
 * sealed with a key this process lacks is left as it is (connecting names that key). The names
 * of the clusters sealed again.
 */
export async function resealKubeconfigs(
  store: Pick<ClusterRegistry, 'listClusters' | 'resealKubeconfig'>,
  secrets: SecretBox,
): Promise<string[]> {
  const resealed: string[] = [];
  for (const cluster of await store.listClusters()) {
    const sealed = cluster.kubeconfig;
    if (sealed === null || sealed.keyId === secrets.keyId) continue;
    let plaintext: Buffer;
    try {
      plaintext = secrets.open(sealed, aadOf(cluster.tenant, cluster.name));
    } catch {
      continue;
    }
    const again = secrets.seal(plaintext, aadOf(cluster.tenant, cluster.name));
    if (await store.resealKubeconfig(cluster.id, sealed, again)) resealed.push(cluster.name);
  }
  return resealed;
}

/** Whether the cluster was registered for a plain-http server (a simulator's `--plain-http`). */
export function allowsInsecureHttp(cluster: ClusterRecord): boolean {
  return (cluster.collection as { allowInsecureHttp?: unknown }).allowInsecureHttp === true;
}

/**
 * The collection settings that say how the cluster is reached, not how it is collected: a reset
 * of its collection settings to the defaults keeps them, or the cluster would be cut off.
 */
export function connectionSettings(cluster: ClusterRecord): { allowInsecureHttp?: true } {
  return allowsInsecureHttp(cluster) ? { allowInsecureHttp: true } : {};
}

/**
 * Refuses collection settings that would cut a registered cluster off: without
 * `allowInsecureHttp`, its stored plain-http server could no longer be read (a reset to the
 * defaults keeps the flag: `connectionSettings`). Given `null` or `false`, the flag must go once
 * the kubeconfig names an https:// server, not before.
 */
export async function checkStillReachable(
  secrets: SecretBox,
  cluster: ClusterRecord,
  collection: Json,
): Promise<void> {
  const keeps = (collection as { allowInsecureHttp?: unknown }).allowInsecureHttp === true;
  if (keeps || !allowsInsecureHttp(cluster) || cluster.connection === 'in-cluster') return;
  const { server } = await connectCluster(secrets, cluster);
  if (!server.startsWith('http://')) return;
  throw invalidArgument(
    `cluster ${cluster.name} is reached over plain http (${server}): without collection.allowInsecureHttp it could no longer be collected`,
    `keep allowInsecureHttp: true (leave it out of the patch); to drop it, first upload a kubeconfig with the https:// address of the API server: PUT /api/v1/clusters/${cluster.name}/kubeconfig?tenant=${cluster.tenant}`,
  );
}

/**
 * Replaces a registered cluster's kubeconfig, already checked as an upload: expired certificates,
 * a rotated token. The cluster keeps its id, settings and ledger.
 */
export function replaceKubeconfig(
  ctx: { store: Pick<ClusterRegistry, 'updateCluster'>; secrets: SecretBox },
  cluster: ClusterRecord,
  upload: { yaml: string; context?: string | undefined },
): Promise<ClusterRecord> {
  return ctx.store.updateCluster(cluster.id, {
    connection: 'kubeconfig',
    kubeconfig: sealKubeconfig(ctx.secrets, cluster.tenant, cluster.name, upload.yaml),
    context: upload.context ?? null,
  });
}

/**
 * An uploaded kubeconfig, checked before it is stored: the rules for uploaded kubeconfigs (no
 * commands, no local files), and usable for a request (its server is a URL, its TLS settings and
 * credentials apply). Nothing is sent: a cluster that is down may still be registered.
 */
export async function checkUploadedKubeconfig(
  yaml: string,
  context: string | undefined,
  allowInsecureHttp: boolean,
): Promise<void> {
  await checkUsable(
    await loadKubeconfig({ yaml, ...(context === undefined ? {} : { context }), allowInsecureHttp }),
  );
}

/** A context to switch a registered cluster to: it must resolve in the stored kubeconfig. */
export async function checkStoredContext(
  secrets: SecretBox,
  cluster: ClusterRecord,
  context: string,
): Promise<void> {
  if (cluster.connection === 'in-cluster') {
    throw invalidArgument(
      `cluster ${cluster.name} connects in-cluster: it has no kubeconfig context`,
      `upload a kubeconfig with PUT /api/v1/clusters/${cluster.name}/kubeconfig {kubeconfig, context}`,
    );
  }
  await checkUsable(await connectCluster(secrets, { ...cluster, context }));
}

/** Connects to a registered cluster with its stored credentials (decrypted in memory only). */
export async function connectCluster(secrets: SecretBox, cluster: ClusterRecord): Promise<Connection> {
  if (cluster.connection === 'in-cluster') return loadKubeconfig({ inCluster: true });
  if (cluster.kubeconfig === null) {
    throw new KubetallyError('INVALID_KUBECONFIG', `cluster ${cluster.name} has no kubeconfig`, {
      hint: `upload one: PUT /api/v1/clusters/${cluster.name}/kubeconfig, or kubetally cluster add again`,
    });
  }
  let yaml: string;
  try {
    yaml = secrets.open(cluster.kubeconfig, aadOf(cluster.tenant, cluster.name)).toString('utf8');
  } catch (err) {
    // The box says which key sealed it and which keys this process has: that is the fix.
    const why = isKubetallyError(err) ? `: ${err.message}` : '';
    throw new KubetallyError(
      'INVALID_KUBECONFIG',
      `the stored kubeconfig of cluster ${cluster.name} cannot be decrypted${why}`,
      {
        hint:
          (isKubetallyError(err) ? err.hint : undefined) ??
          'start kubetally with the encryption key it was stored with (KUBETALLY_ENCRYPTION_KEY, or list the old key in KUBETALLY_PREVIOUS_ENCRYPTION_KEYS), or upload the kubeconfig again',
      },
    );
  }
  return loadKubeconfig({
    yaml,
    trust: 'uploaded',
    allowInsecureHttp: allowsInsecureHttp(cluster),
    ...(cluster.context === null ? {} : { context: cluster.context }),
  });
}
