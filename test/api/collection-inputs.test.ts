/**
 * Retention settings a cluster is registered or patched with: a negative one was stored, and
 * deleted pod detail of intervals not yet reached; one past any date (`999999999d`) was stored
 * too, and every cleanup failed from then on ("collection failed: Invalid time value"). And a
 * merge patch that removes a whole setting (`"collection": null`, RFC 7396) was refused.
 */
import { describe, expect, it } from 'vitest';
import { suiteServer } from './support.js';

const server = suiteServer(['inside']);

const refused = (field: string) => ({
  code: 'INVALID_ARGUMENT',
  message: `invalid collection settings: ${field}: must be from 0 to 36500d (a century)`,
  hint: 'see docs/collection.md for the settings and their defaults',
});

describe('retention settings', () => {
  it.each([
    ['rawRetention', '-5d'],
    ['podDetailRetention', '-1s'],
    ['rawRetention', '999999999d'],
    ['podDetailRetention', '36501d'],
  ])('refuses %s %s, at registration and in a PATCH', async (field, value) => {
    const post = await server().call('POST', '/api/v1/clusters', {
      body: { name: 'other', inCluster: true, collection: { [field]: value } },
    });
    expect([post.status, post.json().error]).toEqual([400, refused(field)]);
    const patch = await server().call('PATCH', '/api/v1/clusters/inside', {
      body: { collection: { [field]: value } },
    });
    expect([patch.status, patch.json().error]).toEqual([400, refused(field)]);
  });

  it('keeps the cluster as it was, and takes 0 and a century', async () => {
    expect((await server().call('GET', '/api/v1/clusters/inside')).json().collection).toEqual({});
    const r = await server().call('PATCH', '/api/v1/clusters/inside', {
      body: { collection: { rawRetention: '0', podDetailRetention: '36500d' } },
    });
    expect([r.status, r.json().collection]).toEqual([
      200,
      { rawRetention: '0', podDetailRetention: '36500d' },
    ]);
  });
});

describe('a merge patch of null', () => {
  it('removes the whole setting: the defaults again', async () => {
    const set = await server().call('PATCH', '/api/v1/clusters/inside', {
      body: { collection: { shards: 2 }, attribution: { ownerLabels: ['team'] } },
    });
    expect(set.json()).toMatchObject({ collection: { shards: 2 }, attribution: { ownerLabels: ['team'] } });
    const r = await server().call('PATCH', '/api/v1/clusters/inside', {
      raw: '{"collection": null, "attribution": null}',
      contentType: 'application/merge-patch+json',
    });
    expect([r.status, r.json().collection, r.json().attribution], r.text).toEqual([200, {}, {}]);
  });
});
