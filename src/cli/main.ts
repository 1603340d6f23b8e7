import { basename } from 'node:path';
import { Command, CommanderError } from 'commander';
import { isKubetallyError } from '../domain/errors.js';
import { EXIT_CODES } from './exit-codes.js';
import { processIo, type CliIo } from './io.js';
import { COMMANDS } from './commands/index.js';
import { VERSION } from '../version.js';

/**
 * Runs the CLI and resolves to the exit status. Errors are printed as one line (with a hint
 * when there is one), never as a stack trace.
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  // kubectl runs its plugin as kubectl-tally: help and usage lines then say how it was typed.
  const plugin = /^kubectl-tally(\.js)?$/.test(basename(argv[1] ?? ''));
  const program = new Command(plugin ? 'kubectl tally' : 'kubetally')
    .description('Meter Kubernetes usage per owner, project and compute type, and price it.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  for (const register of COMMANDS) register(program, io);
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return reportError(err, io);
  }
}

function reportError(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) {
    return err.exitCode === 0 ? 0 : 2;
  }
  if (isKubetallyError(err)) {
    io.err(`error: ${err.message}\n`);
    if (err.hint) io.err(`hint: ${err.hint}\n`);
    return EXIT_CODES[err.code];
  }
  io.err(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
}
