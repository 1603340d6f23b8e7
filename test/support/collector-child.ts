/** Drives test/support/collector-process.ts: start it, ask for rounds, kill it with SIGKILL. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./collector-process.ts', import.meta.url));

export class CollectorChild {
  private proc!: ChildProcess;
  private lines!: Interface;
  private waiting: ((line: string) => void)[] = [];

  private constructor(private readonly env: NodeJS.ProcessEnv) {}

  static async start(env: Record<string, string>): Promise<CollectorChild> {
    const c = new CollectorChild({ ...process.env, ...env });
    await c.spawn();
    return c;
  }

  private async spawn(): Promise<void> {
    this.proc = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
      env: this.env,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.waiting = [];
    this.lines = createInterface({ input: this.proc.stdout! });
    this.lines.on('line', (line) => this.waiting.shift()?.(line));
    const ready = await this.next();
    if (ready !== 'ready') throw new Error(`collector process said ${ready}`);
  }

  private next(): Promise<string> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** One collection round; resolves with its outcomes. */
  async round(): Promise<unknown[]> {
    const line = this.next();
    this.proc.stdin!.write('collect\n');
    return JSON.parse(await line) as unknown[];
  }

  /** Starts a round and kills the process `afterMs` later, wherever it is; then starts a new one. */
  async killDuringRound(afterMs: number): Promise<void> {
    this.proc.stdin!.write('collect\n');
    await new Promise((r) => setTimeout(r, afterMs));
    await this.kill();
    await this.spawn();
  }

  async kill(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGKILL');
    await exited;
    this.lines.close();
  }
}
