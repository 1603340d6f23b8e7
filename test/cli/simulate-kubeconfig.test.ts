/**
 * `kubetally simulate --write-kubeconfig FILE` replaced whatever FILE held: given
 * `~/.kube/config`, every context of the user's real clusters was gone. It now writes only a new
 * file, an empty one, or one the simulator wrote before (each run rewrites its own).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../support/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubetally-simulate-kubeconfig-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const own = stringify({
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [{ name: 'prod', cluster: { server: 'https://prod.example.com' } }],
  users: [{ name: 'me', user: { token: 'abc' } }],
  contexts: [{ name: 'prod', context: { cluster: 'prod', user: 'me' } }],
  'current-context': 'prod',
});

/** Runs the simulate command until it has written its kubeconfig, then stops it. */
function simulateOnce(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [
      'bin/kubetally.js',
      'simulate',
      '--scenario',
      'demo',
      '--write-kubeconfig',
      file,
    ]);
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('try: kubectl')) child.kill('SIGTERM');
    });
    child.on('error', reject);
    child.on('exit', () => resolve(out));
  });
}

describe('simulate --write-kubeconfig', () => {
  it("refuses a file that holds someone's kubeconfig, and leaves it as it was", async () => {
    const file = join(dir, 'config');
    await writeFile(file, own);
    expect(await runCli({}, 'simulate', '--scenario', 'demo', '--write-kubeconfig', file)).toEqual({
      code: 2,
      out: '',
      err: [
        `error: ${file} holds other contexts (prod): simulate does not overwrite it`,
        'hint: give --write-kubeconfig a new file (KUBECONFIG=NEW:~/.kube/config then lets kubectl use both), or remove the file first',
        '',
      ].join('\n'),
    });
    expect(await readFile(file, 'utf8')).toBe(own);
  });

  it('writes a new file, and rewrites the one it wrote before', async () => {
    const file = join(dir, 'simulator.kubeconfig');
    await simulateOnce(file);
    const first = await readFile(file, 'utf8');
    expect(first).toContain('name: kubetally-simulator');
    await simulateOnce(file);
    expect(await readFile(file, 'utf8')).not.toBe(first); // a new token and port
  }, 60_000);
});
