import type { Command } from 'commander';
import type { CliIo } from '../io.js';

export function registerMigrate(program: Command, io: CliIo): void {
  program
    .command('migrate')
    .description('Apply the database migrations (serve and every command also do it on start)')
    .option(
      '--database <url|dir>',
      'PostgreSQL URL or data directory (default: $DATABASE_URL, else $KUBETALLY_DATA_DIR or ./.kubetally)',
    )
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
