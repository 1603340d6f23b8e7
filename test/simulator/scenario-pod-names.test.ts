/**
 * Scenario entries that expand to one pod name twice in a namespace are refused, naming both
 * entries: `web-{i}` with replicas beside a `web-1`, a generator's `g-0` beside a pod `g-0`, two
 * generators of one name. The simulator listed both pods under the one name and `/sim/truth`
 * summed them as a single pod.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubetally-names-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const HEAD = `name: names
start: 2026-03-01T00:00:00Z
nodes: [{ name: n1, capacity: { cpu: '64', memory: 256Gi } }]
`;
const GEN = '{ owners: [a], projects: [p], profiles: [{ containers: [{ name: c }] }] }';
const generator = (name: string) => `{ name: ${name}, count: 2, ${GEN.slice(2)}`;

/** Starts the simulator on the scenario text; the error message when it is refused. */
async function refusal(file: string, body: string): Promise<string> {
  const path = join(dir, file);
  await writeFile(path, HEAD + body);
  const sim = await startSimulator({ scenario: path, clock: 'manual', plainHttp: true }).catch(
    (err: Error) => err,
  );
  if (sim instanceof Error) return sim.message;
  await sim.close();
  return 'started';
}

describe('pod names made twice in a namespace', () => {
  it('refuses replicas whose expanded name is another entry', async () => {
    const body = `pods:
  - { name: "w-{i}", replicas: 3, containers: [{ name: c }] }
  - { name: w-1, containers: [{ name: c }] }
`;
    expect(await refusal('replicas.yaml', body)).toBe(
      `invalid scenario ${join(dir, 'replicas.yaml')}: pods[1]: pod "w-1" in namespace "default" is also made by pods[0] (replica 1)`,
    );
  });

  it('refuses a pod with the name of a generator slot in its namespace', async () => {
    const body = `pods: [{ name: g-0, namespace: p-a, containers: [{ name: c }] }]
generators: [${generator('g')}]
`;
    expect(await refusal('generator.yaml', body)).toBe(
      `invalid scenario ${join(dir, 'generator.yaml')}: generators[0] (pod 0): pod "g-0" in namespace "p-a" is also made by pods[0]`,
    );
  });

  it('refuses two generators of one name', async () => {
    const body = `generators: [${generator('g')}, ${generator('g')}]\n`;
    expect(await refusal('generators.yaml', body)).toBe(
      `invalid scenario ${join(dir, 'generators.yaml')}: generators[1].name: "g" is also generators[0]`,
    );
  });

  it('still takes the same names in different namespaces, and controllers that add a suffix', async () => {
    const body = `pods:
  - { name: "w-{i}", replicas: 2, containers: [{ name: c }] }
  - { name: w-1, namespace: other, containers: [{ name: c }] }
  - { name: api, controller: Deployment, containers: [{ name: c }] }
  - { name: "api-{i}", replicas: 2, controller: Deployment, namespace: other, containers: [{ name: c }] }
generators: [${generator('g')}, ${generator('h')}]
`;
    expect(await refusal('fine.yaml', body)).toBe('started');
  });
});
