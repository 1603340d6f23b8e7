import { describe, expect, it } from 'vitest';
import { MAX_REPETITION_COST, repetitionCost } from './regex-cost.js';

describe('repetitionCost', () => {
  it('multiplies the ranges of the repetitions', () => {
    expect(repetitionCost('jupyter|notebook')).toBe(1);
    expect(repetitionCost('^spark-.*-driver$')).toBe(253);
    expect(repetitionCost('a?b?')).toBe(4);
    expect(repetitionCost('x{3}y{2,5}z{1,}')).toBe(4 * 253);
    expect(repetitionCost('.*.*')).toBe(MAX_REPETITION_COST);
    expect(repetitionCost('.*.*.*')).toBeGreaterThan(MAX_REPETITION_COST);
  });

  it('reads classes, escapes, lazy quantifiers and group syntax as what they are', () => {
    expect(repetitionCost('[*+?{1,}]')).toBe(1);
    expect(repetitionCost('\\*\\+\\?')).toBe(1);
    expect(repetitionCost('a*?b+?')).toBe(253 * 253);
    expect(repetitionCost('(?:ab)+(?=c)(?<n>d)?')).toBe(253 * 2);
    expect(repetitionCost('a{x}')).toBe(1);
  });
});
