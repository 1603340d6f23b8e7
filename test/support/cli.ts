/** Runs `kubetally ARGS` in this process with the given environment, capturing its output. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

export interface CliDataDir {
  /** A temporary directory; the data directory is `dir/data`. */
  dir: string;
  env: NodeJS.ProcessEnv;
  run(...args: string[]): Promise<CliRun>;
  remove(): Promise<void>;
}

/** A temporary data directory, with its own encryption key, for one suite's CLI runs. */
export async function cliDataDir(prefix: string): Promise<CliDataDir> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const env = {
    KUBETALLY_DATA_DIR: join(dir, 'data'),
    KUBETALLY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  };
  return {
    dir,
    env,
    run: (...args) => runCli(env, ...args),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
