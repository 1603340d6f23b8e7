import { describe, expect, it } from 'vitest';
import { toJson } from '../ledger/columns.js';
import { packReadings, storedReadings, type Readings } from './reading-columns.js';

const T = 1_780_000_000_000;
const UID = ['0f3c2a9e-1111-4b6e-9c1e-000000000001', '0f3c2a9e-1111-4b6e-9c1e-000000000002'];

/** As stored and read back: bytes as they are, anything else as JSON parsed without revival. */
const viaStore = (value: unknown) =>
  storedReadings(value instanceof Uint8Array ? Buffer.from(value) : JSON.parse(toJson(value)));

const readings = (): Readings => ({
  cpuCounters: [
    {
      podUid: UID[0]!,
      container: 'main',
      time: T,
      containerStart: T - 3_600_000,
      coreNanos: 12_345_678_901_234n,
    },
    // Beyond 2^53: must not pass through a double.
    { podUid: UID[1]!, container: 'main', time: T + 7, containerStart: T - 5, coreNanos: 2n ** 70n + 3n },
  ],
  memory: [
    { podUid: UID[1]!, container: 'sidecar', time: T + 7, workingSetBytes: 9_007_199_254_740_993n },
    { podUid: UID[0]!, container: 'main', time: T, workingSetBytes: 0n },
  ],
  network: [{ podUid: UID[0]!, time: T, podStart: T - 1, rxBytes: 5n, txBytes: -1n }],
  volumes: [{ namespace: 'team-a', claim: 'data', time: T, usedBytes: 1_073_741_824n }],
});

describe('readings as columns', () => {
  it('read back equal to what was written, bigints beyond 2^53 included', () => {
    const r = readings();
    expect(viaStore(packReadings(r))).toEqual(r);
  });

  it('keep the series that were written and only those', () => {
    const r: Readings = {
      cpuRates: [{ podUid: UID[0]!, container: 'main', time: T, windowMs: 15_000, nanoCores: 250_000_000n }],
      memory: [],
    };
    const back = viaStore(packReadings(r));
    expect(back).toEqual(r);
    expect(Object.keys(back).sort()).toEqual(['cpuRates', 'memory']);
  });

  it('write each text once, and no field names', () => {
    const r = readings();
    const bytes = packReadings(r).toString('latin1');
    expect(bytes.split(UID[0]!).length - 1).toBe(1);
    expect(bytes.split('"main"').length - 1).toBe(1);
    expect(bytes).not.toContain('workingSetBytes');
  });

  it('read back from any offset of a larger buffer (the database driver’s)', () => {
    const r = readings();
    const packed = packReadings(r);
    const shared = Buffer.concat([Buffer.from([1, 2, 3]), packed]).subarray(3);
    expect(storedReadings(shared)).toEqual(r);
  });

  it('refuse bytes that are not a readings record', () => {
    expect(() => storedReadings(Buffer.from('nope, not one'))).toThrow(/not a readings record/);
  });

  it('keep times that are not whole milliseconds exact', () => {
    const r: Readings = {
      memory: [
        { podUid: UID[0]!, container: 'main', time: T, workingSetBytes: 1n },
        { podUid: UID[0]!, container: 'main', time: T + 0.1, workingSetBytes: 2n },
      ],
    };
    expect(viaStore(packReadings(r))).toEqual(r);
  });

  it('still read the objects that earlier versions stored', () => {
    const r = readings();
    expect(viaStore(r)).toEqual(r);
  });
});
