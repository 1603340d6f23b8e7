/**
 * Security of the HTTP API (issue 6): every role against every endpoint, tenants that never see
 * each other (foreign objects answer 404 like unknown ones), the uploaded kubeconfig's secret in
 * no response, log line or file of the data directory, bad input always a 4xx with a message,
 * and a fuzz of every endpoint that never gets a 5xx.
 */
import { buildServer } from '../../src/api/server.js';
import { spawnSync } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from '../../src/simulator/index.js';
import { generateTls } from '../../src/simulator/server/tls.js';
import { startTestServer, type TestServer } from './support.js';

type Who = 'admin' | 'acmeAdmin' | 'acmeViewer' | 'alice' | 'globexViewer' | 'anonymous';
const WHO: Who[] = ['admin', 'acmeAdmin', 'acmeViewer', 'alice', 'globexViewer', 'anonymous'];

let server: TestServer;
let sim: SimulatorHandle;
const tokens = {} as Record<Who, string | null>;
const responses: string[] = [];

async function call(who: Who, method: string, path: string, body?: unknown) {
  const r = await server.call(method, path, { token: tokens[who], ...(body === undefined ? {} : { body }) });
  responses.push(r.text);
  return r;
}

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'demo', clock: 'manual' });
  server = await startTestServer();
  tokens.admin = 'admin-token-for-tests-0123456789';
  tokens.anonymous = null;
  for (const t of ['acme', 'globex'])
    expect((await call('admin', 'POST', '/api/v1/tenants', { name: t })).status).toBe(201);
  const make = async (body: unknown) =>
    (await call('admin', 'POST', '/api/v1/tokens', body)).json().token as string;
  tokens.acmeAdmin = await make({ role: 'admin', tenant: 'acme' });
  tokens.acmeViewer = await make({ role: 'viewer', tenant: 'acme' });
  tokens.alice = await make({ role: 'user', tenant: 'acme', owner: 'alice' });
  tokens.globexViewer = await make({ role: 'viewer', tenant: 'globex' });
  const created = await call('admin', 'POST', '/api/v1/clusters', {
    name: 'sim',
    tenant: 'acme',
    kubeconfig: sim.kubeconfig,
  });
  expect(created.status, created.text).toBe(201);
  for (let i = 0; i < 3; i++) {
    expect((await call('admin', 'POST', '/api/v1/clusters/sim/collect?tenant=acme')).status).toBe(200);
    sim.clock.advance(10 * 60_000);
  }
  expect(
    (
      await call('admin', 'POST', '/api/v1/accounts/alice/credits?tenant=acme', {
        amount: 5,
        reason: 'welcome',
      })
    ).status,
  ).toBe(201);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await sim?.close();
});

// Expected status per caller; `ok` stands for any 2xx.
const ok = 'ok' as const;
type Expect = Record<Who, number | typeof ok>;
const admins = (rest: number, foreign = 404): Expect => ({
  admin: ok,
  acmeAdmin: ok,
  acmeViewer: rest,
  alice: rest,
  globexViewer: foreign,
  anonymous: 401,
});
const readers = (user: number | typeof ok): Expect => ({
  admin: ok,
  acmeAdmin: ok,
  acmeViewer: ok,
  alice: user,
  globexViewer: 404,
  anonymous: 401,
});

const MATRIX: [string, string, unknown, Expect][] = [
  ['GET', '/api/v1/clusters?tenant=acme', undefined, readers(403)],
  ['GET', '/api/v1/clusters/sim?tenant=acme', undefined, readers(403)],
  ['GET', '/api/v1/clusters/sim/status?tenant=acme', undefined, readers(403)],
  ['PATCH', '/api/v1/clusters/sim?tenant=acme', { collection: { sampleEvery: '60s' } }, admins(403)],
  ['POST', '/api/v1/clusters/sim/test?tenant=acme', undefined, admins(403)],
  ['POST', '/api/v1/clusters/sim/collect?tenant=acme', undefined, admins(403)],
  ['GET', '/api/v1/usage?tenant=acme&groupBy=owner', undefined, readers(ok)],
  ['GET', '/api/v1/users/alice/usage?tenant=acme', undefined, readers(ok)],
  ['GET', '/api/v1/costs?tenant=acme', undefined, readers(ok)],
  ['GET', '/api/v1/costs/clusters?tenant=acme', undefined, readers(403)],
  ['GET', '/api/v1/expenses?tenant=acme', undefined, readers(403)],
  ['GET', '/api/v1/savings?tenant=acme', undefined, readers(403)],
  ['GET', '/api/v1/accounts?tenant=acme', undefined, readers(ok)],
  ['GET', '/api/v1/accounts/alice?tenant=acme', undefined, readers(ok)],
  ['PUT', '/api/v1/accounts/alice?tenant=acme', { externalId: 'u-alice' }, admins(403)],
  ['POST', '/api/v1/accounts/alice/credits?tenant=acme', { amount: '1.5', reason: 'test' }, admins(403)],
  ['GET', '/api/v1/live/users/alice?tenant=acme', undefined, readers(ok)],
  ['GET', '/api/v1/live/projects/fraud-alice?tenant=acme', undefined, readers(403)],
  ['POST', '/api/v1/tokens', { role: 'viewer', tenant: 'acme' }, admins(403, 403)],
  ['GET', '/api/v1/tokens?tenant=acme', undefined, admins(403, 403)],
  ['DELETE', '/api/v1/tokens/0123456789ab', undefined, { ...admins(403, 403), admin: 404, acmeAdmin: 404 }],
  ['GET', '/api/v1/openapi.json', undefined, { ...readers(ok), globexViewer: ok }],
  ['GET', '/healthz', undefined, { ...readers(ok), globexViewer: ok, anonymous: ok }],
  ['GET', '/readyz', undefined, { ...readers(ok), globexViewer: ok, anonymous: ok }],
  ['GET', '/metrics', undefined, { ...readers(ok), globexViewer: ok, anonymous: ok }],
  ['GET', '/docs/', undefined, { ...readers(ok), globexViewer: ok, anonymous: ok }],
];

describe('every role against every endpoint', () => {
  it.each(MATRIX)('%s %s', async (method, path, body, expected) => {
    for (const who of WHO) {
      // Re-upload the same kubeconfig where a PUT needs one; other bodies as given.
      const r = await call(who, method, path, body);
      const want = expected[who];
      if (want === ok) expect(r.status, `${who}: ${r.text}`).toBeLessThan(300);
      else expect(r.status, `${who}: ${r.text}`).toBe(want);
      if (r.status >= 400) expect(r.json().error.message, who).toEqual(expect.any(String));
    }
  });

  it('lets only an admin of every tenant create tenants', async () => {
    expect((await call('admin', 'POST', '/api/v1/tenants', { name: 'initech' })).status).toBe(201);
    for (const who of ['acmeAdmin', 'acmeViewer', 'alice', 'globexViewer'] as Who[]) {
      expect((await call(who, 'POST', '/api/v1/tenants', { name: 'hooli' })).status).toBe(403);
    }
    expect((await call('anonymous', 'POST', '/api/v1/tenants', { name: 'hooli' })).status).toBe(401);
  });

  it('registers and removes a cluster only as an admin of its tenant', async () => {
    const want: Record<Who, number> = {
      admin: 201,
      acmeAdmin: 201,
      acmeViewer: 403,
      alice: 403,
      globexViewer: 404,
      anonymous: 401,
    };
    for (const [i, who] of WHO.entries()) {
      const name = `tmp-${i}`;
      const body = { name, tenant: 'acme', kubeconfig: sim.kubeconfig };
      expect((await call(who, 'POST', '/api/v1/clusters', body)).status, who).toBe(want[who]);
      const removed = await call(who, 'DELETE', `/api/v1/clusters/${name}?tenant=acme`);
      const gone = want[who] === 201 ? 204 : want[who] === 401 ? 401 : 404;
      // Nothing was created for the refused callers, so their DELETE finds nothing (or is 401).
      expect(removed.status, who).toBe(gone);
      if (want[who] !== 201) await call('admin', 'DELETE', `/api/v1/clusters/${name}?tenant=acme`);
    }
  });

  it("lends kubetally's own service account (in-cluster) to admins of every tenant only", async () => {
    // It reads the cluster kubetally runs in: another tenant's workloads, for a tenant's admin.
    const body = { name: 'host', tenant: 'acme', inCluster: true };
    const refused = await call('acmeAdmin', 'POST', '/api/v1/clusters', body);
    expect([refused.status, refused.json().error.message]).toEqual([
      403,
      "only an admin of every tenant registers a cluster in-cluster (with kubetally's own service account)",
    ]);
    expect((await call('acmeAdmin', 'GET', '/api/v1/clusters/host')).status).toBe(404);
    expect((await call('admin', 'POST', '/api/v1/clusters', body)).status).toBe(201);
    expect((await call('acmeAdmin', 'GET', '/api/v1/clusters/host')).json().connection).toBe('in-cluster');
    expect((await call('admin', 'DELETE', '/api/v1/clusters/host?tenant=acme')).status).toBe(204);
  });

  it('lists tokens without their secret, and revokes them by id', async () => {
    const made = (await call('admin', 'POST', '/api/v1/tokens', { role: 'viewer', tenant: 'acme' })).json();
    const listed = (await call('acmeAdmin', 'GET', '/api/v1/tokens')).json().tokens as { id: string }[];
    expect(listed.map((t) => t.id)).toContain(made.id);
    expect(JSON.stringify(listed)).not.toContain(made.token);
    // A tenant's admin neither sees nor revokes the tokens of every tenant or of another tenant.
    expect(listed.every((t) => (t as unknown as { tenant: string }).tenant === 'acme')).toBe(true);
    const globex = (
      await call('admin', 'POST', '/api/v1/tokens', { role: 'viewer', tenant: 'globex' })
    ).json();
    expect((await call('acmeAdmin', 'DELETE', `/api/v1/tokens/${globex.id}`)).status).toBe(404);
    expect((await call('acmeAdmin', 'DELETE', `/api/v1/tokens/${made.id}`)).status).toBe(204);
    // Revoking again changes nothing (DELETE is idempotent), and says so (token-revoke-again.test.ts).
    const again = await call('acmeAdmin', 'DELETE', `/api/v1/tokens/${made.id}`);
    expect([again.status, again.json().alreadyRevoked]).toEqual([200, true]);
    expect((await call('acmeAdmin', 'DELETE', '/api/v1/tokens/0123456789ab')).status).toBe(404);
    // Checked in the store, not over HTTP: a refused token would count as a failed attempt.
    expect(await server.ctx.store.findToken(made.token)).toBeUndefined();
    expect(await server.ctx.store.findToken(globex.token)).toBeDefined();
  });

  it('replaces a kubeconfig only as an admin of its tenant', async () => {
    const body = { kubeconfig: sim.kubeconfig };
    expect((await call('acmeAdmin', 'PUT', '/api/v1/clusters/sim/kubeconfig?tenant=acme', body)).status).toBe(
      200,
    );
    expect(
      (await call('acmeViewer', 'PUT', '/api/v1/clusters/sim/kubeconfig?tenant=acme', body)).status,
    ).toBe(403);
    expect(
      (await call('globexViewer', 'PUT', '/api/v1/clusters/sim/kubeconfig?tenant=acme', body)).status,
    ).toBe(404);
  });
});

describe('tenancy and owners', () => {
  it('answers 404 alike for foreign and unknown objects', async () => {
    const foreign = await call('globexViewer', 'GET', '/api/v1/clusters/sim?tenant=acme');
    const unknown = await call('globexViewer', 'GET', '/api/v1/clusters/nosuch');
    expect([foreign.status, unknown.status]).toEqual([404, 404]);
    // Without naming a tenant, a tenant's token reads its own: acme's cluster is not there.
    expect((await call('globexViewer', 'GET', '/api/v1/clusters/sim')).status).toBe(404);
    expect((await call('globexViewer', 'GET', '/api/v1/clusters')).json().clusters).toEqual([]);
  });

  it("gives a user token its owner's usage only", async () => {
    const rows = (await call('alice', 'GET', '/api/v1/usage?groupBy=owner&from=2026-01-01')).json().rows as {
      owner: string;
    }[];
    expect(rows.length, JSON.stringify(rows)).toBeGreaterThan(0);
    expect(rows.every((r) => r.owner === 'alice')).toBe(true);
    expect((await call('alice', 'GET', '/api/v1/users/bob/usage')).status).toBe(404);
    expect((await call('alice', 'GET', '/api/v1/accounts/bob')).status).toBe(404);
    // The list of accounts is its own account alone (none yet: an empty list, not a 404).
    const listed = (await call('alice', 'GET', '/api/v1/accounts')).json().accounts as { owner: string }[];
    expect(listed.map((a) => a.owner)).toEqual(['alice']);
    expect((await call('alice', 'GET', '/api/v1/usage?owner=bob')).status).toBe(404);
  });

  it('tells a user token where its usage has gaps, without the reasons only admins may read', async () => {
    const path = '/api/v1/usage?groupBy=owner&from=2026-01-01';
    const full = (await call('acmeViewer', 'GET', path)).json().gaps as { reason: string }[];
    const mine = (await call('alice', 'GET', path)).json().gaps as { reason: string }[];
    expect(full.length).toBeGreaterThan(0);
    expect(mine.map((g) => ({ ...g, reason: undefined }))).toEqual(
      full.map((g) => ({ ...g, reason: undefined })),
    );
    for (const g of mine) expect(g.reason).toMatch(/^[^:]+: not collected \(an admin sees why\)$/);
  });

  it("tells a user token that its cluster could not be read live, not the server's address", async () => {
    const body = { name: 'down', tenant: 'acme', kubeconfig: kubeconfigFor('https://127.0.0.1:1') };
    expect((await call('admin', 'POST', '/api/v1/clusters', body)).status).toBe(201);
    const path = '/api/v1/live/users/alice?tenant=acme&cluster=down';
    const viewer = await call('acmeViewer', 'GET', path);
    expect([viewer.status, viewer.json().error.message]).toEqual([
      502,
      expect.stringContaining('127.0.0.1:1'),
    ]);
    const user = await call('alice', 'GET', path);
    expect([user.status, user.json().error]).toEqual([
      502,
      {
        code: 'UNREACHABLE',
        message: 'cluster down could not be read live (UNREACHABLE)',
        hint: 'try again in a while; an admin of the tenant sees why',
      },
    ]);
    expect((await call('admin', 'DELETE', '/api/v1/clusters/down?tenant=acme')).status).toBe(204);
  });

  it('sees every tenant as the all-tenant admin, one as a viewer', async () => {
    const all = (await call('admin', 'GET', '/api/v1/clusters')).json().clusters as { tenant: string }[];
    expect(all.map((c) => c.tenant)).toContain('acme');
    const usage = (await call('globexViewer', 'GET', '/api/v1/usage?groupBy=owner&from=2026-01-01')).json();
    expect(usage.rows).toEqual([]);
  });
});

const kubeconfigFor = (server: string) =>
  `apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters: [{name: k, cluster: {server: "${server}"}}]\n` +
  'users: [{name: u, user: {token: abc}}]\ncontexts: [{name: c, context: {cluster: k, user: u}}]\n';

describe('bad input', () => {
  it.each([
    [
      'a kubeconfig whose server is not a URL',
      { body: { name: 'u1', kubeconfig: kubeconfigFor('https://[::1') } },
      400,
      /INVALID_KUBECONFIG.*is not a URL/,
    ],
    [
      'a plain-http kubeconfig not allowed',
      { body: { name: 'u2', kubeconfig: kubeconfigFor('http://127.0.0.1:1') } },
      400,
      /INVALID_KUBECONFIG.*uses plain http/,
    ],
    ['malformed JSON', { raw: '{"name": "x",' }, 400, /JSON/],
    ['a wrong type', { body: { name: 5, kubeconfig: 'x' } }, 400, /body\/name must be string/],
    [
      'an unknown field',
      { body: { name: 'x', kubeconfig: 'x', bogus: true } },
      400,
      /unknown body field "bogus"/,
    ],
    [
      'a body over 1 MiB',
      { body: { name: 'big', kubeconfig: 'x'.repeat(1_100_000) } },
      413,
      /1 MiB|too large/i,
    ],
    [
      'a kubeconfig that runs a command',
      {
        body: {
          name: 'evil',
          kubeconfig: kubeconfigFor('https://10.0.0.1').replace('{token: abc}', '{exec: {command: sh}}'),
        },
      },
      400,
      /INVALID_KUBECONFIG.*exec/,
    ],
    [
      'a currency other than the one the tenant prices in',
      { body: { name: 'eur', kubeconfig: kubeconfigFor('https://10.0.0.1'), pricing: { currency: 'EUR' } } },
      400,
      /INVALID_ARGUMENT.*tenant acme has been billed in USD: pricing in EUR would add two currencies/,
    ],
    [
      'attribution rules whose pattern is no regular expression',
      {
        body: {
          name: 'r1',
          kubeconfig: kubeconfigFor('https://10.0.0.1'),
          attribution: { computeTypeNameRules: [{ pattern: '[', type: 'x' }] },
        },
      },
      400,
      /INVALID_ARGUMENT.*computeTypeNameRules\.0\.pattern: "\[" is not a regular expression/,
    ],
    [
      'attribution rules whose pattern can take exponential time',
      {
        body: {
          name: 'r2',
          kubeconfig: kubeconfigFor('https://10.0.0.1'),
          attribution: { computeTypeNameRules: [{ pattern: '(a+)+$', type: 'x' }] },
        },
      },
      400,
      /INVALID_ARGUMENT.*repeats a group that holds/,
    ],
  ])('answers %s with a 4xx and a message naming it', async (_what, init, status, message) => {
    const withTenant = 'body' in init ? { body: { tenant: 'acme', ...init.body } } : init;
    const r = await server.call('POST', '/api/v1/clusters', withTenant as never);
    responses.push(r.text);
    expect(r.status, r.text).toBe(status);
    expect(`${r.json().error.code} ${r.json().error.message}`).toMatch(message);
  });

  it.each([
    ['a number for a name', '/api/v1/tenants', { name: 123 }, /must be string/],
    [
      'a string for a boolean',
      '/api/v1/clusters',
      { name: 'c9', tenant: 'acme', inCluster: 'true' },
      /inCluster must be boolean/,
    ],
    [
      'an owner on an admin token',
      '/api/v1/tokens',
      { role: 'admin', owner: 'bob' },
      /admin token has no owner/,
    ],
    [
      'an owner on a viewer token',
      '/api/v1/tokens',
      { role: 'viewer', tenant: 'acme', owner: 'bob' },
      /viewer token has no owner/,
    ],
    ['a user token without its owner', '/api/v1/tokens', { role: 'user', tenant: 'acme' }, /needs an owner/],
    [
      'a user token for the idle share',
      '/api/v1/tokens',
      { role: 'user', tenant: 'acme', owner: '__idle__' },
      /__idle__ is not an account/,
    ],
    [
      'a credit to the unowned share',
      '/api/v1/accounts/__unowned__/credits?tenant=acme',
      { amount: '5', reason: 'x' },
      /__unowned__ is not an account/,
    ],
    [
      'a credit to a blank owner',
      '/api/v1/accounts/%20/credits?tenant=acme',
      { amount: '5', reason: 'x' },
      /blank/,
    ],
  ])('refuses %s (no coercion, no meaningless fields)', async (_what, path, body, message) => {
    const r = await server.call('POST', path, { body });
    expect(r.status, r.text).toBe(400);
    expect(r.json().error.message).toMatch(message);
  });

  it('reads a PATCH sent as application/merge-patch+json as JSON, and refuses __proto__ in it', async () => {
    const patch = (raw: string) =>
      server.call('PATCH', '/api/v1/clusters/sim?tenant=acme', {
        token: tokens.admin,
        raw,
        contentType: 'application/merge-patch+json',
      });
    const ok = await patch(JSON.stringify({ collection: { pageSize: 400 } }));
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json().collection.pageSize).toBe(400);
    expect((await patch('{"__proto__": {"x": 1}}')).status).toBe(400);
    expect((await patch('{')).status).toBe(400);
    // JSON sent as text/plain is told what to send, not that its body "must be object".
    const text = await server.call('PATCH', '/api/v1/clusters/sim?tenant=acme', {
      token: tokens.admin,
      raw: JSON.stringify({ collection: { pageSize: 400 } }),
      contentType: 'text/plain',
    });
    expect(text.status, text.text).toBe(415);
    expect(text.json().error).toMatchObject({
      message: 'the body was sent as text/plain, not JSON',
      hint: 'send Content-Type: application/json',
    });
  });

  it('answers a collection that could read nothing with 502, for cron jobs to see', async () => {
    const down = sim.kubeconfig.replace(/server: \S+/, 'server: https://127.0.0.1:1');
    const created = await call('admin', 'POST', '/api/v1/clusters', {
      name: 'down',
      tenant: 'globex',
      kubeconfig: down,
    });
    expect(created.status, created.text).toBe(201);
    const r = await call('admin', 'POST', '/api/v1/clusters/down/collect?tenant=globex');
    expect(r.status, r.text).toBe(502);
    expect(r.json().error).toMatchObject({ code: 'UNREACHABLE', hint: expect.stringContaining('/test') });
    expect(r.json().error.message).toMatch(/^cluster down: /);
    // The status says why, though no interval is written while the cluster cannot be read.
    const status = (await call('admin', 'GET', '/api/v1/clusters/down/status?tenant=globex')).json();
    expect(status.lastInterval).toBeNull();
    expect(status.lastSample).toMatchObject({ ok: false });
    expect(status.lastSample.errors[0]).toMatchObject({ source: 'inventory' });
    expect(status.lastSample.errors[0].error).toContain(r.json().error.message.replace('cluster down: ', ''));
    // Counted once, as an inventory error (not also as a failed round).
    const metrics = (await call('admin', 'GET', '/metrics')).text;
    const series = (kind: string) =>
      metrics
        .split('\n')
        .find((l) =>
          l.startsWith(`kubetally_collection_errors_total{tenant="globex",cluster="down",kind="${kind}"}`),
        );
    expect(series('inventory')).toMatch(/ 1$/);
    expect(series('round')).toMatch(/ 0$/);
    const healthy = (await call('admin', 'GET', '/api/v1/clusters/sim/status?tenant=acme')).json();
    expect(healthy.lastSample).toMatchObject({ ok: true, errors: [] });
    expect((await call('admin', 'DELETE', '/api/v1/clusters/down?tenant=globex')).status).toBe(204);
  });

  it.each([
    '/api/v1/usage?cluster=nosuch',
    '/api/v1/users/alice/usage?cluster=nosuch',
    '/api/v1/costs?cluster=nosuch&tenant=acme',
    '/api/v1/costs/clusters?cluster=nosuch',
    '/api/v1/expenses?cluster=nosuch',
    '/api/v1/savings?cluster=nosuch',
    '/api/v1/usage?tenant=nosuch',
    '/api/v1/expenses?tenant=nosuch',
    '/api/v1/accounts?tenant=nosuch',
    '/api/v1/clusters?tenant=nosuch',
  ])('answers %s with 404 (a filter that names nothing is not an empty answer)', async (path) => {
    const r = await server.call('GET', path);
    expect(r.status, r.text).toBe(404);
    expect(r.json().error.code).toBe('NOT_FOUND');
    expect(r.json().error.message).toMatch(/(cluster|tenant) nosuch not found/);
  });

  it.each([
    ['/api/v1/clusters/' + 'a'.repeat(300), 414, /longer than 253/],
    ['/api/v1/' + 'x'.repeat(70_000), 431, /over 16 KiB/],
  ])('answers an oversized request in the error shape (%#)', async (path, status, message) => {
    const r = await server.call('GET', path);
    expect(r.status).toBe(status);
    expect(r.json().error.code).toBe('INVALID_ARGUMENT');
    expect(r.json().error.message).toMatch(message);
  });

  it.each([
    ['/api/v1/clusters?format=csv', /^name,id,tenant,connection,/],
    ['/api/v1/tokens?format=csv', /^id,role,tenant,owner,description,createdAt,revoked\n/],
    ['/api/v1/accounts?format=csv&tenant=acme', /^(tenant|owner|\n)/],
    ['/api/v1/costs/clusters?format=csv', /^(cluster|\n)/],
    ['/api/v1/expenses?format=csv', /^(cloud_account_id|\n)/],
    ['/api/v1/savings?format=csv', /^(cluster|\n)/],
  ])('answers %s as CSV', async (path, header) => {
    const r = await server.call('GET', path);
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(r.text).toMatch(header);
    expect(r.text).not.toMatch(/\[object Object\]/);
  });

  it('refuses a credit too large to keep exactly', async () => {
    for (const amount of [1e30, '99999999999999999999999999999999999']) {
      const r = await call('admin', 'POST', '/api/v1/accounts/alice/credits?tenant=acme', {
        amount,
        reason: 'x',
      });
      expect(r.status, r.text).toBe(400);
      expect(r.json().error.message).toMatch(/at most/);
    }
  });

  it.each([
    ['/api/v1/usage?groupBy=planet', /groupBy/],
    ['/api/v1/usage?from=yesterday', /time/],
    ['/api/v1/usage?from=now&to=-1d', /before/],
    ['/api/v1/costs?step=fortnight', /step must be equal to one of the allowed values: .*\bday\b/],
    ['/api/v1/usage?format=xml', /format must be equal to one of the allowed values: json, csv/],
    ['/api/v1/usage?groupby=owner', /unknown query parameter "groupby"/],
    ['/api/v1/usage?from=-99999999d', /out of range/],
    ['/api/v1/costs?from=0000-01-01', /out of range/],
    ['/api/v1/expenses?from=2026-02-30', /invalid time "2026-02-30"/],
    ['/api/v1/clusters?verbose=1', /unknown query parameter "verbose"/],
    ['/api/v1/users/alice/usage?owner=bob', /unknown query parameter "owner"/],
    ['/api/v1/usage?from=2026-01-01&to=2026-01-01', /from and to are the same time .*: the range is empty/],
    ['/api/v1/accounts/alice?tenant=acme&from=2026-12-05&to=2026-12-04', /from .* must be before to/],
    ['/api/v1/accounts/alice?tenant=acme&limit=0', /querystring\/limit must be an integer from 1 to 1000$/],
    ['/api/v1/tokens?tenant=Acme', /querystring\/tenant must be a DNS label \(lower-case letters/],
  ])('answers %s with 400 naming the problem', async (path, message) => {
    const r = await call('admin', 'GET', path);
    expect(r.status).toBe(400);
    expect(r.json().error.message).toMatch(message);
  });

  it.each([
    ['POST', '/api/v1/tenants', { name: 'Team_A' }, /body\/name must be a DNS label/],
    ['POST', '/api/v1/clusters', { name: 'Prod.1', inCluster: true }, /body\/name must be a DNS label/],
    ['DELETE', '/api/v1/tokens/kt_XYZ', undefined, /params\/id must be a token id \(the hex digits/],
  ])(
    'answers %s %s with 400 saying what the value should be, not a pattern',
    async (method, path, body, message) => {
      const r = await call('admin', method, path, body);
      expect(r.status).toBe(400);
      expect(r.json().error.message).toMatch(message);
      expect(r.json().error.message).not.toMatch(/pattern/);
    },
  );
});

/** The simulator's kubeconfig with a client certificate and key instead of its token. */
function withClientKey(kubeconfig: string, certPem: string, keyPem: string): string {
  const doc = parseYaml(kubeconfig) as { users: { user: Record<string, unknown> }[] };
  const b64 = (t: string) => Buffer.from(t).toString('base64');
  doc.users[0]!.user = { 'client-certificate-data': b64(certPem), 'client-key-data': b64(keyPem) };
  return toYaml(doc);
}

describe('secrets', () => {
  // A real certificate and key (the cluster does not trust them: its test and collection fail).
  const { certPem, keyPem } = generateTls();
  const keyB64 = Buffer.from(keyPem).toString('base64');
  const keyBody = keyPem.split('\n')[5] as string;
  const fakeKeyPem = `-----BEGIN PRIVATE KEY-----\nSECRETKEYMATERIAL${Date.now()}QQ\n-----END PRIVATE KEY-----\n`;

  it('takes a kubeconfig with a client key, and answers without it', async () => {
    const created = await call('admin', 'POST', '/api/v1/clusters', {
      name: 'keyed',
      tenant: 'acme',
      kubeconfig: withClientKey(sim.kubeconfig, certPem, keyPem),
    });
    expect(created.status, created.text).toBe(201);
    expect((await call('admin', 'GET', '/api/v1/clusters/keyed?tenant=acme')).json().hasKubeconfig).toBe(
      true,
    );
    // A failing test against it must not echo the key either.
    await call('admin', 'POST', '/api/v1/clusters/keyed/test?tenant=acme');
    await call('admin', 'POST', '/api/v1/clusters/keyed/collect?tenant=acme');
  });

  it('refuses a key that is not one, naming the field and not the key', async () => {
    const refused = await call('admin', 'POST', '/api/v1/clusters', {
      name: 'fake-key',
      tenant: 'acme',
      kubeconfig: withClientKey(sim.kubeconfig, certPem, fakeKeyPem),
    });
    expect([refused.status, refused.json().error.code]).toEqual([400, 'INVALID_KUBECONFIG']);
    expect(refused.json().error.message).toContain('client-key-data');
  });

  it("keeps the uploaded kubeconfigs' token and key out of every response, log line and data file", async () => {
    const secrets = [sim.token, keyB64, keyBody, `SECRETKEYMATERIAL`];
    expect(sim.token.length).toBeGreaterThan(10);
    const files = await listFiles(server.dataDir);
    expect(files.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      for (const text of responses) expect(text.includes(secret)).toBe(false);
      for (const line of server.logs) expect(line.includes(secret)).toBe(false);
      for (const f of files) {
        const bytes = await readFile(f);
        expect(bytes.includes(Buffer.from(secret)), `${secret.slice(0, 8)}… in ${f}`).toBe(false);
      }
    }
  });
});

describe('CSV', () => {
  it('writes the header of an empty answer', async () => {
    // One tenant: over several, the header would start with tenant (tenants-apart.test.ts).
    const r = await call(
      'admin',
      'GET',
      '/api/v1/usage?format=csv&from=2020-01-01&to=2020-01-02&groupBy=owner,project&tenant=acme',
    );
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/^owner,project,cpuCoreHours,cpuRequestCoreHours,.*,memoryEfficiency\n$/);
    const costs = await call(
      'admin',
      'GET',
      '/api/v1/costs?format=csv&from=2020-01-01&to=2020-01-02&step=day&tenant=acme',
    );
    expect(costs.text).toMatch(/^owner,start,cpuCoreHours,.*,totalCost\n$/);
  });

  it('writes text a spreadsheet would run as a formula as text', async () => {
    const name = '=HYPERLINK("http://x")';
    const credited = await call(
      'admin',
      'POST',
      `/api/v1/accounts/${encodeURIComponent(name)}/credits?tenant=acme`,
      {
        amount: '1',
        reason: 'csv',
      },
    );
    expect(credited.status).toBe(201);
    const r = await call('admin', 'GET', '/api/v1/accounts?tenant=acme&format=csv');
    expect(r.text).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(r.text).toMatch(/,-?\d/); // numbers, negative ones too, stay numbers
  });
});

describe('NUL characters', () => {
  it.each([
    ['GET', '/api/v1/usage?owner=%00', undefined, 'query.owner'],
    ['GET', '/api/v1/users/a%00b/usage', undefined, 'path.owner'],
    ['POST', '/api/v1/accounts/carol/credits', { amount: '1', reason: 'a\u0000b' }, 'body.reason'],
    ['POST', '/api/v1/tokens', { role: 'user', tenant: 'default', owner: 'a\u0000b' }, 'body.owner'],
  ])('%s %s is refused with 400 naming where', async (method, path, body, where) => {
    const r = await server.call(method, path, body === undefined ? {} : { body });
    expect(r.status).toBe(400);
    expect(r.json().error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: `${where} contains a NUL character (\\u0000)`,
    });
  });
});

describe('deeply nested bodies', () => {
  it.each([100, 10_000, 100_000])('a body nested %i levels deep is refused with 400', async (depth) => {
    const raw = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const r = await server.call('POST', '/api/v1/tenants', { raw });
    expect(r.status).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('fuzz', () => {
  const paths = [
    '/api/v1/tenants',
    '/api/v1/tokens',
    '/api/v1/clusters',
    '/api/v1/clusters/sim',
    '/api/v1/clusters/sim/kubeconfig',
    '/api/v1/clusters/sim/test',
    '/api/v1/clusters/sim/status',
    '/api/v1/usage',
    '/api/v1/users/alice/usage',
    '/api/v1/costs',
    '/api/v1/costs/clusters',
    '/api/v1/expenses',
    '/api/v1/savings',
    '/api/v1/accounts',
    '/api/v1/accounts/alice',
    '/api/v1/accounts/alice/credits',
    '/api/v1/live/users/alice',
    '/api/v1/live/projects/fraud-alice',
    '/api/v1/clusters/sim/collect',
    '/api/v1/tokens/0123456789ab',
    '/api/v1/openapi.json',
    '/healthz',
    '/readyz',
    '/metrics',
  ];
  // Names in the path are fuzzed too: odd characters, long names, encoded slashes.
  // Control characters too (NUL among them: PostgreSQL text cannot hold it).
  const segment = fc
    .oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary-ascii', maxLength: 40 }))
    .map((t) => encodeURIComponent(t));
  const query = fc.dictionary(
    fc.constantFrom('from', 'to', 'groupBy', 'step', 'cluster', 'owner', 'tenant', 'format', 'project'),
    fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.string({ unit: 'binary-ascii', maxLength: 10 }),
      fc.constantFrom('-7d', 'now', 'owner,project', 'csv', 'day', 'acme', '2026-01-01T00:00:00Z'),
    ),
    { maxKeys: 4 },
  );
  it('never answers 5xx, and the server stays up', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        fc.oneof(
          fc.constantFrom(...paths),
          segment.map((n) => `/api/v1/clusters/${n}`),
          segment.map((n) => `/api/v1/users/${n}/usage`),
          segment.map((n) => `/api/v1/accounts/${n}`),
        ),
        query,
        fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 200 }), fc.constant(undefined)),
        fc.constantFrom<Who>('admin', 'acmeAdmin', 'acmeViewer', 'alice', 'globexViewer', 'anonymous'),
        fc.constantFrom(undefined, 'application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        async (method, path, q, body, who, contentType) => {
          // Never delete the cluster the other checks use.
          if (method === 'DELETE') path = '/api/v1/clusters/nosuch';
          const qs = new URLSearchParams(q as Record<string, string>).toString();
          const init =
            body === undefined || method === 'GET' || method === 'DELETE'
              ? {}
              : typeof body === 'string'
                ? { raw: body }
                : { body };
          const r = await server.call(method, `${path}${qs ? `?${qs}` : ''}`, {
            token: tokens[who],
            ...init,
            ...(contentType === undefined ? {} : { contentType }),
          });
          responses.push(r.text);
          expect(r.status, `${method} ${path}?${qs} ${JSON.stringify(body)}: ${r.text}`).toBeLessThan(500);
        },
      ),
      { numRuns: 400 },
    );
    expect((await server.call('GET', '/healthz', { token: null })).status).toBe(200);
  }, 120_000);
});

describe('/metrics', () => {
  it('has a series per cluster from the start (0 included), and passes promtool check metrics', async (context) => {
    const r = await server.call('GET', '/metrics', { token: null });
    expect(r.status).toBe(200);
    expect(r.text).toMatch(
      /kubetally_collection_last_success_timestamp_seconds\{tenant="acme",cluster="sim"\}/,
    );
    expect(r.text).toMatch(/kubetally_cpu_usage_core_seconds\{/);
    expect(r.text).toMatch(/^kubetally_gaps_last_day\{tenant="acme",cluster="sim"\} \d+$/m);
    expect(r.text).toMatch(
      /^kubetally_collection_errors_total\{tenant="acme",cluster="sim",kind="summary"\} 0$/m,
    );
    if (spawnSync('promtool', ['--version']).status !== 0) {
      context.skip('promtool is not installed (Debian package prometheus); .ci/run installs it');
    }
    const check = spawnSync('promtool', ['check', 'metrics'], { input: r.text, encoding: 'utf8' });
    expect(check.status, `${check.stdout}${check.stderr}`).toBe(0);
    const out = check.stdout;
    expect(out).not.toMatch(/error/i);
  });
});

describe('/metrics behind a token (serve --private-metrics)', () => {
  it("answers a tenant's tokens with that tenant's series only, and a user token with its owner's", async () => {
    const { app } = await buildServer(server.ctx, { logger: false, metricsPublic: false });
    try {
      const get = async (who: Who) => {
        const r = await app.inject({
          url: '/metrics',
          headers: tokens[who] === null ? {} : { authorization: `Bearer ${tokens[who]}` },
        });
        return { status: r.statusCode, text: r.body };
      };
      expect((await get('anonymous')).status).toBe(401);
      const all = (await get('admin')).text;
      expect(all).toMatch(/^kubetally_cost\{tenant="acme",cluster="sim",owner="alice",/m);
      expect(all).toMatch(/^kubetally_cost\{tenant="acme",cluster="sim",owner="bob",/m);
      const series = (text: string) => text.split('\n').filter((l) => /^kubetally_\w+\{/.test(l));
      // globex has no cluster: none of acme's series, but the process's own.
      const foreign = (await get('globexViewer')).text;
      expect(series(foreign)).toEqual([]);
      expect(foreign).toMatch(/^process_cpu_user_seconds_total /m);
      expect(series((await get('acmeViewer')).text)).toEqual(series(all));
      const alice = series((await get('alice')).text);
      expect(alice.filter((l) => l.includes('owner=')).length).toBeGreaterThan(0);
      expect(alice.filter((l) => l.includes('owner=') && !l.includes('owner="alice"'))).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(dir)) {
    const p = join(dir, name);
    if ((await stat(p)).isDirectory()) out.push(...(await listFiles(p)));
    else out.push(p);
  }
  return out;
}

// Last: it locks this client out for a minute.
describe('failed attempts', () => {
  it('rejects a bad token, and limits repeated failures without locking out tokens in use', async () => {
    expect((await server.call('GET', '/api/v1/usage')).status).toBe(200);
    const unused = (
      await server.call('POST', '/api/v1/tokens', { body: { role: 'viewer', tenant: 'default' } })
    ).json().token as string;
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await server.call('GET', '/api/v1/usage', { token: `wrong-${i}` })).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const limited = await server.call('GET', '/api/v1/usage', { token: 'wrong-again' });
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    const wait = Number(limited.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(limited.json().error.hint).toContain(`wait ${wait} s`);
    // The token this address used a moment ago still works; one it never used waits like a guess.
    expect((await server.call('GET', '/api/v1/usage')).status).toBe(200);
    expect((await server.call('GET', '/api/v1/usage', { token: unused })).status).toBe(429);
  });
});
