/**
 * `kubetally collect` over clusters of several tenants, through the built bin: two tenants' `prod`
 * are two clusters, so each failure line on stderr says whose (it used to read "cluster prod" twice).
 * In-cluster registrations fail the same way outside a pod, which is enough here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliDataDir, type CliDataDir } from '../support/cli.js';
import { runBin } from '../support/run-bin.js';

let cli: CliDataDir;
const bin = (...args: string[]) => runBin(cli.env, ...args);

beforeAll(async () => {
  cli = await cliDataDir('kubetally-collect-tenants-');
  for (const tenant of ['acme', 'beta']) {
    expect((await cli.run('cluster', 'add', 'prod', '--in-cluster', '--tenant', tenant)).code).toBe(0);
  }
}, 60_000);
afterAll(() => cli?.remove());

/** The failure of one cluster: its line (why depends on the machine: no pod, no token) and hint. */
const failure = (who: string) => `error: ${who}: [^\\n]+\\nhint: [^\\n]+\\n`;

describe('collect over several tenants', () => {
  it('names the tenant of each cluster that failed, and exits with the first failure (3)', async () => {
    const r = await bin('collect');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(
      new RegExp(
        `^${failure('cluster prod \\(tenant acme\\)')}${failure('cluster prod \\(tenant beta\\)')}$`,
      ),
    );
    expect(r.out.split('\n')[0]).toMatch(/^TENANT\s+CLUSTER\s+CLUSTER TIME\s+SOURCES\s+INTERVALS CLOSED$/);
  });

  it('one tenant: the line stays as before, without the tenant', async () => {
    const r = await bin('collect', '--tenant', 'beta');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(new RegExp(`^${failure('cluster prod')}$`));
  });
});
