import { openApp } from '../../app/context.js';
import { usageCsv, usageView, type UsageRowJson } from '../../app/usage-view.js';
import { groupBy, range } from '../../app/query-params.js';
import type { Step } from '../../ledger/types.js';
import { fixed, gapNote, keyTitle, table } from '../format.js';
import { checkNotBlank, checkReadScope } from '../read-scope.js';
import { outsideLedgerNote } from '../ledger-extent.js';
import type { CliIo } from '../io.js';

export interface UsageCommandOptions {
  from: string;
  to: string;
  by: string;
  step: Step;
  owner?: string;
  project?: string;
  cluster?: string;
  tenant?: string;
  output: 'table' | 'json' | 'csv';
  database?: string;
}

export async function runUsage(opts: UsageCommandOptions, io: CliIo): Promise<void> {
  checkNotBlank(opts);
  const keys = groupBy(opts.by, ['owner']);
  const when = range({ from: opts.from, to: opts.to });
  const ctx = await openApp({
    ...(opts.database === undefined ? {} : { database: opts.database }),
    env: io.env,
  });
  try {
    await checkReadScope(ctx.store, opts);
    const view = await usageView(ctx.store, {
      ...when,
      groupBy: keys,
      step: opts.step,
      ...(opts.owner === undefined ? {} : { owner: opts.owner }),
      ...(opts.project === undefined ? {} : { project: opts.project }),
      ...(opts.cluster === undefined ? {} : { cluster: opts.cluster }),
      ...(opts.tenant === undefined ? {} : { tenant: opts.tenant }),
    });
    if (opts.output === 'json') io.out(`${JSON.stringify(view, null, 2)}\n`);
    else if (opts.output === 'csv') {
      io.out(usageCsv(view));
      if (view.gaps.length > 0) io.err(gapNote(view.gaps.length));
    } else if (view.rows.length === 0) {
      // As `costs` says it: a table of titles alone reads like a failure to print.
      io.out(`No usage recorded from ${view.from} to ${view.to}\n`);
      if (view.gaps.length > 0) io.err(gapNote(view.gaps.length));
    } else {
      const n = (v: number) => fixed(v, 2);
      const pct = (v: number | null) => (v === null ? '-' : `${Math.round(v * 100)}%`);
      // The answer's keys: over several tenants, `tenant` comes first (see app/tenant-keys.ts).
      const head = [...view.groupBy.map(keyTitle), ...(opts.step === 'total' ? [] : ['START'])];
      io.out(
        table(
          [
            ...head,
            'CPU CORE-H',
            'CPU REQ CORE-H',
            'MEM GIB-H',
            'MEM REQ GIB-H',
            'GPU-H',
            'STORAGE GIB-H',
            'NET GIB',
            'POD-H',
            'LB-H',
            'CPU EFF',
            'MEM EFF',
          ],
          view.rows.map((r: UsageRowJson) => [
            ...view.groupBy.map((k) => String(r[k] ?? '')),
            ...(opts.step === 'total' ? [] : [r.start ?? '']),
            n(r.cpuCoreHours),
            n(r.cpuRequestCoreHours),
            n(r.memoryGiBHours),
            n(r.memoryRequestGiBHours),
            n(r.gpuHours),
            n(r.storageGiBHours),
            n(r.networkGiB),
            n(r.podHours),
            n(r.loadBalancerHours),
            pct(r.cpuEfficiency),
            pct(r.memoryEfficiency),
          ]),
        ),
      );
      if (view.gaps.length > 0) io.err(gapNote(view.gaps.length));
    }
    if (view.rows.length === 0) io.err(await outsideLedgerNote(ctx.store, opts, when));
  } finally {
    await ctx.close();
  }
}
