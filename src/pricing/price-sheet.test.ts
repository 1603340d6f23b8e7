import { describe, expect, it } from 'vitest';
import { isKubetallyError } from '../domain/errors.js';
import { defaultPriceSheet, parsePriceSheet, priceSheetToJson } from './price-sheet.js';
import { addSheet, sheetInForce } from './sheet-history.js';
import { capacityTypeFromLabels, normalizeCapacityType } from './spot.js';

const errorOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
};

describe('price sheets', () => {
  it('has the SPEC §7 defaults in pico-currency', () => {
    const s = defaultPriceSheet();
    expect(s.currency).toBe('USD');
    expect(s.onDemand).toEqual({ cpu: 31_611_000_000n, memory: 4_237_000_000n, gpu: 950_000_000_000n });
    expect(s.spot).toEqual({ cpu: 6_655_000_000n, memory: 892_000_000n, gpu: 308_000_000_000n });
    expect(s.storageGiBMonth).toBe(40_000_000_000n);
    expect(s.networkEgressGiB).toBe(10_000_000_000n);
    expect(s.loadBalancerHour).toBe(25_000_000_000n);
    expect(s.managementHour).toBe(100_000_000_000n);
    expect(s.effectiveFrom).toBe(0);
  });

  it('reads node, storage-class prices and effectiveFrom, and round-trips its JSON', () => {
    const s = parsePriceSheet({
      currency: 'EUR',
      effectiveFrom: '2026-02-01T00:00:00Z',
      cpuCoreHour: '0.04',
      storageClasses: { gp3: 0.08 },
      nodes: { 'm5.large': { hour: '0.096', spotHour: 0.035 }, 'c5.xlarge': { hour: 0.17 } },
    });
    expect(s.effectiveFrom).toBe(Date.UTC(2026, 1, 1));
    expect(s.onDemand.cpu).toBe(40_000_000_000n);
    expect(s.storageClasses).toEqual({ gp3: 80_000_000_000n });
    expect(s.nodes['m5.large']).toEqual({ hour: 96_000_000_000n, spotHour: 35_000_000_000n });
    expect(s.nodes['c5.xlarge']).toEqual({ hour: 170_000_000_000n });
    expect(parsePriceSheet(priceSheetToJson(s))).toEqual(s);
  });

  it('refuses negative, non-finite, absurd and malformed values, naming every field at once', () => {
    const err = errorOf(() =>
      parsePriceSheet({
        cpuCoreHour: -0.01,
        memoryGiBHour: 'lots',
        gpuHour: Number.POSITIVE_INFINITY,
        loadBalancerHour: 1e6,
        nodes: { 'm5.large': { hour: '20000' } },
        currency: 'dollars',
        effectiveFrom: 'tomorrow',
        surprise: 1,
      }),
    );
    expect(isKubetallyError(err, 'INVALID_ARGUMENT')).toBe(true);
    const msg = (err as Error).message;
    expect(msg).toContain('cpuCoreHour: must not be negative (got -0.01)');
    expect(msg).toContain('memoryGiBHour: "lots" is not a decimal number');
    expect(msg).toContain('gpuHour: Infinity is not a finite number');
    expect(msg).toContain('loadBalancerHour: 1000000 is absurd: more than 1000 per hour');
    expect(msg).toContain('nodes.m5.large.hour: 20000 is absurd: more than 10000 per node-hour');
    expect(msg).toContain('currency: must be a three-letter ISO 4217 code');
    expect(msg).toContain('effectiveFrom: "tomorrow" is not an RFC 3339 time');
    expect(msg).toContain('surprise');
    expect((err as { hint?: string }).hint).toMatch(/non-negative decimals/);
  });

  it('names an unknown field, and the field meant when only its case differs', () => {
    expect(() => parsePriceSheet({ cpuCorehour: '1' })).toThrow(
      'invalid price sheet: unknown field "cpuCorehour" (did you mean cpuCoreHour?)',
    );
    expect(() => parsePriceSheet({ nodes: { 'm5.large': { hour: '0.1', spot: '0.03' } } })).toThrow(
      'invalid price sheet: nodes.m5.large: unknown field "spot" (the fields are hour, spotHour)',
    );
  });

  it('takes effectiveFrom as an RFC 3339 time or a date (midnight UTC), and only real ones', () => {
    expect(parsePriceSheet({ effectiveFrom: '2026-03-02' }).effectiveFrom).toBe(Date.UTC(2026, 2, 2));
    expect(parsePriceSheet({ effectiveFrom: '2026-03-02T01:30:00+01:00' }).effectiveFrom).toBe(
      Date.UTC(2026, 2, 2, 0, 30),
    );
    expect(() => parsePriceSheet({ effectiveFrom: '2026-02-30' })).toThrow(
      /"2026-02-30" is not an RFC 3339 time or a date/,
    );
  });

  it('accepts the limit itself and refuses just above it', () => {
    expect(parsePriceSheet({ cpuCoreHour: 1000 }).onDemand.cpu).toBe(1000n * 10n ** 12n);
    expect(() => parsePriceSheet({ cpuCoreHour: '1000.000000000001' })).toThrow(/cpuCoreHour: .* is absurd/);
  });
});

describe('price history', () => {
  const jan = parsePriceSheet({ effectiveFrom: '2026-01-01T00:00:00Z', cpuCoreHour: 0.03 });
  const feb = parsePriceSheet({ effectiveFrom: '2026-02-01T00:00:00Z', cpuCoreHour: 0.05 });

  it('picks the sheet in force at a time, defaults before the first', () => {
    const sheets = [feb, jan];
    expect(sheetInForce(sheets, Date.UTC(2025, 11, 31)).onDemand.cpu).toBe(31_611_000_000n);
    expect(sheetInForce(sheets, Date.UTC(2026, 0, 1))).toBe(jan);
    expect(sheetInForce(sheets, Date.UTC(2026, 1, 1) - 1)).toBe(jan);
    expect(sheetInForce(sheets, Date.UTC(2026, 1, 1))).toBe(feb);
    expect(sheetInForce([], 0)).toEqual(defaultPriceSheet());
  });

  it('never reprices billed intervals', () => {
    const billedUntil = Date.UTC(2026, 1, 15);
    const err = errorOf(() => addSheet([jan], feb, billedUntil));
    expect(isKubetallyError(err, 'CONFLICT')).toBe(true);
    expect((err as Error).message).toContain(
      'would reprice intervals already billed (up to 2026-02-15T00:00:00Z)',
    );
    const mar = parsePriceSheet({ effectiveFrom: '2026-03-01T00:00:00Z' });
    expect(addSheet([jan], mar, billedUntil)).toEqual([jan, mar]);
    const feb2 = parsePriceSheet({ effectiveFrom: '2026-02-01T00:00:00Z', cpuCoreHour: 0.06 });
    expect(addSheet([jan, feb], feb2, Date.UTC(2026, 0, 20))).toEqual([jan, feb2]);
  });
});

describe('spot detection', () => {
  it('recognizes every cloud marker and nothing else', () => {
    expect(capacityTypeFromLabels({ 'eks.amazonaws.com/capacityType': 'SPOT' })).toBe('spot');
    expect(capacityTypeFromLabels({ 'eks.amazonaws.com/capacityType': 'ON_DEMAND' })).toBe('on-demand');
    expect(capacityTypeFromLabels({ 'karpenter.sh/capacity-type': 'spot' })).toBe('spot');
    expect(capacityTypeFromLabels({ 'karpenter.sh/capacity-type': 'on-demand' })).toBe('on-demand');
    expect(capacityTypeFromLabels({ 'cloud.google.com/gke-spot': 'true' })).toBe('spot');
    expect(capacityTypeFromLabels({ 'cloud.google.com/gke-preemptible': 'true' })).toBe('spot');
    expect(capacityTypeFromLabels({ 'cloud.google.com/gke-spot': 'false' })).toBe('on-demand');
    expect(capacityTypeFromLabels({ 'kubernetes.azure.com/scalesetpriority': 'spot' })).toBe('spot');
    expect(capacityTypeFromLabels({ 'kubernetes.azure.com/scalesetpriority': 'regular' })).toBe('on-demand');
    expect(capacityTypeFromLabels({})).toBe('on-demand');
    expect(capacityTypeFromLabels(undefined)).toBe('on-demand');
    // The wire note's node: EKS says on-demand but Karpenter says spot; any marker wins.
    expect(
      capacityTypeFromLabels({
        'eks.amazonaws.com/capacityType': 'ON_DEMAND',
        'karpenter.sh/capacity-type': 'spot',
      }),
    ).toBe('spot');
    expect(normalizeCapacityType('SPOT')).toBe('spot');
    expect(normalizeCapacityType('ON_DEMAND')).toBe('on-demand');
  });
});
