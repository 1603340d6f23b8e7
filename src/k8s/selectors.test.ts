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
