import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { DATABASE_HELP } from './database-option.js';

export function registerMigrate(program: Command, io: CliIo): void {
  program
    .command('migrate')
    .description('Apply the database migrations (serve and every command also do it on start)')
    .option('--database <url|dir>', DATABASE_HELP)
    .action(async (opts: { database?: string }) => {
      const { openApp } = await import('../../app/context.js');
      const { schemaVersion } = await import('../../ledger/migrate.js');
      const ctx = await openApp({
        ...(opts.database === undefined ? {} : { database: opts.database }),
        env: io.env,
      });
      try {
        io.out(`schema version ${await schemaVersion(ctx.db)} (${ctx.databaseLabel})\n`);
      } finally {
        await ctx.close();
      }
    });
}
