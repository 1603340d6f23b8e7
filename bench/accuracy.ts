/**
 * Metering accuracy against the simulator's truth (issue 4): 24 h of `demo` and `churn`, sampled
 * every 60 s and every 5 min, through the real collector and ledger; beside it, the seed's method
 * (each pod's instant value × the interval, at the interval's close) on the same observations.
 * Prints, per field, the largest error over owners and the error of the total.
 *
 *   node --import tsx bench/accuracy.ts [demo|churn|SCENARIO-FILE ...] [60s|5m ...]
 */
import { attributePod, compileRules } from '../src/attribution/index.js';
import { assemble } from '../src/collector/close-intervals.js';
import { addUsage, zeroUsage, type UsageAmounts, type UsageField } from '../src/domain/usage.js';
import { observationWindow } from '../src/metering/integrate-interval.js';
import { seedMethodInterval } from '../src/metering/seed-method.js';
import { relError, startRig, truthAmounts } from '../test/support/collection.js';

const DAY = 86_400_000;
const INTERVAL = 15 * 60_000;
const FIELDS: [UsageField, string][] = [
  ['cpuCoreNanos', 'CPU used'],
  ['cpuRequestCoreNanos', 'CPU requested'],
  ['memoryByteSeconds', 'memory used'],
  ['memoryRequestByteSeconds', 'memory requested'],
  ['podMillis', 'pod hours'],
  ['networkTxBytes', 'network sent'],
];

const args = process.argv.slice(2);
const periods = args.filter((a) => /^\d+[sm]$/.test(a));
const scenarios = args.filter((a) => !periods.includes(a));

async function run(scenario: string, period: string): Promise<string[]> {
  const everyMs = period.endsWith('m')
    ? Number(period.slice(0, -1)) * 60_000
    : Number(period.slice(0, -1)) * 1000;
  const rig = await startRig({ scenario, collection: { sampleEvery: period, rawRetention: '30d' } });
  try {
    const started = performance.now();
    await rig.collectUntil(rig.t0 + DAY + 3 * everyMs, everyMs);
    const seconds = (performance.now() - started) / 1000;
    const ours = new Map<string, UsageAmounts>();
    for (const r of await rig.ctx.store.queryUsage({
      from: rig.t0,
      to: rig.t0 + DAY,
      groupBy: ['owner'],
      step: 'total',
    })) {
      ours.set(r.group.owner!, r.usage);
    }
    const seed = new Map<string, UsageAmounts>();
    const rules = compileRules();
    for (let s = rig.t0; s < rig.t0 + DAY; s += INTERVAL) {
      const w = observationWindow(s, s + INTERVAL, everyMs);
      const obs = assemble(await rig.ctx.store.readObservations(rig.cluster.id, w.from - INTERVAL, w.to));
      const rows = seedMethodInterval({
        start: s,
        end: s + INTERVAL,
        samplePeriodMs: everyMs,
        observedFrom: w.from,
        expectedSources: [],
        observations: obs,
      });
      for (const row of rows) {
        if (row.pod === undefined) continue;
        const owner = attributePod(row.pod, rules).owner;
        seed.set(owner, addUsage(seed.get(owner) ?? zeroUsage(), row.usage));
      }
    }
    const truth = rig.sim.world.truth(rig.t0, rig.t0 + DAY, 'label:owner').groups;
    const lines: string[] = [];
    for (const [method, ledger] of [
      ['kubetally', ours],
      ['seed (instant × 15 min)', seed],
    ] as const) {
      const cells = FIELDS.map(([f]) => {
        let worst = 0;
        let got = 0n;
        let want = 0n;
        for (const g of truth) {
          const t = truthAmounts(g)[f] ?? 0n;
          const v = ledger.get(g.key === '' ? '__unowned__' : g.key)?.[f] ?? 0n;
          got += v;
          want += t;
          if (t > 0n) worst = Math.max(worst, relError(v, t));
        }
        return `${(worst * 100).toFixed(2)} % / ${(relError(got, want) * 100).toFixed(2)} %`;
      });
      lines.push(`| ${scenario} | ${period} | ${method} | ${cells.join(' | ')} |`);
    }
    console.log(`${scenario} every ${period}: 24 h collected in ${seconds.toFixed(0)} s`);
    return lines;
  } finally {
    await rig.close();
  }
}

async function main(): Promise<void> {
  const lines: string[] = [];
  for (const scenario of scenarios.length > 0 ? scenarios : ['demo', 'churn']) {
    for (const period of periods.length > 0 ? periods : ['60s', '5m']) {
      lines.push(...(await run(scenario, period)));
      console.log(lines.slice(-2).join('\n'));
    }
  }
  console.log(
    [
      '',
      `| scenario | sampling | method | ${FIELDS.map(([, l]) => l).join(' | ')} |`,
      `|---|---|---|${FIELDS.map(() => '---').join('|')}|`,
      ...lines,
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
