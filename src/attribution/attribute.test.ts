import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { attributePod, attributionRulesSchema, compileRules, DEFAULT_RULES } from './index.js';
import { isKubetallyError } from '../domain/errors.js';

const defaults = compileRules();
const pod = (namespace: string, name: string, labels: Record<string, string> = {}) => ({
  namespace,
  name,
  labels,
});

describe('attributePod with the default rules (SPEC §6)', () => {
  it('takes owner, project, project id and compute type from the Hopsworks labels', () => {
    const p = pod('main-lex', 'jupyter-lex-0', {
      owner: 'lex00000',
      user: 'someone-else',
      project: 'main',
      'project-id': '119',
      'compute-type': 'serving',
    });
    expect(attributePod(p, defaults)).toEqual({
      owner: 'lex00000',
      project: 'main',
      projectId: '119',
      computeType: 'serving',
    });
  });

  it('falls back from owner to user, project to the namespace, compute type to the name', () => {
    expect(attributePod(pod('team-a', 'spark-driver-7', { user: 'bob' }), defaults)).toEqual({
      owner: 'bob',
      project: 'team-a',
      projectId: '',
      computeType: 'job',
    });
  });

  it('marks pods that name no owner as __unowned__ and unknown names as other', () => {
    expect(attributePod(pod('kube-system', 'coredns-5d78c9869d-abcde'), defaults)).toEqual({
      owner: '__unowned__',
      project: 'kube-system',
      projectId: '',
      computeType: 'other',
    });
  });

  it('applies the name heuristics in order, case-insensitively', () => {
    const type = (name: string) => attributePod(pod('ns', name), defaults).computeType;
    expect(type('Jupyter-alice')).toBe('notebook');
    expect(type('my-notebook-0')).toBe('notebook');
    expect(type('nightly-cronjob-123')).toBe('job');
    expect(type('flink-taskmanager')).toBe('job');
    expect(type('model-predictor-00001')).toBe('serving');
    expect(type('kserve-inference-x')).toBe('serving');
    expect(type('web-frontend')).toBe('other');
  });

  it('ignores empty label values', () => {
    expect(attributePod(pod('ns', 'x', { owner: '', user: 'carol' }), defaults).owner).toBe('carol');
  });
});

describe('per-cluster overrides', () => {
  it('derives owner and project from a namespace pattern when labels are missing', () => {
    const rules = compileRules({ namespacePattern: '{project}-{user}' });
    expect(attributePod(pod('team-analytics-bob', 'worker'), rules)).toMatchObject({
      owner: 'bob',
      project: 'team-analytics',
    });
    // Labels still win over the pattern.
    expect(attributePod(pod('team-analytics-bob', 'worker', { owner: 'alice' }), rules).owner).toBe('alice');
    // A namespace that does not fit the pattern falls through to the defaults.
    expect(attributePod(pod('default', 'worker'), rules)).toMatchObject({
      owner: '__unowned__',
      project: 'default',
    });
  });

  it('uses other label keys and name rules when a cluster says so', () => {
    const rules = compileRules({
      ownerLabels: ['team.example.com/owner'],
      computeTypeNameRules: [{ pattern: '^train-', type: 'training' }],
      unownedOwner: 'platform',
    });
    expect(attributePod(pod('ml', 'train-resnet', { 'team.example.com/owner': 'dana' }), rules)).toEqual({
      owner: 'dana',
      project: 'ml',
      projectId: '',
      computeType: 'training',
    });
    expect(attributePod(pod('ml', 'jupyter-x', { owner: 'ignored' }), rules)).toMatchObject({
      owner: 'platform',
      computeType: 'other',
    });
  });

  it('refuses bad rules with an error naming the field', () => {
    const expectInvalid = (input: unknown, fragment: string) => {
      try {
        compileRules(input as never);
        expect.unreachable();
      } catch (err) {
        expect(isKubetallyError(err, 'INVALID_ARGUMENT')).toBe(true);
        expect((err as Error).message).toContain(fragment);
      }
    };
    expectInvalid({ namespacePattern: 'no-placeholder' }, 'has no placeholder');
    expectInvalid({ namespacePattern: '{foo}-{bar}' }, 'has unknown placeholders {foo}, {bar}');
    expectInvalid({ namespacePattern: '{project}-{team}' }, 'has unknown placeholder {team}');
    expectInvalid({ computeTypeNameRules: [{ pattern: '(', type: 'x' }] }, 'computeTypeNameRules.0.pattern');
    const slow = ['(a+)+$', '(x*)*', '(ab|a+){2,}', '([a-z]+-?)+end', '(a|a)*b', '(a|ab)*', '(\\w|-)+'];
    for (const pattern of [...slow, '((a+))+', '(?:a|a)+', '(.|a)*', '((a)|(b))+', '(A|a)+'])
      expectInvalid({ computeTypeNameRules: [{ pattern, type: 'x' }] }, 'repeats a group that holds');
    // Linear whatever the name: alternatives that begin differently, classes, escapes, lookaheads.
    const fine = ['(spark|flink)+-driver', 'jupyter|notebook', '^(gpu|cuda)-.*', '[a+]+', '\\(a+\\)+'];
    for (const pattern of [...fine, 'a+b+', '(abc)+', '(?:spark|flink)-\\d+', 'x(?=a+)b', '(?<n>ab)+'])
      expect(compileRules({ computeTypeNameRules: [{ pattern, type: 'job' }] }).nameRules).toHaveLength(1);
    expectInvalid({ ownerLabels: 'owner' }, 'ownerLabels');
    expectInvalid({ ownerLabel: ['owner'] }, '(rules)');
    expectInvalid([], '(rules)');
  });

  it('compiles no rules and empty rules to the defaults the schema gives', () => {
    expect(attributionRulesSchema().parse({})).toEqual(DEFAULT_RULES);
    expect(compileRules().rules).toEqual(DEFAULT_RULES);
    expect(compileRules({}).rules).toEqual(DEFAULT_RULES);
    expect(compileRules({ unownedOwner: 'nobody' }).rules).toEqual({
      ...DEFAULT_RULES,
      unownedOwner: 'nobody',
    });
  });
});

describe('properties', () => {
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
  it('a {project}-{user} namespace always splits back into its parts when the user has no hyphen', () => {
    const rules = compileRules({ namespacePattern: '{project}-{user}' });
    const user = fc.stringMatching(/^[a-z0-9]{1,12}$/);
    fc.assert(
      fc.property(label, user, (project, u) => {
        const got = attributePod(pod(`${project}-${u}`, 'p'), rules);
        expect(got.owner).toBe(u);
        expect(got.project).toBe(project);
      }),
    );
  });

  it('the owner label always wins when set', () => {
    fc.assert(
      fc.property(label, label, label, (ns, name, owner) => {
        expect(attributePod(pod(ns, name, { owner, user: 'x' }), defaults).owner).toBe(owner);
      }),
    );
  });
});
