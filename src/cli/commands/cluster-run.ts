import { parse as parseYaml } from 'yaml';
import {
  assertTenantCurrency,
  validatePricing,
  validateRegistrationPricing,
} from '../../app/pricing-settings.js';
import { KubetallyError, invalidArgument, isKubetallyError } from '../../domain/errors.js';
import { rfc3339 } from '../../domain/time.js';
import {
  allowsInsecureHttp,
  checkUploadedKubeconfig,
  connectCluster,
  replaceKubeconfig,
  sealKubeconfig,
} from '../../app/cluster-connection.js';
import { testClusterConnection } from '../../app/cluster-test.js';
import { openApp, type AppContext } from '../../app/context.js';
import { MAX_KUBECONFIG_BYTES, readUploadedKubeconfig } from '../../k8s/kubeconfig-validate.js';
import { readAtMost } from '../../k8s/bounded-read.js';
import type { ClusterRecord, Json } from '../../ledger/types.js';
import { EXIT_CODES, exitCodeOf } from '../exit-codes.js';
import { table } from '../format.js';
import { checkReadScope } from '../read-scope.js';
import type { CliIo } from '../io.js';
import { fileErrorWords } from '../../domain/file-error.js';

export interface ClusterCommandOptions {
  kubeconfig?: string;
  context?: string;
  inCluster?: boolean;
  tenant?: string;
  allowInsecureHttp?: boolean;
  pricing?: string;
  output?: 'table' | 'json';
  database?: string;
}

export async function runCluster(
  action: 'add' | 'list' | 'test' | 'remove' | 'set-kubeconfig',
  name: string | undefined,
  opts: ClusterCommandOptions,
  io: CliIo,
): Promise<void> {
  const ctx = await openApp({
    ...(opts.database === undefined ? {} : { database: opts.database }),
    env: io.env,
  });
  try {
    if (action === 'add') await add(ctx, name as string, opts, io);
    else if (action === 'list') await list(ctx, opts, io);
    else if (action === 'test') await test(ctx, await find(ctx, name as string, opts), opts, io);
    else if (action === 'set-kubeconfig')
      await setKubeconfig(ctx, await find(ctx, name as string, opts), opts, io);
    else {
      const c = await find(ctx, name as string, opts);
      await ctx.store.removeCluster(c.id);
      io.out(`removed cluster ${c.name} (tenant ${c.tenant}); its usage stays in the ledger\n`);
    }
  } finally {
    await ctx.close();
  }
}

async function find(ctx: AppContext, name: string, opts: ClusterCommandOptions): Promise<ClusterRecord> {
  const tenant = opts.tenant ?? 'default';
  const c = await ctx.store.getCluster(tenant, name);
  if (c === undefined) {
    // The admin who runs the CLI sees every tenant: point at the ones that have the name.
    const elsewhere = (await ctx.store.listClusters()).filter((o) => o.name === name).map((o) => o.tenant);
    throw new KubetallyError('NOT_FOUND', `no cluster named ${name} in tenant ${tenant}`, {
      hint:
        elsewhere.length === 0
          ? 'kubetally cluster list shows the registered clusters'
          : elsewhere.length === 1
            ? `tenant ${elsewhere[0]} has one: add --tenant ${elsewhere[0]}`
            : `several tenants have one: add --tenant with one of ${elsewhere.sort().join(', ')}`,
    });
  }
  return c;
}

/** What a cluster or tenant name is, in full: a name refused for its length or a dash at an end says why. */
const NAME_RULE =
  'use lower-case letters, digits and dashes, starting and ending with a letter or digit, at most 63 characters (a DNS label)';

async function add(ctx: AppContext, name: string, opts: ClusterCommandOptions, io: CliIo): Promise<void> {
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) {
    throw invalidArgument(`invalid cluster name "${name}"`, NAME_RULE);
  }
  if ((opts.kubeconfig === undefined) === (opts.inCluster !== true)) {
    throw invalidArgument(
      'give either --kubeconfig FILE or --in-cluster',
      'e.g. kubetally cluster add prod --kubeconfig ~/prod.kubeconfig',
    );
  }
  const tenant = opts.tenant ?? 'default';
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(tenant)) {
    throw invalidArgument(`invalid tenant name "${tenant}"`, `${NAME_RULE}, as the API does`);
  }
  if ((await ctx.store.getCluster(tenant, name)) !== undefined) {
    throw new KubetallyError('CONFLICT', `cluster ${name} already exists in tenant ${tenant}`, {
      hint: `replace its kubeconfig (kubetally cluster set-kubeconfig ${name} --kubeconfig FILE), remove it first (kubetally cluster remove ${name}), or choose another name`,
    });
  }
  const yaml =
    opts.kubeconfig === undefined
      ? undefined
      : await readKubeconfig(opts.kubeconfig, opts.context, opts.allowInsecureHttp === true, io);
  const pricing = opts.pricing === undefined ? undefined : await readPricing(opts.pricing, name);
  await ctx.store.createTenant(tenant);
  // Its sheet (the defaults without --pricing) must be in the tenant's currency.
  const currency = validatePricing(pricing).currency as string;
  await assertTenantCurrency(ctx.store, tenant, currency).catch((err: unknown) => {
    if (pricing !== undefined || !isKubetallyError(err)) throw err;
    const theirs = err.details?.tenantCurrency;
    if (typeof theirs !== 'string') throw err;
    throw invalidArgument(
      err.message,
      `give the cluster a price sheet in ${theirs}: --pricing FILE (JSON or YAML, e.g. {"currency": "${theirs}", "cpuCoreHour": "0.03"}); the default prices are in ${currency}`,
    );
  });
  const c = await ctx.store.createCluster({
    tenant,
    name,
    connection: yaml === undefined ? 'in-cluster' : 'kubeconfig',
    kubeconfig: yaml === undefined ? null : sealKubeconfig(ctx.secrets, tenant, name, yaml),
    context: opts.context ?? null,
    ...(opts.allowInsecureHttp === true ? { collection: { allowInsecureHttp: true } } : {}),
    ...(pricing === undefined ? {} : { pricing: pricing as Json }),
  });
  io.out(
    `registered cluster ${c.name} (tenant ${c.tenant}); ${yaml === undefined ? 'it connects with the service account of the pod kubetally runs in' : 'the kubeconfig is stored encrypted'}\n`,
  );
}

/** Reads and validates a kubeconfig file as an uploaded one (as the API does), before it is stored. */
async function readKubeconfig(
  file: string,
  context: string | undefined,
  allowInsecureHttp: boolean,
  io: CliIo,
): Promise<string> {
  let yaml: string;
  try {
    // One byte past the limit is enough for the check below to refuse it as too large; more
    // would be read for nothing (or forever: /dev/zero).
    yaml = (await readAtMost(file, MAX_KUBECONFIG_BYTES + 1)).bytes.toString('utf8');
  } catch (err) {
    // Exit 3 as in `top`: the kubeconfig is what cannot be used, not the command line.
    throw new KubetallyError('INVALID_KUBECONFIG', `cannot read ${file}: ${fileErrorWords(err)}`, {
      hint: 'check the path',
    });
  }
  // The operator's own file: only the chosen context is checked and kept, as
  // `kubectl config view --minify` would give it; the other contexts' credentials are not stored.
  const { summary, document } = readUploadedKubeconfig(yaml, {
    ...(context === undefined ? {} : { context }),
    allowInsecureHttp,
    chosenOnly: true,
  });
  const chosen = JSON.stringify(document);
  // As POST /api/v1/clusters does: its credentials must be usable for a request (none is sent).
  await checkUploadedKubeconfig(chosen, context, allowInsecureHttp);
  io.err(`kubeconfig: context ${summary.currentContext}, server ${summary.server}\n`);
  return chosen;
}

/**
 * Replaces a registered cluster's credentials (PUT /api/v1/clusters/{name}/kubeconfig): expired
 * certificates, a rotated token. The cluster keeps its id, ledger and settings.
 */
async function setKubeconfig(
  ctx: AppContext,
  c: ClusterRecord,
  opts: ClusterCommandOptions,
  io: CliIo,
): Promise<void> {
  if (opts.kubeconfig === undefined) {
    throw invalidArgument(
      '--kubeconfig FILE is required',
      `e.g. kubetally cluster set-kubeconfig ${c.name} --kubeconfig ~/${c.name}.kubeconfig`,
    );
  }
  const yaml = await readKubeconfig(opts.kubeconfig, opts.context, allowsInsecureHttp(c), io);
  await replaceKubeconfig(ctx, c, { yaml, context: opts.context });
  io.out(`replaced the kubeconfig of cluster ${c.name} (tenant ${c.tenant}); it is stored encrypted\n`);
}

/** As much as the API takes in one request body: a price sheet is a few kilobytes. */
const MAX_PRICING_BYTES = 1024 * 1024;

/** A price sheet file (JSON is YAML too), validated: a bad one names every field. */
async function readPricing(file: string, cluster: string): Promise<unknown> {
  let text: string;
  try {
    const { bytes, more } = await readAtMost(file, MAX_PRICING_BYTES);
    if (more) {
      throw invalidArgument(
        `${file} is larger than ${MAX_PRICING_BYTES / 1024} KiB: not a price sheet`,
        'give the price sheet file (JSON or YAML, docs/pricing.md)',
      );
    }
    text = bytes.toString('utf8');
  } catch (err) {
    if (isKubetallyError(err)) throw err;
    throw invalidArgument(`cannot read ${file}: ${fileErrorWords(err)}`, 'check the path');
  }
  let sheet: unknown;
  try {
    sheet = parseYaml(text, { maxAliasCount: 0 });
  } catch (err) {
    throw invalidArgument(`${file} is not JSON or YAML: ${(err as Error).message}`, 'check its syntax');
  }
  // An empty file (or one of comments, or `null`) parses as nothing, which would register the
  // cluster at the default prices as if --pricing had not been given: a truncated file is a mistake.
  if (sheet === null || sheet === undefined) {
    throw invalidArgument(
      `${file} holds no price sheet: it is empty`,
      'write the prices as a JSON or YAML mapping, e.g. {"cpuCoreHour": 0.031611} (docs/pricing.md), or leave --pricing out for the default prices',
    );
  }
  validateRegistrationPricing(sheet, cluster);
  return sheet;
}

async function list(ctx: AppContext, opts: ClusterCommandOptions, io: CliIo): Promise<void> {
  await checkReadScope(ctx.store, { tenant: opts.tenant });
  const clusters = await ctx.store.listClusters(opts.tenant);
  const rows = await Promise.all(
    clusters.map(async (c) => {
      const last = await ctx.store.lastClosedInterval(c.id);
      return {
        tenant: c.tenant,
        name: c.name,
        connection: c.connection,
        lastInterval: last === undefined ? null : rfc3339(last.intervalEnd),
        createdAt: rfc3339(c.createdAt),
      };
    }),
  );
  if (opts.output === 'json') {
    io.out(`${JSON.stringify({ clusters: rows }, null, 2)}\n`);
    return;
  }
  io.out(
    table(
      ['TENANT', 'NAME', 'CONNECTION', 'COLLECTED UNTIL', 'REGISTERED'],
      rows.map((r) => [r.tenant, r.name, r.connection, r.lastInterval ?? '-', r.createdAt]),
    ),
  );
}

async function test(
  ctx: AppContext,
  c: ClusterRecord,
  opts: ClusterCommandOptions,
  io: CliIo,
): Promise<void> {
  const result = await testClusterConnection(await connectCluster(ctx.secrets, c));
  if (opts.output === 'json') io.out(`${JSON.stringify(result, null, 2)}\n`);
  else {
    const lines = [
      `cluster ${c.name}: ${result.reachable ? `reachable, ${result.serverVersion}, ${result.latencyMs} ms` : 'NOT reachable'}`,
    ];
    if (result.error)
      lines.push(`  ${result.error.message}${result.error.hint ? ` (${result.error.hint})` : ''}`);
    if (result.reachable)
      lines.push(
        `  metrics API: ${result.metricsApi.available ? 'available' : `missing: ${result.metricsApi.reason}`}`,
      );
    if (result.metricsApi.hint !== undefined) lines.push(`    fix: ${result.metricsApi.hint}`);
    for (const [perm, p] of Object.entries(result.permissions)) {
      const mark = p.allowed ? 'ok     ' : p.optional === true ? 'missing' : 'REFUSED';
      lines.push(`  ${mark} ${perm}${p.allowed ? '' : `: ${p.reason}`}`);
      if (p.rbac !== undefined) lines.push(p.rbac.trimEnd().replace(/^/gm, '      '));
    }
    if (result.sample)
      lines.push(
        `  now: ${result.sample.pods} pods on ${result.sample.nodes} nodes, ${result.sample.cpuCores.toFixed(2)} cores, ${result.sample.memoryGiB.toFixed(2)} GiB in use`,
      );
    else if (result.sampleError) lines.push(`  no live sample: ${result.sampleError.message}`);
    io.out(`${lines.join('\n')}\n`);
  }
  // The answer is printed in full either way; the exit status says what to fix first. Without
  // the metrics API every collection round fails, so the test does not pass.
  const refused = Object.values(result.permissions).some((p) => !p.allowed && p.optional !== true);
  const metrics = result.metricsApi;
  if (result.error !== undefined) process.exitCode = exitCodeOf(result.error.code);
  else if (refused) process.exitCode = EXIT_CODES.FORBIDDEN;
  else if (!metrics.available) process.exitCode = exitCodeOf(metrics.code);
}
