import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignDown, parseTime, rfc3339 } from './time.js';

const NOW = Date.parse('2026-11-23T02:30:00Z');
const H = 3_600_000;

describe('parseTime', () => {
  it('refuses times the ledger cannot hold, naming the range', () => {
    for (const far of ['-99999999d', '0000-01-01', '1969-12-31T23:59:59Z', '+9000000d']) {
      expect(() => parseTime(far, NOW), far).toThrow(/out of range/);
    }
    expect(parseTime('2024-02-29', NOW)).toBe(Date.UTC(2024, 1, 29));
    // The last time it can hold is the one the hint names.
    expect(parseTime('9999-12-31T00:00:00Z', NOW)).toBe(Date.UTC(9999, 11, 31));
    expect(() => parseTime('9999-12-31T00:00:01Z', NOW)).toThrow(
      expect.objectContaining({
        hint: 'use a time from 1970-01-01 to 9999-12-31T00:00:00Z, such as -30d or 2026-01-31',
      }),
    );
  });

  it('reads now, relative spans, dates and RFC 3339 with a zone', () => {
    expect(parseTime('now', NOW)).toBe(NOW);
    expect(parseTime('-7d', NOW)).toBe(NOW - 7 * 24 * H);
    expect(parseTime(' -2h ', NOW)).toBe(NOW - 2 * H);
    expect(parseTime('-1h30m', NOW)).toBe(NOW - 1.5 * H);
    expect(parseTime('+15m', NOW)).toBe(NOW + H / 4);
    expect(parseTime('2026-01-31', NOW)).toBe(Date.UTC(2026, 0, 31));
    expect(parseTime('2026-01-31T10:00:00Z', NOW)).toBe(Date.UTC(2026, 0, 31, 10));
    expect(parseTime('2026-01-31T10:00:00.250+02:00', NOW)).toBe(Date.UTC(2026, 0, 31, 8, 0, 0, 250));
  });

  it('refuses anything else with the forms it accepts in the hint', () => {
    for (const bad of [
      'yesterday',
      '',
      '-7x',
      '-',
      '2026-01-31T10:00:00',
      '2026-13-01',
      '2026-02-30',
      '2026-04-31T10:00:00Z',
      '31/01/2026',
      '7d',
    ]) {
      let err: unknown;
      try {
        parseTime(bad, NOW);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toMatchObject({ code: 'INVALID_ARGUMENT', message: `invalid time "${bad}"` });
      expect((err as { hint: string }).hint).toMatch(/RFC 3339.*-7d/);
    }
  });

  it('counts an instant past a millisecond from the next one, so that [from, to) keeps what it holds', () => {
    const ten = Date.parse('2026-03-31T10:00:00Z');
    expect(parseTime('2026-03-31T10:00:00.0001Z', NOW)).toBe(ten + 1);
    expect(parseTime('2026-03-31T12:00:00.000000001+02:00', NOW)).toBe(ten + 1);
    expect(parseTime('2026-03-31T10:00:00.123456Z', NOW)).toBe(ten + 124);
    expect(parseTime('2026-03-31T10:00:00.999000000Z', NOW)).toBe(ten + 999);
    expect(parseTime('2026-03-31T10:00:00.000000Z', NOW)).toBe(ten);
  });

  it('says when a zone lost its + in a URL query', () => {
    expect(() => parseTime('2026-11-27T02:00:00 02:00', NOW)).toThrow(
      expect.objectContaining({
        message: 'invalid time "2026-11-27T02:00:00 02:00": its zone lost its +',
        hint: expect.stringMatching(/%2B/),
      }),
    );
  });

  it('round-trips every RFC 3339 instant it prints', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
        expect(parseTime(rfc3339(ms), NOW)).toBe(ms);
      }),
    );
  });

  it('aligns down to the interval', () => {
    expect(alignDown(Date.UTC(2026, 0, 1, 10, 14, 59), 15 * 60_000)).toBe(Date.UTC(2026, 0, 1, 10));
  });
});
