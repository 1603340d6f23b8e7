import { Option, type Command } from 'commander';
import type { CliIo } from '../io.js';
import type { TokenDbOptions } from './token-manage.js';
import type { TokenCommandOptions } from './token-run.js';
import { DATABASE_HELP } from './database-option.js';

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
    .option(
      '--tenant <name>',
      'the tenant it is limited to (viewer and user tokens: default when not given; an admin token without one reaches every tenant)',
    )
    .option('--owner <name>', 'the owner whose usage, costs and account a user token reads')
    .option('--description <text>', 'what the token is for')
    .option('--database <url|dir>', DATABASE_HELP)
    .action(async (opts: TokenCommandOptions) => (await import('./token-run.js')).runTokenCreate(opts, io));
  token
    .command('list')
    .description('List tokens by id, role and scope (never their secret)')
    .option('--tenant <name>', 'only the tokens of this tenant')
    .option('--database <url|dir>', DATABASE_HELP)
    .addOption(
      new Option('-o, --output <format>', 'table or json').choices(['table', 'json']).default('table'),
    )
    .action(async (opts: TokenDbOptions) => (await import('./token-manage.js')).runTokenList(opts, io));
  token
    .command('revoke <id>')
    .description('Revoke a token by its id, kt_<id>, or the whole token (kt_<id>_<secret>)')
    .option('--tenant <name>', 'refuse unless the token belongs to this tenant')
    .option('--database <url|dir>', DATABASE_HELP)
    .action(async (id: string, opts: TokenDbOptions) =>
      (await import('./token-manage.js')).runTokenRevoke(id, opts, io),
    );
}
