/**
 * Simulator benchmark (issue 2): against `scale-100k`, the wall time of
 * `kubectl get pods -A -o name | wc -l` and `kubectl top pods -A | wc -l`, and the simulator's
 * peak RSS (VmHWM of its own process). Targets: RSS < 1 GiB, each command < 30 s.
 *
 *   node --import tsx bench/simulator.ts [--scenario scale-100k] [--advance 2h]
 */
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const value = args[args.indexOf(`--${name}`) + 1];
  return args.includes(`--${name}`) && value !== undefined ? value : fallback;
};
const scenario = arg('scenario', 'scale-100k');
const advance = arg('advance', '2h');

async function main(): Promise<void> {
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
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (\S+)/.exec(out);
        if (m) resolve(m[1] as string);
      });
      child.once('exit', (code) => reject(new Error(`simulator exited with ${code}: ${out}`)));
    });
    const startupS = (performance.now() - started) / 1000;
    const token = /token: (\S+)/.exec(await readFile(kubeconfig, 'utf8'))?.[1] ?? '';
    const clock = await post(url, token, { advance });
    console.log(
      `simulator ${scenario} up in ${startupS.toFixed(1)} s at ${url}; clock ${clock}; RSS ${await rss(child.pid!)}`,
    );

    const rows: string[] = [];
    for (const cmd of ['get pods -A -o name', 'top pods -A']) {
      const shell = `kubectl --kubeconfig ${kubeconfig} --cache-dir ${join(dir, `cache-${rows.length}`)} ${cmd} | wc -l`;
      const t0 = performance.now();
      const lines = (await sh(shell)).trim();
      const s = (performance.now() - t0) / 1000;
      const peak = await rss(child.pid!);
      rows.push(`| \`kubectl ${cmd} \\| wc -l\` | ${lines} | ${s.toFixed(1)} s | ${peak} |`);
      console.log(`kubectl ${cmd} | wc -l → ${lines} lines in ${s.toFixed(1)} s; simulator peak RSS ${peak}`);
    }
    console.log(
      ['', '| command | lines | wall time | simulator peak RSS (VmHWM) |', '|---|---|---|---|', ...rows].join(
        '\n',
      ),
    );
  } finally {
    child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

async function rss(pid: number): Promise<string> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return `${(kb / 1024).toFixed(0)} MiB`;
}

async function post(url: string, token: string, body: unknown): Promise<string> {
  // The simulator's CA is private; this one local call skips verification on purpose.
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  const res = await fetch(`${url}/sim/clock`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return ((await res.json()) as { now: string }).now;
}

function sh(command: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('sh', ['-c', command], { maxBuffer: 512 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${command}: ${stderr}`)) : resolve(stdout),
    ),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
