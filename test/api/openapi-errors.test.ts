/**
 * Error answers against the OpenAPI document: every kind of refusal the API makes (bad input, no
 * token, a role that may not, unknown objects, methods, sizes, media types) is validated against
 * the 4XX schema that /api/v1/openapi.json gives for its operation, which holds the documented
 * shape `{"error": {"code", "message", "hint"}}`. (openapi-answers.test.ts checks the 2xx answers.)
 */
import { Ajv, type AnySchema } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { suiteServer } from './support.js';

const server = suiteServer();
type Schema = Record<string, unknown>;
let doc: { paths: Record<string, Record<string, { responses: Record<string, Schema> }>> };
let userToken = '';
const ajv = new Ajv({ strict: false, allErrors: true });

beforeAll(async () => {
  doc = (await server().call('GET', '/api/v1/openapi.json')).json();
  const made = await server().call('POST', '/api/v1/tokens', {
    body: { role: 'user', tenant: 'default', owner: 'alice' },
  });
  userToken = made.json().token;
});

function errorSchema(method: string, path: string): Schema {
  const res = doc.paths[path]?.[method]?.responses['4XX'] as
    { content: { 'application/json': { schema: Schema } } } | undefined;
  expect(res, `${method} ${path} documents its 4XX answers`).toBeDefined();
  return res!.content['application/json'].schema;
}

describe('every error answer matches the 4XX schema of its operation', () => {
  it('documents code, message and hint as required, as docs/api.md says', () => {
    const schema = errorSchema('get', '/api/v1/usage') as {
      properties: { error: { required: string[] } };
    };
    expect(schema.properties.error.required.sort()).toEqual(['code', 'hint', 'message']);
  });

  const big = `{"name":"${'a'.repeat(1024 * 1024)}"}`;
  it.each([
    [400, 'get', '/api/v1/usage', 'GET', '/api/v1/usage?bogus=1', {}],
    [400, 'get', '/api/v1/usage', 'GET', '/api/v1/usage?groupBy=owner&groupBy=project', {}],
    [400, 'get', '/api/v1/usage', 'GET', '/api/v1/usage?from=yesterday', {}],
    [400, 'post', '/api/v1/tenants', 'POST', '/api/v1/tenants', { raw: '{' }],
    [400, 'post', '/api/v1/tenants', 'POST', '/api/v1/tenants', { body: { name: 1 } }],
    [400, 'post', '/api/v1/tenants', 'POST', '/api/v1/tenants', { body: [] }],
    [401, 'get', '/api/v1/usage', 'GET', '/api/v1/usage', { token: null }],
    [401, 'get', '/api/v1/usage', 'GET', '/api/v1/usage', { token: 'not-a-token' }],
    [403, 'get', '/api/v1/clusters', 'GET', '/api/v1/clusters', { token: 'user' }],
    [404, 'get', '/api/v1/clusters/{name}', 'GET', '/api/v1/clusters/nope', {}],
    [404, 'get', '/api/v1/accounts/{owner}', 'GET', '/api/v1/accounts/nobody', {}],
    [405, 'get', '/api/v1/usage', 'OPTIONS', '/api/v1/usage', {}],
    [413, 'post', '/api/v1/tenants', 'POST', '/api/v1/tenants', { raw: big }],
    [414, 'get', '/api/v1/accounts/{owner}', 'GET', `/api/v1/accounts/${'a'.repeat(254)}`, {}],
    [415, 'post', '/api/v1/tenants', 'POST', '/api/v1/tenants', { raw: '{}', contentType: 'text/plain' }],
    [431, 'get', '/api/v1/usage', 'GET', `/api/v1/usage?owner=${'a'.repeat(17_000)}`, {}],
  ] as const)('%i for %s %s (%s %s)', async (status, method, path, verb, url, init) => {
    const token =
      'token' in init && init.token === 'user' ? userToken : (init as { token?: string | null }).token;
    const r = await server().call(verb, url, { ...init, ...(token === undefined ? {} : { token }) });
    expect(r.status, r.text).toBe(status);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const schema = errorSchema(method, path);
    expect(ajv.validate(schema as AnySchema, r.json()), `${r.text}: ${ajv.errorsText(ajv.errors)}`).toBe(
      true,
    );
  });
});
