/**
 * Every ledger field against /sim/truth, per owner and per project, for any scenario file: the
 * worst group of each field and its error. For finding where metering misses the targets on
 * scenarios the tests do not hold.
 *
 *   node --import tsx bench/accuracy-groups.ts SCENARIO-FILE [60s|5m] [HOURS] [ATTRIBUTION-JSON] [COLLECTION-JSON]
 *
 * Owners compare with `label:owner` (pods without it with `__unowned__`), projects with
 * `label:project` (groups without it are skipped: they are their namespace's project).
 */
import { USAGE_FIELDS, type UsageAmounts } from '../src/domain/usage.js';
import { relError, startRig, truthAmounts, usageBy } from '../test/support/collection.js';

const [scenario, period = '60s', hours = '24', attribution, collection] = process.argv.slice(2);
const everyMs = period.endsWith('m')
  ? Number(period.slice(0, -1)) * 60_000
  : Number(period.slice(0, -1)) * 1000;
const span = Number(hours) * 3_600_000;

async function main(): Promise<void> {
  const rig = await startRig({
    scenario: scenario!,
    collection: {
      sampleEvery: period,
      ...(collection === undefined ? {} : (JSON.parse(collection) as object)),
    },
    ...(attribution === undefined || attribution === ''
      ? {}
      : { attribution: JSON.parse(attribution) as Record<string, unknown> }),
  });
  try {
    const began = performance.now();
    await rig.collectUntil(rig.t0 + span + 3 * everyMs, everyMs);
    console.log(
      `${scenario} every ${period}, ${hours} h: ${((performance.now() - began) / 1000).toFixed(0)} s`,
    );
    // The ledger counts an interval when its start lies in the range, so an unaligned range would
    // read up to an interval more or less than the truth: compare the whole hours within the span
    // (whole intervals of any length that divides an hour).
    const HOUR = 3_600_000;
    const from = Math.ceil(rig.t0 / HOUR) * HOUR;
    const to = Math.floor((rig.t0 + span) / HOUR) * HOUR;
    for (const [key, truthKey] of [
      ['owner', 'label:owner'],
      ['project', 'label:project'],
    ] as const) {
      const ours = await usageBy(rig, key, from, to);
      const truth = rig.sim.world.truth(from, to, truthKey).groups;
      const seen = new Set<string>();
      const rows: string[] = [];
      for (const f of USAGE_FIELDS) {
        let worst = { err: 0, group: '-', got: 0n, want: 0n };
        for (const g of truth) {
          if (g.key === '' && key === 'project') continue;
          const name = g.key === '' ? '__unowned__' : g.key;
          seen.add(name);
          const want = truthAmounts(g)[f as keyof UsageAmounts];
          if (want === undefined) continue;
          const got = ours.get(name)?.[f as keyof UsageAmounts] ?? 0n;
          const err = relError(got, want);
          if (err > worst.err) worst = { err, group: name, got, want };
        }
        rows.push(
          `  ${key} ${f.padEnd(26)} worst ${(worst.err * 100).toFixed(3).padStart(8)} % ${worst.group} (ledger ${worst.got}, truth ${worst.want})`,
        );
      }
      console.log(rows.join('\n'));
      const extra = [...ours.keys()].filter((k) => !seen.has(k));
      if (extra.length > 0) console.log(`  ${key}s in the ledger only: ${extra.join(', ')}`);
    }
  } finally {
    await rig.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
