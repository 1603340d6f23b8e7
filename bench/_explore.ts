import { relError, startRig, truthAmounts } from '../test/support/collection.js';
import { USAGE_FIELDS } from '../src/domain/usage.js';
const HOUR = 3_600_000;
const span = Number(process.env.HOURS ?? 6) * HOUR;
const rig = await startRig({ scenario: process.argv[2]!, collection: JSON.parse(process.env.COLL ?? '{}') });
await rig.collectUntil(rig.t0 + span + 3 * 60_000, Number(process.env.EVERY ?? 60_000));
const runs = await rig.ctx.store.recentRuns(rig.cluster.id, 500);
console.log('runs', runs.length, 'statuses', [...new Set(runs.map((r) => r.status))]);
console.log('gaps', JSON.stringify(await rig.ctx.store.listGaps({ from: rig.t0, to: rig.t0 + span })).slice(0, 500));
const fields = ['cpuCoreNanos','cpuRequestCoreNanos','memoryByteSeconds','memoryRequestByteSeconds','gpuMillis','podMillis','storageByteSeconds','networkRxBytes','networkTxBytes'] as const;
for (const [key, truthKey] of [['owner', 'label:owner'], ['project', 'label:project'], ['namespace', 'namespace']] as const) {
  const rows = await rig.ctx.store.queryUsage({ from: rig.t0, to: rig.t0 + span, groupBy: [key], step: 'total' });
  const truth = rig.sim.world.truth(rig.t0, rig.t0 + span, truthKey);
  console.log(`--- by ${key}`);
  for (const g of truth.groups) {
    const row = rows.find((r) => r.group[key] === g.key);
    const want = truthAmounts(g);
    const errs = fields.map((f) => {
      const e = relError(row?.usage[f] ?? 0n, want[f] ?? 0n);
      return `${f.replace(/Core|Byte|Seconds|Nanos|Millis|Bytes/g, '')} ${Number.isFinite(e) ? (e * 100).toFixed(2) + '%' : `inf(${row?.usage[f]})`}`;
    });
    console.log(JSON.stringify(g.key).padEnd(14), row ? '' : 'MISSING', errs.join(' | '));
  }
  for (const r of rows) if (!truth.groups.some((g) => g.key === r.group[key])) console.log('extra ledger row', JSON.stringify(r.group), Object.entries(r.usage).filter(([, v]) => v !== 0n).map(([k, v]) => `${k}=${v}`).join(' '));
}
void USAGE_FIELDS;
await rig.close();
