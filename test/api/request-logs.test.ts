/**
 * Kubernetes probes and Prometheus scrapes call /healthz, /readyz and /metrics every few seconds:
 * their requests stay out of the log, which keeps the API's own requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const urls = () =>
  server.logs
    .map((line) => JSON.parse(line) as { req?: { url: string } })
    .flatMap((entry) => (entry.req === undefined ? [] : [entry.req.url]));

describe('request logs', () => {
  it('leave out probes and scrapes, and keep API requests', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/api/v1/clusters']) {
      expect((await server.call('GET', path)).status).toBe(200);
    }
    expect(urls()).toEqual(['/api/v1/clusters']);
  });
});

describe('a token sent in the query string', () => {
  const secret = 'kt_0123abcd_querySecretThatMustNotBeLogged';

  it('is not read, and the answer says to send it in Authorization', async () => {
    for (const name of ['token', 'access_token']) {
      const r = await server.call('GET', `/api/v1/usage?${name}=${secret}`, { token: null });
      expect(r.status).toBe(401);
      expect(r.json().error.message).toBe(`a bearer token is required: ${name}= in the URL is not read`);
      expect(r.json().error.hint).toMatch(/Authorization: Bearer/);
    }
  });

  it('is never written to the log, while the parameters the API reads are', async () => {
    const before = server.logs.length;
    await server.call('GET', `/api/v1/usage?api_key=${secret}`, { token: null });
    await server.call('GET', `/api/v1/usage?groupBy=owner&token=${encodeURIComponent(secret)}`);
    await server.call('GET', `/api/v1/usage?${secret}`);
    await server.call('GET', `/api/v1/usage?owner=${secret}`);
    const logged = server.logs.slice(before);
    expect(logged.filter((line) => line.includes('querySecret'))).toEqual([]);
    expect(urls()).toContain('/api/v1/usage?groupBy=owner&token=[REDACTED]');
    expect(urls()).toContain('/api/v1/usage?api_key=[REDACTED]');
  });
});

describe('a client request id', () => {
  const reqIds = async (id: string) => {
    const before = server.logs.length;
    const r = await fetch(`${server.url}/api/v1/clusters`, {
      headers: { authorization: 'Bearer admin-token-for-tests-0123456789', 'x-request-id': id },
    });
    expect(r.status).toBe(200);
    return server.logs.slice(before).map((line) => (JSON.parse(line) as { reqId?: string }).reqId);
  };

  it('names the request in its log lines when it is one, as a proxy sends it', async () => {
    const trace = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(new Set(await reqIds(trace))).toEqual(new Set([trace]));
  });

  // Taken as given, a 16 KiB header (or one with quotes and spaces) went into every line.
  it('is replaced by one of the server when it is too long or holds spaces or quotes', async () => {
    for (const id of ['x'.repeat(129), 'a b', 'say "hi"']) {
      const ids = await reqIds(id);
      expect(ids.length, id).toBeGreaterThan(0);
      for (const logged of ids) expect(logged, id).toMatch(/^req-[0-9a-z]+$/);
    }
  });
});
