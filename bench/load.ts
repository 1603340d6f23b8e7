/**
 * Load (issue 6): 200 concurrent clients reading usage for 60 s from a kubetally server over a
 * month of scale-10k-sized data (10 000 owner × project pairs, 200 owners, 30 days) on PostgreSQL
 * (or PGlite). The month is written straight into the daily rollup with SQL (filling it through
 * the collector would take a month); each client asks in turn for the month by owner, one owner's
 * month by project, and one owner's month by day (200 owners).
 *
 *   node --import tsx bench/load.ts [postgres|pglite] [seconds]
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openApp } from '../src/app/context.js';
import { ensureAdminToken } from '../src/api/bootstrap.js';
import { buildServer } from '../src/api/server.js';
import { AMOUNT_COLUMNS } from '../src/ledger/columns.js';

const engine = process.argv[2] ?? 'postgres';
const seconds = Number(process.argv[3] ?? 60);
const CLIENTS = 200;
const PG = process.env.KUBETALLY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TOKEN = 'load-bench-admin-token-0123456789';
const DAY = 86_400_000;
/** Every answer is read once before the measured run, as a dashboard's first minute would. */
const WARM_UP_S = 5;

async function main(): Promise<void> {
  let target: string;
  let cleanup: () => Promise<void>;
  if (engine === 'postgres') {
    const schema = `kt_load_${randomBytes(4).toString('hex')}`;
    const c = new pg.Client({ connectionString: PG });
    await c.connect();
    await c.query(`CREATE SCHEMA ${schema}`);
    await c.end();
    target = `${PG}?schema=${schema}`;
    cleanup = async () => {
      const d = new pg.Client({ connectionString: PG });
      await d.connect();
      await d.query(`DROP SCHEMA ${schema} CASCADE`);
      await d.end();
    };
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'kubetally-load-'));
    target = dir;
    cleanup = () => rm(dir, { recursive: true, force: true });
  }
  const ctx = await openApp({ database: target, env: { KUBETALLY_ENCRYPTION_KEY: '12'.repeat(32) } });
  try {
    await ensureAdminToken(ctx, TOKEN);
    const cluster = await ctx.store.createCluster({ name: 'scale', connection: 'in-cluster' });
    const end = Math.floor(Date.now() / DAY) * DAY;
    const start = end - 30 * DAY;
    const filled = performance.now();
    // 30 days × 200 owners × 50 projects: amounts vary by row so that sums are real work.
    await ctx.db.query(
      `INSERT INTO usage_daily (cluster_id, tenant, owner, project, project_id, namespace, compute_type, day, ${AMOUNT_COLUMNS.join(', ')})
       SELECT $1, 'default', 'user-' || o, 'project-' || p, '', 'project-' || p || '-user-' || o, 'other',
              ($2::date + d), ${AMOUNT_COLUMNS.map((_, i) => `(o * 7 + p * 13 + d * 17 + ${i})::numeric * 1000000000`).join(', ')}
       FROM generate_series(0, 199) o, generate_series(0, 49) p, generate_series(0, 29) d`,
      [cluster.id, new Date(start).toISOString().slice(0, 10)],
    );
    // …and its owner rollup, as the ledger keeps it (migration 003).
    await ctx.db.query(
      `INSERT INTO usage_daily_owner (cluster_id, tenant, owner, day, ${AMOUNT_COLUMNS.join(', ')})
       SELECT cluster_id, tenant, owner, day, ${AMOUNT_COLUMNS.map((c) => `SUM(${c})`).join(', ')}
       FROM usage_daily GROUP BY cluster_id, tenant, owner, day`,
    );
    const fillS = (performance.now() - filled) / 1000;
    // A month by owner straight from the store (issue 4's target), the median of 20 runs.
    const direct: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await ctx.store.queryUsage({ from: start, to: end, groupBy: ['owner'], step: 'total' });
      direct.push(performance.now() - t);
    }
    direct.sort((a, b) => a - b);
    console.log(
      `a month by owner (store.queryUsage, 300 000 daily rows): median ${direct[10]!.toFixed(1)} ms, worst ${direct[19]!.toFixed(1)} ms`,
    );
    const { app } = await buildServer(ctx, { logger: false });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const range = `from=${new Date(start).toISOString()}&to=${new Date(end).toISOString()}`;
    // wrk (Debian package `wrk`) when it is there: a load generator in C takes far less CPU than
    // the clients it stands for; else the same mix from a Node.js process.
    const withWrk = spawnSync('wrk', ['--version']).error === undefined;
    const warm = withWrk ? await wrkClients(url, range, WARM_UP_S) : undefined;
    const result = withWrk ? await wrkClients(url, range) : await clientsInChildProcess(url, range);
    await app.close();
    console.log(`filled 300 000 daily rows in ${fillS.toFixed(1)} s`);
    const row = (label: string, r: ClientResult, s: number) =>
      `| ${label} | ${engine} | ${CLIENTS} | ${s} s | ${r.requests} | ${(r.requests / s).toFixed(0)} | ${r.p50} ms | ${r.p99} ms | ${r.errors} |`;
    if (warm !== undefined) console.log(row('wrk, cold start', warm, WARM_UP_S));
    console.log(row(withWrk ? 'wrk, after it' : 'Node.js clients', result, seconds));
  } finally {
    await ctx.close();
    await cleanup();
  }
}

interface ClientResult {
  requests: number;
  p50: string;
  p99: string;
  errors: number;
}

function wrkClients(url: string, range: string, duration = seconds): Promise<ClientResult> {
  const script = fileURLToPath(new URL('./_load.lua', import.meta.url));
  return new Promise((resolve, reject) =>
    execFile(
      'wrk',
      ['-t1', `-c${CLIENTS}`, `-d${duration}s`, '--latency', '-s', script, url, '--', range, TOKEN],
      (err, out) => {
        if (err) return reject(err);
        if (process.env.BENCH_VERBOSE) console.error(out);
        const ms = (label: string) => {
          const m = new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`).exec(out);
          if (m === null) return 'n/a';
          const v = Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
          return v.toFixed(1);
        };
        const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
        const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
        const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
        const errors = non2xx + (socket === null ? 0 : socket.slice(1).reduce((a, b) => a + Number(b), 0));
        resolve({ requests, p50: ms('50%'), p99: ms('99%'), errors });
      },
    ),
  );
}

/** The clients run in their own process, so that they do not take the server's CPU. */
function clientsInChildProcess(url: string, range: string): Promise<ClientResult> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), 'clients', url, range, String(seconds)],
      { maxBuffer: 16 * 1024 * 1024 },
      (err, stdout) =>
        err ? reject(err) : resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as ClientResult),
    ),
  );
}

async function runClients(url: string, range: string, seconds: number): Promise<void> {
  // A dashboard's mix: the month by owner, and one owner's month by project and by day.
  const paths = (n: number) => {
    const owner = `user-${n % 200}`;
    return [
      `/api/v1/usage?groupBy=owner&${range}`,
      `/api/v1/users/${owner}/usage?${range}`,
      `/api/v1/usage?owner=${owner}&step=day&${range}`,
    ][n % 3]!;
  };
  const latencies: number[] = [];
  let errors = 0;
  const stopAt = performance.now() + seconds * 1000;
  const client = async (i: number) => {
    for (let n = i; performance.now() < stopAt; n++) {
      const t = performance.now();
      try {
        const res = await fetch(`${url}${paths(n)}`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        await res.arrayBuffer();
        if (res.status !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
  console.log(JSON.stringify({ requests: latencies.length, p50: q(0.5), p99: q(0.99), errors }));
}

if (process.argv[2] === 'clients') {
  runClients(process.argv[3]!, process.argv[4]!, Number(process.argv[5])).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
