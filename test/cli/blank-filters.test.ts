/**
 * Filters that match nothing say so, through the built `kubetally` bin: an empty `--owner`,
 * `--project`, `--cluster` or `--tenant` (an unset shell variable) is refused with exit 2, as the
 * API refuses `owner=`, rather than printing "No usage recorded"; and `token list --tenant` of an
 * unknown tenant names the known ones (exit 9), as GET /api/v1/tokens?tenant= answers 404, rather
 * than an empty table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../support/run-bin.js';
import { cliDataDir, type CliDataDir } from '../support/cli.js';

let cli: CliDataDir;

beforeAll(async () => {
  cli = await cliDataDir('kubetally-blank-');
  expect((await cli.run('cluster', 'add', 'c1', '--in-cluster', '--tenant', 'acme')).code).toBe(0);
}, 60_000);
afterAll(() => cli?.remove());

const bin = (...args: string[]) => runBin(cli.env, ...args);

describe('blank filters', () => {
  it.each([
    ['usage', 'owner'],
    ['costs', 'project'],
    ['usage', 'cluster'],
    ['costs', 'tenant'],
    ['collect', 'cluster'],
  ])('%s --%s "" is refused naming the flag (exit 2)', async (command, key) => {
    expect(await bin(command, `--${key}`, '')).toEqual({
      code: 2,
      out: '',
      err: `error: --${key} is empty\nhint: name one ${key}, or leave --${key} out for every ${key}\n`,
    });
  });

  it('a blank filter of spaces is refused too', async () => {
    const r = await bin('usage', '--owner', '  ');
    expect([r.code, r.err]).toEqual([2, expect.stringMatching(/^error: --owner is empty\n/)]);
  });
});

describe('token list --tenant', () => {
  it('an unknown tenant is an error naming the known ones (exit 9)', async () => {
    expect(await bin('token', 'list', '--tenant', 'nosuch')).toEqual({
      code: 9,
      out: '',
      err: 'error: no tenant named nosuch\nhint: the tenants are acme, default\n',
    });
  });

  it('a known tenant lists its tokens only', async () => {
    expect((await bin('token', 'create', '--role', 'viewer', '--tenant', 'acme')).code).toBe(0);
    expect((await bin('token', 'create', '--role', 'viewer')).code).toBe(0);
    const r = await bin('token', 'list', '--tenant', 'acme', '-o', 'json');
    expect(r.code).toBe(0);
    const tokens = (JSON.parse(r.out) as { tokens: { tenant: string; role: string }[] }).tokens;
    expect(tokens.map((t) => [t.tenant, t.role])).toEqual([['acme', 'viewer']]);
  });
});
