/**
 * A number out of its range in a scenario file is named with what it must be and what was given:
 * "replicas: must be a whole number (got 1.5)", not zod's "Invalid input: expected int, received
 * number" (both are numbers to the reader) or "Too small: expected number to be >=1". A node's
 * allocatable above its capacity (which no kubelet reports, and which `kubectl top nodes` divides
 * by) is refused the same way, as are a Service's ports the API server would refuse (a port twice,
 * an unnamed port beside another).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubetally-bounds-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const NODE = "{ name: n, capacity: { cpu: '4', memory: 8Gi } }";

describe('scenario numbers out of range', () => {
  it.each([
    [
      `nodes: [${NODE}]\npods: [{ name: p, replicas: 1.5, containers: [{ name: c }] }]`,
      'pods[0].replicas: must be a whole number (got 1.5)',
    ],
    [
      `nodes: [${NODE}]\npods: [{ name: p, replicas: -2, containers: [{ name: c }] }]`,
      'pods[0].replicas: must be at least 1 (got -2)',
    ],
    [
      `nodes: [{ name: "n{i}", count: 0, capacity: { cpu: '4' } }]`,
      'nodes[0].count: must be at least 1 (got 0)',
    ],
    ['nodes: []', 'nodes: needs at least 1 entry'],
    [
      `nodes: [${NODE}]\npods: [{ name: p, containers: [{ name: c, usage: { cpu: { kind: square, low: 0, high: 1, period: 1m, duty: 1.5 } } }] }]`,
      'pods[0].containers[0].usage.cpu.duty: must be at most 1 (got 1.5)',
    ],
    [
      "nodes: [{ name: n, capacity: { cpu: '4', memory: 8Gi }, allocatable: { cpu: '8' } }]",
      'nodes[0].allocatable.cpu: 8 is more than its capacity 4',
    ],
    [
      "nodes: [{ name: n, capacity: { cpu: '4' }, allocatable: { nvidia.com/gpu: '1' } }]",
      'nodes[0].allocatable.nvidia.com/gpu: 1, but the capacity has no nvidia.com/gpu',
    ],
    [
      `nodes: [${NODE}]\nservices: [{ name: s, ports: [{ name: a, port: 80 }, { name: b, port: 80 }] }]`,
      'services[0].ports[1].port: 80/TCP is also ports[0]: the API server refuses a port twice',
    ],
    [
      `nodes: [${NODE}]\nservices: [{ name: s, ports: [{ name: web, port: 80 }, { port: 443 }] }]`,
      'services[0].ports[1].name: a service with more than one port needs a name for each, as the API server requires',
    ],
  ])('%s', async (body, message) => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, `name: bad\n${body}\n`);
    const err = await startSimulator({ scenario: file, clock: 'manual', plainHttp: true }).then(
      async (sim) => {
        await sim.close();
        return undefined;
      },
      (e: Error) => e.message,
    );
    expect(err).toBe(`invalid scenario ${file}: ${message}`);
  });
});
