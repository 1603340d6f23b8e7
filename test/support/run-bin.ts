/** Runs the built `kubetally` bin (`bin/kubetally.js`, after `npm run build`) as a user types it. */
import { execFile } from 'node:child_process';

export interface BinRun {
  code: number;
  out: string;
  err: string;
}

/**
 * `kubetally ARGS` in a child process with `env` over this one's, `DATABASE_URL` cleared so that
 * the suite's data directory (or `--database`) is the one used.
 */
export function runBin(env: NodeJS.ProcessEnv, ...args: string[]): Promise<BinRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/kubetally.js', ...args],
      { env: { ...process.env, DATABASE_URL: '', ...env }, timeout: 30_000 },
      (error, out, err) => resolve({ code: error === null ? 0 : Number(error.code), out, err }),
    );
  });
}
