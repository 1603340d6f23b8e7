import { Option, type Command } from 'commander';
import type { CliIo } from '../io.js';
import type { CollectCommandOptions } from './collect-run.js';
import { DATABASE_HELP } from './database-option.js';

export function registerCollect(program: Command, io: CliIo): void {
  program
    .command('collect')
    .description(
      'Take one sample of each registered cluster now and close every interval its time has passed',
    )
    .option('--cluster <name>', 'only this cluster')
    .option('--tenant <name>', "the cluster's tenant (default: every tenant)")
    .option('--database <url|dir>', DATABASE_HELP)
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'),
    )
    .action(async (opts: CollectCommandOptions) => (await import('./collect-run.js')).runCollect(opts, io));
}
