import { describe, expect, it } from 'vitest';
import { pod, T0 } from '../metering/test-support.js';
import { parseKind, shardKind, shardOf, splitBy, splitInventory } from './shards.js';

describe('shards', () => {
  it('puts a namespace always in the same shard, and spreads namespaces', () => {
    expect(shardOf('team-a', 8)).toBe(shardOf('team-a', 8));
    expect(shardOf('anything', 1)).toBe(0);
    const used = new Set(Array.from({ length: 200 }, (_, i) => shardOf(`ns-${i}`, 8)));
    expect(used.size).toBe(8);
  });

  it('names shard and count in the kind', () => {
    expect(shardKind('metrics', 3, 8)).toBe('metrics#3/8');
    expect(parseKind('metrics#3/8')).toEqual({ base: 'metrics', shard: 3, of: 8 });
    expect(parseKind('scrapes')).toEqual({ base: 'scrapes', shard: 0, of: 1 });
  });

  it('keeps pods with their namespace and nodes in shard 0', () => {
    const pods = Array.from({ length: 50 }, (_, i) => pod(`u${i}`, { namespace: `ns-${i % 7}` }));
    const node = {
      namespace: '' as const,
      name: 'n1',
      instanceType: '',
      capacityType: 'on-demand' as const,
      allocatable: { cpuNanoCores: 0n, memoryBytes: 0n, gpus: 0n },
      createdAt: T0,
    };
    const parts = splitInventory({ time: T0, pods, claims: [], loadBalancers: [], nodes: [node] }, 4);
    expect(parts.flatMap((p) => p.pods).length).toBe(50);
    for (const [s, part] of parts.entries()) {
      expect(part.pods.every((p) => shardOf(p.namespace, 4) === s)).toBe(true);
      expect(part.nodes).toEqual(s === 0 ? [node] : []);
    }
    const samples = splitBy([{ ns: 'ns-1' }, { ns: undefined }], 4, (x) => x.ns);
    expect(samples.flat()).toEqual([{ ns: 'ns-1' }]);
  });
});
