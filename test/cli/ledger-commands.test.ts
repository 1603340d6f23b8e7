/**
 * The ledger commands in-process against a real simulator and a data directory: migrate, cluster
 * add/list/test/remove, collect, usage (table, JSON, CSV) and token create; bad input exits with
 * the documented status and a hint; the uploaded kubeconfig's token is in no file of the data dir.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/context.js';
import { CORE_NANOS_PER_HOUR, ledgerRatio } from '../../src/domain/usage.js';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';
import { runCli } from '../support/cli.js';

let sim: TestSimulator;
let dataDir: string;
let env: NodeJS.ProcessEnv;

const run = (...args: string[]) => runCli(env, ...args);

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
  dataDir = await mkdtemp(join(tmpdir(), 'kubetally-cli-'));
  env = { KUBETALLY_DATA_DIR: dataDir, KUBETALLY_ENCRYPTION_KEY: 'ab'.repeat(32) };
}, 60_000);

afterAll(async () => {
  await sim?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('ledger commands', () => {
  it('migrates and says the schema version', async () => {
    const r = await run('migrate');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^schema version \d+ /);
  });

  it('says, on a ledger with nothing in it yet, what fills it', async () => {
    for (const command of ['usage', 'costs']) {
      const r = await run(command);
      expect([r.code, r.out, r.err]).toEqual([
        0,
        expect.stringMatching(new RegExp(`^No ${command} recorded from \\S+ to \\S+\\n$`)),
        expect.stringMatching(
          /^note: the ledger is empty: no cluster is registered \(kubetally cluster add NAME/,
        ),
      ]);
    }
  });

  it('adds, lists and tests a cluster', async () => {
    expect((await run('cluster', 'add', 'demo', '--kubeconfig', sim.kubeconfigPath)).code).toBe(0);
    const none = await run('usage', '-o', 'json');
    expect(none.err).toMatch(/^note: the ledger holds no interval yet: .*kubetally collect\n$/);
    const again = await run('cluster', 'add', 'demo', '--kubeconfig', sim.kubeconfigPath);
    expect([again.code, again.err]).toEqual([10, expect.stringMatching(/already exists/)]);
    const list = JSON.parse((await run('cluster', 'list', '-o', 'json')).out);
    expect(list.clusters.map((c: { name: string }) => c.name)).toEqual(['demo']);
    const test = await run('cluster', 'test', 'demo', '-o', 'json');
    expect(test.code).toBe(0);
    const result = JSON.parse(test.out);
    expect(result.reachable).toBe(true);
    expect(Object.values(result.permissions).every((p) => (p as { allowed: boolean }).allowed)).toBe(true);
  });

  it('names a refused permission and exits 7', async () => {
    sim.faults.set({ forbidden: ['nodes/proxy'] });
    try {
      const r = await run('cluster', 'test', 'demo');
      expect(r.code).toBe(7);
      expect(r.out).toMatch(/REFUSED get nodes\/proxy/);
    } finally {
      sim.faults.clear();
    }
  });

  it('collects and reports usage equal to the ledger, in table, JSON and CSV', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await run('collect')).code).toBe(0);
      sim.clock.advance(60_000);
    }
    const json = JSON.parse((await run('usage', '--from', '2026-01-01', '--by', 'owner', '-o', 'json')).out);
    expect(json.groupBy).toEqual(['owner']);
    const ctx = await openApp({ env });
    try {
      const rows = await ctx.store.queryUsage({
        from: Date.parse('2026-01-01'),
        to: Date.now(),
        groupBy: ['owner'],
        step: 'total',
      });
      const alice = rows.find((r) => r.group.owner === 'alice')!;
      const row = json.rows.find((r: { owner: string }) => r.owner === 'alice');
      expect(row.cpuRequestCoreHours).toBe(ledgerRatio(alice.usage.cpuRequestCoreNanos, CORE_NANOS_PER_HOUR));
      expect(row.cpuCoreHours).toBe(ledgerRatio(alice.usage.cpuCoreNanos, CORE_NANOS_PER_HOUR));
      expect(row.cpuRequestCoreHours).toBeGreaterThan(0);
    } finally {
      await ctx.close();
    }
    const csv = (await run('usage', '--from', '2026-01-01', '--by', 'owner,project', '-o', 'csv')).out.split(
      '\n',
    );
    expect(csv[0]).toMatch(/^owner,project,cpuCoreHours,/);
    expect((await run('usage', '--from', '2026-01-01')).out).toMatch(/^OWNER\s+CPU CORE-H/);
  });

  it('says where the usage is when the range holds none of it', async () => {
    const ctx = await openApp({ env });
    let note: string;
    try {
      const [cluster] = await ctx.store.listClusters();
      const first = new Date((await ctx.store.firstIntervalStart(cluster!.id))!).toISOString();
      const last = new Date((await ctx.store.lastClosedInterval(cluster!.id))!.intervalEnd).toISOString();
      const [a, b] = [first.replace('.000', ''), last.replace('.000', '')];
      note = `note: the ledger holds intervals from ${a} to ${b} (the clusters' time), none in this range: pass --from ${a} --to ${b}\n`;
    } finally {
      await ctx.close();
    }
    for (const command of ['usage', 'costs']) {
      const away = await run(command, '--from', '2020-01-01', '--to', '2020-02-01', '-o', 'json');
      expect([away.code, away.err, JSON.parse(away.out).rows]).toEqual([0, note, []]);
      const within = await run(command, '--from', '2026-01-01', '-o', 'json');
      expect(within.err).toBe('');
      // Nothing of this owner: the range is not the reason, and no note says it is.
      const nobody = await run(command, '--from', '2026-01-01', '--owner', 'nobody', '-o', 'json');
      expect([nobody.code, nobody.err, JSON.parse(nobody.out).rows]).toEqual([0, '', []]);
    }
  });

  it('prints every amount of the costs table, and its totals, with one precision', async () => {
    const r = await run('costs', '--from', '2026-01-01', '--by', 'owner');
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split('\n');
    const header = lines[0]!.split(/\s{2,}/);
    const money = header.findIndex((h) => h === 'CPU');
    expect(money).toBeGreaterThan(0);
    const rows = lines.slice(1, lines.indexOf(''));
    expect(rows.length).toBeGreaterThan(1);
    const amounts = rows.flatMap((l) => l.split(/\s{2,}/).slice(money));
    const totals = /^rows total (\S+)(?: \+ management (\S+) = cluster cost (\S+))? \S+$/.exec(lines.at(-1)!);
    expect(totals, lines.at(-1)).not.toBeNull();
    amounts.push(...totals!.slice(1).filter((t) => t !== undefined));
    const decimals = new Set(amounts.map((a) => a.split('.')[1]?.length ?? 0));
    expect([...decimals], amounts.join(' ')).toHaveLength(1);
  });

  it('closes nothing by its own clock while the cluster does not answer, and exits 6 saying so', async () => {
    // Each run is a fresh process state: without the cluster's Date its time is this machine's,
    // months after the simulator's manual clock.
    const until = async () =>
      JSON.parse((await run('cluster', 'list', '-o', 'json')).out).clusters[0].lastInterval;
    const before = await until();
    sim.faults.set({ unauthorized: true });
    try {
      const r = await run('collect', '-o', 'json');
      expect(r.code).toBe(6); // credentials refused (401), as the exit-code table says
      const [outcome] = JSON.parse(r.out);
      expect(outcome.intervals).toEqual([]);
      expect(outcome.sources.find((s: { source: string }) => s.source === 'inventory').ok).toBe(false);
      expect(await until()).toBe(before);
    } finally {
      sim.faults.clear();
    }
    sim.clock.advance(60_000);
    expect((await run('collect')).code).toBe(0);
    expect(Date.parse(await until())).toBeLessThanOrEqual(sim.clock.now());
  });

  it('refuses bad input with exit status 2 and a hint', async () => {
    for (const args of [
      ['usage', '--from', 'yesterday'],
      ['usage', '--by', 'planet'],
      ['usage', '--from', 'now', '--to', '-1d'],
      ['cluster', 'add', 'Bad_Name', '--kubeconfig', sim.kubeconfigPath],
    ]) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/^error: .+\nhint: /);
    }
    expect((await run('cluster', 'test', 'nosuch')).code).toBe(9);
  });

  it('creates a token and prints it once', async () => {
    const r = await run('token', 'create', '--role', 'viewer', '--tenant', 'default');
    expect(r.code).toBe(0);
    expect(r.out.trim()).toMatch(/^kt_[0-9a-f]{12}_\S{40,}$/);
  });

  it('keeps the kubeconfig token out of every file, and removes the cluster', async () => {
    for (const f of await files(dataDir)) {
      expect((await readFile(f)).includes(Buffer.from(sim.token)), f).toBe(false);
    }
    const before = JSON.parse(
      (await run('usage', '--from', '2026-01-01', '--cluster', 'demo', '-o', 'json')).out,
    );
    expect(before.rows.length).toBeGreaterThan(0);
    expect((await run('cluster', 'remove', 'demo')).code).toBe(0);
    expect(JSON.parse((await run('cluster', 'list', '-o', 'json')).out).clusters).toEqual([]);
    // Its history stays, and can still be asked for by its name.
    const after = await run('usage', '--from', '2026-01-01', '--cluster', 'demo', '-o', 'json');
    expect(after.code).toBe(0);
    expect(JSON.parse(after.out).rows).toEqual(before.rows);
    expect((await run('usage', '--from', '2026-01-01', '--cluster', 'nope')).code).not.toBe(0);
  });
});

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(dir)) {
    const p = join(dir, name);
    if ((await stat(p)).isDirectory()) out.push(...(await files(p)));
    else out.push(p);
  }
  return out;
}
