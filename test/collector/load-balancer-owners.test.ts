/**
 * A LoadBalancer Service is seldom labelled: one whose labels name no owner pays as the pods it
 * selects when they all have one owner and project; labelled ones, and ones in front of several
 * owners' pods, pay as their own labels say.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectedSpan, type Rig } from '../support/collection.js';

const HOUR = 3_600_000;
const pod = (name: string, app: string, owner: string) => `
  - name: ${name}
    namespace: shop
    labels: { app: ${app}, owner: ${owner}, project: shop }
    containers: [{ name: c, requests: { cpu: 100m }, usage: { cpu: 50m, memory: 64Mi } }]`;
const lb = (name: string, app: string, labels = '{}') => `
  - { name: ${name}, namespace: shop, type: LoadBalancer, labels: ${labels}, selector: { app: ${app} }, ports: [{ port: 80 }] }`;
const SCENARIO = `
name: load-balancer-owners
seed: 3
nodes:
  - { name: node-1, capacity: { cpu: '8', memory: 32Gi } }
pods:${pod('web', 'web', 'dave')}${pod('api-a', 'api', 'erin')}${pod('api-b', 'api', 'frank')}
services:${lb('web', 'web')}${lb('api', 'api')}${lb('labelled', 'web', '{ owner: ops }')}
`;

let run: { rig: Rig; begin: number };
beforeAll(async () => {
  run = await collectedSpan(SCENARIO, HOUR);
}, 120_000);
afterAll(async () => run?.rig.close());

it('bills an unlabelled LoadBalancer to the owner of the pods it serves, and no one else', async () => {
  const { rig, begin } = run;
  const rows = await rig.ctx.store.queryUsage({
    from: begin,
    to: begin + HOUR,
    groupBy: ['owner', 'project'],
    step: 'total',
  });
  const hours = Object.fromEntries(
    rows
      .filter((r) => (r.usage.loadBalancerMillis ?? 0n) > 0n)
      .map((r) => [`${r.group.owner}/${r.group.project}`, r.usage.loadBalancerMillis]),
  );
  expect(hours).toEqual({
    'dave/shop': BigInt(HOUR), // web: dave's pod only
    '__unowned__/shop': BigInt(HOUR), // api: erin's and frank's pods
    'ops/shop': BigInt(HOUR), // labelled: its own label wins
  });
});
