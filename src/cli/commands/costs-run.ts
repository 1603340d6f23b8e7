/** `kubetally costs`: the costs view of the ledger (the same use-case as GET /api/v1/costs). */
import { openApp } from '../../app/context.js';
import { costsCsv, costsView, type CostView } from '../../app/costs-view.js';
import { groupBy, range } from '../../app/query-params.js';
import type { CostRowJson } from '../../app/cost-rows.js';
import type { Step } from '../../ledger/types.js';
import { COST_FIELDS } from '../../pricing/costs.js';
import { fixed, gapNote, keyTitle, table, type OutputFormat } from '../format.js';
import type { CliIo } from '../io.js';
import { checkNotBlank, checkReadScope } from '../read-scope.js';
import { outsideLedgerNote } from '../ledger-extent.js';

export interface CostsOptions {
  from: string;
  to: string;
  by: string;
  step: Step;
  cluster?: string;
  tenant?: string;
  owner?: string;
  project?: string;
  database?: string;
  output: OutputFormat;
}

/** The gaps the table lists; a long outage makes many, which the JSON gives in full. */
const SHOWN_GAPS = 10;

export async function runCosts(opts: CostsOptions, io: CliIo): Promise<void> {
  checkNotBlank(opts);
  // As `usage` reads it: a range that is empty or backwards is named with both of its ends.
  const { from, to } = range({ from: opts.from, to: opts.to });
  const keys = groupBy(opts.by, ['owner']);
  const ctx = await openApp({
    ...(opts.database === undefined ? {} : { database: opts.database }),
    env: io.env,
  });
  try {
    await checkReadScope(ctx.store, opts);
    const view = await costsView(ctx.store, {
      from,
      to,
      groupBy: keys,
      step: opts.step,
      ...(opts.cluster === undefined ? {} : { cluster: opts.cluster }),
      ...(opts.tenant === undefined ? {} : { tenant: opts.tenant }),
      ...(opts.owner === undefined ? {} : { owner: opts.owner }),
      ...(opts.project === undefined ? {} : { project: opts.project }),
    });
    io.out(render(view, opts.output));
    // CSV holds rows only: what it cannot show goes to stderr.
    if (opts.output === 'csv' && view.gaps.length > 0) io.err(gapNote(view.gaps.length));
    if (view.rows.length === 0) io.err(await outsideLedgerNote(ctx.store, opts, { from, to }));
  } finally {
    await ctx.close();
  }
}

function render(view: CostView, output: OutputFormat): string {
  if (output === 'json') return `${JSON.stringify(view, null, 2)}\n`;
  const keys: string[] = [...view.groupBy, ...(view.step === 'total' ? [] : ['start'])];
  if (output === 'csv') return costsCsv(view);
  if (view.rows.length === 0) return `No costs recorded from ${view.from} to ${view.to}\n`;
  const t = view.totals;
  const money = moneyFormat(
    [
      ...view.rows.flatMap((r) => COST_FIELDS.map((m) => r[m])),
      t.totalCost,
      t.managementCost ?? 0,
      t.clusterCost ?? 0,
    ],
    [t.totalCost, t.managementCost ?? 0, t.clusterCost ?? t.totalCost],
  );
  const headers = [
    ...keys.map(keyTitle),
    // The quantities as `usage` titles them.
    'CPU CORE-H',
    'MEM GIB-H',
    'GPU-H',
    'CPU',
    'MEMORY',
    'GPU',
    'STORAGE',
    'NETWORK',
    'LB',
    `TOTAL(${view.currency ?? 'mixed'})`,
  ];
  const line = (r: CostRowJson) => [
    ...keys.map((k) => String(r[k] ?? '')),
    fixed(r.cpuCoreHours, 2),
    fixed(r.memoryGiBHours, 2),
    fixed(r.gpuHours, 2),
    ...COST_FIELDS.map((m) => money(r[m])),
  ];
  let text = table(headers, view.rows.map(line));
  text += `\nrows total ${money(t.totalCost)}`;
  if (t.managementCost !== undefined && t.clusterCost !== undefined) {
    text += ` + management ${money(t.managementCost)} = cluster cost ${money(t.clusterCost)}`;
  }
  text += ` ${view.currency ?? '(mixed currencies)'}\n`;
  if (view.gaps.length > 0) {
    text += `${view.gaps.length} gap(s) in the range: time the ledger could not account, not counted as zero:\n`;
    for (const g of view.gaps.slice(0, SHOWN_GAPS)) {
      const whose = g.tenant === undefined ? g.cluster : `${g.cluster} (${g.tenant})`;
      text += `  ${whose} ${g.start} – ${g.end}: ${g.reason}\n`;
    }
    // Unsaid, the cut would read as the whole list.
    const more = view.gaps.length - SHOWN_GAPS;
    if (more > 0) text += `  … and ${more} more (-o json lists every gap)\n`;
  }
  return text;
}

/**
 * One precision for every amount of a table, so that its columns and totals read alike: cents,
 * or four decimals throughout when an amount other than zero is below 1 (a short range), so
 * that small amounts keep their digits rather than print as 0.00 or 0.01; and more (up to the
 * micro-unit, where money is exact) when the totals line `rows + management = cluster cost`
 * would not add up as printed (383.3679 + 16.775 = 400.1429 prints 383.37 + 16.78 = 400.14).
 */
export function moneyFormat(
  amounts: readonly number[],
  [rows, management, cluster]: readonly [number, number, number],
): (v: number) => string {
  const first = amounts.some((v) => v !== 0 && Math.abs(v) < 1) ? 4 : 2;
  const units = (v: number, places: number) => Math.round(Number(fixed(v, places)) * 10 ** places);
  const addsUp = (p: number) => units(rows, p) + units(management, p) === units(cluster, p);
  const places = [first, 4, 6].find((p) => p >= first && addsUp(p)) ?? 6;
  return (v) => fixed(v, places);
}
