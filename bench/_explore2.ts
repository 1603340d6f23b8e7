import { relError, startRig, truthAmounts } from '../test/support/collection.js';
const HOUR = 3_600_000;
const span = Number(process.env.HOURS ?? 6) * HOUR;
const rig = await startRig({ scenario: process.argv[2]!, collection: JSON.parse(process.env.COLL ?? '{}') });
await rig.collectUntil(rig.t0 + span + 3 * 60_000, Number(process.env.EVERY ?? 60_000));
const ns = process.argv[3]!;
const rows = await rig.ctx.db.query<Record<string, unknown>>(`SELECT pod_name, sum(cpu_core_nanos) cpu, sum(cpu_request_core_nanos) req, sum(pod_millis) pm, sum(network_rx_bytes) rx, sum(memory_byte_seconds) mem FROM usage_pod_interval WHERE namespace = $1 GROUP BY pod_name ORDER BY pod_name`, [ns]);
const truth = rig.sim.world.truth(rig.t0, rig.t0 + span, 'pod');
for (const g of truth.groups.filter((g) => g.key.startsWith(ns + '/'))) {
  const w = truthAmounts(g);
  const r = rows.find((x) => `${ns}/${x.pod_name}` === g.key);
  const e = (f: string, k: keyof typeof w) => `${f} ${r ? (relError(BigInt(String(r[f])), w[k] ?? 0n) * 100).toFixed(2) : 'MISSING'}% (${r?.[f]} vs ${w[k]})`;
  console.log(g.key.padEnd(36), e('pm', 'podMillis'), e('req', 'cpuRequestCoreNanos'), e('cpu', 'cpuCoreNanos'), e('rx', 'networkRxBytes'));
}
await rig.close();
