import { Option, type Command } from 'commander';
import type { CliIo } from '../io.js';
import type { ServeCommandOptions } from './serve-run.js';
import { DATABASE_HELP } from './database-option.js';

export function registerServe(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('Run the service: HTTP API, collector, /metrics')
    .addOption(new Option('--port <port>', 'port to listen on').default('8080'))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--database <url|dir>', DATABASE_HELP)
    .option('--demo', 'also run the simulated demo cluster, with a week of history')
    .option('--no-collect', 'do not run the collector (another replica or a cron job collects)')
    .option('--private-metrics', 'require a token on /metrics too')
    .option(
      '--metrics-cardinality <n>',
      'owner × project series on /metrics; the rest sum into __other__',
      '500',
    )
    .action(async (opts: ServeCommandOptions) => (await import('./serve-run.js')).runServe(opts, io));
}
