/**
 * A file that cannot be read is named with why in words, through the built bin: "no such file
 * (ENOENT)", "it is a directory, not a file (EISDIR)", where the message used to end in the bare
 * errno code. `cluster add --kubeconfig` exits 3 (the kubeconfig cannot be used), `--pricing` and
 * `simulate --scenario` exit 2.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliDataDir, type CliDataDir } from '../support/cli.js';
import { runBin } from '../support/run-bin.js';

let cli: CliDataDir;
const bin = (...args: string[]) => runBin(cli.env, ...args);

beforeAll(async () => {
  cli = await cliDataDir('kubetally-file-errors-');
});
afterAll(() => cli?.remove());

describe('files that cannot be read', () => {
  it('cluster add --kubeconfig of a missing file: no such file (exit 3)', async () => {
    const file = join(cli.dir, 'missing.kubeconfig');
    expect(await bin('cluster', 'add', 'c1', '--kubeconfig', file)).toEqual({
      code: 3,
      out: '',
      err: `error: cannot read ${file}: no such file (ENOENT)\nhint: check the path\n`,
    });
  });

  it('cluster add --kubeconfig of a directory: it is a directory (exit 3)', async () => {
    expect(await bin('cluster', 'add', 'c1', '--kubeconfig', cli.dir)).toEqual({
      code: 3,
      out: '',
      err: `error: cannot read ${cli.dir}: it is a directory, not a file (EISDIR)\nhint: check the path\n`,
    });
  });

  it('cluster add --pricing of a missing file: no such file (exit 2)', async () => {
    const file = join(cli.dir, 'prices.yaml');
    expect(await bin('cluster', 'add', 'c1', '--in-cluster', '--pricing', file)).toEqual({
      code: 2,
      out: '',
      err: `error: cannot read ${file}: no such file (ENOENT)\nhint: check the path\n`,
    });
  });

  it('simulate --scenario of a missing file: no such file (exit 2)', async () => {
    const r = await bin('simulate', '--scenario', 'no-such-scenario.yaml', '--port', '0');
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toMatch(
      /^error: cannot read scenario "no-such-scenario\.yaml" \(\S*no-such-scenario\.yaml\): no such file \(ENOENT\)\nhint: use one of the bundled scenarios/,
    );
  });
});
