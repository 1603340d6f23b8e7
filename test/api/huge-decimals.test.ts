/**
 * Money and prices written with a huge exponent ("1e1000000000"): each is refused at once with a
 * 400 naming the field. The parser used to build the billion-digit number first, holding the one
 * thread that serves every tenant for seconds, then failed: a 500 for credits and low-balance
 * thresholds, and "Maximum BigInt size exceeded" for a price.
 */
import { describe, expect, it } from 'vitest';
import { suiteServer } from './support.js';

const HUGE = '1e1000000000';
const refusal = (field: string) => ({
  code: 'INVALID_ARGUMENT',
  message: `${field}: "${HUGE}" is far too large (400 digits or more before the point)`,
  hint: 'write a decimal such as 0.031611',
});

describe('decimals with a huge exponent', () => {
  const server = suiteServer(['prod']);

  it('refuses a credit, either kind', async () => {
    for (const [amount, kind] of [
      [HUGE, 'top-up'],
      [`-${HUGE}`, 'adjustment'],
    ]) {
      const r = await server().call('POST', '/api/v1/accounts/alice/credits', {
        body: { amount, kind, reason: 'typo' },
      });
      expect([r.status, r.json().error]).toEqual([
        400,
        {
          ...refusal('amount'),
          message: `amount: "${amount}" is far too large (400 digits or more before the point)`,
        },
      ]);
    }
    expect((await server().call('GET', '/api/v1/accounts/alice')).status).toBe(404);
  });

  it('refuses a low-balance threshold', async () => {
    const r = await server().call('PUT', '/api/v1/accounts/alice', { body: { lowBalance: HUGE } });
    expect([r.status, r.json().error]).toEqual([400, refusal('lowBalance')]);
  });

  it('refuses a price, naming the field of the sheet', async () => {
    const r = await server().call('PATCH', '/api/v1/clusters/prod', {
      body: { pricing: { cpuCoreHour: HUGE } },
    });
    expect([r.status, r.json().error.message]).toEqual([
      400,
      `invalid price sheet: cpuCoreHour: "${HUGE}" is far too large (400 digits or more before the point)`,
    ]);
  });

  it('reads zero with any exponent as zero, and keeps the bounds of large values', async () => {
    const zero = await server().call('PATCH', '/api/v1/clusters/prod', {
      body: { pricing: { managementHour: '0e1000000000' } },
    });
    expect(zero.status, zero.text).toBe(200);
    const sheet = (await server().call('GET', '/api/v1/clusters/prod')).json().priceSheet;
    expect(sheet.managementHour).toBe('0');
    const large = await server().call('POST', '/api/v1/accounts/alice/credits', {
      body: { amount: '1e300', reason: 'typo' },
    });
    expect([large.status, large.json().error.message]).toEqual([
      400,
      'a credit may be at most 1 000 000 000 000 (in either direction)',
    ]);
  });
});
