import { describe, expect, it } from 'vitest';
import { moneyFormat } from './costs-run.js';

describe('moneyFormat (the costs table)', () => {
  it('prints cents when the totals line adds up in cents', () => {
    const money = moneyFormat([383.37, 16.78, 400.15], [383.37, 16.78, 400.15]);
    expect([383.37, 16.78, 400.15].map(money)).toEqual(['383.37', '16.78', '400.15']);
  });

  it('prints more decimals when cents would not add up: rows + management = cluster cost as printed', () => {
    const money = moneyFormat([383.3679, 16.775, 400.1429], [383.3679, 16.775, 400.1429]);
    expect([383.3679, 16.775, 400.1429].map(money)).toEqual(['383.3679', '16.7750', '400.1429']);
    const micro = moneyFormat([1.00505, 1.00505, 2.0101], [1.00505, 1.00505, 2.0101]);
    expect([1.00505, 2.0101].map(micro)).toEqual(['1.005050', '2.010100']);
  });

  it('keeps four decimals for a small amount, as before', () => {
    expect(moneyFormat([0.5, 10], [10.5, 0, 10.5])(10)).toBe('10.0000');
  });
});
