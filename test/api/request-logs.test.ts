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
