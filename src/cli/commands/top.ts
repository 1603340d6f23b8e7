import { InvalidArgumentError, Option, type Command } from 'commander';
import { GROUP_KEYS, type LiveGroupBy } from '../../app/live-rows.js';
import type { CliIo } from '../io.js';
import type { TopOptions } from './top-run.js';

/**
 * A `--by` key. SPEC §4 spells it `compute-type`; `usage`, `costs` and the API's `groupBy` spell it
 * `computeType` (and take `compute-type` too): either spelling works here as well, so that one
 * `--by` reads the live view and the ledger alike.
 */
function groupKey(text: string): LiveGroupBy {
  const key = text === 'computeType' ? 'compute-type' : text;
  if (!(GROUP_KEYS as readonly string[]).includes(key)) {
    const named = GROUP_KEYS.map((k) => (k === 'compute-type' ? 'compute-type (or computeType)' : k));
    throw new InvalidArgumentError(`Allowed choices are ${named.join(', ')}.`);
  }
  return key as LiveGroupBy;
}

export function registerTop(program: Command, io: CliIo): void {
  program
    .command('top')
    .description('Live usage straight from a cluster, attributed to owners, projects and compute types')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)')
    .option('--context <name>', 'kubeconfig context')
    .addOption(
      new Option('--by <group>', 'what each row is (computeType is taken for compute-type)')
        .choices([...GROUP_KEYS])
        .argParser(groupKey)
        .default('owner'),
    )
    .option('-l, --selector <selector>', 'label selector, e.g. owner=alice,compute-type=notebook')
    .addOption(new Option('-n, --namespace <namespace>', 'only this namespace'))
    // kubectl's habit (`kubectl top pods -A`); every namespace is what top reads without -n.
    .addOption(new Option('-A, --all-namespaces', 'every namespace (the default)').conflicts('namespace'))
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .addOption(new Option('--sort-by <field>', 'row order').choices(['cpu', 'memory', 'name']).default('cpu'))
    .action(async (opts: TopOptions) => (await import('./top-run.js')).runTop(opts, io));
}
