import { Option, type Command } from 'commander';
import type { CliIo } from '../io.js';
import type { UsageCommandOptions } from './usage-run.js';
import { DATABASE_HELP } from './database-option.js';

export function registerUsage(program: Command, io: CliIo): void {
  program
    .command('usage')
    .description('Usage from the ledger, by owner, project, namespace, compute type or cluster')
    .option('--from <time>', 'RFC 3339, a date, now, or relative (-7d)', '-7d')
    .option('--to <time>', 'exclusive end', 'now')
    .option(
      '--by <keys>',
      'comma-separated: tenant,cluster,owner,project,namespace,computeType (or compute-type)',
      'owner',
    )
    .addOption(
      new Option('--step <step>', 'one row per')
        .choices(['interval', 'hour', 'day', 'total'])
        .default('total'),
    )
    .option('--owner <name>', 'only this owner')
    .option('--project <name>', 'only this project')
    .option('--cluster <name>', 'only this cluster')
    .option('--tenant <name>', 'only this tenant')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .option('--database <url|dir>', DATABASE_HELP)
    .action(async (opts: UsageCommandOptions) => (await import('./usage-run.js')).runUsage(opts, io));
}
