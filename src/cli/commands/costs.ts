import { Option, type Command } from 'commander';
import type { CliIo } from '../io.js';
import type { CostsOptions } from './costs-run.js';
import { DATABASE_HELP } from './database-option.js';

export function registerCosts(program: Command, io: CliIo): void {
  program
    .command('costs')
    .description(
      'Costs from the ledger per owner, project, namespace, compute type or cluster, with idle and the management fee',
    )
    .option('--from <time>', 'start (RFC 3339, a date, now, or relative such as -7d)', '-7d')
    .option('--to <time>', 'end, exclusive', 'now')
    .option(
      '--by <keys>',
      'group by, comma-separated: tenant,cluster,owner,project,namespace,computeType (or compute-type)',
      'owner',
    )
    .addOption(
      new Option('--step <step>', 'rows per').choices(['interval', 'hour', 'day', 'total']).default('total'),
    )
    .option('--cluster <name>', 'only this cluster')
    .option('--tenant <name>', 'only this tenant')
    .option('--owner <owner>', 'only this owner')
    .option('--project <project>', 'only this project')
    .option('--database <url|dir>', DATABASE_HELP)
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .action(async (opts: CostsOptions) => (await import('./costs-run.js')).runCosts(opts, io));
}
