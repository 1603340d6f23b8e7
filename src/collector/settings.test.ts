import { describe, expect, it } from 'vitest';
import { collectionSettings } from './settings.js';

describe('collectionSettings', () => {
  it('names the sample period and the interval it does not fit', () => {
    expect(() => collectionSettings({ interval: '15m', sampleEvery: '20m' })).toThrow(
      'invalid sampleEvery 1200s: longer than the interval (15 min)',
    );
    expect(() => collectionSettings({ sampleEvery: '500ms' })).toThrow(
      'invalid sampleEvery 0.5s: under a second',
    );
  });

  it('fills the defaults of SPEC §7', () => {
    const s = collectionSettings(undefined);
    expect([s.sampleEvery, s.interval, s.metrics, s.summary, s.watch]).toEqual([
      60_000,
      900_000,
      true,
      true,
      true,
    ]);
  });
});
