/**
 * A watch that its `timeoutSeconds` ends while its client is not reading (the stream backed up in
 * the socket): the simulator stops sending to it, and a clock moved afterwards does not crash the
 * server with a write after the end of the response.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from './support.js';

let sim: TestSimulator;
beforeAll(async () => {
  // 10 000 pods: their ADDED events are more than the socket buffers hold.
  sim = await startTestSimulator({ scenario: 'scale-10k', clock: 'manual', plainHttp: true });
}, 60_000);
afterAll(() => sim?.stop());

describe('a watch ended by its timeout while its client does not read', () => {
  it('gets nothing more when the clock moves, and the simulator keeps serving', async () => {
    const { hostname, port } = new URL(sim.url);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.pause(); // never read: the answer backs up in the socket buffers
    socket.write(
      `GET /api/v1/pods?watch=1&timeoutSeconds=1 HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${sim.token}\r\n\r\n`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // the timeout has ended the stream
    for (let i = 0; i < 3; i++) {
      expect((await sim.call('/sim/clock', { method: 'POST', body: { advance: '60s' } })).status).toBe(200);
    }
    await new Promise((resolve) => setTimeout(resolve, 200)); // an 'error' would be thrown by now
    expect((await sim.call('/sim/clock')).status).toBe(200);
    socket.destroy();
  }, 60_000);
});
