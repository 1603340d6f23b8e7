/**
 * The compute type grouping is spelt `compute-type` by SPEC §4 for `top` and `computeType` by the
 * API's `groupBy` (SPEC §5), which `usage` and `costs` take: every command accepts both spellings,
 * so that the same `--by` works on the live view and on the ledger. An unknown key is still
 * refused with exit 2 and the keys it takes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';
import { cliDataDir, type CliDataDir } from '../support/cli.js';

let sim: TestSimulator;
let cli: CliDataDir;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
  sim.clock.advance(3_600_000);
  cli = await cliDataDir('kubetally-by-');
}, 60_000);
afterAll(async () => {
  await sim?.stop();
  await cli?.remove();
});

const top = (...args: string[]) => cli.run('top', '--kubeconfig', sim.kubeconfigPath, ...args);

describe('--by compute type, in both spellings', () => {
  it('top takes computeType as it takes compute-type: the same rows', async () => {
    const spec = await top('--by', 'compute-type', '-o', 'json');
    const api = await top('--by', 'computeType', '-o', 'json');
    expect([spec.code, spec.err]).toEqual([0, '']);
    expect([api.code, api.err]).toEqual([0, '']);
    expect(JSON.parse(api.out)).toEqual(JSON.parse(spec.out));
    expect(JSON.parse(api.out).groupBy).toEqual(['computeType']);
    const table = await top('--by', 'computeType');
    expect(table.out.split('\n')[0]).toMatch(/^COMPUTE TYPE\s+PODS\s+CPU\(cores\)/);
  });

  it('usage takes compute-type as it takes computeType', async () => {
    for (const by of ['compute-type', 'computeType']) {
      const r = await cli.run('usage', '--by', by, '-o', 'json');
      expect([r.code, JSON.parse(r.out).groupBy], r.err).toEqual([0, ['computeType']]);
    }
  });

  it('top refuses a key it does not take, exit 2, naming those it takes', async () => {
    const r = await top('--by', 'cluster');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "error: option '--by <group>' argument 'cluster' is invalid. Allowed choices are owner, project, namespace, compute-type (or computeType), pod.\n",
    );
  });
});
