import { Option, type Command } from 'commander';
import type { CliIo } from '../io.js';
import type { TokenCommandOptions } from './token-run.js';

export function registerToken(program: Command, io: CliIo): void {
  const token = program.command('token').description('API tokens');
  token
    .command('create')
    .description('Create an API token; it is printed once and only its hash is stored')
    .addOption(
      new Option('--role <role>', 'what the token may do')
        .choices(['admin', 'viewer', 'user'])
        .makeOptionMandatory(),
    )
    .option('--tenant <name>', 'the tenant it is limited to (required for viewer and user)')
    .option('--owner <name>', 'the owner whose usage, costs and account a user token reads')
    .option('--description <text>', 'what the token is for')
    .option(
      '--database <url|dir>',
      'PostgreSQL URL or data directory (default: $DATABASE_URL, else $KUBETALLY_DATA_DIR or ./.kubetally)',
    )
    .action(async (opts: TokenCommandOptions) => (await import('./token-run.js')).runTokenCreate(opts, io));
}
