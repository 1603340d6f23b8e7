/**
 * /metrics' cap on owner × project series (`serve --metrics-cardinality N`), over an hour of the
 * `demo` simulator: the N most expensive are kept in every usage and cost family alike, the rest
 * summed under `__other__`, and the totals stay whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiMetrics } from '../../src/api/metrics.js';
import { startRig, type Rig } from '../support/collection.js';

const MIN = 60_000;
const FAMILIES = [
  'kubetally_cpu_usage_core_seconds',
  'kubetally_memory_usage_byte_seconds',
  'kubetally_gpu_request_seconds',
  'kubetally_cost',
];

let rig: Rig;

/** Each family's series as {"owner/project": value}, in the order exposed. */
async function scrape(cardinalityLimit: number): Promise<Record<string, Record<string, number>>> {
  const text = await createApiMetrics(rig.ctx, { cardinalityLimit }).registry.metrics();
  const out: Record<string, Record<string, number>> = Object.fromEntries(FAMILIES.map((f) => [f, {}]));
  for (const m of text.matchAll(/^(kubetally_\w+)\{[^}]*owner="([^"]*)",project="([^"]*)"\} (\S+)$/gm)) {
    out[m[1]!]![`${m[2]}/${m[3]}`] = Number(m[4]);
  }
  return out;
}

const total = (series: Record<string, number>) => Object.values(series).reduce((s, v) => s + v, 0);

describe('/metrics owner × project cap', () => {
  beforeAll(async () => {
    rig = await startRig({ scenario: 'demo' });
    await rig.collectUntil(rig.t0 + 60 * MIN, 5 * MIN);
  }, 180_000);

  afterAll(async () => {
    await rig?.close();
  });

  // Each family was ranked by its own value: the owners kept for CPU were not those kept for
  // cost, and among the many owners of 0 GPU-seconds the kept ones changed from scrape to scrape.
  it('keeps the same most expensive series in every family, and sums the rest under __other__', async () => {
    const all = await scrape(1000);
    const byCost = Object.entries(all.kubetally_cost!).sort((a, b) => b[1] - a[1]);
    expect(byCost.length).toBeGreaterThan(5);
    expect(byCost[2]![1]).toBeGreaterThan(byCost[3]![1]); // the third and fourth are not tied
    const top = byCost.slice(0, 3).map(([k]) => k);
    const kept = [...top, '__other__/__other__'].sort();
    const capped = await scrape(3);
    for (const f of FAMILIES) {
      expect(Object.keys(capped[f]!).sort(), f).toEqual(kept);
      for (const k of top) expect(capped[f]![k], `${f} ${k}`).toBe(all[f]![k]);
      expect(total(capped[f]!), f).toBeCloseTo(total(all[f]!), 3);
    }
    // The next scrape exposes the same series, in the same order.
    const again = await scrape(3);
    for (const f of FAMILIES) expect(Object.keys(again[f]!), f).toEqual(Object.keys(capped[f]!));
  });
});
