/**
 * `kubetally cluster add` with a name that is not a DNS label, through the built bin: the hint
 * gives the whole rule (the ends and the length), so that a name refused for being 64 characters
 * long or ending in a dash says why, where "lower-case letters, digits and dashes" did not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliDataDir, type CliDataDir } from '../support/cli.js';
import { runBin } from '../support/run-bin.js';

let cli: CliDataDir;
const bin = (...args: string[]) => runBin(cli.env, ...args);

beforeAll(async () => {
  cli = await cliDataDir('kubetally-cluster-names-');
});
afterAll(() => cli?.remove());

const RULE =
  'use lower-case letters, digits and dashes, starting and ending with a letter or digit, at most 63 characters (a DNS label)';

describe('cluster add: names that are not DNS labels', () => {
  it.each(['a'.repeat(64), 'prod-', 'Prod', 'prod_1', 'prød'])(
    'refuses "%s" with the whole rule (exit 2)',
    async (name) => {
      expect(await bin('cluster', 'add', name, '--in-cluster')).toEqual({
        code: 2,
        out: '',
        err: `error: invalid cluster name "${name}"\nhint: ${RULE}\n`,
      });
    },
  );

  it('refuses a tenant name the same way', async () => {
    expect(await bin('cluster', 'add', 'prod', '--in-cluster', '--tenant', 'Acme Corp')).toEqual({
      code: 2,
      out: '',
      err: `error: invalid tenant name "Acme Corp"\nhint: ${RULE}, as the API does\n`,
    });
  });

  it('takes a name of 63 characters', async () => {
    const r = await bin('cluster', 'add', 'a'.repeat(63), '--in-cluster');
    expect([r.code, r.err]).toEqual([0, '']);
  });
});
