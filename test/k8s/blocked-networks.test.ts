/**
 * Uploaded kubeconfigs may not send kubetally into the blocked networks (by default the link-local
 * ranges of cloud metadata services): refused at upload when the server is such an address, and
 * at every connection when its name resolves into one. Kubeconfigs of the user's own go anywhere.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from '../../src/simulator/index.js';
import { blockedNetworks } from '../../src/k8s/blocked-networks.js';
import { getNodesMetrics, loadKubeconfig } from '../../src/index.js';
import { startTestServer, type TestServer } from '../api/support.js';

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

/** The simulator's kubeconfig with its server at another host (same port and certificate). */
const at = (host: string) => sim.kubeconfig.replace(/server: https:\/\/[^:\s]+:/, `server: https://${host}:`);

describe('KUBETALLY_BLOCKED_NETWORKS', () => {
  it('blocks the link-local ranges by default, and nothing else', () => {
    const { list } = blockedNetworks({});
    expect(list.check('169.254.169.254', 'ipv4')).toBe(true);
    expect(list.check('fe80::1', 'ipv6')).toBe(true);
    expect(list.check('10.0.0.1', 'ipv4')).toBe(false);
    expect(list.check('127.0.0.1', 'ipv4')).toBe(false);
    expect(blockedNetworks({ KUBETALLY_BLOCKED_NETWORKS: '' }).list.check('169.254.169.254', 'ipv4')).toBe(
      false,
    );
  });

  it('names an entry that is not a network', () => {
    for (const bad of ['10.0.0.0', '10.0.0.0/33', 'example.com/8', '10.0.0.0/8/1', 'fe80::/x']) {
      expect(() => blockedNetworks({ KUBETALLY_BLOCKED_NETWORKS: `169.254.0.0/16, ${bad}` })).toThrow(
        `KUBETALLY_BLOCKED_NETWORKS: "${bad}" is not a network in CIDR form`,
      );
    }
  });
});

describe('an uploaded kubeconfig', () => {
  it('is refused at upload when its server is in a blocked network', async () => {
    for (const host of ['169.254.169.254', '[fe80::1]']) {
      const r = await server.call('POST', '/api/v1/clusters', {
        body: { name: 'metadata', kubeconfig: at(host) },
      });
      expect([r.status, r.json().error.code], r.text).toEqual([400, 'INVALID_KUBECONFIG']);
      expect(r.json().error.message).toBe(
        `the kubeconfig's server ${host.replace(/[[\]]/g, '')} is in a network uploaded kubeconfigs may not reach (169.254.0.0/16,fe80::/10)`,
      );
      expect(r.json().error.hint).toContain('KUBETALLY_BLOCKED_NETWORKS');
    }
    // Through a proxy, the proxy is where kubetally connects.
    const proxied = sim.kubeconfig.replace(
      /( +)server: (.*)\n/,
      '$1server: $2\n$1proxy-url: http://169.254.169.254:3128\n',
    );
    const r = await server.call('POST', '/api/v1/clusters', {
      body: { name: 'metadata', kubeconfig: proxied },
    });
    expect([r.status, r.json().error?.message], r.text).toEqual([
      400,
      "the kubeconfig's proxy-url 169.254.169.254 is in a network uploaded kubeconfigs may not reach (169.254.0.0/16,fe80::/10)",
    ]);
    const list = await server.call('GET', '/api/v1/clusters');
    expect(list.json().clusters ?? list.json()).not.toContainEqual(
      expect.objectContaining({ name: 'metadata' }),
    );
  });

  it('is refused at the connection when its server name resolves into a blocked network', async () => {
    process.env.KUBETALLY_BLOCKED_NETWORKS = '127.0.0.0/8,::1/128';
    const conn = await loadKubeconfig({ yaml: at('localhost') });
    await expect(getNodesMetrics(conn)).rejects.toMatchObject({
      code: 'INVALID_KUBECONFIG',
      message: expect.stringMatching(/localhost resolves to (127\.0\.0\.1|::1), in a network uploaded/),
    });
    // The same text as the user's own kubeconfig is not limited.
    const own = await loadKubeconfig({ yaml: at('localhost'), trust: 'own' });
    expect((await getNodesMetrics(own)).kind).toBe('NodeMetricsList');
  });

  it('connects by name as before with the default networks', async () => {
    const conn = await loadKubeconfig({ yaml: at('localhost') });
    expect((await getNodesMetrics(conn)).kind).toBe('NodeMetricsList');
  });
});

/*
 * The addresses that reach this host without being loopback: 0.0.0.0 and `::` (a connection to
 * the unspecified address goes to the local host), and a proxy-url without a host (the proxy
 * agents connect to `localhost`). Where the operator blocks loopback, an uploaded kubeconfig may
 * not use them to reach kubetally's own machine either.
 */
/**
 * The simulator's kubeconfig with its server at another host (same port and certificate, which
 * `tls-server-name` makes it accept there).
 */
const atLocal = (host: string) =>
  sim.kubeconfig.replace(
    /( +)server: https:\/\/[^:\s]+:(.*)\n/,
    `$1server: https://${host}:$2\n$1tls-server-name: localhost\n`,
  );

describe('with loopback blocked, the addresses that reach this host too', () => {
  it('refuses a server at the unspecified address, which reaches this host', async () => {
    process.env.KUBETALLY_BLOCKED_NETWORKS = '169.254.0.0/16,127.0.0.0/8,::1/128';
    for (const [i, host] of ['0.0.0.0', '0.1.2.3', '[::]', '[::ffff:0.0.0.0]'].entries()) {
      const r = await server.call('POST', '/api/v1/clusters', {
        body: { name: `local-${i}`, kubeconfig: atLocal(host) },
      });
      expect([r.status, r.json().error?.code], `${host}: ${r.text}`).toEqual([400, 'INVALID_KUBECONFIG']);
      expect(r.json().error.message).toContain('in a network uploaded kubeconfigs may not reach');
    }
    expect((await server.call('GET', '/api/v1/clusters')).json().clusters).toEqual([]);
  });

  it('refuses a stored kubeconfig at the unspecified address once loopback is blocked', async () => {
    delete process.env.KUBETALLY_BLOCKED_NETWORKS;
    const r = await server.call('POST', '/api/v1/clusters', {
      body: { name: 'before', kubeconfig: atLocal('0.0.0.0') },
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
      body: { name: 'any', kubeconfig: atLocal('0.0.0.0') },
    });
    expect(r.status, r.text).toBe(201);
    expect((await server.call('POST', '/api/v1/clusters/any/test')).json().reachable).toBe(true);
  });
});
