import { join } from 'node:path';
import type { Command } from 'commander';
import { invalidArgument } from '../../domain/errors.js';
import { listenError } from '../listen-error.js';
import { checkKubeconfigTarget } from '../kubeconfig-target.js';
import type { CliIo } from '../io.js';

interface SimulateOptions {
  scenario: string;
  port: string;
  host: string;
  clock: string;
  writeKubeconfig?: string;
  plainHttp?: boolean;
}

/** `kubetally simulate`: runs the cluster simulator until SIGINT/SIGTERM (SPEC §4, §8). */
export function registerSimulate(program: Command, io: CliIo): void {
  program
    .command('simulate')
    .description(
      'Run a simulated Kubernetes cluster (API server, metrics.k8s.io, Summary API) from a scenario.',
    )
    .requiredOption(
      '--scenario <file|name>',
      'scenario file (YAML/JSON) or bundled name (demo, churn, scale-10k, scale-100k)',
    )
    .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--clock <mode>', 'real | manual | speed:N', 'real')
    .option(
      '--write-kubeconfig <file>',
      'where to write the kubeconfig (default: $KUBETALLY_DATA_DIR/simulator.kubeconfig)',
    )
    .option('--plain-http', 'serve plain HTTP instead of HTTPS')
    .action(async (opts: SimulateOptions) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw invalidArgument(
          `invalid port "${opts.port}"`,
          'use a number from 0 to 65535 (0 picks a free port)',
        );
      const kubeconfigPath =
        opts.writeKubeconfig ?? join(io.env.KUBETALLY_DATA_DIR ?? '.kubetally', 'simulator.kubeconfig');
      await checkKubeconfigTarget(kubeconfigPath);
      const { startSimulator } = await import('../../simulator/index.js');
      const sim = await startSimulator({
        scenario: opts.scenario,
        port,
        host: opts.host,
        clock: opts.clock,
        plainHttp: opts.plainHttp === true,
        writeKubeconfig: kubeconfigPath,
      }).catch((err: unknown) => {
        throw listenError(err, opts.host, port) ?? err;
      });
      io.out(
        [
          `simulator "${sim.world.scenario.name}" listening on ${sim.url} (clock ${sim.clock.mode})`,
          `kubeconfig: ${kubeconfigPath} (bearer token inside; the same token reaches /sim/clock, /sim/truth, /sim/faults)`,
          `try: kubectl --kubeconfig ${kubeconfigPath} get pods -A`,
          '',
        ].join('\n'),
      );
      await untilSignal();
      await sim.close();
    });
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
