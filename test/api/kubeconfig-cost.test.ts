/**
 * An uploaded kubeconfig is parsed on the thread that serves every tenant. Flow collections
 * nested in one another (`[[[[…`) took the YAML parser 4 s for a text of 256 KiB before it gave
 * up: they are counted by its lexer first, in milliseconds, and refused past 32 levels.
 */
import { describe, expect, it } from 'vitest';
import { suiteServer } from './support.js';

const server = suiteServer();

const KUBECONFIG = `apiVersion: v1
kind: Config
current-context: c
contexts: [{name: c, context: {cluster: k, user: u}}]
users: [{name: u, user: {token: abc}}]
clusters: [{name: k, cluster: {server: "https://203.0.113.7:6443"}}]
`;

describe('an uploaded kubeconfig nested deep', () => {
  it('is refused at once, with what is wrong', async () => {
    for (const deep of ['['.repeat(250_000), '{a: '.repeat(50_000) + '1' + '}'.repeat(50_000)]) {
      const started = Date.now();
      const r = await server().call('POST', '/api/v1/clusters', {
        body: { name: 'deep', kubeconfig: `${KUBECONFIG}extensions: ${deep}\n` },
      });
      expect([r.status, r.json().error?.code], r.text).toEqual([400, 'INVALID_KUBECONFIG']);
      expect(r.json().error.message).toBe(
        'the kubeconfig nests flow collections ([ ] and { }) more than 32 deep',
      );
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });

  it('is taken in flow style as people write it, brackets in quotes included', async () => {
    const r = await server().call('POST', '/api/v1/clusters', {
      body: {
        name: 'flow',
        kubeconfig: `${KUBECONFIG}preferences: {colors: "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}\n`,
      },
    });
    expect(r.status, r.text).toBe(201);
  });
});
