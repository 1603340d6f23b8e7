/**
 * deploy/prometheus/kubetally-alerts.yaml: Prometheus's own promtool checks the rules and runs
 * their unit tests (kubetally-alerts.test.yaml: each alert fires, and only when it should), and
 * every rule reads metrics kubetally exposes, summed by tenant (a tenant's money is in its own
 * currency, and names are a tenant's own).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { openApp } from '../../src/app/context.js';
import { exposedMetricNames, metricNamesIn } from '../support/metric-names.js';

const dir = fileURLToPath(new URL('../../deploy/prometheus/', import.meta.url));
const rules = (
  parseYaml(readFileSync(`${dir}kubetally-alerts.yaml`, 'utf8')) as {
    groups: { rules: { alert: string; expr: string }[] }[];
  }
).groups.flatMap((g) => g.rules);

describe('the alerting rules', () => {
  it('pass promtool check rules and their unit tests', (context) => {
    if (spawnSync('promtool', ['--version']).status !== 0) {
      context.skip('promtool is not installed (Debian package prometheus); .ci/run installs it');
    }
    for (const args of [
      ['check', 'rules', 'kubetally-alerts.yaml'],
      ['test', 'rules', 'kubetally-alerts.test.yaml'],
    ]) {
      const run = spawnSync('promtool', args, { cwd: dir, encoding: 'utf8' });
      expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    }
  });

  it('read only metrics kubetally exposes, and keep tenants apart in their sums', async () => {
    const ctx = await openApp({ database: 'memory://', env: { KUBETALLY_ENCRYPTION_KEY: 'ab'.repeat(32) } });
    try {
      const exposed = await exposedMetricNames(ctx);
      expect(rules.map((r) => r.alert)).toHaveLength(4);
      for (const r of rules) {
        const names = metricNamesIn(r.expr);
        expect(names.length, r.alert).toBeGreaterThan(0);
        for (const n of names) expect(exposed, `${r.alert}: ${n}`).toContain(n);
        for (const s of r.expr.match(/sum by \(([^)]*)\)/g) ?? []) expect(s, r.alert).toMatch(/\btenant\b/);
      }
    } finally {
      await ctx.close();
    }
  });
});
