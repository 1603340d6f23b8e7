/**
 * `kubetally cluster add --pricing FILE` with a file that holds no sheet (empty, comments only, or
 * `null`), through the built bin: refused with exit 2 naming the file, and no cluster is registered,
 * where it used to register the cluster at the default prices as if --pricing had not been given.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliDataDir, type CliDataDir } from '../support/cli.js';
import { runBin } from '../support/run-bin.js';

let cli: CliDataDir;
const bin = (...args: string[]) => runBin(cli.env, ...args);

beforeAll(async () => {
  cli = await cliDataDir('kubetally-pricing-empty-');
  await writeFile(join(cli.dir, 'empty.json'), '');
  await writeFile(join(cli.dir, 'comments.yaml'), '# prices to come\n');
  await writeFile(join(cli.dir, 'null.json'), 'null\n');
});
afterAll(() => cli?.remove());

describe('cluster add --pricing with a file that holds no sheet', () => {
  it.each(['empty.json', 'comments.yaml', 'null.json'])('%s is refused (exit 2)', async (name) => {
    const file = join(cli.dir, name);
    expect(await bin('cluster', 'add', 'c1', '--in-cluster', '--pricing', file)).toEqual({
      code: 2,
      out: '',
      err:
        `error: ${file} holds no price sheet: it is empty\n` +
        'hint: write the prices as a JSON or YAML mapping, e.g. {"cpuCoreHour": 0.031611} (docs/pricing.md), or leave --pricing out for the default prices\n',
    });
  });

  it('registers nothing', async () => {
    const list = await bin('cluster', 'list', '-o', 'json');
    expect([list.code, JSON.parse(list.out)]).toEqual([0, { clusters: [] }]);
  });
});
