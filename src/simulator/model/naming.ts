/** Names of generated objects, following the Kubernetes controllers' patterns. */
import { hashKey, mix, nameSuffix } from './prng.js';

/** Expands a node name pattern (`gpu-{i}`) into `count` names; `{i}` counts from 1. */
export function expandNodeNames(pattern: string, count: number): string[] {
  if (count === 1 && !pattern.includes('{i}')) return [pattern];
  const p = pattern.includes('{i}') ? pattern : `${pattern}-{i}`;
  return Array.from({ length: count }, (_, i) => p.replaceAll('{i}', String(i + 1)));
}

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** A ReplicaSet pod-template-hash (10 characters) for a template identity. */
export function templateHash(seed: number, key: string): string {
  const h = hashKey(seed, `template:${key}`);
  let out = '';
  for (let i = 0; i < 10; i++) out += ALPHANUMS[mix(h, i) % ALPHANUMS.length];
  return out;
}

export { nameSuffix };
