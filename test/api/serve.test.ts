/**
 * `kubetally serve` as a process: the first start generates an admin token and prints it once,
 * later starts say where to get one (and quote the URL of their curl example); the token works; no runtime warning is printed; SIGTERM stops the server
 * cleanly (exit status 0).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubetally } from '../support/processes.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubetally-serve-'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const env = () => ({ KUBETALLY_DATA_DIR: dir, KUBETALLY_ADMIN_TOKEN: '', KUBETALLY_ENCRYPTION_KEY: '' });
const start = () =>
  startKubetally(
    ['serve', '--port', '0', '--no-collect', '--database', dir],
    env(),
    /admin token[^\n]*\n[\s\S]*API docs/,
  );

describe('kubetally serve', () => {
  it('prints a generated admin token once, and stops cleanly on SIGTERM', async () => {
    const first = await start();
    const token = /admin token \(shown once; keep it\): (\S+)/.exec(first.output)?.[1];
    const url = /listening on (http:\/\/\S+)/.exec(first.output)?.[1];
    expect(token, first.output).toMatch(/^kt_/);
    // Nothing but what the user needs: no deprecation or other runtime warnings.
    expect(first.output).not.toMatch(/warning/i);
    const res = await fetch(`${url}/api/v1/clusters`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect((await fetch(`${url}/api/v1/clusters`)).status).toBe(401);
    const exited = new Promise<number | null>((r) => first.child.once('exit', (code) => r(code)));
    await first.stop();
    expect(await exited).toBe(0);

    const second = await start();
    expect(second.output).not.toMatch(/kt_/);
    // What to do without it: the embedded database must be free for `token create`.
    expect(second.output).toContain(
      'or KUBETALLY_ADMIN_TOKEN (lost it? stop this server, then run kubetally token create --role admin)',
    );
    // A URL with `?` quoted, so that it can be pasted into zsh as well.
    expect(second.output).toMatch(
      /try: curl -H "Authorization: Bearer <token>" 'http:\/\/[^']+\/api\/v1\/usage\?groupBy=owner'\n/,
    );
    const url2 = /listening on (http:\/\/\S+)/.exec(second.output)?.[1];
    const again = await fetch(`${url2}/api/v1/clusters`, { headers: { authorization: `Bearer ${token}` } });
    expect(again.status).toBe(200);
    await second.stop();
  }, 60_000);
});
