/**
 * The OpenAPI document describes every answer: each endpoint is called on a server with a week of
 * the `demo` simulator's history, and each real JSON answer is validated against the success
 * schema that /api/v1/openapi.json gives for it (a field of the wrong type, a required field
 * missing or a field the schema does not list fails). Answers with `format=csv` are CSV, and the
 * document says so.
 */
import { Ajv, type AnySchema } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from '../../src/simulator/index.js';
import { startTestServer, type TestServer } from './support.js';

type Schema = Record<string, unknown>;
interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/** Collected every 15 minutes of cluster time, as `serve --demo` fills its history. */
const STEP = 15 * MIN;

let server: TestServer;
let sim: SimulatorHandle;
/** The simulated history, as query parameters: the cluster's time is not the local clock. */
let history = '';
let lastHours = '';
let doc: { paths: Record<string, Record<string, Operation>> };
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);

/** Each answer checked, for the tests that make sure a wrong answer would fail. */
const answers: { name: string; schema: Schema; body: unknown }[] = [];

async function call(method: string, url: string, body?: unknown) {
  return server.call(method, url, body === undefined ? {} : { body });
}

function jsonSchema(method: string, path: string, status: number): Schema {
  const op = doc.paths[path]?.[method.toLowerCase()];
  expect(op, `${method} ${path} is documented`).toBeDefined();
  const schema = op!.responses[String(status)]?.content?.['application/json']?.schema;
  expect(schema, `${method} ${path} ${status} has a JSON schema`).toBeDefined();
  return schema!;
}

/**
 * Fields of `value` that `schema` does not list (free-form objects aside: cluster settings), and
 * the paths of the primitive values it types.
 */
function walk(value: unknown, schema: Schema, path: string, out: { extra: string[]; typed: string[][] }) {
  const keys = path === '' ? [] : path.split('\u0000');
  const union = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (union !== undefined) {
    const branch = union.find((s) => ajv.validate(s as AnySchema, value));
    if (branch !== undefined) walk(value, branch, path, out);
    return;
  }
  const at = (k: string | number) => (path === '' ? String(k) : `${path}\u0000${k}`);
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, (schema.items ?? {}) as Schema, at(i), out));
    return;
  }
  if (value !== null && typeof value === 'object') {
    const props = schema.properties as Record<string, Schema> | undefined;
    const more = schema.additionalProperties;
    for (const [k, v] of Object.entries(value)) {
      if (props?.[k] !== undefined) walk(v, props[k], at(k), out);
      else if (typeof more === 'object' && more !== null) walk(v, more as Schema, at(k), out);
      else if (props !== undefined) out.extra.push(keys.concat(k).join('.'));
    }
    return;
  }
  if (schema.type !== undefined || schema.enum !== undefined) out.typed.push(keys);
}

/** Checks one answer against its schema in the OpenAPI document. */
async function check(
  method: string,
  path: string,
  url: string,
  body?: unknown,
  status?: number,
): Promise<Record<string, unknown>> {
  const r = await call(method, url, body);
  if (status !== undefined) expect(r.status, r.text).toBe(status);
  else expect(r.status, r.text).toBeLessThan(300);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  const answer = r.json() as Record<string, unknown>;
  const schema = jsonSchema(method, path, r.status);
  const valid = ajv.validate(schema as AnySchema, answer);
  expect(valid, `${method} ${url}: ${ajv.errorsText(ajv.errors)}`).toBe(true);
  const out = { extra: [] as string[], typed: [] as string[][] };
  walk(answer, schema, '', out);
  expect(out.extra, `${method} ${url}: fields the schema does not list`).toEqual([]);
  answers.push({ name: `${method} ${url}`, schema, body: answer });
  return answer;
}

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'demo', clock: 'manual' });
  server = await startTestServer();
  doc = (await call('GET', '/api/v1/openapi.json')).json();
  expect((await call('POST', '/api/v1/tenants', { name: 'acme' })).status).toBe(201);
  const created = await call('POST', '/api/v1/clusters', {
    name: 'sim',
    tenant: 'acme',
    kubeconfig: sim.kubeconfig,
    collection: { sampleEvery: '15m' },
  });
  expect(created.status, created.text).toBe(201);
  // Eight days: savings look at 7 days of claims, 24 h of notebooks and whole days of workloads.
  const t0 = sim.clock.now();
  const until = t0 + 8 * DAY + 2 * STEP;
  for (;;) {
    const r = await call('POST', '/api/v1/clusters/sim/collect?tenant=acme');
    expect(r.status, r.text).toBe(200);
    if (sim.clock.now() + STEP > until) break;
    sim.clock.advance(STEP);
  }
  const iso = (t: number) => new Date(t).toISOString();
  const end = sim.clock.now() - 2 * STEP;
  history = `from=${iso(t0)}&to=${iso(end)}`;
  lastHours = `from=${iso(end - 3 * 60 * MIN)}&to=${iso(end)}`;
}, 300_000);

afterAll(async () => {
  await server?.close();
  await sim?.close();
});

const T = 'tenant=acme';

describe('every answer matches its schema in the OpenAPI document', () => {
  it('has a schema with fields for every JSON success answer', () => {
    const bare: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, res] of Object.entries(op.responses)) {
          const schema = res.content?.['application/json']?.schema;
          if (!/^2/.test(status) || schema === undefined) continue;
          if (schema.properties === undefined && schema.oneOf === undefined)
            bare.push(`${method} ${path} ${status}`);
        }
      }
    }
    expect(bare).toEqual([]);
  });

  it('tenants and tokens', async () => {
    await check('POST', '/api/v1/tenants', '/api/v1/tenants', { name: 'globex' }, 201);
    await check('POST', '/api/v1/tenants', '/api/v1/tenants', { name: 'globex' }, 200);
    const made = await check('POST', '/api/v1/tokens', '/api/v1/tokens', {
      role: 'user',
      tenant: 'acme',
      owner: 'alice',
      description: 'alice reads her usage',
    });
    await check('POST', '/api/v1/tokens', '/api/v1/tokens', { role: 'admin' });
    const listed = await check('GET', '/api/v1/tokens', '/api/v1/tokens');
    expect((listed.tokens as { id: string }[]).map((t) => t.id)).toContain(made.id);
  });

  it('clusters', async () => {
    await check('GET', '/api/v1/clusters', `/api/v1/clusters?${T}`);
    const one = await check('GET', '/api/v1/clusters/{name}', `/api/v1/clusters/sim?${T}`);
    expect(one.priceSheet).toBeDefined();
    await check('PATCH', '/api/v1/clusters/{name}', `/api/v1/clusters/sim?${T}`, {
      collection: { sampleEvery: '15m' },
    });
    await check('PUT', '/api/v1/clusters/{name}/kubeconfig', `/api/v1/clusters/sim/kubeconfig?${T}`, {
      kubeconfig: sim.kubeconfig,
    });
    await check('POST', '/api/v1/clusters/{name}/test', `/api/v1/clusters/sim/test?${T}`);
    await check('POST', '/api/v1/clusters/{name}/collect', `/api/v1/clusters/sim/collect?${T}`);
    const status = await check('GET', '/api/v1/clusters/{name}/status', `/api/v1/clusters/sim/status?${T}`);
    expect((status.runs as unknown[]).length).toBeGreaterThan(0);
    await check('POST', '/api/v1/clusters', '/api/v1/clusters', {
      name: 'inside',
      tenant: 'globex',
      inCluster: true,
    });
  });

  it('usage', async () => {
    for (const q of [
      history,
      `${history}&groupBy=cluster,owner,project,namespace,computeType&step=day`,
      `${lastHours}&groupBy=project&step=hour`,
      `${lastHours}&step=interval&owner=alice`,
    ]) {
      const u = await check('GET', '/api/v1/usage', `/api/v1/usage?${T}&${q}`);
      expect((u.rows as unknown[]).length, q).toBeGreaterThan(0);
    }
    const alice = await check(
      'GET',
      '/api/v1/users/{owner}/usage',
      `/api/v1/users/alice/usage?${T}&${history}`,
    );
    expect((alice.rows as unknown[]).length).toBeGreaterThan(0);
  });

  it('costs', async () => {
    const all = await check('GET', '/api/v1/costs', `/api/v1/costs?${T}&${history}&groupBy=owner,project`);
    expect((all.rows as unknown[]).length).toBeGreaterThan(0);
    expect(all.totals).toHaveProperty('managementCost');
    const hourly = await check(
      'GET',
      '/api/v1/costs',
      `/api/v1/costs?${T}&${lastHours}&owner=alice&step=hour`,
    );
    expect((hourly.rows as unknown[]).length).toBeGreaterThan(0);
    expect(hourly.totals).not.toHaveProperty('managementCost');
    const clusters = await check('GET', '/api/v1/costs/clusters', `/api/v1/costs/clusters?${T}&${history}`);
    expect((clusters.clusters as unknown[]).length).toBe(1);
    const expenses = await check('GET', '/api/v1/expenses', `/api/v1/expenses?${T}&${history}`);
    expect(expenses.total_cost).toBeGreaterThan(0);
  });

  it('savings, with a recommendation of each kind the demo has', async () => {
    const s = await check('GET', '/api/v1/savings', `/api/v1/savings?${T}`);
    const recs = (s.clusters as { recommendations: { kind: string }[] }[])[0]!.recommendations;
    expect(new Set(recs.map((r) => r.kind))).toEqual(
      new Set(['right-size', 'idle-notebook', 'unmounted-claim']),
    );
    // A cluster with nothing written yet; as CSV, still the columns every recommendation has.
    await check('GET', '/api/v1/savings', '/api/v1/savings?tenant=globex');
    const csv = await call('GET', '/api/v1/savings?tenant=globex&format=csv');
    expect(csv.text).toBe('cluster,tenant,currency,kind,namespace,owner,project,monthlySaving\n');
  });

  it('live views', async () => {
    const user = await check('GET', '/api/v1/live/users/{owner}', `/api/v1/live/users/alice?${T}`);
    expect((user.projects as unknown[]).length).toBeGreaterThan(0);
    const project = await check(
      'GET',
      '/api/v1/live/projects/{namespace}',
      `/api/v1/live/projects/fraud-alice?${T}`,
    );
    expect((project.pods as unknown[]).length).toBeGreaterThan(0);
    // Storage unknown when claims may not be listed: null and a warning, as documented.
    sim.faults.set({ forbidden: ['persistentvolumeclaims'] });
    try {
      const blind = await check('GET', '/api/v1/live/users/{owner}', `/api/v1/live/users/alice?${T}`);
      expect((blind.totals as { storageGB: unknown }).storageGB).toBeNull();
      expect(blind.warnings).toEqual([
        expect.stringMatching(/^storage is unknown: .*persistentvolumeclaims/),
      ]);
    } finally {
      sim.faults.clear();
    }
  });

  it('accounts and credits', async () => {
    const credit = { amount: '12.50', reason: 'invoice 17', idempotencyKey: 'inv-17' };
    const url = `/api/v1/accounts/alice/credits?${T}`;
    await check('POST', '/api/v1/accounts/{owner}/credits', url, credit, 201);
    await check('POST', '/api/v1/accounts/{owner}/credits', url, credit, 200);
    await check('POST', '/api/v1/accounts/{owner}/credits', url, {
      amount: -2,
      reason: 'correction',
      kind: 'adjustment',
    });
    await check('PUT', '/api/v1/accounts/{owner}', `/api/v1/accounts/alice?${T}`, {
      externalId: 'u-alice',
      lowBalance: '5',
    });
    await check('PUT', '/api/v1/accounts/{owner}', `/api/v1/accounts/bob?${T}`, { lowBalance: null });
    await check('GET', '/api/v1/accounts', `/api/v1/accounts?${T}`);
    const alice = await check('GET', '/api/v1/accounts/{owner}', `/api/v1/accounts/alice?${T}`);
    const kinds = (alice.history as { kind: string }[]).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['top-up', 'adjustment', 'debit']));
    // The newest entries only, or a time range of the history.
    const two = await check('GET', '/api/v1/accounts/{owner}', `/api/v1/accounts/alice?${T}&limit=2`);
    expect(two.history).toEqual((alice.history as unknown[]).slice(0, 2));
    const none = await check('GET', '/api/v1/accounts/{owner}', `/api/v1/accounts/alice?${T}&to=2000-01-01`);
    expect(none.history).toEqual([]);
  });

  it('would fail an answer with a field of the wrong type or a required field missing', () => {
    expect(answers.length).toBeGreaterThanOrEqual(30);
    const clone = (v: unknown) => structuredClone(v) as Record<string, unknown>;
    for (const { name, schema, body } of answers) {
      for (const key of (schema.required as string[] | undefined) ?? []) {
        const missing = clone(body);
        delete missing[key];
        expect(ajv.validate(schema as AnySchema, missing), `${name} without ${key}`).toBe(false);
      }
      const out = { extra: [] as string[], typed: [] as string[][] };
      walk(body, schema, '', out);
      // Each field once (the first item of a list stands for the others).
      const seen = new Set<string>();
      for (const keys of out.typed) {
        const shape = keys.map((k) => (/^\d+$/.test(k) ? '[]' : k)).join('.');
        if (seen.has(shape)) continue;
        seen.add(shape);
        const wrong = clone(body);
        let at: Record<string, unknown> = wrong;
        for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
        at[keys.at(-1)!] = { wrong: 'type' };
        expect(ajv.validate(schema as AnySchema, wrong), `${name}: ${shape} as an object`).toBe(false);
      }
    }
  });
});

describe('format=csv', () => {
  it.each([
    ['/api/v1/usage', `/api/v1/usage?${T}`],
    ['/api/v1/users/{owner}/usage', `/api/v1/users/alice/usage?${T}`],
    ['/api/v1/costs', `/api/v1/costs?${T}`],
    ['/api/v1/costs/clusters', `/api/v1/costs/clusters?${T}`],
    ['/api/v1/expenses', `/api/v1/expenses?${T}`],
    ['/api/v1/savings', `/api/v1/savings?${T}`],
    ['/api/v1/accounts', `/api/v1/accounts?${T}`],
    ['/api/v1/clusters', `/api/v1/clusters?${T}`],
    ['/api/v1/tokens', `/api/v1/tokens?${T}`],
  ])('%s answers text/csv, as documented next to its JSON schema', async (path, url) => {
    const ranged = /usage|costs|expenses/.test(path);
    const r = await call('GET', `${url}&format=csv${ranged ? `&${history}` : ''}`);
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(r.text.trim().split('\n').length, r.text).toBeGreaterThan(1);
    const content = doc.paths[path]!.get!.responses['200']!.content!;
    expect(Object.keys(content).sort()).toEqual(['application/json', 'text/csv']);
    expect(content['application/json']!.schema!.properties).toBeDefined();
  });

  it('counts the gaps of the range in X-Kubetally-Gaps', async () => {
    // After the history: an hour without the metrics API, then healthy again.
    const from = sim.clock.now();
    sim.faults.set({ metricsApi: 'missing' });
    try {
      for (let i = 0; i < 4; i++) {
        sim.clock.advance(STEP);
        expect((await call('POST', '/api/v1/clusters/sim/collect?tenant=acme')).status).toBe(200);
      }
    } finally {
      sim.faults.clear();
    }
    for (let i = 0; i < 3; i++) {
      sim.clock.advance(STEP);
      expect((await call('POST', '/api/v1/clusters/sim/collect?tenant=acme')).status).toBe(200);
    }
    const range = `from=${new Date(from).toISOString()}&to=${new Date(sim.clock.now()).toISOString()}`;
    for (const url of [`/api/v1/usage?${T}`, `/api/v1/users/alice/usage?${T}`, `/api/v1/costs?${T}`]) {
      const json = (await call('GET', `${url}&${range}`)).json() as { gaps: unknown[] };
      expect(json.gaps.length, url).toBeGreaterThan(0);
      const r = await call('GET', `${url}&${range}&format=csv`);
      expect(r.headers.get('x-kubetally-gaps'), url).toBe(String(json.gaps.length));
    }
    const whole = await call('GET', `/api/v1/usage?${T}&${history}&format=csv`);
    expect(whole.headers.get('x-kubetally-gaps')).toBe(
      String(
        ((await call('GET', `/api/v1/usage?${T}&${history}`)).json() as { gaps: unknown[] }).gaps.length,
      ),
    );
  });
});
