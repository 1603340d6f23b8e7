/**
 * A tenant's admin sets the pod-name rules of its clusters, and each pattern is tried on every pod
 * name of every interval (and of every live view) on the one thread that serves every tenant. A
 * pattern whose repetitions can split a name in too many ways (`a*a*a*a*a*a*a*a*a*a*=` runs for
 * seconds on a 30-character name), or thousands of rules, would stall the service for all of
 * them: they are refused with a 400 that says why, as patterns that repeat a group are.
 */
import { describe, expect, it } from 'vitest';
import { suiteServer } from './support.js';

const server = suiteServer(['local']);

const patch = (rules: unknown) =>
  server().call('PATCH', '/api/v1/clusters/local', {
    body: { attribution: { computeTypeNameRules: rules } },
  });

describe('pod-name rules that would stall every tenant', () => {
  it('refuses a pattern with more than two unbounded repetitions', async () => {
    for (const pattern of [
      'a*a*a*a*a*a*a*a*a*a*=',
      '.*.*.*=',
      '\\w+\\w+\\w+x',
      '.*-.{1,100}-.*x',
      '.*x?x?x?x?x?x?x?x?y',
    ]) {
      const r = await patch([{ pattern, type: 'x' }]);
      expect([r.status, r.json().error?.code], `${pattern}: ${r.text}`).toEqual([400, 'INVALID_ARGUMENT']);
      expect(r.json().error.message).toContain('computeTypeNameRules.0.pattern');
      expect(r.json().error.message).toContain('more repetitions than two unbounded ones');
    }
  });

  it('refuses more rules, or longer patterns, than any real set needs', async () => {
    const many = Array.from({ length: 33 }, (_, i) => ({ pattern: `^job-${i}-`, type: 'job' }));
    const r = await patch(many);
    expect([r.status, r.json().error?.message], r.text).toEqual([
      400,
      expect.stringContaining('invalid attribution rules at computeTypeNameRules'),
    ]);
    const long = await patch([{ pattern: 'x'.repeat(257), type: 'x' }]);
    expect([long.status, long.json().error?.message], long.text).toEqual([
      400,
      expect.stringContaining('invalid attribution rules at computeTypeNameRules.0.pattern'),
    ]);
  });

  it('refuses a namespace pattern of more than four placeholders', async () => {
    const r = await server().call('PATCH', '/api/v1/clusters/local', {
      body: { attribution: { namespacePattern: '{*}{*}{*}{*}{*}{*}{project}-{user}z' } },
    });
    expect([r.status, r.json().error?.message], r.text).toEqual([
      400,
      'invalid attribution rules at namespacePattern: "{*}{*}{*}{*}{*}{*}{project}-{user}z" has 8 placeholders, more than 4',
    ]);
    const ok = await server().call('PATCH', '/api/v1/clusters/local', {
      body: { attribution: { namespacePattern: '{*}-{*}-{project}-{user}' } },
    });
    expect(ok.status, ok.text).toBe(200);
  });

  it('takes the patterns people write', async () => {
    const rules = [
      '^spark-.*-driver$',
      '^[a-z]+-[0-9]+-[a-z0-9]{5}$',
      'jupyter|notebook',
      '(spark|flink)+-driver',
      '^train-?.*$',
    ];
    const r = await patch(rules.map((pattern) => ({ pattern, type: 'job' })));
    expect(r.status, r.text).toBe(200);
    const more = Array.from({ length: 32 }, (_, i) => ({ pattern: `^job-${i}-`, type: 'job' }));
    expect((await patch(more)).status).toBe(200);
  });
});
