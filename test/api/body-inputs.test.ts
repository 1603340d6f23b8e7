/**
 * Request bodies a careless client sends, and what it is told: a JSON string sent as JSON was
 * answered 415 "the body was sent as application/json, not JSON" (telling it to send what it sent).
 */
import { describe, expect, it } from 'vitest';
import { suiteServer } from './support.js';

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
