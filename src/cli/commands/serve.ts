import type { Command } from 'commander';
import { KubetallyError } from '../../domain/errors.js';
import type { CliIo } from '../io.js';

/**
 * `kubetally serve` (SPEC §4) is not built yet: the HTTP service lands with the service issue.
 * Until then the command says so plainly instead of failing as an unknown command.
 */
export function registerServe(program: Command, _io: CliIo): void {
  program
    .command('serve')
    .description('Run the service (HTTP API, collector) — not available in this version yet')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new KubetallyError('INTERNAL', 'kubetally serve is not available in this version yet', {
        hint: 'meanwhile try the simulator and live usage: kubetally simulate --scenario demo --write-kubeconfig /tmp/demo.kubeconfig, then kubetally top --kubeconfig /tmp/demo.kubeconfig',
      });
    });
}
