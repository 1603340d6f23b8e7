/** kubetally commands as separate processes (the built CLI), for end-to-end tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/kubetally.js', import.meta.url));

export interface Running {
  child: ChildProcess;
  /** What the process printed until `waitFor` matched. */
  output: string;
  stop(): Promise<void>;
}

/** Starts `kubetally ARGS` and resolves once its output matches `waitFor` (group 1 is returned). */
export async function startKubetally(
  args: string[],
  env: Record<string, string>,
  waitFor: RegExp,
): Promise<Running & { match: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const match = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = waitFor.exec(output);
      if (m) resolve(m[1] ?? m[0]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`kubetally ${args[0]} exited with ${code}:\n${output}`)));
  });
  return {
    child,
    match,
    get output() {
      return output;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
