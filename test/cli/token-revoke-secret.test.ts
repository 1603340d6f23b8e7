/**
 * `kubetally token revoke SECRET` of a bootstrap token (a KUBETALLY_ADMIN_TOKEN has no `kt_<id>`
 * form), through the built bin: revoked, then revoked again, which holds (exit 0) and is said as
 * docs/cli.md words it for any token, `token ID was already revoked at T: nothing changed`, where
 * the second run used to say only "the token given was already revoked". The secret is never
 * repeated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/context.js';
import { cliDataDir, type CliDataDir } from '../support/cli.js';
import { runBin } from '../support/run-bin.js';

let cli: CliDataDir;
let id: string;
const SECRET = 'bootstrap-secret-0123456789abcdef';
const bin = (...args: string[]) => runBin(cli.env, ...args);

beforeAll(async () => {
  cli = await cliDataDir('kubetally-revoke-secret-');
  // As `serve` registers KUBETALLY_ADMIN_TOKEN at its first start.
  const ctx = await openApp({ env: cli.env });
  try {
    id = (await ctx.store.createToken({ role: 'admin', description: 'bootstrap' }, SECRET)).record.id;
  } finally {
    await ctx.close();
  }
}, 60_000);
afterAll(() => cli?.remove());

describe('token revoke of a secret without the kt_ form', () => {
  it('revokes it, then says it was revoked already, naming its id and time (exit 0)', async () => {
    const first = await bin('token', 'revoke', SECRET);
    expect(first).toEqual({
      code: 0,
      out: '',
      err: `token ${id} revoked; a running server stops accepting it within 5 s\n`,
    });
    const again = await bin('token', 'revoke', SECRET);
    expect([again.code, again.out]).toEqual([0, '']);
    expect(again.err).toMatch(
      new RegExp(`^token ${id} was already revoked at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z: nothing changed\\n$`),
    );
    expect(again.err).not.toContain(SECRET);
  });

  it('an unknown secret is still not found (exit 9), and not repeated', async () => {
    const r = await bin('token', 'revoke', 'no-such-secret-0123456789');
    expect(r).toEqual({
      code: 9,
      out: '',
      err: 'error: no token is named by what was given\nhint: give its id (kubetally token list shows them), kt_<id>, or the whole token\n',
    });
  });
});
