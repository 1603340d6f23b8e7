import { Option, type Command } from 'commander';
import type { CliIo } from '../io.js';
import type { ClusterCommandOptions } from './cluster-run.js';
import { DATABASE_HELP } from './database-option.js';

export function registerCluster(program: Command, io: CliIo): void {
  const cluster = program
    .command('cluster')
    .description('Register, list, test and remove clusters, and replace their kubeconfigs');
  const run = async (
    action: 'add' | 'list' | 'test' | 'remove' | 'set-kubeconfig',
    name: string | undefined,
    opts: ClusterCommandOptions,
  ) => (await import('./cluster-run.js')).runCluster(action, name, opts, io);
  cluster
    .command('add <name>')
    .description('Register a cluster from a kubeconfig file (validated, stored encrypted) or in-cluster')
    .option('--kubeconfig <file>', 'the kubeconfig to store (no exec, auth-provider or file paths)')
    .option('--context <name>', 'the context to use (default: its current-context)')
    .option('--in-cluster', 'use the service account of the pod kubetally runs in')
    .option('--tenant <name>', 'tenant (created if missing)', 'default')
    .option('--allow-insecure-http', 'accept an http:// API server (a simulator started with --plain-http)')
    .option('--pricing <file>', 'its price sheet, JSON or YAML (default: the SPEC §7 prices in USD)')
    .option('--database <url|dir>', DATABASE_HELP)
    .action((name: string, opts: ClusterCommandOptions) => run('add', name, opts));
  cluster
    .command('list')
    .description('The registered clusters')
    .option('--tenant <name>', 'only this tenant')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'),
    )
    .option('--database <url|dir>', DATABASE_HELP)
    .action((opts: ClusterCommandOptions) => run('list', undefined, opts));
  cluster
    .command('test <name>')
    .description('Check that kubetally can collect the cluster: version, metrics API, permissions')
    .option('--tenant <name>', 'tenant', 'default')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'),
    )
    .option('--database <url|dir>', DATABASE_HELP)
    .action((name: string, opts: ClusterCommandOptions) => run('test', name, opts));
  cluster
    .command('set-kubeconfig <name>')
    .alias('update-kubeconfig')
    .description("Replace a registered cluster's kubeconfig (validated, stored encrypted); its ledger stays")
    .option('--kubeconfig <file>', 'the new kubeconfig (no exec, auth-provider or file paths)')
    .option('--context <name>', 'the context to use (default: its current-context)')
    .option('--tenant <name>', 'tenant', 'default')
    .option('--database <url|dir>', DATABASE_HELP)
    .action((name: string, opts: ClusterCommandOptions) => run('set-kubeconfig', name, opts));
  cluster
    .command('remove <name>')
    .description('Stop collecting a cluster and forget its credentials (its ledger rows stay)')
    .option('--tenant <name>', 'tenant', 'default')
    .option('--database <url|dir>', DATABASE_HELP)
    .action((name: string, opts: ClusterCommandOptions) => run('remove', name, opts));
}
