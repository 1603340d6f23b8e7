/**
 * `kubetally collect` stopped by a signal (Ctrl-C, a cron job's `timeout`) while it samples: it
 * died holding the cluster's lease, so every other collector (the next cron run, a `serve`
 * replica) skipped the cluster ("another replica holds the lease") for three sample periods,
 * long enough to leave a gap. It now gives the lease back and exits 143 (128 + SIGTERM).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';

let sim: TestSimulator;
let pg: TestDatabase;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
  pg = await freshDatabase('postgres');
  dir = await mkdtemp(join(tmpdir(), 'kubetally-collect-signal-'));
  env = {
    DATABASE_URL: pg.url,
    KUBETALLY_DATA_DIR: join(dir, 'data'),
    KUBETALLY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  };
  expect((await runCli(env, 'cluster', 'add', 'sim', '--kubeconfig', sim.kubeconfigPath)).code).toBe(0);
}, 60_000);
afterAll(async () => {
  await sim?.stop();
  await pg?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const leases = async () =>
  Number((await pg.db.query<{ n: string }>('SELECT count(*) AS n FROM leases'))[0]?.n);

describe('collect stopped by SIGTERM', () => {
  it('gives its lease back, so that the next collection is not kept off the cluster', async () => {
    sim.faults.set({ latency: '3s' }); // every request takes 3 s: the signal comes mid-sample
    const child = spawn('node', ['bin/kubetally.js', 'collect'], { env: { ...process.env, ...env } });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    for (let i = 0; (await leases()) === 0; i++) {
      expect(i, 'the collection never took its lease').toBeLessThan(200);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 143, signal: null });
    expect(await leases()).toBe(0);
    sim.faults.set({ latency: '0s' });
    const next = await runCli(env, 'collect', '-o', 'json');
    expect(next.out).not.toContain('another replica holds the lease');
    expect(next.code).toBe(0);
  }, 60_000);
});
