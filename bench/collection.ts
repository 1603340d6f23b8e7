/**
 * Collection rounds on scale-10k and scale-100k (issue 4): wall time, CPU time per pod and peak
 * RSS of the collector process, for sampling rounds (inventory, metrics.k8s.io, every node's
 * Summary API, stored) and for the round that also closes an interval (integration and the
 * ledger write: pod rows written per second); on PGlite and on the machine's PostgreSQL.
 *
 *   node --import tsx bench/collection.ts [scale-10k] [pglite|postgres]
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startSimulatorProcess } from './_support.js';

const args = process.argv.slice(2);
const scenarios = args.filter((a) => a.startsWith('scale-'));
const engines = args.filter((a) => a === 'pglite' || a === 'postgres');
const PG = process.env.KUBETALLY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Result {
  rounds: { wallMs: number; cpuMs: number; intervals: number; podRows: number }[];
  pods: number;
  maxRssMiB: number;
}

function worker(
  kubeconfig: string,
  url: string,
  database: string,
  rounds: number,
  shards: string,
): Promise<Result> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [
        // The heap limit a deployment would set; BENCH_HEAP_MB changes it.
        `--max-old-space-size=${process.env.BENCH_HEAP_MB ?? 768}`,
        ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []),
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
        '--import',
        'tsx',
        'bench/_collect-worker.ts',
        kubeconfig,
        url,
        database,
        String(rounds),
      ],
      { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, BENCH_SHARDS: shards } },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${err.message}\n${stderr}`));
        if (process.env.BENCH_CPU_PROF || process.env.BENCH_ROUND_LOG) process.stderr.write(stderr);
        resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as Result);
      },
    ),
  );
}

async function database(engine: string): Promise<{ target: string; dispose(): Promise<void> }> {
  if (engine === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'kubetally-bench-db-'));
    return { target: dir, dispose: () => rm(dir, { recursive: true, force: true }) };
  }
  const schema = `kt_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  return {
    target: `${PG}?schema=${schema}`,
    async dispose() {
      const c = new pg.Client({ connectionString: PG });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

async function main(): Promise<void> {
  const lines: string[] = [];
  for (const scenario of scenarios.length > 0 ? scenarios : ['scale-10k', 'scale-100k']) {
    for (const engine of engines.length > 0 ? engines : ['pglite', 'postgres']) {
      const sim = await startSimulatorProcess(scenario);
      const db = await database(engine);
      try {
        await sim.advance('2h');
        // Two intervals close (rounds 16 and 31): the first in a fresh process, the second as a
        // long-running collector closes every interval.
        // The shard count docs/collection.md advises from 50 000 pods (BENCH_SHARDS changes it).
        const shards = process.env.BENCH_SHARDS ?? (scenario === 'scale-100k' ? '16' : '');
        const rounds = Number(process.env.BENCH_ROUNDS ?? 32);
        const r = await worker(sim.kubeconfig, sim.url, db.target, rounds, shards);
        const sampling = r.rounds.slice(1).filter((x) => x.intervals === 0);
        const closes = r.rounds.filter((x) => x.intervals > 0);
        const [first, later] = [closes[0], closes[1]];
        const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
        const pods = r.pods;
        const perPod = (cpuMs: number) => `${((cpuMs * 1000) / pods).toFixed(1)} µs`;
        const round = (x: (typeof closes)[number] | undefined) =>
          x === undefined ? ['n/a', 'n/a'] : [`${(x.wallMs / 1000).toFixed(2)} s`, perPod(x.cpuMs)];
        const samplingCpu = mean(sampling.map((x) => x.cpuMs));
        const line = [
          scenario,
          engine,
          pods,
          `${(mean(sampling.map((x) => x.wallMs)) / 1000).toFixed(2)} s`,
          perPod(samplingCpu),
          ...round(first),
          ...round(later),
          // An interval is 15 rounds, one of which closes it.
          later === undefined ? 'n/a' : perPod((14 * samplingCpu + later.cpuMs) / 15),
          first === undefined ? 'n/a' : `${Math.round(first.podRows / (first.wallMs / 1000))}`,
          `${r.maxRssMiB} MiB`,
        ];
        lines.push(`| ${line.join(' | ')} |`);
        console.log(lines.at(-1));
      } finally {
        await sim.stop();
        await db.dispose();
      }
    }
  }
  console.log(
    [
      '',
      '| scenario | database | pods | sampling round (wall) | CPU per pod | first closing round (wall) | CPU per pod | later closing round (wall) | CPU per pod | CPU per pod per round, over an interval | pod rows/s | peak RSS |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
      ...lines,
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
