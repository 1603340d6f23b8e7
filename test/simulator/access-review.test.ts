/**
 * SelfSubjectAccessReview on the simulator: the wire format of authorization.k8s.io/v1 (201 with
 * spec echoed and status.allowed), answers that agree with the 403s of the forbidden fault, and the
 * real `kubectl auth can-i`, which sends the review as protobuf.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, kubectl, startTestSimulator, type TestSimulator } from './support.js';

let sim: TestSimulator;
let tls: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual', plainHttp: true });
  tls = await startTestSimulator({ scenario: 'demo', clock: 'manual' });
}, 60_000);
afterAll(async () => {
  await sim?.stop();
  await tls?.stop();
});

const PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const review = (resourceAttributes: Record<string, string>) => ({
  apiVersion: 'authorization.k8s.io/v1',
  kind: 'SelfSubjectAccessReview',
  spec: { resourceAttributes },
});

async function ask(attrs: Record<string, string>) {
  const r = await sim.call(PATH, { method: 'POST', body: review(attrs) });
  expect(r.status).toBe(201);
  return r.json();
}

describe('SelfSubjectAccessReview', () => {
  it('is discoverable under authorization.k8s.io/v1', async () => {
    const groups = (await sim.call('/apis')).json().groups.map((g: { name: string }) => g.name);
    expect(groups).toEqual(['metrics.k8s.io', 'authorization.k8s.io']);
    const list = (await sim.call('/apis/authorization.k8s.io/v1')).json();
    expect(list).toMatchObject({ kind: 'APIResourceList', groupVersion: 'authorization.k8s.io/v1' });
    expect(list.resources).toEqual([
      expect.objectContaining({
        name: 'selfsubjectaccessreviews',
        kind: 'SelfSubjectAccessReview',
        verbs: ['create'],
      }),
      expect.objectContaining({
        name: 'selfsubjectrulesreviews',
        kind: 'SelfSubjectRulesReview',
        verbs: ['create'],
      }),
    ]);
    expect((await sim.call('/apis/authorization.k8s.io')).json().preferredVersion.version).toBe('v1');
  });

  it("allows reading what it serves, as a reader's role does, and nothing else", async () => {
    for (const [verb, group, resource, allowed] of [
      ['watch', '', 'pods', true],
      ['get', '', 'persistentvolumeclaims', true],
      ['list', 'metrics.k8s.io', 'nodes', true],
      ['create', 'authorization.k8s.io', 'selfsubjectaccessreviews', true],
      ['watch', '', 'nodes', true],
      ['watch', 'metrics.k8s.io', 'pods', false],
      ['delete', '', 'pods', false],
      ['create', '', 'pods', false],
      ['patch', '', 'nodes', false],
      ['list', '', 'events', false],
      ['list', 'apps', 'deployments', false],
    ] as const) {
      expect((await ask({ verb, group, resource })).status.allowed, `${verb} ${group}/${resource}`).toBe(
        allowed,
      );
    }
  });

  it('allows reading to its token, echoing the spec', async () => {
    const attrs = { verb: 'list', group: '', resource: 'pods', namespace: '' };
    const body = await ask(attrs);
    expect(body).toMatchObject({
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      spec: { resourceAttributes: attrs },
      status: { allowed: true, reason: expect.stringMatching(/^RBAC: allowed by ClusterRoleBinding/) },
    });
  });

  it('denies what the forbidden fault forbids, as the real request is refused', async () => {
    await sim.call('/sim/faults', {
      method: 'POST',
      body: { forbidden: ['pods.metrics.k8s.io', 'nodes/proxy'] },
    });
    try {
      const denied = await ask({ verb: 'list', group: 'metrics.k8s.io', resource: 'pods' });
      // RBAC has no opinion on a denial, so no reason (as a real API server answers).
      expect(denied.status).toEqual({ allowed: false });
      expect((await sim.call('/apis/metrics.k8s.io/v1beta1/pods')).status).toBe(403);
      expect(
        (await ask({ verb: 'get', group: '', resource: 'nodes', subresource: 'proxy' })).status.allowed,
      ).toBe(false);
      expect((await ask({ verb: 'list', group: '', resource: 'pods' })).status.allowed).toBe(true);
      expect((await ask({ verb: 'list', group: '', resource: 'nodes' })).status.allowed).toBe(true);
    } finally {
      await sim.call('/sim/faults', { method: 'DELETE' });
    }
    await sim.call('/sim/faults', { method: 'POST', body: { summaryApi: 'forbidden' } });
    try {
      expect((await ask({ verb: 'get', resource: 'nodes', subresource: 'proxy' })).status.allowed).toBe(
        false,
      );
    } finally {
      await sim.call('/sim/faults', { method: 'DELETE' });
    }
  });

  it('refuses malformed reviews as the API server does', async () => {
    const bad = await sim.call(PATH, { method: 'POST', body: { ...review({}), spec: {} } });
    expect([bad.status, bad.json().reason]).toEqual([422, 'Invalid']);
    const kind = await sim.call(PATH, { method: 'POST', body: { ...review({ verb: 'get' }), kind: 'Pod' } });
    expect([kind.status, kind.json().reason]).toEqual([400, 'BadRequest']);
    expect((await sim.call(PATH)).status).toBe(405);
    expect(
      (await sim.call(PATH, { method: 'POST', body: review({ verb: 'get' }), token: 'nope' })).status,
    ).toBe(401);
  });

  it.skipIf(!hasKubectl)(
    'reads the protobuf kubectl sends: kubectl auth can-i',
    async () => {
      const yes = await kubectl(tls, ['auth', 'can-i', 'list', 'pods', '-A']);
      expect([yes.code, yes.stdout.trim()]).toEqual([0, 'yes']);
      tls.faults.set({ forbidden: ['pods'] });
      try {
        const no = await kubectl(tls, ['auth', 'can-i', 'list', 'pods', '-A']);
        expect([no.code, no.stdout.trim()]).toEqual([1, 'no']);
        const proxy = await kubectl(tls, ['auth', 'can-i', 'get', 'nodes', '--subresource=proxy']);
        expect([proxy.code, proxy.stdout.trim()]).toEqual([0, 'yes']);
        const metrics = await kubectl(tls, ['auth', 'can-i', 'list', 'pods.metrics.k8s.io', '-A']);
        expect(metrics.stdout.trim()).toBe('yes');
      } finally {
        tls.faults.clear();
      }
    },
    60_000,
  );

  it('refuses a protobuf body that is not a review', async () => {
    const r = await fetch(`${sim.url}${PATH}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sim.token}`,
        'content-type': 'application/vnd.kubernetes.protobuf',
      },
      body: 'k8s\u0000\u00ff',
    });
    expect([r.status, ((await r.json()) as { reason: string }).reason]).toEqual([400, 'BadRequest']);
  });
});
