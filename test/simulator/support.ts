/** Helpers for the simulator suites: a running simulator, the real kubectl, raw HTTP calls. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from '../../src/simulator/index.js';

export interface TestSimulator extends SimulatorHandle {
  dir: string;
  kubeconfigPath: string;
  /** GET/POST/DELETE on the simulator with the token (plain HTTP simulators only). */
  call(
    path: string,
    init?: { method?: string; body?: unknown; accept?: string; token?: string | null },
  ): Promise<{
    status: number;
    text: string;
    json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
    headers: Headers;
  }>;
  /** GET with the token, the body as bytes (protobuf), with its content type. */
  bytes(path: string, accept: string): Promise<{ type: string; body: Buffer }>;
  stop(): Promise<void>;
}

export async function startTestSimulator(opts: Partial<SimulatorOptions> = {}): Promise<TestSimulator> {
  const dir = await mkdtemp(join(tmpdir(), 'kubetally-sim-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const sim = await startSimulator({
    scenario: 'demo',
    clock: 'manual',
    ...opts,
    writeKubeconfig: kubeconfigPath,
  });
  return {
    ...sim,
    dir,
    kubeconfigPath,
    async call(path, init = {}) {
      const headers: Record<string, string> = {};
      if (init.token !== null) headers.authorization = `Bearer ${init.token ?? sim.token}`;
      if (init.accept !== undefined) headers.accept = init.accept;
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${sim.url}${path}`, {
        method: init.method ?? 'GET',
        headers,
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      const text = await res.text();
      return { status: res.status, text, json: () => JSON.parse(text), headers: res.headers };
    },
    async bytes(path, accept) {
      const res = await fetch(`${sim.url}${path}`, {
        headers: { accept, authorization: `Bearer ${sim.token}` },
      });
      return { type: res.headers.get('content-type') ?? '', body: Buffer.from(await res.arrayBuffer()) };
    },
    async stop() {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export { kubectl, columns, hasKubectl, KUBECTL, type KubectlResult } from './kubectl-runner.js';
