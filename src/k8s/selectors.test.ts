import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { isKubetallyError } from '../domain/errors.js';

const labels = { app: 'web', tier: 'front', env: 'prod', replicas: '3', empty: '' };

describe('parseLabelSelector', () => {
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (web,api)', true],
    ['app notin (web,api)', false],
    ['missing notin (a)', true],
    ['missing in (a)', false],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['replicas>2', true],
    ['replicas<2', false],
    ['app>1', false],
    ['app=web,tier=front', true],
    ['app=web, tier=back', false],
    ['empty=', true],
    ['empty in ()', true],
    ['env in (,prod)', true],
    ['  app  =  web  ', true],
  ])('%j matches: %s', (text, expected) => {
    expect(parseLabelSelector(text).matches(labels)).toBe(expected);
  });

  // apimachinery's messages (labels.NewRequirement, validation.IsQualifiedName and
  // IsValidLabelValue): a name too long said "must consist of alphanumeric characters", which
  // it did; a bad prefix was blamed on the name part; a value was always values[0].
  const QNAME =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  const LABEL_VALUE =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
  const SUBDOMAIN =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  const long = 'a'.repeat(64);
  it.each([
    [`${long}=x`, `key: Invalid value: "${long}": name part must be no more than 63 characters`],
    ['-bad=x', `key: Invalid value: "-bad": name part ${QNAME}`],
    ['Example.com/a=x', `key: Invalid value: "Example.com/a": prefix part ${SUBDOMAIN}`],
    ['/a=x', 'key: Invalid value: "/a": prefix part must be non-empty'],
    ['a/=x', `key: Invalid value: "a/": name part must be non-empty; name part ${QNAME}`],
    [`x=${long}`, `values[0][x]: Invalid value: "${long}": must be no more than 63 characters`],
    ['x in (b,-a)', `values[0][x]: Invalid value: "-a": ${LABEL_VALUE}`],
    ['x in (a,-b)', `values[0][x]: Invalid value: "-b": ${LABEL_VALUE}`],
    ['x in (b,c,-)', `values[0][x]: Invalid value: "-": ${LABEL_VALUE}`],
    ['x in (a,b,z-)', `values[2][x]: Invalid value: "z-": ${LABEL_VALUE}`],
    ['x>1e2', `values[0]: Invalid value: "1e2": for 'Gt', 'Lt' operators, the value must be an integer`],
    [
      '-k=-v',
      `[key: Invalid value: "-k": name part ${QNAME}, values[0][-k]: Invalid value: "-v": ${LABEL_VALUE}]`,
    ],
  ])('refuses %j as the API server does', (text, detail) => {
    expect(() => parseLabelSelector(text)).toThrow(`unable to parse requirement: ${detail}`);
  });

  it('prints the canonical form sorted by key, as labels.Parse().String()', () => {
    expect(parseLabelSelector('tier=front,app==web').toString()).toBe('app=web,tier=front');
    expect(parseLabelSelector('env in (staging, prod),!legacy').toString()).toBe(
      'env in (prod,staging),!legacy',
    );
    expect(parseLabelSelector('owner=alice').toString()).toBe('owner=alice');
    expect(parseLabelSelector('').isEmpty()).toBe(true);
  });

  it.each(['app=', 'in=x', 'notin in (a)'])(
    'treats in/notin as identifiers where a name is expected: %j',
    (t) => {
      expect(() => parseLabelSelector(t)).not.toThrow();
    },
  );

  it.each([
    'app=web=x',
    'app in web',
    'app in (a b)',
    '=web',
    'app>x',
    'app,',
    '!',
    'a b',
    'bad key=1',
    'app=-bad-',
    `app=${'x'.repeat(64)}`,
    `${'k'.repeat(64)}=v`,
  ])('refuses %j with the API server’s message', (text) => {
    try {
      parseLabelSelector(text);
      expect.unreachable();
    } catch (err) {
      expect(isKubetallyError(err, 'INVALID_ARGUMENT')).toBe(true);
      expect((err as Error).message).toMatch(/^unable to parse requirement: /);
    }
  });

  it('round-trips its canonical form', () => {
    const key = fc.stringMatching(/^[a-z]([a-z0-9-]{0,6}[a-z0-9])?$/);
    const value = fc.stringMatching(/^([a-z0-9]([a-z0-9.]{0,6}[a-z0-9])?)?$/);
    const req = fc.oneof(
      fc.tuple(key, value).map(([k, v]) => `${k}=${v}`),
      fc.tuple(key, value).map(([k, v]) => `${k}!=${v}`),
      fc
        .tuple(key, fc.array(value, { minLength: 1, maxLength: 3 }))
        .map(([k, vs]) => `${k} in (${vs.join(',')})`),
      key.map((k) => `!${k}`),
      key,
    );
    fc.assert(
      fc.property(fc.array(req, { maxLength: 4 }), fc.dictionary(key, value), (reqs, ls) => {
        const sel = parseLabelSelector(reqs.join(','));
        const again = parseLabelSelector(sel.toString());
        expect(again.toString()).toBe(sel.toString());
        expect(again.matches(ls)).toBe(sel.matches(ls));
      }),
    );
  });
});

describe('parseFieldSelector', () => {
  const fields: Record<string, string> = {
    'status.phase': 'Running',
    'spec.nodeName': 'node-a',
    'metadata.name': 'a,b=c',
  };
  const get = (f: string) => fields[f];

  it.each([
    ['', true],
    ['status.phase=Running', true],
    ['status.phase==Running', true],
    ['status.phase!=Running', false],
    ['status.phase=Running,spec.nodeName=node-b', false],
    ['spec.nodeName!=node-b', true],
    ['metadata.name=a\\,b\\=c', true],
  ])('%j matches: %s', (text, expected) => {
    expect(parseFieldSelector(text).matches(get)).toBe(expected);
  });

  it('keeps the terms for the caller to check which fields a kind supports', () => {
    expect(parseFieldSelector('spec.nodeName=n1,status.phase!=Failed').terms).toEqual([
      { field: 'spec.nodeName', op: '=', value: 'n1' },
      { field: 'status.phase', op: '!=', value: 'Failed' },
    ]);
  });

  it.each(['status.phase', 'a=b=c', '=x', 'a=b\\x'])('refuses %j', (text) => {
    expect(() => parseFieldSelector(text)).toThrow();
  });
});
