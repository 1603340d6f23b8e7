import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { planPieces } from './usage-query.js';

const at = (iso: string) => Date.parse(iso);
const H = 3_600_000;

describe('planPieces: the cheapest tables for a range', () => {
  it('reads whole days from usage_daily, whole hours from usage_hourly, the rest from intervals', () => {
    const pieces = planPieces(at('2026-03-01T22:15:00Z'), at('2026-03-03T01:30:00Z'), 'total');
    expect(
      pieces.map((p) => [p.table, new Date(p.from).toISOString(), new Date(p.to).toISOString()]),
    ).toEqual([
      ['usage_interval', '2026-03-01T22:15:00.000Z', '2026-03-01T23:00:00.000Z'],
      ['usage_hourly', '2026-03-01T23:00:00.000Z', '2026-03-02T00:00:00.000Z'],
      ['usage_daily', '2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z'],
      ['usage_hourly', '2026-03-03T00:00:00.000Z', '2026-03-03T01:00:00.000Z'],
      ['usage_interval', '2026-03-03T01:00:00.000Z', '2026-03-03T01:30:00.000Z'],
    ]);
  });

  it('never uses a table coarser than the step', () => {
    const from = at('2026-03-01T00:00:00Z');
    expect(planPieces(from, from + 48 * H, 'hour').map((p) => p.table)).toEqual(['usage_hourly']);
    expect(planPieces(from, from + 48 * H, 'interval').map((p) => p.table)).toEqual(['usage_interval']);
    expect(planPieces(from, from + 48 * H, 'day').map((p) => p.table)).toEqual(['usage_daily']);
  });

  it('covers the range exactly, in order, without overlap (property)', () => {
    const minute = 60_000;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 * 24 * 40 }),
        fc.integer({ min: 1, max: 60 * 24 * 40 }),
        fc.constantFrom('interval', 'hour', 'day', 'total' as const),
        (start, length, step) => {
          const from = at('2026-01-01T00:00:00Z') + start * minute;
          const to = from + length * minute;
          const pieces = planPieces(from, to, step);
          expect(pieces[0]?.from).toBe(from);
          expect(pieces.at(-1)?.to).toBe(to);
          pieces.forEach((p, i) => {
            expect(p.to).toBeGreaterThan(p.from);
            if (i > 0) expect(p.from).toBe(pieces[i - 1]?.to);
            if (p.table === 'usage_daily') expect([p.from % (24 * H), p.to % (24 * H)]).toEqual([0, 0]);
            if (p.table === 'usage_hourly') expect([p.from % H, p.to % H]).toEqual([0, 0]);
          });
        },
      ),
    );
  });
});
