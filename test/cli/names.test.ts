/**
 * Names on the command line that match nothing, or more than one thing: an unknown cluster or
 * tenant is an error naming the known ones (never an empty table), a cluster name two tenants
 * share is refused until --tenant says whose (their rows would be added together), and a cluster
 * looked up in the wrong tenant points at the right one. No cluster is reached: in-cluster
 * registrations are enough.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliDataDir, type CliDataDir } from '../support/cli.js';

let cli: CliDataDir;
const run = (...args: string[]) => cli.run(...args);

beforeAll(async () => {
  cli = await cliDataDir('kubetally-names-');
  for (const tenant of ['acme', 'beta']) {
    const r = await run('cluster', 'add', 'c1', '--in-cluster', '--tenant', tenant);
    expect(r.code, r.err).toBe(0);
  }
  expect((await run('cluster', 'add', 'solo', '--in-cluster', '--tenant', 'acme')).code).toBe(0);
}, 60_000);

afterAll(() => cli?.remove());

describe('names that match nothing or several things', () => {
  it('usage and costs: an unknown cluster is an error naming the known ones (exit 9)', async () => {
    for (const cmd of ['usage', 'costs']) {
      const r = await run(cmd, '--cluster', 'nosuch');
      expect([r.code, r.out], cmd).toEqual([9, '']);
      expect(r.err, cmd).toMatch(/^error: no cluster named nosuch\nhint: .*c1, solo/);
    }
  });

  it('collect: an unknown cluster or tenant is an error naming the known ones (exit 9)', async () => {
    const cluster = await run('collect', '--cluster', 'nosuch');
    expect([cluster.code, cluster.out]).toEqual([9, '']);
    expect(cluster.err).toMatch(
      /^error: no cluster named nosuch\nhint: the registered clusters are c1, solo/,
    );
    const tenant = await run('collect', '--tenant', 'nosuch');
    expect([tenant.code, tenant.out]).toEqual([9, '']);
    expect(tenant.err).toMatch(/^error: no tenant named nosuch\nhint: .*acme, beta/);
  });

  it('usage and costs: a cluster name of two tenants without --tenant is refused (exit 2)', async () => {
    for (const cmd of ['usage', 'costs']) {
      const r = await run(cmd, '--cluster', 'c1');
      expect([r.code, r.out], cmd).toEqual([2, '']);
      expect(r.err, cmd).toMatch(
        /^error: several tenants have a cluster named c1: say whose\nhint: .*--tenant/,
      );
      expect(r.err, cmd).toMatch(/acme, beta/);
      expect((await run(cmd, '--cluster', 'c1', '--tenant', 'beta')).code, cmd).toBe(0);
      expect((await run(cmd, '--cluster', 'solo')).code, cmd).toBe(0);
    }
  });

  it('usage, costs and cluster list: an unknown tenant is an error naming the known ones', async () => {
    for (const args of [['usage'], ['costs'], ['cluster', 'list']]) {
      const r = await run(...args, '--tenant', 'nosuch');
      expect([r.code, r.out], args[0]).toEqual([9, '']);
      expect(r.err, args[0]).toMatch(/^error: no tenant named nosuch\nhint: .*acme, beta/);
    }
  });

  it('cluster test and remove in the wrong tenant suggest the tenant that has the name', async () => {
    const one = await run('cluster', 'test', 'solo');
    expect([one.code, one.err]).toEqual([9, expect.stringMatching(/\nhint: .*--tenant acme/)]);
    const two = await run('cluster', 'remove', 'c1', '--tenant', 'default');
    expect([two.code, two.err]).toEqual([9, expect.stringMatching(/\nhint: .*--tenant .*acme, beta/)]);
    const none = await run('cluster', 'test', 'nosuch');
    expect([none.code, none.err]).toEqual([9, expect.not.stringMatching(/--tenant/)]);
  });

  it('cluster add --in-cluster does not speak of a stored kubeconfig', async () => {
    const r = await run('cluster', 'add', 'inside', '--in-cluster');
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/kubeconfig/);
    expect(r.out).toMatch(/service account/);
  });
});
