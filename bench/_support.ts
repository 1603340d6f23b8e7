/** Shared by the benchmarks: a simulator in its own process, timed shell commands, RSS. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SimProcess {
  url: string;
  kubeconfig: string;
  dir: string;
  child: ChildProcess;
  startupS: number;
  /** Moves the manual clock; returns the new time. */
  advance(span: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startSimulatorProcess(scenario: string): Promise<SimProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'kubetally-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/run.ts',
      'simulate',
      '--scenario',
      scenario,
      '--clock',
      'manual',
      '--write-kubeconfig',
      kubeconfig,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}: ${out}`)));
  });
  const token = /token: (\S+)/.exec(await readFile(kubeconfig, 'utf8'))?.[1] ?? '';
  return {
    url,
    kubeconfig,
    dir,
    child,
    startupS: (performance.now() - started) / 1000,
    async advance(span) {
      // The simulator's CA is private; these local control calls skip verification on purpose.
      process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
      const res = await fetch(`${url}/sim/clock`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ advance: span }),
      });
      return ((await res.json()) as { now: string }).now;
    },
    async stop() {
      child.kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Peak resident memory (VmHWM) of a running process. */
export async function peakRss(pid: number): Promise<string> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return `${(kb / 1024).toFixed(0)} MiB`;
}

export function sh(command: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('sh', ['-c', command], { maxBuffer: 512 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${command}: ${stderr}`)) : resolve(stdout),
    ),
  );
}

/** Runs a command under GNU time: wall seconds and the command's own peak RSS. */
export async function timed(command: string): Promise<{ seconds: number; rssMiB: number; stdout: string }> {
  const out = await sh(`/usr/bin/time -f 'TIME %e %M' sh -c '${command.replaceAll("'", "'\\''")}' 2>&1`);
  const m = /TIME ([\d.]+) (\d+)\s*$/.exec(out);
  return {
    seconds: Number(m?.[1]),
    rssMiB: Math.round(Number(m?.[2]) / 1024),
    stdout: out.replace(/TIME [\d.]+ \d+\s*$/, ''),
  };
}
