import { describe, expect, it } from 'vitest';
import { KubetallyError } from '../domain/errors.js';
import type { Connection } from '../k8s/connection.js';
import { claimDepartures, podDepartures, serviceDepartures } from './departures.js';

const pod = (uid: string, rv: string) => ({
  metadata: { name: uid, namespace: 'ns', uid, resourceVersion: rv },
  spec: { containers: [{ name: 'c' }] },
  status: {
    phase: 'Succeeded',
    containerStatuses: [
      {
        name: 'c',
        state: { terminated: { startedAt: '2026-05-04T00:00:00Z', finishedAt: '2026-05-04T00:00:30Z' } },
      },
    ],
  },
});
const line = (type: string, object: unknown) => `${JSON.stringify({ type, object })}\n`;

/** A connection whose watch sends `chunks`, then stays open until aborted. */
function watching(chunks: string[], asked: string[] = []): Connection {
  return {
    server: 'https://k',
    context: 'c',
    kubeConfig: undefined as never,
    request: () => Promise.reject(new Error('not used')),
    stream(path, onText, signal) {
      asked.push(path);
      for (const c of chunks) onText(c);
      return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
    },
  };
}

describe('departures', () => {
  it('gives the final state of each pod that left and is not listed, once, split lines and all', async () => {
    const asked: string[] = [];
    const text =
      line('ADDED', pod('a', '5')) + line('DELETED', pod('a', '7')) + line('DELETED', pod('b', '8'));
    const d = podDepartures(watching([text.slice(0, 40), text.slice(40)], asked));
    d.follow('4');
    expect(asked[0]).toContain('resourceVersion=4');
    const left = await d.take(new Set(['b']), '8');
    expect(left.map((p) => p.uid)).toEqual(['a']);
    expect(left[0]?.containers[0]?.terminated?.finishedAt).toBe(Date.parse('2026-05-04T00:00:30Z'));
    // b was still listed: it is given once it is not.
    expect((await d.take(new Set(), '8')).map((p) => p.uid)).toEqual(['b']);
    expect(await d.take(new Set(), '8')).toEqual([]);
    d.close();
  });

  it('does without a watch the server refuses, and asks again only after a while', async () => {
    let t = 0;
    let asks = 0;
    const refusing: Connection = {
      ...watching([]),
      stream: () => {
        asks += 1;
        return Promise.reject(new KubetallyError('FORBIDDEN', 'pods is forbidden'));
      },
    };
    const d = podDepartures(refusing, () => t);
    d.follow('1');
    expect(await d.take(new Set(), '1')).toEqual([]);
    await new Promise((r) => setImmediate(r)); // the refusal has been taken in
    d.follow('2');
    t += 60_000;
    d.follow('3');
    expect(asks).toBe(1);
    t += 10 * 60_000;
    d.follow('4');
    expect(asks).toBe(2);
    d.close();
  });

  it('waits, within a bound, for the watch to catch up with the list; after a wait in vain, no more', async () => {
    const d = podDepartures(watching([line('BOOKMARK', { metadata: { resourceVersion: '9' } })]));
    d.follow('9');
    let started = performance.now();
    await d.take(new Set(), '12', 100); // the watch never reaches 12
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    started = performance.now();
    await d.take(new Set(), '13', 100);
    expect(performance.now() - started).toBeLessThan(50);
    d.close();
  });

  it('gives claims and LoadBalancer services by namespace/name, with their deletion time', async () => {
    const deleted = (kind: string, name: string, extra: object = {}) => ({
      kind,
      metadata: {
        name,
        namespace: 'ns',
        uid: `u-${name}`,
        resourceVersion: '7',
        creationTimestamp: '2026-05-04T00:00:00Z',
        deletionTimestamp: '2026-05-04T01:30:00Z',
      },
      ...extra,
    });
    const asked: string[] = [];
    const claims = claimDepartures(
      watching(
        [
          line(
            'DELETED',
            deleted('PersistentVolumeClaim', 'data', {
              status: { phase: 'Bound', capacity: { storage: '1Gi' } },
            }),
          ),
        ],
        asked,
      ),
    );
    claims.follow('4');
    expect(asked[0]).toMatch(/^\/api\/v1\/persistentvolumeclaims\?watch=1&/);
    const [claim] = await claims.take(new Set(), '7');
    expect([claim?.name, claim?.deletingAt, claim?.capacityBytes]).toEqual([
      'data',
      Date.parse('2026-05-04T01:30:00Z'),
      2n ** 30n,
    ]);
    claims.close();
    const services = serviceDepartures(
      watching([
        line('DELETED', deleted('Service', 'web', { spec: { type: 'ClusterIP' } })),
        line('DELETED', deleted('Service', 'edge', { spec: { type: 'LoadBalancer' } })),
      ]),
    );
    services.follow('4');
    // Only LoadBalancers are billed by the hour: other services are not kept.
    expect((await services.take(new Set(), '7')).map((s) => s.name)).toEqual(['edge']);
    services.close();
  });
});
