/**
 * `kubetally top --by owner` against `kubectl top pods -A` on the same simulator in the same run
 * (issue 3): wall time and each command's peak RSS, on scale-10k and scale-100k. kubetally reads
 * more (pods, metrics and PVCs) and attributes every pod. Needs `npm run build`.
 *
 *   node --import tsx bench/top.ts [scale-10k scale-100k]
 */
import { join } from 'node:path';
import { startSimulatorProcess, timed } from './_support.js';

const scenarios = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['scale-10k', 'scale-100k'];

async function main(): Promise<void> {
  const rows: string[] = [];
  for (const scenario of scenarios) {
    const sim = await startSimulatorProcess(scenario);
    try {
      await sim.advance('2h');
      const commands: [string, string][] = [
        [
          'kubectl top pods -A',
          `kubectl --kubeconfig ${sim.kubeconfig} --cache-dir ${join(sim.dir, 'cache')} top pods -A > /dev/null`,
        ],
        [
          'kubetally top --by owner',
          `${process.execPath} bin/kubetally.js top --kubeconfig ${sim.kubeconfig} --by owner > /dev/null`,
        ],
      ];
      for (const [name, command] of commands) {
        await timed(command); // warm-up: discovery caches, page cache
        const r = await timed(command);
        rows.push(`| ${scenario} | \`${name}\` | ${r.seconds.toFixed(2)} s | ${r.rssMiB} MiB |`);
        console.log(`${scenario}: ${name}: ${r.seconds.toFixed(2)} s, peak RSS ${r.rssMiB} MiB`);
      }
    } finally {
      await sim.stop();
    }
  }
  console.log(['', '| scenario | command | wall time | peak RSS |', '|---|---|---|---|', ...rows].join('\n'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
