/**
 * Scenario fields that a real API server would refuse, or that the usage profiles could not
 * honour, are refused with the field named, not accepted and then served as something else.
 */
import { describe, expect, it } from 'vitest';
import { isKubetallyError } from '../../domain/errors.js';
import { createWorld, parseScenario } from './index.js';

const NODE = "nodes: [{ name: n, capacity: { cpu: '8', memory: 32Gi, nvidia.com/gpu: '2' } }]";
const withUsage = (cpu: string) =>
  `${NODE}\npods: [{ name: p, containers: [{ name: c, usage: { cpu: ${cpu} } }] }]`;

function refusal(body: string, build = false): Error {
  try {
    const s = parseScenario(`name: bad\nstart: 2026-01-01T00:00:00Z\n${body}`, 'bad.yaml');
    if (build) createWorld(s);
  } catch (err) {
    expect(isKubetallyError(err, 'INVALID_ARGUMENT')).toBe(true);
    return err as Error;
  }
  return expect.unreachable('accepted');
}

describe('scenario validation', () => {
  it.each([
    // A walk outside its bounds, or with bounds the wrong way round, was clamped to max at its
    // first step: the scenario said one thing and served another.
    [
      withUsage('{ kind: randomWalk, start: 1, step: 1, min: 3, max: 2 }'),
      'usage.cpu.max: min must not exceed max',
    ],
    [
      withUsage('{ kind: randomWalk, start: 5, step: 1, min: 0, max: 2 }'),
      'usage.cpu.start: start must lie between min and max',
    ],
    // A spike longer than its window was cut to the window without a word.
    [
      withUsage('{ kind: spikes, base: 1, height: 1, every: 1m, duration: 5m }'),
      'usage.cpu.duration: duration must not exceed every',
    ],
    // A claim or service ending before it starts never existed: surely a mistyped offset.
    [
      `${NODE}\npersistentVolumeClaims: [{ name: d, capacity: 1Gi, start: 2h, end: 1h }]`,
      'persistentVolumeClaims[0].end: end must be after start',
    ],
    [
      `${NODE}\nservices: [{ name: s, type: LoadBalancer, start: 30m, end: 30m }]`,
      'services[0].end: end must be after start',
    ],
    // Half a GPU was billed as a whole one: the API server refuses fractions of extended resources.
    [
      `${NODE}\npods: [{ name: p, containers: [{ name: c, requests: { nvidia.com/gpu: 500m } }] }]`,
      'pods[0].containers[0].requests.nvidia.com/gpu: 500m is not a whole number',
    ],
    [
      "nodes: [{ name: n, capacity: { cpu: '8', nvidia.com/gpu: '1.5' } }]",
      'nodes[0].capacity.nvidia.com/gpu: 1.5 is not a whole number',
    ],
    // Owner and project names become the owner, user and project labels.
    [
      `${NODE}\ngenerators: [{ name: g, count: 1, owners: ['ann smith'], projects: [p], profiles: [{ containers: [{ name: c }] }] }]`,
      'generators[0].owners[0]: is not a label value',
    ],
    // Typos are answered with the field that was meant; a missing field says so.
    [
      `${NODE}\npods: [{ name: p, contaners: [{ name: c }] }]`,
      'pods[0].containers: missing (expected array); pods[0]: unknown field "contaners" (did you mean "containers"?)',
    ],
    [
      `${NODE}\npods: [{ name: p, containers: [{ name: c, reqests: { cpu: 1 } }] }]`,
      'pods[0].containers[0]: unknown field "reqests" (did you mean "requests"?)',
    ],
    [
      withUsage('{ kind: sine, base: 1, amplitude: 1, periode: 1h }'),
      'usage.cpu: unknown field "periode" (did you mean "period"?)',
    ],
    [
      `${NODE}\npods: [{ name: p, initContainers: [{ name: i, usage: { cpu: 1 } }], containers: [{ name: c }] }]`,
      'pods[0].initContainers[0]: "usage" is not a field here',
    ],
    [
      `${NODE}\npods: [{ name: p, end: 10m, containers: [{ name: c, restarts: [20m] }] }]`,
      'pods[0].containers[0].restarts[0]: the pod has ended by then',
    ],
    [
      "node: [{ name: n, capacity: { cpu: '1' } }]",
      'nodes: missing (expected array); (scenario): unknown field "node" (did you mean "nodes"?)',
    ],
    // A million pods take ~350 MB; a billion crashed the simulator out of memory.
    [
      `${NODE}\npods: [{ name: p, replicas: 1e9, containers: [{ name: c }] }]`,
      'pods[0].replicas: at most 1,000,000',
    ],
    [
      `${NODE}\npods: [{ name: p, replicas: 600000, containers: [{ name: c }] }]\ngenerators: [{ name: g, count: 600000, owners: [a], projects: [b], profiles: [{ containers: [{ name: c }] }] }]`,
      '(scenario): nodes (count), pods (replicas, or one per node for DaemonSets and static pods) and generators (count) together: at most 1,000,000',
    ],
    // Nodes count, and a DaemonSet has a pod on each of them.
    [
      "nodes: [{ name: 'n-{i}', count: 600000, capacity: { cpu: '1' } }]\npods: [{ name: p, controller: DaemonSet, containers: [{ name: c }] }]",
      '(scenario): nodes (count), pods (replicas, or one per node',
    ],
  ])('names the field: %#', (body, message) => {
    expect(refusal(body).message).toContain(message);
  });

  it('refuses a generator namespace that is no namespace name, naming the owner that made it', () => {
    const err = refusal(
      `${NODE}\ngenerators: [{ name: g, count: 1, owners: [Ann], projects: [fraud], profiles: [{ containers: [{ name: c }] }] }]`,
      true,
    );
    expect(err.message).toBe(
      'generator g: namespace "{project}-{owner}" gives "fraud-Ann" (owner "Ann", project "fraud"), which is not lower-case letters, digits and "-", at most 63 (a DNS label, as the API server requires)',
    );
  });

  it.each([
    // A selector nobody matches (a typo) sent the pod to any node: a scheduler leaves it Pending.
    [
      `${NODE}\npods: [{ name: p, nodeSelector: { pool: spto }, containers: [{ name: c }] }]`,
      'pods[0]: nodeSelector {"pool":"spto"} matches no node',
    ],
    [
      `${NODE}\ngenerators: [{ name: g, count: 1, owners: [a], projects: [b], nodeSelector: { pool: x }, profiles: [{ containers: [{ name: c }] }] }]`,
      'generator g, profiles[0]: nodeSelector {"pool":"x"} matches no node',
    ],
    // A pod pinned to a node without the GPUs it asks for ran, and billed them.
    [
      "nodes: [{ name: n, capacity: { cpu: '8' } }, { name: g, capacity: { cpu: '8', nvidia.com/gpu: '4' } }]\npods: [{ name: p, node: n, containers: [{ name: c, requests: { nvidia.com/gpu: 1 } }] }]",
      'pods[0]: requests 1 nvidia.com/gpu, but node n has 0',
    ],
    // More CPU or memory than any node's allocatable ran anyway, and billed requests no node held.
    [
      `${NODE}\npods: [{ name: p, containers: [{ name: c, requests: { cpu: '9' } }] }]`,
      'pods[0]: requests 9 CPU (init containers and overhead included), but no node has that many',
    ],
    [
      `${NODE}\npods: [{ name: p, initContainers: [{ name: i, requests: { memory: 40Gi } }], containers: [{ name: c }] }]`,
      'pods[0]: requests 40Gi of memory (init containers and overhead included), but no node has that many',
    ],
    [
      "nodes: [{ name: n, capacity: { cpu: '8' }, allocatable: { cpu: 7500m } }]\npods: [{ name: p, node: n, overhead: { cpu: 600m }, containers: [{ name: c, requests: { cpu: '7' } }] }]",
      'pods[0]: requests 7.6 CPU (init containers and overhead included), but node n has 7.5 CPU allocatable',
    ],
    [
      `${NODE}\ngenerators: [{ name: g, count: 1, owners: [a], projects: [b], profiles: [{ containers: [{ name: c, requests: { memory: 33Gi } }] }] }]`,
      'generator g, profiles[0]: requests 33Gi of memory',
    ],
  ])('refuses a pod no node could run: %#', (body, message) => {
    expect(refusal(body, true).message).toContain(message);
  });

  it.each([
    [
      'containers',
      'pods[0].containers[0].limits.cpu: 500m is below the request 1, which the API server refuses',
    ],
    [
      'initContainers',
      'pods[0].initContainers[0].limits.memory: 1Gi is below the request 2Gi, which the API server refuses',
    ],
  ])('refuses a limit below its request in %s, as the API server does', (field, message) => {
    const c =
      field === 'containers'
        ? "{ name: c, requests: { cpu: '1' }, limits: { cpu: 500m } }"
        : '{ name: c, requests: { memory: 2Gi }, limits: { memory: 1Gi } }';
    const body =
      field === 'containers'
        ? `${NODE}\npods: [{ name: p, containers: [${c}] }]`
        : `${NODE}\npods: [{ name: p, initContainers: [${c}], containers: [{ name: app }] }]`;
    expect(refusal(body).message).toContain(message);
  });

  it('says an empty file is empty', () => {
    expect(() => parseScenario('\n', 'empty.yaml')).toThrow('empty.yaml is empty');
  });

  it('accepts the bounds themselves', () => {
    const ok = `${NODE}\npods: [{ name: p, containers: [{ name: c, requests: { nvidia.com/gpu: 2 }, usage: { cpu: { kind: randomWalk, start: 2, step: 1, min: 2, max: 2 }, memory: { kind: spikes, base: 1Gi, height: 1Gi, every: 5m, duration: 5m } } }] }]\nservices: [{ name: s, start: 1h, end: 61m }]`;
    expect(() => createWorld(parseScenario(`name: ok\nstart: 2026-01-01T00:00:00Z\n${ok}`))).not.toThrow();
  });
});
