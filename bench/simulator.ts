/**
 * Simulator benchmark (issue 2): against `scale-100k`, the wall time of
 * `kubectl get pods -A -o name | wc -l` and `kubectl top pods -A | wc -l`, and the simulator's
 * peak RSS (VmHWM of its own process). Targets: RSS < 1 GiB, each command < 30 s.
 *
 *   node --import tsx bench/simulator.ts [--scenario scale-100k] [--advance 2h]
 */
import { join } from 'node:path';
import { peakRss, sh, startSimulatorProcess } from './_support.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const value = args[args.indexOf(`--${name}`) + 1];
  return args.includes(`--${name}`) && value !== undefined ? value : fallback;
};
const scenario = arg('scenario', 'scale-100k');
const advance = arg('advance', '2h');

async function main(): Promise<void> {
  const sim = await startSimulatorProcess(scenario);
  try {
    const clock = await sim.advance(advance);
    console.log(
      `simulator ${scenario} up in ${sim.startupS.toFixed(1)} s at ${sim.url}; clock ${clock}; RSS ${await peakRss(sim.child.pid!)}`,
    );
    const rows: string[] = [];
    for (const cmd of ['get pods -A -o name', 'top pods -A']) {
      const shell = `kubectl --kubeconfig ${sim.kubeconfig} --cache-dir ${join(sim.dir, `cache-${rows.length}`)} ${cmd} | wc -l`;
      const t0 = performance.now();
      const lines = (await sh(shell)).trim();
      const s = (performance.now() - t0) / 1000;
      const peak = await peakRss(sim.child.pid!);
      rows.push(`| \`kubectl ${cmd} \\| wc -l\` | ${lines} | ${s.toFixed(1)} s | ${peak} |`);
      console.log(`kubectl ${cmd} | wc -l → ${lines} lines in ${s.toFixed(1)} s; simulator peak RSS ${peak}`);
    }
    console.log(
      ['', '| command | lines | wall time | simulator peak RSS (VmHWM) |', '|---|---|---|---|', ...rows].join(
        '\n',
      ),
    );
  } finally {
    await sim.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
