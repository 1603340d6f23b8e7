/**
 * `kubetally simulate --write-kubeconfig PATH` where PATH cannot be written (a directory, or under
 * a file): the server listened already, so the process printed a bare errno message
 * ("EISDIR: illegal operation on a directory, open ...") and then neither served nor exited.
 * It now closes the server and exits 2 naming the path, why, and what to do.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubetally-kc-'));
  await writeFile(join(dir, 'file'), 'x');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs `simulate` on the demo; its exit code (null when it had to be killed) and stderr. */
async function simulate(kubeconfig: string): Promise<{ code: number | null; err: string }> {
  const args = ['--import', 'tsx', 'src/cli/run.ts', 'simulate', '--scenario', 'demo', '--port', '0'];
  const child = spawn(process.execPath, [...args, '--write-kubeconfig', kubeconfig], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(killer);
  return { code, err };
}

const HINT = 'hint: choose a file path in a directory that can be written (--write-kubeconfig)';

describe('simulate with a kubeconfig path that cannot be written', () => {
  it('exits 2 when the path is a directory', async () => {
    const r = await simulate(dir);
    expect(r).toEqual({
      code: 2,
      err: `error: cannot write the kubeconfig ${dir}: it is a directory, not a file (EISDIR)\n${HINT}\n`,
    });
  });

  it('exits 2 when a part of the path is a file', async () => {
    const path = join(dir, 'file', 'kubeconfig');
    const r = await simulate(path);
    expect(r).toEqual({
      code: 2,
      err: `error: cannot write the kubeconfig ${path}: a part of the path is a file, not a directory (EEXIST)\n${HINT}\n`,
    });
  });
});
