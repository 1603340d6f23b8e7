import { Option, type Command } from 'commander';
import { GROUP_KEYS } from '../../app/live-rows.js';
import type { CliIo } from '../io.js';
import type { TopOptions } from './top-run.js';

export function registerTop(program: Command, io: CliIo): void {
  program
    .command('top')
    .description('Live usage straight from a cluster, attributed to owners, projects and compute types')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)')
    .option('--context <name>', 'kubeconfig context')
    .addOption(new Option('--by <group>', 'what each row is').choices([...GROUP_KEYS]).default('owner'))
    .option('-l, --selector <selector>', 'label selector, e.g. owner=alice,compute-type=notebook')
    .option('-n, --namespace <namespace>', 'only this namespace')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .addOption(new Option('--sort-by <field>', 'row order').choices(['cpu', 'memory', 'name']).default('cpu'))
    .action(async (opts: TopOptions) => (await import('./top-run.js')).runTop(opts, io));
}
