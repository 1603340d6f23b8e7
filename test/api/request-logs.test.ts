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
