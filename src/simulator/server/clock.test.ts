import { describe, expect, it } from 'vitest';
import { createClock, parseClockMode } from './clock.js';

describe('simulator clock', () => {
  const start = Date.parse('2026-01-05T00:00:00Z');

  it('manual starts at start and moves only when told', () => {
    let wall = 1_000;
    const c = createClock('manual', start, () => wall);
    wall += 50_000;
    expect(c.now()).toBe(start);
    expect(c.advance(60_000)).toBe(start + 60_000);
    expect(c.set(start + 5)).toBe(start + 5);
    expect(c.now()).toBe(start + 5);
  });

  it('speed:N runs N times the wall clock from start', () => {
    let wall = 1_000;
    const c = createClock('speed:60', start, () => wall);
    wall += 1_000;
    expect(c.now()).toBe(start + 60_000);
    c.advance(1_000);
    wall += 500;
    expect(c.now()).toBe(start + 91_000);
  });

  it('real follows the wall clock, and can be shifted', () => {
    let wall = 1_700_000_000_000;
    const c = createClock('real', start, () => wall);
    expect(c.now()).toBe(wall);
    wall += 1234;
    expect(c.now()).toBe(wall);
    c.advance(10_000);
    wall += 1;
    expect(c.now()).toBe(wall + 10_000);
  });

  it('parses modes and rejects others', () => {
    expect(parseClockMode('manual')).toBe('manual');
    expect(parseClockMode('speed:2.5')).toBe('speed:2.5');
    for (const bad of ['speed:0', 'speed:', 'fast', 'speed:-1']) {
      expect(() => parseClockMode(bad)).toThrow(/invalid clock mode/);
    }
  });
});
