/**
 * The addresses that reach this host without being loopback: 0.0.0.0 and `::` (a connection to
 * the unspecified address goes to the local host), and a proxy-url without a host (the proxy
 * agents connect to `localhost`). Where the operator blocks loopback, an uploaded kubeconfig may
 * not use them to reach kubetally's own machine either.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from '../../src/simulator/index.js';
import { startTestServer, type TestServer } from './support.js';

let server: TestServer;
let sim: SimulatorHandle;
const saved = process.env.KUBETALLY_BLOCKED_NETWORKS;

beforeAll(async () => {
  server = await startTestServer();
  sim = await startSimulator({ scenario: 'demo', clock: 'manual' });
});
afterAll(async () => {
  await sim?.close();
  await server?.close();
});
afterEach(() => {
  if (saved === undefined) delete process.env.KUBETALLY_BLOCKED_NETWORKS;
  else process.env.KUBETALLY_BLOCKED_NETWORKS = saved;
});

/**
 * The simulator's kubeconfig with its server at another host (same port and certificate, which
 * `tls-server-name` makes it accept there).
 */
const at = (host: string) =>
  sim.kubeconfig.replace(
    /( +)server: https:\/\/[^:\s]+:(.*)\n/,
    `$1server: https://${host}:$2\n$1tls-server-name: localhost\n`,
  );

describe('with loopback blocked', () => {
  it('refuses a server at the unspecified address, which reaches this host', async () => {
    process.env.KUBETALLY_BLOCKED_NETWORKS = '169.254.0.0/16,127.0.0.0/8,::1/128';
    for (const [i, host] of ['0.0.0.0', '0.1.2.3', '[::]', '[::ffff:0.0.0.0]'].entries()) {
      const r = await server.call('POST', '/api/v1/clusters', {
        body: { name: `local-${i}`, kubeconfig: at(host) },
      });
      expect([r.status, r.json().error?.code], `${host}: ${r.text}`).toEqual([400, 'INVALID_KUBECONFIG']);
      expect(r.json().error.message).toContain('in a network uploaded kubeconfigs may not reach');
    }
    expect((await server.call('GET', '/api/v1/clusters')).json().clusters).toEqual([]);
  });

  it('refuses a stored kubeconfig at the unspecified address once loopback is blocked', async () => {
    delete process.env.KUBETALLY_BLOCKED_NETWORKS;
    const r = await server.call('POST', '/api/v1/clusters', {
      body: { name: 'before', kubeconfig: at('0.0.0.0') },
    });
    expect(r.status, r.text).toBe(201);
    process.env.KUBETALLY_BLOCKED_NETWORKS = '127.0.0.0/8,::1/128';
    const test = await server.call('POST', '/api/v1/clusters/before/test');
    expect([test.status, test.json().error?.code], test.text).toEqual([400, 'INVALID_KUBECONFIG']);
    expect((await server.call('DELETE', '/api/v1/clusters/before')).status).toBe(204);
  });

  it('refuses a proxy-url without a host, which the proxy agents take for localhost', async () => {
    process.env.KUBETALLY_BLOCKED_NETWORKS = '169.254.0.0/16,127.0.0.0/8,::1/128';
    const proxied = sim.kubeconfig.replace(
      /( +)server: (.*)\n/,
      `$1server: https://203.0.113.7:6443\n$1proxy-url: file:///proxy\n`,
    );
    const r = await server.call('POST', '/api/v1/clusters', {
      body: { name: 'hostless', kubeconfig: proxied },
    });
    expect([r.status, r.json().error?.code], r.text).toEqual([400, 'INVALID_KUBECONFIG']);
    expect(r.json().error.message).toMatch(/proxy-url localhost resolves to .*, in a network uploaded/);
  });

  it('still takes the unspecified address when loopback is not blocked (the default)', async () => {
    delete process.env.KUBETALLY_BLOCKED_NETWORKS;
    const r = await server.call('POST', '/api/v1/clusters', {
      body: { name: 'any', kubeconfig: at('0.0.0.0') },
    });
    expect(r.status, r.text).toBe(201);
    expect((await server.call('POST', '/api/v1/clusters/any/test')).json().reachable).toBe(true);
  });
});
