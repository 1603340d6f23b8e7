import { KubetallyError } from '../domain/errors.js';
import { toBuffer, toMillis, type Db } from './db.js';
import type { SealedSecret } from './secret-box.js';
import type { ClusterId, ClusterPatch, ClusterRecord, ConnectionKind, Json, NewCluster } from './types.js';

const COLUMNS = `id, tenant, name, connection_kind, kubeconfig_ciphertext, kubeconfig_nonce, kubeconfig_key_id,
  context, attribution, pricing, price_sheet_id, collection, created_at, updated_at`;

interface ClusterRow {
  id: unknown;
  tenant: string;
  name: string;
  connection_kind: ConnectionKind;
  kubeconfig_ciphertext: unknown;
  kubeconfig_nonce: unknown;
  kubeconfig_key_id: string | null;
  context: string | null;
  attribution: Json;
  pricing: Json;
  price_sheet_id: unknown;
  collection: Json;
  created_at: unknown;
  updated_at: unknown;
}

function fromRow(r: ClusterRow): ClusterRecord {
  return {
    id: Number(r.id),
    tenant: r.tenant,
    name: r.name,
    connection: r.connection_kind,
    kubeconfig:
      r.kubeconfig_key_id === null
        ? null
        : {
            keyId: r.kubeconfig_key_id,
            nonce: toBuffer(r.kubeconfig_nonce),
            ciphertext: toBuffer(r.kubeconfig_ciphertext),
          },
    context: r.context,
    attribution: r.attribution,
    pricing: r.pricing,
    priceSheetId: r.price_sheet_id === null ? null : Number(r.price_sheet_id),
    collection: r.collection,
    createdAt: toMillis(r.created_at),
    updatedAt: toMillis(r.updated_at),
  };
}

export async function createTenant(db: Db, name: string): Promise<boolean> {
  const rows = await db.query(
    'INSERT INTO tenants (name) VALUES ($1) ON CONFLICT DO NOTHING RETURNING name',
    [name],
  );
  return rows.length > 0;
}

export async function listTenants(db: Db): Promise<string[]> {
  const rows = await db.query<{ name: string }>('SELECT name FROM tenants ORDER BY name');
  return rows.map((r) => r.name);
}

export async function createCluster(db: Db, c: NewCluster): Promise<ClusterRecord> {
  const tenant = c.tenant ?? 'default';
  return db.transaction(async (tx) => {
    const known = await tx.query('SELECT 1 FROM tenants WHERE name = $1', [tenant]);
    if (known.length === 0) {
      throw new KubetallyError('NOT_FOUND', `tenant "${tenant}" does not exist`, {
        hint: 'create the tenant first (POST /api/v1/tenants) or leave the tenant out to use "default"',
      });
    }
    const taken = await tx.query(
      'SELECT 1 FROM clusters WHERE tenant = $1 AND name = $2 AND deleted_at IS NULL',
      [tenant, c.name],
    );
    if (taken.length > 0) throw clusterExists(tenant, c.name);
    const k = c.kubeconfig ?? null;
    try {
      const rows = await tx.query<ClusterRow>(
        `INSERT INTO clusters (tenant, name, connection_kind, kubeconfig_ciphertext, kubeconfig_nonce, kubeconfig_key_id,
           context, attribution, pricing, price_sheet_id, collection)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11::jsonb) RETURNING ${COLUMNS}`,
        [
          tenant,
          c.name,
          c.connection,
          k?.ciphertext ?? null,
          k?.nonce ?? null,
          k?.keyId ?? null,
          c.context ?? null,
          JSON.stringify(c.attribution ?? {}),
          JSON.stringify(c.pricing ?? {}),
          c.priceSheetId ?? null,
          JSON.stringify(c.collection ?? {}),
        ],
      );
      return fromRow(rows[0] as ClusterRow);
    } catch (err) {
      // Two creators at once: the partial unique index decides; answer as if we had seen it first.
      if ((err as { code?: string }).code === '23505') throw clusterExists(tenant, c.name);
      throw err;
    }
  });
}

function clusterExists(tenant: string, name: string): KubetallyError {
  return new KubetallyError('CONFLICT', `cluster "${name}" already exists in tenant "${tenant}"`, {
    hint: 'choose another name, or update the existing cluster (PATCH /api/v1/clusters/{name})',
  });
}

export async function getCluster(db: Db, tenant: string, name: string): Promise<ClusterRecord | undefined> {
  const rows = await db.query<ClusterRow>(
    `SELECT ${COLUMNS} FROM clusters WHERE tenant = $1 AND name = $2 AND deleted_at IS NULL`,
    [tenant, name],
  );
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}

export async function getClusterById(db: Db, id: ClusterId): Promise<ClusterRecord | undefined> {
  const rows = await db.query<ClusterRow>(
    `SELECT ${COLUMNS} FROM clusters WHERE id = $1 AND deleted_at IS NULL`,
    [id],
  );
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}

/** Clusters of one tenant, or of all tenants when `tenant` is undefined; by tenant, then name. */
export async function listClusters(
  db: Db,
  tenant?: string,
  options: { removed?: boolean } = {},
): Promise<ClusterRecord[]> {
  const rows = await db.query<ClusterRow>(
    `SELECT ${COLUMNS} FROM clusters WHERE ($2 OR deleted_at IS NULL) AND ($1::text IS NULL OR tenant = $1)
     ORDER BY tenant, name`,
    [tenant ?? null, options.removed === true],
  );
  return rows.map(fromRow);
}

export async function updateCluster(db: Db, id: ClusterId, patch: ClusterPatch): Promise<ClusterRecord> {
  const sets: string[] = [];
  const params: unknown[] = [id];
  const set = (column: string, value: unknown, cast = '') => {
    params.push(value);
    sets.push(`${column} = $${params.length}${cast}`);
  };
  if (patch.connection !== undefined) set('connection_kind', patch.connection);
  if (patch.kubeconfig !== undefined) {
    set('kubeconfig_ciphertext', patch.kubeconfig?.ciphertext ?? null);
    set('kubeconfig_nonce', patch.kubeconfig?.nonce ?? null);
    set('kubeconfig_key_id', patch.kubeconfig?.keyId ?? null);
  }
  if (patch.context !== undefined) set('context', patch.context);
  if (patch.attribution !== undefined) set('attribution', JSON.stringify(patch.attribution), '::jsonb');
  if (patch.pricing !== undefined) set('pricing', JSON.stringify(patch.pricing), '::jsonb');
  if (patch.priceSheetId !== undefined) set('price_sheet_id', patch.priceSheetId);
  if (patch.collection !== undefined) set('collection', JSON.stringify(patch.collection), '::jsonb');
  sets.push('updated_at = now()');
  const rows = await db.query<ClusterRow>(
    `UPDATE clusters SET ${sets.join(', ')} WHERE id = $1 AND deleted_at IS NULL RETURNING ${COLUMNS}`,
    params,
  );
  if (rows[0] === undefined) throw clusterNotFound(String(id));
  return fromRow(rows[0]);
}

/**
 * Puts the same kubeconfig sealed under another key (a key rotation) in place of `from`, only
 * while `from` is still the stored one: a kubeconfig uploaded meanwhile is never overwritten.
 * Whether it was replaced.
 */
export async function resealKubeconfig(
  db: Db,
  id: ClusterId,
  from: SealedSecret,
  to: SealedSecret,
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE clusters SET kubeconfig_ciphertext = $2, kubeconfig_nonce = $3, kubeconfig_key_id = $4
     WHERE id = $1 AND deleted_at IS NULL AND kubeconfig_key_id = $5 AND kubeconfig_nonce = $6 RETURNING id`,
    [id, to.ciphertext, to.nonce, to.keyId, from.keyId, from.nonce],
  );
  return rows.length > 0;
}

/**
 * Removes a cluster: its kubeconfig, lease and raw observations go at once; its ledger rows stay
 * (billing history), still joined to the removed cluster's name. The name becomes free again.
 */
export async function removeCluster(db: Db, id: ClusterId): Promise<void> {
  await db.transaction(async (tx) => {
    const rows = await tx.query(
      `UPDATE clusters SET deleted_at = now(), updated_at = now(), kubeconfig_ciphertext = NULL,
         kubeconfig_nonce = NULL, kubeconfig_key_id = NULL
       WHERE id = $1 AND deleted_at IS NULL RETURNING id`,
      [id],
    );
    if (rows.length === 0) throw clusterNotFound(String(id));
    await tx.query('DELETE FROM leases WHERE cluster_id = $1', [id]);
    await tx.query('DELETE FROM raw_observations WHERE cluster_id = $1', [id]);
  });
}

export function clusterNotFound(name: string): KubetallyError {
  return new KubetallyError('NOT_FOUND', `cluster ${name} does not exist`, {
    hint: 'list the clusters with `kubetally cluster list` (GET /api/v1/clusters)',
  });
}
