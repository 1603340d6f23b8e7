/**
 * Attribution rules name owners and compute types where no label does; the API must be able to
 * read those names back (`owner=`, `/accounts/{owner}`, `/users/{owner}/usage`), so a rule that
 * would bill an owner no request can name is refused where it comes in.
 */
import { describe, expect, it } from 'vitest';
import { suiteServer } from './support.js';

const server = suiteServer(['ruled']);

describe('attribution rule names', () => {
  it.each([
    ['unownedOwner', { unownedOwner: 'nobody\t' }, 'unownedOwner', 'it has a control character'],
    [
      'unownedOwner',
      { unownedOwner: 'x'.repeat(254) },
      'unownedOwner',
      'it has 254 characters, more than 253',
    ],
    [
      'defaultComputeType',
      { defaultComputeType: ' other' },
      'defaultComputeType',
      'it is blank or has spaces around it',
    ],
    [
      'a name rule type',
      { computeTypeNameRules: [{ pattern: '^train-', type: 'train\ning' }] },
      'computeTypeNameRules.0.type',
      'it has a control character',
    ],
  ])(
    'refuse %s the API could not read back, at registration and PATCH',
    async (_what, attribution, at, why) => {
      const registered = await server().call('POST', '/api/v1/clusters', {
        body: { name: 'refused', inCluster: true, attribution },
      });
      const patched = await server().call('PATCH', '/api/v1/clusters/ruled', { body: { attribution } });
      for (const r of [registered, patched]) {
        expect(r.status, r.text).toBe(400);
        expect(r.json().error.code).toBe('INVALID_ARGUMENT');
        expect(r.json().error.message).toMatch(
          new RegExp(
            `^invalid attribution rules at ${at.replaceAll('.', '\\.')}: .* is not a name the API can read back: ${why}$`,
          ),
        );
      }
      expect((await server().call('GET', '/api/v1/clusters/refused')).status).toBe(404);
    },
  );

  it.each([
    [
      'a label key that is none',
      { ownerLabels: ['owner', 'team owner'] },
      'ownerLabels.1: "team owner" is not a label key',
    ],
    [
      'a label key too long',
      { projectLabels: ['p'.repeat(64)] },
      'projectLabels.0: ".*"… is not a label key',
    ],
    [
      'more label keys than a pod is looked up for',
      { computeTypeLabels: Array.from({ length: 17 }, (_, i) => `l${i}`) },
      'computeTypeLabels: 17 label keys, more than 16',
    ],
  ])('refuse %s', async (_what, attribution, message) => {
    const r = await server().call('PATCH', '/api/v1/clusters/ruled', { body: { attribution } });
    expect(r.status, r.text).toBe(400);
    expect(r.json().error.message).toMatch(new RegExp(`^invalid attribution rules at ${message}$`));
  });

  it('take any other name, as an account owner may be', async () => {
    const attribution = {
      unownedOwner: 'équipe Ω',
      defaultComputeType: 'batch-x',
      ownerLabels: ['example.com/owner', 'Team_Lead.1'],
    };
    const r = await server().call('PATCH', '/api/v1/clusters/ruled', { body: { attribution } });
    expect(r.status, r.text).toBe(200);
    expect(r.json().attribution).toMatchObject(attribution);
  });
});
