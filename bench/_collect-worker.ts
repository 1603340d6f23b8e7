/**
 * The collector side of bench/collection.ts, in its own process so that its CPU time and peak
 * RSS are its own: registers the simulator as a cluster, then runs rounds, moving the simulator's
 * manual clock 60 s after each. Round 16 closes the first interval, round 31 the second. Prints one
 * JSON line.
 *
 *   node --import tsx bench/_collect-worker.ts KUBECONFIG SIM_URL DATABASE ROUNDS
 */
import { readFile } from 'node:fs/promises';
import { collectNow } from '../src/app/collect.js';
import { sealKubeconfig } from '../src/app/cluster-connection.js';
import { openApp } from '../src/app/context.js';

const [kubeconfigPath, simUrl, database, roundsText] = process.argv.slice(2);
const yaml = await readFile(kubeconfigPath as string, 'utf8');
const token = /token: (\S+)/.exec(yaml)?.[1] ?? '';
const ctx = await openApp({
  database: database as string,
  env: { ...process.env, KUBETALLY_ENCRYPTION_KEY: 'cd'.repeat(32) },
});
const cluster = await ctx.store.createCluster({
  name: 'bench',
  connection: 'kubeconfig',
  kubeconfig: sealKubeconfig(ctx.secrets, 'default', 'bench', yaml),
  ...(process.env.BENCH_SHARDS ? { collection: { shards: Number(process.env.BENCH_SHARDS) } } : {}),
});
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // the simulator's private CA, for /sim/clock only
const rounds: { wallMs: number; cpuMs: number; intervals: number; podRows: number }[] = [];
for (let i = 0; i < Number(roundsText); i++) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const mark0 = process.hrtime.bigint() / 1000n;
  const out = await collectNow(ctx, cluster);
  const cpu = process.cpuUsage(cpu0);
  // Round boundaries in the clock of --cpu-prof's timestamps, to read a profile round by round.
  if (process.env.BENCH_CPU_PROF) console.error(`round ${i} ${mark0} ${process.hrtime.bigint() / 1000n}`);
  const podRows =
    out.intervals.length === 0
      ? 0
      : Number((await ctx.db.query<{ n: unknown }>('SELECT count(*) AS n FROM usage_pod_interval'))[0]?.n);
  rounds.push({
    wallMs: performance.now() - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    intervals: out.intervals.length,
    podRows,
  });
  if (process.env.BENCH_CPU_PROF || process.env.BENCH_ROUND_LOG) {
    const m = process.memoryUsage();
    console.error(
      `round ${i}: ${Math.round(rounds.at(-1)!.cpuMs)} ms CPU, rss ${m.rss >> 20} MiB, heap ${m.heapUsed >> 20} MiB, external ${m.external >> 20} MiB, max rss ${process.resourceUsage().maxRSS >> 10} MiB`,
    );
  }
  await advance();
}
async function advance(): Promise<void> {
  // Fresh connections: the simulator closes idle kept-alive sockets during long rounds.
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`${simUrl}/sim/clock`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          connection: 'close',
        },
        body: JSON.stringify({ advance: '60s' }),
      });
      if (res.ok) return;
      throw new Error(`clock: ${res.status}`);
    } catch (err) {
      if (attempt >= 2) throw err;
    }
  }
}

const pods = Number(
  (
    await ctx.db.query<{ n: unknown }>(
      "SELECT count(DISTINCT pod_uid) AS n FROM usage_pod_interval WHERE pod_uid NOT LIKE '%:%'",
    )
  )[0]?.n,
);
await ctx.close();
console.log(JSON.stringify({ rounds, pods, maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
