/**
 * `kubetally token create | list | revoke` in-process over a data directory: a token is printed
 * once, listed only by its id, works until revoked, and its secret is in no file of the data dir.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/context.js';
import { runCli } from '../support/cli.js';

let dataDir: string;
let env: NodeJS.ProcessEnv;

const run = (...args: string[]) => runCli(env, ...args);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kubetally-token-'));
  env = { KUBETALLY_DATA_DIR: dataDir, KUBETALLY_ENCRYPTION_KEY: 'cd'.repeat(32) };
});

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(dir)) {
    const p = join(dir, name);
    out.push(...((await stat(p)).isDirectory() ? await files(p) : [p]));
  }
  return out;
}

describe('kubetally token', () => {
  it('creates, lists and revokes a token', async () => {
    // A user token without --tenant belongs to the tenant default.
    const created = await run('token', 'create', '--role', 'user', '--owner', 'alice');
    expect(created.code, created.err).toBe(0);
    const token = created.out.trim();
    expect(token).toMatch(/^kt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const id = token.split('_')[1]!;
    expect(created.err).toMatch(/shown only now/);

    const listed = await run('token', 'list');
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(new RegExp(`${id}\\s+user\\s+default\\s+alice .* live`));
    expect(listed.out).not.toContain(token);
    const json = JSON.parse((await run('token', 'list', '-o', 'json')).out);
    expect(json.tokens.find((t: { id: string }) => t.id === id)).toMatchObject({
      role: 'user',
      tenant: 'default',
      owner: 'alice',
      revoked: false,
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/),
    });

    const ctx = await openApp({ env });
    try {
      expect((await ctx.store.findToken(token))?.owner).toBe('alice');
    } finally {
      await ctx.close();
    }
    for (const f of await files(dataDir))
      expect((await readFile(f)).includes(Buffer.from(token)), f).toBe(false);

    expect((await run('token', 'revoke', id)).code).toBe(0);
    expect((await run('token', 'list')).out).toMatch(new RegExp(`${id} .* revoked`));
    // Revoking again changes nothing (as DELETE /api/v1/tokens/{id}); an unknown id is not found.
    expect((await run('token', 'revoke', id)).code).toBe(0);
    const unknown = await run('token', 'revoke', '0123456789ab');
    expect(unknown.code).toBe(9);
    const ctx2 = await openApp({ env });
    try {
      expect(await ctx2.store.findToken(token)).toBeUndefined();
    } finally {
      await ctx2.close();
    }
  });

  it('revokes by the whole token, or kt_<id>, never repeating the secret', async () => {
    const create = async () => (await run('token', 'create', '--role', 'viewer')).out.trim();
    const whole = await create();
    const [, id, secret] = /^kt_([0-9a-f]+)_(.+)$/.exec(whole)!;
    const r = await run('token', 'revoke', whole);
    expect([r.code, r.err]).toEqual([0, expect.stringContaining(`token ${id} revoked`)]);
    expect(r.out + r.err).not.toContain(secret);
    expect((await run('token', 'list')).out).toMatch(new RegExp(`${id} .* revoked`));

    const short = (await create()).split('_').slice(0, 2).join('_');
    expect((await run('token', 'revoke', short)).code).toBe(0);

    // Not found: the argument may be a secret, so only its id is repeated.
    const unknown = await run('token', 'revoke', `kt_0123456789ab_${secret}`);
    expect([unknown.code, unknown.err]).toEqual([9, expect.stringContaining('no token 0123456789ab')]);
    expect(unknown.err).not.toContain(secret);
    const other = await run('token', 'revoke', 'not-a-token-but-a-secret-value');
    expect(other.code).toBe(9);
    expect(other.err).not.toContain('secret-value');
    expect(other.err).toMatch(/^error: .+\nhint: .+/);

    // A bootstrap token (KUBETALLY_ADMIN_TOKEN) has no kt_ form: it is found by its hash.
    const bootstrap = 'ab12'.repeat(12);
    const ctx = await openApp({ env });
    let bootstrapId: string;
    try {
      bootstrapId = (await ctx.store.createToken({ role: 'admin' }, bootstrap)).record.id;
    } finally {
      await ctx.close();
    }
    const b = await run('token', 'revoke', bootstrap);
    expect([b.code, b.err]).toEqual([0, expect.stringContaining(`token ${bootstrapId} revoked`)]);
    expect(b.err).not.toContain(bootstrap);
  });

  it('refuses a user token without an owner, and an unknown tenant', async () => {
    expect((await run('token', 'create', '--role', 'user', '--tenant', 'default')).code).not.toBe(0);
    const r = await run('token', 'create', '--role', 'viewer', '--tenant', 'nosuch');
    // 9, not found, as for `usage --tenant nosuch`.
    expect(r.code).toBe(9);
    expect(r.err).toMatch(/tenant nosuch does not exist/);
    // The CLI's own way to make one is named first.
    expect(r.err).toContain(
      'hint: register a cluster in it (kubetally cluster add NAME --kubeconfig FILE --tenant nosuch) or create it with POST /api/v1/tenants, or use --tenant default',
    );
  });
});
