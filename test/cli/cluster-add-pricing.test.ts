/**
 * `kubetally cluster add --pricing FILE` registers a cluster with its price sheet, as `POST
 * /api/v1/clusters {pricing}` does. Without it a cluster gets the SPEC §7 defaults (USD), which a
 * tenant that prices in another currency refuses: the hint says how to give the sheet.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliDataDir, type CliDataDir } from '../support/cli.js';

let cli: CliDataDir;
const run = (...args: string[]) => cli.run(...args);

beforeAll(async () => {
  cli = await cliDataDir('kubetally-add-pricing-');
  await writeFile(join(cli.dir, 'eur.yaml'), 'currency: EUR\ncpuCoreHour: "0.029"\nbasis: request\n');
  await writeFile(join(cli.dir, 'eur.json'), '{"currency": "EUR", "gpuHour": "0.87"}');
  await writeFile(join(cli.dir, 'bad.json'), '{"currency": "EUR", "cpuCoreHour": -1, "gpuhour": 1}');
}, 60_000);

afterAll(() => cli?.remove());

describe('cluster add --pricing', () => {
  it('registers the cluster with the sheet of a YAML or JSON file', async () => {
    const eu1 = await run(
      'cluster',
      'add',
      'eu1',
      '--in-cluster',
      '--tenant',
      'eu',
      '--pricing',
      join(cli.dir, 'eur.yaml'),
    );
    expect([eu1.code, eu1.err]).toEqual([0, '']);
    const eu2 = await run(
      'cluster',
      'add',
      'eu2',
      '--in-cluster',
      '--tenant',
      'eu',
      '--pricing',
      join(cli.dir, 'eur.json'),
    );
    expect([eu2.code, eu2.err]).toEqual([0, '']);
    // Nothing billed yet: the costs name the currency of the clusters' sheets.
    const costs = await run('costs', '--tenant', 'eu', '-o', 'json');
    expect(costs.code, costs.err).toBe(0);
    expect(JSON.parse(costs.out)).toMatchObject({ currency: 'EUR', rows: [] });
  });

  it('without it, in a tenant that prices in EUR, says to give the sheet (exit 2)', async () => {
    const r = await run('cluster', 'add', 'eu3', '--in-cluster', '--tenant', 'eu');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: tenant eu prices its clusters in EUR \(cluster eu\d\)/);
    expect(r.err).toMatch(/\nhint: give the cluster a price sheet in EUR: --pricing FILE/);
  });

  it('refuses a bad sheet naming every field, and a file it cannot read (exit 2)', async () => {
    const addEu4 = (pricing: string) =>
      run('cluster', 'add', 'eu4', '--in-cluster', '--tenant', 'eu', '--pricing', pricing);
    const bad = await addEu4(join(cli.dir, 'bad.json'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(
      /cpuCoreHour: must not be negative \(got -1\); unknown field "gpuhour" \(did you mean gpuHour\?\)/,
    );
    const missing = await addEu4(join(cli.dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(
      /^error: cannot read .*nope\.json: no such file \(ENOENT\)\nhint: check the path\n/,
    );
    // Not a file of a few kilobytes: refused after 1 MiB, not read until memory runs out.
    const endless = await addEu4('/dev/zero');
    expect(endless.code).toBe(2);
    expect(endless.err).toMatch(
      /^error: \/dev\/zero is larger than 1024 KiB: not a price sheet\nhint: give the price sheet file/,
    );
    expect((await run('cluster', 'list', '--tenant', 'eu', '-o', 'json')).out).not.toContain('eu4');
  });
});
