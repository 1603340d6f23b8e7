/**
 * Request bodies a careless client sends, and what it is told: a JSON string sent as JSON was
 * answered 415 "the body was sent as application/json, not JSON" (telling it to send what it sent);
 * broken JSON, and JSON with a `__proto__` key, were both "Body is not valid JSON" (saying neither
 * where it broke nor that the JSON was fine but the key is refused); a form or XML body was
 * "Unsupported Media Type", without saying which type was sent; and fields sent to /test or
 * /collect, which take none, were ignored without a word.
 */
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, suiteServer } from './support.js';

const server = suiteServer(['inside']);

const SCHEMA_HINT = 'see /api/v1/openapi.json for the accepted fields and types (names are case-sensitive)';

describe('JSON that is not an object', () => {
  it.each([
    ['POST', '/api/v1/tenants', 'application/json'],
    ['POST', '/api/v1/tokens', 'application/json; charset=utf-8'],
    ['PATCH', '/api/v1/clusters/inside', 'application/merge-patch+json'],
  ])('%s %s as %s: a string is 400 "body must be object"', async (method, path, contentType) => {
    for (const raw of ['"acme"', '1', 'null', '[]']) {
      const r = await server().call(method, path, { raw, contentType });
      expect([r.status, r.json().error], raw).toEqual([
        400,
        { code: 'INVALID_ARGUMENT', message: 'invalid request: body must be object', hint: SCHEMA_HINT },
      ]);
    }
  });

  it('names the type of a body no route reads', async () => {
    for (const contentType of ['application/x-www-form-urlencoded', 'application/xml']) {
      const r = await server().call('POST', '/api/v1/tenants', { raw: 'name=acme', contentType });
      expect([r.status, r.json().error]).toEqual([
        415,
        {
          code: 'INVALID_ARGUMENT',
          message: `the body was sent as ${contentType}, not JSON`,
          hint: 'send Content-Type: application/json',
        },
      ]);
    }
  });

  it('still tells JSON sent as text/plain to say it is JSON', async () => {
    const r = await server().call('POST', '/api/v1/tenants', {
      raw: '{"name":"acme"}',
      contentType: 'text/plain',
    });
    expect([r.status, r.json().error]).toEqual([
      415,
      {
        code: 'INVALID_ARGUMENT',
        message: 'the body was sent as text/plain, not JSON',
        hint: 'send Content-Type: application/json',
      },
    ]);
  });
});

describe('JSON that does not parse, or has keys no request has', () => {
  it.each([
    ['{"name": "acme",', /^the body is not valid JSON: .*JSON/],
    ["{'name': 'acme'}", /^the body is not valid JSON: .*position 1\b/],
    ['{"name": "acme"} x', /^the body is not valid JSON: .*position 17\b/],
  ])('%s: says where it breaks', async (raw, message) => {
    const r = await server().call('POST', '/api/v1/tenants', { raw });
    expect(r.status, r.text).toBe(400);
    expect(r.json().error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      hint: 'send a JSON object that parses',
    });
    expect(r.json().error.message).toMatch(message);
  });

  it('says that an empty body is empty', async () => {
    const r = await server().call('POST', '/api/v1/tenants', { raw: '' });
    expect([r.status, r.json().error.message]).toEqual([400, 'the body is empty']);
  });

  it.each([
    ['POST', '/api/v1/tenants', '{"name": "acme", "__proto__": {"admin": true}}', 'body.__proto__'],
    [
      'PATCH',
      '/api/v1/clusters/inside',
      '{"collection": {"\\u005f_proto__": {"x": 1}}}',
      'body.collection.__proto__',
    ],
    [
      'PATCH',
      '/api/v1/clusters/inside',
      '{"attribution": {"constructor": {"prototype": {}}}}',
      'body.attribution.constructor',
    ],
  ])('%s %s %s: names the key', async (method, path, raw, at) => {
    const r = await server().call(method, path, { raw });
    expect([r.status, r.json().error]).toEqual([
      400,
      {
        code: 'INVALID_ARGUMENT',
        message: `${at} contains a key that would reach a prototype`,
        hint: 'leave it out: no request of the API has such a key',
      },
    ]);
    expect((await server().call('GET', '/api/v1/clusters/inside')).json()).toMatchObject({
      attribution: {},
      collection: {},
    });
  });
});

describe('endpoints that take no body', () => {
  it.each(['test', 'collect'])('POST /clusters/{name}/%s refuses fields it would ignore', async (action) => {
    const path = `/api/v1/clusters/inside/${action}`;
    const field = await server().call('POST', path, { body: { force: true } });
    expect([field.status, field.json().error]).toEqual([
      400,
      {
        code: 'INVALID_ARGUMENT',
        message: 'invalid request: unknown body field "force"',
        hint: 'send no body: see /api/v1/openapi.json',
      },
    ]);
    const list = await server().call('POST', path, { body: [] });
    expect([list.status, list.json().error.message]).toEqual([400, `${path} takes no body`]);
    // No body, or an empty object, goes on to the cluster (which is not reachable from here).
    for (const init of [{}, { body: {} }]) {
      const r = await server().call('POST', path, init);
      expect(r.json().error?.message ?? '').not.toMatch(/body/);
    }
  });
});

describe('a compressed body', () => {
  it.each(['gzip', 'br', 'deflate, gzip'])(
    'sent with Content-Encoding: %s is refused with 415 saying so, not read as JSON text',
    async (coding) => {
      const r = await fetch(`${server().url}/api/v1/tenants`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          'content-type': 'application/json',
          'content-encoding': coding,
        },
        body: '{"name":"packed"}',
      });
      expect(r.status).toBe(415);
      expect(r.headers.get('accept-encoding')).toBe('identity');
      expect(((await r.json()) as { error: unknown }).error).toEqual({
        code: 'INVALID_ARGUMENT',
        message: `the body was sent with Content-Encoding: ${coding}`,
        hint: 'send the JSON body uncompressed, without Content-Encoding',
      });
      expect((await server().call('GET', '/api/v1/tokens')).status).toBe(200);
    },
  );

  it('sent as identity is read as usual', async () => {
    const r = await fetch(`${server().url}/api/v1/tenants`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        'content-type': 'application/json',
        'content-encoding': 'identity',
      },
      body: '{"name":"plain"}',
    });
    expect(r.status).toBe(201);
  });
});

describe('text that is not Unicode', () => {
  it.each([
    ['POST', '/api/v1/tokens', '{"role":"user","tenant":"default","owner":"\\udfff"}', 'body.owner'],
    ['POST', '/api/v1/accounts/carol/credits', '{"amount":"1","reason":"a\\ud800b"}', 'body.reason'],
    ['PUT', '/api/v1/accounts/carol', '{"externalId":"x","\\ud800":1}', 'body.\ud800'],
  ])(
    '%s %s with a lone surrogate is refused with 400 naming where, not stored as another name',
    async (method, path, raw, at) => {
      const r = await server().call(method, path, { raw });
      expect(r.status, r.text).toBe(400);
      expect(r.json().error).toEqual({
        code: 'INVALID_ARGUMENT',
        message: `${at} contains a lone UTF-16 surrogate (half of an escaped pair)`,
        hint: 'send Unicode text: escape a character beyond U+FFFF as both halves of its pair, or send it as UTF-8',
      });
    },
  );

  it('takes a character beyond U+FFFF escaped as its pair', async () => {
    const r = await server().call('POST', '/api/v1/tokens', {
      raw: '{"role":"user","tenant":"default","owner":"\\ud83d\\ude00"}',
    });
    expect(r.status, r.text).toBe(201);
    expect(r.json().owner).toBe('😀');
  });
});
