import { describe, expect, it } from 'vitest';
import type { Principal } from './auth.js';
import { ReadCache } from './read-cache.js';

const admin = { role: 'admin' } as Principal;

describe('ReadCache', () => {
  it('reuses an answer, serves it stale once while refreshing, and never serves one long unasked', async () => {
    const cache = new ReadCache(1_000);
    let n = 0;
    const compute = () => Promise.resolve(++n);
    expect(await cache.get(admin, '/u', compute, 0)).toBe(1);
    expect(await cache.get(admin, '/u', compute, 500)).toBe(1); // within 750 ms at least
    // Stale (past 1 250 ms at most) but not long: the kept answer, while the next is computed.
    expect(await cache.get(admin, '/u', compute, 1_300)).toBe(1);
    expect(await cache.get(admin, '/u', compute, 1_400)).toBe(2);
    // Unasked for longer than its lifetime and another one: computed anew and waited for.
    expect(await cache.get(admin, '/u', compute, 1_400 + 2_600)).toBe(3);
  });

  it('keeps callers apart', async () => {
    const cache = new ReadCache(1_000);
    const viewer = { role: 'viewer', tenant: 'a' } as Principal;
    expect(await cache.get(admin, '/u', () => Promise.resolve('admin'), 0)).toBe('admin');
    expect(await cache.get(viewer, '/u', () => Promise.resolve('viewer'), 0)).toBe('viewer');
  });

  it('holds at most its bound of rows, the oldest answers going first, and none larger than it', async () => {
    const cache = new ReadCache(1_000, 1_000, 10);
    let n = 0;
    const rows = (k: number) => () => Promise.resolve({ n: ++n, rows: Array.from({ length: k }) });
    await cache.get(admin, '/a', rows(4), 0); // holds 5 (4 rows and the answer)
    await cache.get(admin, '/b', rows(4), 0); // 10
    expect((await cache.get(admin, '/a', rows(4), 1)).n).toBe(1);
    await cache.get(admin, '/c', rows(1), 1); // 12: /a, the oldest, goes
    expect((await cache.get(admin, '/a', rows(4), 2)).n).toBe(4);
    expect((await cache.get(admin, '/c', rows(1), 2)).n).toBe(3);
    await cache.get(admin, '/big', rows(20), 3);
    expect((await cache.get(admin, '/big', rows(20), 4)).n).toBe(6); // not kept: computed again
  });
});
