import { describe, expect, it } from 'vitest';
import { Faults } from './faults.js';

describe('faults', () => {
  it('keeps left-out fields, parses latency, clears everything', () => {
    const f = new Faults(7);
    f.set({ metricsApi: 'missing', latency: '2s' });
    f.set({ errorRate: 0.5 });
    expect(f.state).toMatchObject({
      metricsApi: 'missing',
      latencyMs: 2000,
      errorRate: 0.5,
      summaryApi: 'ok',
    });
    expect(f.toJSON()).toMatchObject({ latency: '2000ms' });
    f.clear();
    expect(f.state).toMatchObject({ metricsApi: 'ok', latencyMs: 0, errorRate: 0 });
  });

  it.each([
    { metricsApi: 'gone' },
    { errorRate: 2 },
    { latency: 'soon' },
    { forbidden: 'pods' },
    { bogus: 1 },
    'x',
  ])('rejects %j with INVALID_ARGUMENT', (patch) => {
    expect(() => new Faults(1).set(patch)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('draws the same fates for the same seed, at about the asked rate', () => {
    const draw = () => {
      const f = new Faults(42);
      f.set({ errorRate: 0.2 });
      return Array.from({ length: 10_000 }, () => f.fate());
    };
    const a = draw();
    expect(draw()).toEqual(a);
    const errors = a.filter((x) => x === 'error').length;
    expect(errors).toBeGreaterThan(1_800);
    expect(errors).toBeLessThan(2_200);
  });

  it('matches forbidden resources in RBAC notation', () => {
    const f = new Faults(1);
    f.set({ forbidden: ['pods', 'nodes/proxy', 'pods.metrics.k8s.io'] });
    expect(f.isForbidden('pods')).toBe(true);
    expect(f.isForbidden('nodes')).toBe(false);
    expect(f.isForbidden('nodes', '', 'proxy')).toBe(true);
    expect(f.isForbidden('pods', 'metrics.k8s.io')).toBe(true);
    expect(f.isForbidden('nodes', 'metrics.k8s.io')).toBe(false);
  });
});
