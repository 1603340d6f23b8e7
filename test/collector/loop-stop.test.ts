/**
 * Stopping `serve` (SIGTERM, a rolling update) while one cluster's round hangs on a slow API
 * server: the other clusters' leases are let go at once, so that another replica takes them over
 * without waiting for the slow round (or for their leases to expire, when the process is killed
 * before that round ends).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealKubeconfig } from '../../src/app/cluster-connection.js';
import { startCollectorLoop } from '../../src/app/collector-loop.js';
import type { ClusterRecord } from '../../src/ledger/types.js';
import { startRig, type Rig } from '../support/collection.js';

describe('stopping the collector loop while a round hangs', () => {
  let rig: Rig;
  let slow: ClusterRecord;
  let silent: Server;
  const sockets: Socket[] = [];
  let connected: () => void = () => undefined;
  const slowRoundStarted = new Promise<void>((resolve) => (connected = resolve));

  beforeAll(async () => {
    rig = await startRig({ scenario: 'demo', collection: { sampleEvery: '1s' } });
    // An API server that accepts connections and never answers.
    silent = createServer((s) => {
      sockets.push(s);
      connected();
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const kubeconfig = rig.sim.kubeconfig.replaceAll(rig.sim.url, `https://127.0.0.1:${port}`);
    slow = await rig.ctx.store.createCluster({
      name: 'slow',
      connection: 'kubeconfig',
      kubeconfig: sealKubeconfig(rig.ctx.secrets, 'default', 'slow', kubeconfig),
      collection: { sampleEvery: '1s' },
    });
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    silent?.close();
    await rig?.close();
  });

  it("lets go of the healthy cluster's lease without waiting for the slow round", async () => {
    let healthyRounds = 0;
    const loop = startCollectorLoop(rig.ctx, {
      holder: 'stopping-replica',
      refreshMs: 100,
      onRound: (cluster) => {
        if (cluster.id === rig.cluster.id) healthyRounds += 1;
      },
    });
    await slowRoundStarted;
    while (healthyRounds === 0) await new Promise((r) => setTimeout(r, 50));
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    // Another replica asks for the healthy cluster for 3 s; the slow round goes on meanwhile.
    let takenAfterMs: number | undefined;
    const asked = Date.now();
    while (Date.now() - asked < 3_000 && takenAfterMs === undefined) {
      if (await rig.ctx.store.acquireLease(rig.cluster.id, 'other-replica', 10_000, Date.now()))
        takenAfterMs = Date.now() - asked;
      else await new Promise((r) => setTimeout(r, 100));
    }
    const stillStopping = !stopped;
    // The slow round fails now (its retries are refused), and stop() ends.
    silent.close();
    for (const s of sockets) s.destroy();
    await stopping;
    expect(stillStopping).toBe(true);
    // It was held until the slow round timed out (30 s), whatever that cluster had to do with it.
    expect(takenAfterMs).toBeDefined();
    expect(takenAfterMs!).toBeLessThan(1_000);
    // The slow cluster's lease is let go too once its round is over.
    expect(await rig.ctx.store.acquireLease(slow.id, 'other-replica', 10_000, Date.now())).toBe(true);
  }, 60_000);
});
