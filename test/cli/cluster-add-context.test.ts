/**
 * `kubetally cluster add NAME --kubeconfig ~/.kube/config --context C`: an operator's own file
 * holds other contexts too, often one whose user runs a command (`aws eks get-token`). The
 * whole file was checked as an upload, so that context refused the one chosen ("users[1].user.exec
 * is not allowed"), and the whole file was stored, the credentials of every other cluster with it.
 * Now the chosen context is checked and kept alone, as `kubectl config view --minify` gives it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { connectCluster } from '../../src/app/cluster-connection.js';
import { openApp } from '../../src/app/context.js';
import { cliDataDir, type CliDataDir } from '../support/cli.js';
import { startTestSimulator, type TestSimulator } from '../simulator/support.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sim: TestSimulator;
let cli: CliDataDir;
let file: string;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
  cli = await cliDataDir('kubetally-cluster-add-context-');
  const doc = parse(sim.kubeconfig) as Doc;
  const own = doc.contexts[0].name as string;
  doc.clusters.push({
    name: 'eks',
    cluster: { server: 'https://eks.example.com', 'certificate-authority': '/ca.crt' },
  });
  doc.users.push({
    name: 'eks',
    user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'aws' } },
  });
  doc.users.push({ name: 'staging', user: { token: 'token-of-another-cluster' } });
  doc.contexts.push({ name: 'eks', context: { cluster: 'eks', user: 'eks' } });
  doc.contexts.push({ name: 'staging', context: { cluster: 'eks', user: 'staging' } });
  doc['current-context'] = 'eks';
  file = join(cli.dir, 'config');
  await writeFile(file, stringify(doc));
  expect(own).toBe('kubetally-simulator');
});
afterAll(async () => {
  await sim?.stop();
  await cli?.remove();
});

describe('cluster add --context of a kubeconfig with other contexts', () => {
  it('registers the chosen context whatever the others hold, and stores it alone', async () => {
    const added = await cli.run(
      'cluster',
      'add',
      'sim',
      '--kubeconfig',
      file,
      '--context',
      'kubetally-simulator',
    );
    expect(added.err).toBe('kubeconfig: context kubetally-simulator, server ' + sim.url + '\n');
    expect(added.code).toBe(0);
    expect((await cli.run('cluster', 'test', 'sim')).code).toBe(0);
    const ctx = await openApp({ env: cli.env });
    try {
      const conn = await connectCluster(ctx.secrets, (await ctx.store.getCluster('default', 'sim'))!);
      expect(conn.kubeConfig.users.map((u) => u.name)).toEqual(['kubetally-simulator-user']);
      expect(conn.kubeConfig.contexts.map((c) => c.name)).toEqual(['kubetally-simulator']);
    } finally {
      await ctx.close();
    }
  });

  it('still refuses a chosen context that runs a command or reads a file', async () => {
    const eks = await cli.run('cluster', 'add', 'eks', '--kubeconfig', file);
    expect(eks.code).toBe(3);
    expect(eks.err).toContain('error: users[1].user.exec is not allowed in an uploaded kubeconfig');
    const staging = await cli.run('cluster', 'add', 'staging', '--kubeconfig', file, '--context', 'staging');
    expect(staging.code).toBe(3);
    expect(staging.err).toContain(
      'error: clusters[1].cluster.certificate-authority is not allowed in an uploaded kubeconfig',
    );
  });
});
