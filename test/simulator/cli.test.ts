/** `kubetally simulate` as a separate process: prints where it listens, writes the kubeconfig, stops on SIGTERM. */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

describe('kubetally simulate', () => {
  it('serves the scenario until SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubetally-cli-'));
    const kubeconfig = join(dir, 'sim', 'kubeconfig');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/run.ts',
        'simulate',
        '--scenario',
        'demo',
        '--clock',
        'manual',
        '--plain-http',
        '--write-kubeconfig',
        kubeconfig,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      expect(out).toContain(kubeconfig);
      const config = parse(await readFile(kubeconfig, 'utf8'));
      expect(config.clusters[0].cluster).toEqual({ server: url, 'insecure-skip-tls-verify': true });
      const token: string = config.users[0].user.token;
      const res = await fetch(`${url}/sim/clock`, { headers: { authorization: `Bearer ${token}` } });
      expect(await res.json()).toMatchObject({ mode: 'manual' });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a bad clock mode with a usage error', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/run.ts', 'simulate', '--scenario', 'demo', '--clock', 'fast'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('invalid clock mode "fast"');
  });

  it.each([
    [
      "nodes: [{ name: n, capacity: { cpu: '4' } }]\npods: [{ name: p, containers: [{ name: c, requests: { nvidia.com/gpu: '1' } }] }]",
      'pods[0]: requests 1 nvidia.com/gpu, but no node has that many',
      'hint: add a node with nvidia.com/gpu in its capacity',
    ],
    [
      "nodes: [{ name: n, capacity: { cpu: '4', memory: 8Gi } }]\npods: [{ name: p, containers: [{ name: c, requests: { cpu: '6' } }] }]",
      'pods[0]: requests 6 CPU (init containers and overhead included), but no node has that many',
      'hint: lower the request or add a node whose allocatable cpu holds it',
    ],
    [
      "nodes: [{ name: n, capacity: { cpu: '4', memory: 8Gi } }]\npods: [{ name: p, containers: [{ name: c, requests: { memory: 2Gi }, limits: { memory: 1Gi } }] }]",
      'pods[0].containers[0].limits.memory: 1Gi is below the request 2Gi, which the API server refuses: raise the limit',
      'hint: fix the named field',
    ],
  ])(
    'names the file, the field and a fix of a scenario a cluster would not run: %#',
    async (body, message, hint) => {
      const dir = await mkdtemp(join(tmpdir(), 'kubetally-cli-'));
      const file = join(dir, 'bad.yaml');
      await writeFile(file, `name: bad\n${body}\n`);
      try {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', 'src/cli/run.ts', 'simulate', '--scenario', file],
          {
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let err = '';
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
        expect(code).toBe(2);
        expect(err).toContain(`error: invalid scenario ${file}: ${message}`);
        expect(err).toContain(hint);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
