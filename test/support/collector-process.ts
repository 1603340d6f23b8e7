/**
 * A collector in its own process, for the crash and replica tests: it opens the ledger given in
 * KUBETALLY_TEST_DATABASE, and runs one collection round of every cluster each time it reads a
 * line on stdin, answering a JSON line with the outcomes. The tests kill it with SIGKILL.
 */
import { createInterface } from 'node:readline';
import { collectNow } from '../../src/app/collect.js';
import { openApp } from '../../src/app/context.js';

const ctx = await openApp({ database: process.env.KUBETALLY_TEST_DATABASE, env: process.env });
const holder = process.env.KUBETALLY_INSTANCE_ID ?? `pid-${process.pid}`;
process.stdout.write('ready\n');
for await (const _line of createInterface({ input: process.stdin })) {
  const out = [];
  for (const cluster of await ctx.store.listClusters()) {
    try {
      out.push(await collectNow(ctx, cluster, { holder }));
    } catch (err) {
      out.push({ cluster: cluster.name, error: (err as Error).message });
    }
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
await ctx.close();
