/**
 * A watch on a sped-up clock keeps up with the lists: at `--clock speed:60` a second of ours is a
 * minute of the cluster's, and changes sent once a second of ours reached a watch up to a minute
 * of cluster time after a list had shown them. A collector that reads a list and then waits
 * briefly for the watch to reach the list's version (for the final state of the pods deleted
 * before it) waited in vain, and billed a job deleted just before an interval closed to halfway
 * between two lists (+23 s of a 73 s job in a 3-hour run).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from './support.js';

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'speed:60', plainHttp: true });
});
afterAll(() => sim?.stop());

describe('a watch of pods on a clock at speed:60', () => {
  it('reaches the version of a list taken meanwhile within a tenth of a second of ours', async () => {
    const list = (await (await sim.call('/api/v1/pods?limit=1')).json()) as {
      metadata: { resourceVersion: string };
    };
    const controller = new AbortController();
    const res = await fetch(
      `${sim.url}/api/v1/pods?watch=1&allowWatchBookmarks=true&resourceVersion=${list.metadata.resourceVersion}`,
      { headers: { authorization: `Bearer ${sim.token}` }, signal: controller.signal },
    );
    let seen = 0;
    const reading = (async () => {
      const decoder = new TextDecoder();
      let pending = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        pending += decoder.decode(chunk, { stream: true });
        for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
          const e = JSON.parse(pending.slice(0, nl)) as {
            object?: { metadata?: { resourceVersion?: string } };
          };
          seen = Math.max(seen, Number(e.object?.metadata?.resourceVersion ?? 0));
          pending = pending.slice(nl + 1);
        }
      }
    })().catch(() => undefined);
    const lags: number[] = [];
    try {
      for (let i = 0; i < 6; i++) {
        await new Promise((r) => setTimeout(r, 150 + 70 * i));
        const now = (await (await sim.call('/api/v1/pods?limit=1')).json()) as {
          metadata: { resourceVersion: string };
        };
        const target = Number(now.metadata.resourceVersion);
        const asked = Date.now();
        while (seen < target && Date.now() - asked < 2_000) await new Promise((r) => setTimeout(r, 5));
        lags.push(Date.now() - asked);
      }
    } finally {
      controller.abort();
      await reading;
    }
    // Up to a second each (a minute of the cluster's time) when changes went out once a second.
    expect(Math.max(...lags), `lags ${lags.join(', ')} ms`).toBeLessThanOrEqual(100);
  }, 30_000);
});
