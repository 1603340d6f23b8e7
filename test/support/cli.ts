/** Runs `kubetally ARGS` in this process with the given environment, capturing its output. */
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function runCli(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), isTty: false, env };
  process.exitCode = undefined; // a command sets it for its status; each run starts clean
  const code = await main(['node', 'kubetally', ...args], io);
  process.exitCode = undefined;
  return { code, out, err };
}
